package xsd

import (
	"fmt"
	"sort"

	"github.com/pleskgo/plesk/gen/internal/suggest"
)

// schemaAttrs lists, for each element of the XML Schema namespace, the
// unqualified attributes XSD 1.0 (Structures, the schema for schemas)
// allows on it. Where a declaration allows an attribute only in some
// places (form on a local element only), the parser says so itself: the
// lists here are the union, so that a misplaced attribute gets the
// parser's more precise message and an unknown one gets "did you mean".
var schemaAttrs = map[string][]string{
	"schema":         {"attributeFormDefault", "blockDefault", "elementFormDefault", "finalDefault", "id", "targetNamespace", "version"},
	"include":        {"id", "schemaLocation"},
	"import":         {"id", "namespace", "schemaLocation"},
	"redefine":       {"id", "schemaLocation"},
	"override":       {"id", "schemaLocation"},
	"annotation":     {"id"},
	"documentation":  {"source"},
	"appinfo":        {"source"},
	"element":        {"abstract", "block", "default", "final", "fixed", "form", "id", "maxOccurs", "minOccurs", "name", "nillable", "ref", "substitutionGroup", "type"},
	"complexType":    {"abstract", "block", "final", "id", "mixed", "name"},
	"simpleType":     {"final", "id", "name"},
	"group":          {"id", "maxOccurs", "minOccurs", "name", "ref"},
	"attributeGroup": {"id", "name", "ref"},
	"attribute":      {"default", "fixed", "form", "id", "name", "ref", "type", "use"},
	"sequence":       {"id", "maxOccurs", "minOccurs"},
	"choice":         {"id", "maxOccurs", "minOccurs"},
	"all":            {"id", "maxOccurs", "minOccurs"},
	"any":            {"id", "maxOccurs", "minOccurs", "namespace", "processContents"},
	"anyAttribute":   {"id", "namespace", "processContents"},
	"simpleContent":  {"id"},
	"complexContent": {"id", "mixed"},
	"restriction":    {"base", "id"},
	"extension":      {"base", "id"},
	"list":           {"id", "itemType"},
	"union":          {"id", "memberTypes"},
	"enumeration":    {"id", "value"},
	"pattern":        {"id", "value"},
	"whiteSpace":     {"fixed", "id", "value"},
	"length":         {"fixed", "id", "value"},
	"minLength":      {"fixed", "id", "value"},
	"maxLength":      {"fixed", "id", "value"},
	"totalDigits":    {"fixed", "id", "value"},
	"fractionDigits": {"fixed", "id", "value"},
	"minInclusive":   {"fixed", "id", "value"},
	"maxInclusive":   {"fixed", "id", "value"},
	"minExclusive":   {"fixed", "id", "value"},
	"maxExclusive":   {"fixed", "id", "value"},
	"key":            {"id", "name"},
	"unique":         {"id", "name"},
	"keyref":         {"id", "name", "refer"},
	"selector":       {"id", "xpath"},
	"field":          {"id", "xpath"},
	"notation":       {"id", "name", "public", "system"},
}

// schemaChildren lists the elements of the XML Schema namespace that may
// appear as children of each, for the "did you mean" of an unexpected one.
var schemaChildren = map[string][]string{
	"schema":         {"include", "import", "redefine", "annotation", "element", "complexType", "simpleType", "group", "attributeGroup", "attribute", "notation"},
	"annotation":     {"appinfo", "documentation"},
	"element":        {"annotation", "complexType", "simpleType", "key", "keyref", "unique"},
	"complexType":    {"annotation", "simpleContent", "complexContent", "sequence", "choice", "all", "group", "attribute", "attributeGroup", "anyAttribute"},
	"simpleType":     {"annotation", "restriction", "list", "union"},
	"group":          {"annotation", "sequence", "choice", "all"},
	"attributeGroup": {"annotation", "attribute", "attributeGroup", "anyAttribute"},
	"attribute":      {"annotation", "simpleType"},
	"sequence":       {"annotation", "element", "group", "choice", "sequence", "any"},
	"choice":         {"annotation", "element", "group", "choice", "sequence", "any"},
	"all":            {"annotation", "element"},
	"any":            {"annotation"},
	"anyAttribute":   {"annotation"},
	"simpleContent":  {"annotation", "restriction", "extension"},
	"complexContent": {"annotation", "restriction", "extension"},
	"extension":      {"annotation", "sequence", "choice", "all", "group", "attribute", "attributeGroup", "anyAttribute"},
	"restriction": {"annotation", "simpleType", "sequence", "choice", "all", "group", "attribute", "attributeGroup", "anyAttribute",
		"enumeration", "pattern", "whiteSpace", "length", "minLength", "maxLength", "totalDigits", "fractionDigits",
		"minInclusive", "maxInclusive", "minExclusive", "maxExclusive"},
	"list":  {"annotation", "simpleType"},
	"union": {"annotation", "simpleType"},
}

// checkAttributes reports, in document order, the attributes of the schema
// document below n that XSD 1.0 does not allow where they are: unqualified
// attributes not in schemaAttrs, and attributes in the XML Schema
// namespace, which no schema element has. Attributes of other namespaces
// are allowed everywhere. It does not look inside xs:appinfo and
// xs:documentation, whose content is free.
func (d *schemaDoc) checkAttributes(n *node, depth int) {
	if n.name.Space != NS || depth > maxDepth {
		return
	}
	allowed, known := schemaAttrs[n.name.Local]
	if known {
		for _, a := range n.attrs {
			switch {
			case a.Name.Space == NS:
				hint := didYouMean(a.Name.Local, allowed)
				if hasString(allowed, a.Name.Local) {
					hint = fmt.Sprintf(" (did you mean %q?)", a.Name.Local)
				}
				d.errorf(n.pos, "%s has no attribute xs:%s: attributes of the XML Schema namespace are not allowed%s",
					tagName(n), a.Name.Local, hint)
			case a.Name.Space == "" && !hasString(allowed, a.Name.Local):
				d.errorf(n.pos, "%s has no attribute %q%s", tagName(n), a.Name.Local, didYouMean(a.Name.Local, allowed))
			}
		}
	}
	if n.name.Local == "appinfo" || n.name.Local == "documentation" {
		return
	}
	for _, c := range n.children {
		d.checkAttributes(c, depth+1)
	}
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// didYouMean returns ` (did you mean "x"?)` for the candidate closest to
// name, when one is close enough to be a likely typo, else "".
func didYouMean(name string, candidates []string) string {
	if best := suggest.Closest(name, candidates); best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// maxSuggestions bounds the errors that get a "did you mean": finding one
// compares the name with every declared name, which a schema with thousands of unresolved
// references must not do thousands of times.
const maxSuggestions = 100

// suggest is suggestName among the names that names returns, while the
// Load has reported fewer than maxSuggestions errors.
func (d *schemaDoc) suggest(q QName, names func() []QName) string {
	if len(d.l.errs) >= maxSuggestions {
		return ""
	}
	return suggestName(q, names())
}

// suggestName returns ` (did you mean "x"?)` for the declared name closest
// to q among names, compared by local name; a name of another namespace
// with the same local name is suggested too (a missing prefix).
func suggestName(q QName, names []QName) string {
	var locals []string
	byLocal := map[string][]QName{}
	for _, n := range names {
		if n == q {
			continue
		}
		if _, ok := byLocal[n.Local]; !ok {
			locals = append(locals, n.Local)
		}
		byLocal[n.Local] = append(byLocal[n.Local], n)
	}
	best := ""
	if same := byLocal[q.Local]; len(same) > 0 {
		best = q.Local
	} else {
		best = suggest.Closest(q.Local, locals)
	}
	if best == "" {
		return ""
	}
	cands := byLocal[best]
	pick := cands[0]
	for _, c := range cands {
		if c.Space == q.Space {
			pick = c
			break
		}
	}
	return fmt.Sprintf(" (did you mean %q?)", nameText(pick))
}

// typeNames returns the names of the types a reference may name: the
// declared ones and the builtins; simple only for a simple type reference.
func (s *Set) typeNames(simpleOnly bool) []QName {
	var out []QName
	for q, t := range s.types {
		if _, ok := t.(*SimpleType); ok || !simpleOnly {
			out = append(out, q)
		}
	}
	for name := range builtinBase {
		out = append(out, QName{NS, name})
	}
	if !simpleOnly {
		out = append(out, QName{NS, "anyType"})
	}
	return sortedNames(out)
}

func sortedNames(q []QName) []QName {
	sort.Slice(q, func(i, j int) bool {
		if q[i].Space != q[j].Space {
			return q[i].Space < q[j].Space
		}
		return q[i].Local < q[j].Local
	})
	return q
}

func declaredNames[T any](m map[QName]T) []QName {
	out := make([]QName, 0, len(m))
	for q := range m {
		out = append(out, q)
	}
	return sortedNames(out)
}
