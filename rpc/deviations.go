package rpc

import (
	"strconv"
	"strings"

	"github.com/pleskgo/plesk/rpc/internal/xmlstruct"
)

// DeviationKind is what a Deviation found.
type DeviationKind uint8

const (
	// Missing: a required element or attribute was absent. The typed field
	// holds its zero value, and encoding the value leaves it out again.
	Missing DeviationKind = DeviationKind(xmlstruct.Missing)
	// Untyped: a value did not parse as its declared type (an empty
	// <id></id>, "abc" where a number belongs). The typed field holds its
	// zero value; the value is kept as written, and written back as it came.
	Untyped DeviationKind = DeviationKind(xmlstruct.Untyped)
	// Undeclared: an element the schema does not declare at that place (a
	// newer or older server's element, or a second occurrence of a single
	// one). It is kept, at its place.
	Undeclared DeviationKind = DeviationKind(xmlstruct.Undeclared)
	// UndeclaredAttr: an attribute the schema does not declare.
	UndeclaredAttr DeviationKind = DeviationKind(xmlstruct.UndeclaredAttr)
	// UndeclaredText: character data where the schema allows only elements.
	UndeclaredText DeviationKind = DeviationKind(xmlstruct.UndeclaredText)
)

func (k DeviationKind) String() string {
	switch k {
	case Missing:
		return "missing"
	case Untyped:
		return "untyped"
	case Undeclared:
		return "undeclared element"
	case UndeclaredAttr:
		return "undeclared attribute"
	case UndeclaredText:
		return "undeclared text"
	}
	return "unknown deviation"
}

// Deviation is one place where a decoded value differs from its schema.
type Deviation struct {
	Kind DeviationKind
	// Path is the element path from the value asked about, such as
	// "data/gen_info/cr_date" or "webspace[1]/name"; an attribute ends in
	// "@name".
	Path string
	// Value is what was kept, as written: the text of an untyped value, the
	// XML of an undeclared element, the value of an undeclared attribute.
	Value string
}

// String reads "data/gen_info/guid: missing" or "data/webapps: undeclared
// element <webapps><webapp>…", on one line: white space in the value is
// collapsed and a long value is cut. Secrets are not shown, as in Value
// (see Deviations), whoever built d; a cut leaves no beginning of a
// client's credential at its edge.
func (d Deviation) String() string {
	g := liveCredentials()
	v := strings.Join(strings.Fields(shownValue(d.Kind, d.Path, d.Value, g)), " ")
	if len(v) > 80 {
		v = v[:g.keep(v, 80)] + "…"
	}
	if v == "" && d.Kind != Untyped {
		return d.Path + ": " + d.Kind.String()
	}
	return d.Path + ": " + d.Kind.String() + " " + strconv.Quote(v)
}

// shownValue is the value of a deviation as it may be shown: redacted
// when the path names a secret (an element or attribute such as password,
// ftp-password, secret_key or token, one inside such an element, or a
// <value>, which may be the value of a name/value pair such as
// ftp_password), with the secrets of an undeclared element's XML redacted
// by its structure, as in logged packets, and withheld as a whole when it
// holds a credential of a live Client in any spelling.
func shownValue(k DeviationKind, path, v string, g sentry) string {
	if v == "" || v == redacted || v == withheld {
		return v
	}
	if sensitivePath(path) {
		return redacted
	}
	if k == Undeclared {
		v = string(redactXML([]byte(v)))
	}
	if g.has(v) {
		return withheld
	}
	return v
}

// sensitivePath reports a deviation path that names a secret: one of its
// elements or its attribute has a sensitive name (isSensitive), or it ends
// in <value>.
func sensitivePath(path string) bool {
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		if j := strings.IndexByte(seg, '['); j >= 0 {
			seg = seg[:j]
		}
		elem, attr, _ := strings.Cut(seg, "@")
		if _, local, ok := strings.Cut(elem, ":"); ok {
			elem = local
		}
		if _, local, ok := strings.Cut(attr, ":"); ok {
			attr = local
		}
		if isSensitive(elem) || attr != "" && isSensitive(attr) {
			return true
		}
		if i == len(segs)-1 && strings.EqualFold(elem, "value") && attr == "" {
			return true
		}
	}
	return false
}

// Deviations reports what a decoded value of a generated type (a result, a
// request, any struct inside them) holds beyond its schema: required
// elements the server did not send, values kept as written because they
// could not be typed, and undeclared elements, attributes and text. It
// returns nil for a value that matches its schema, and for any value a
// program built.
//
// Decoding never fails on such content and never drops it: the typed
// fields show what could be typed (the zero value elsewhere) and encoding
// writes everything back as it came. Deviations is how a careful program
// tells "0" from "absent" or "garbage":
//
//	for _, d := range rpc.Deviations(&res[0]) {
//		log.Printf("server deviates from protocol %s: %s", plesk1691.ProtocolVersion, d)
//	}
//
// Value never shows a secret, since deviations end up in logs: the value
// at a path naming a secret (an element or attribute called password,
// passwd, ftp-password, secret, key, token, …, the names WithPacketLogging
// redacts, or anything inside one) and of a <value> is [REDACTED]; inside
// an undeclared element's XML such values are redacted by structure; and
// a value holding a credential of a Client of this process, in any
// spelling (see Secrets in the package doc), is withheld as a whole. The
// decoded value itself keeps everything, to be written back as it came.
func Deviations(v any) []Deviation {
	var out []Deviation
	g := liveCredentials()
	xmlstruct.Walk(v, func(d xmlstruct.Deviation) bool {
		k := DeviationKind(d.Kind)
		out = append(out, Deviation{Kind: k, Path: d.Path, Value: shownValue(k, d.Path, d.Value, g)})
		return true
	})
	return out
}

// MatchAll returns a filter of type F that selects every object, on
// purpose: one whose MatchAll field is set. Generated filter types (the
// types of <filter> elements) have that field, MatchAll bool, which is
// never written as XML: the filter goes out as an empty <filter/>, which
// Plesk reads as every object. An operation that changes state refuses a
// <filter> that would be written without a child element (a zero value, nil
// or empty slices, omitted values) unless its MatchAll is set, so that a
// forgotten field or an empty list of ids never deletes or moves
// everything; and it refuses a filter with MatchAll set that also selects
// by its fields. These are the same:
//
//	api.Webspace.Del(ctx, &plesk1691.WebspaceDel{Filter: rpc.MatchAll[plesk1691.DomainFilter]()})
//	api.Webspace.Del(ctx, &plesk1691.WebspaceDel{Filter: plesk1691.DomainFilter{MatchAll: true}})
//
// Because the field is exported, == and go-cmp tell such a request from
// one with a zero filter. For a type F without a MatchAll field MatchAll
// returns the zero value, which the guard refuses.
func MatchAll[F any]() F {
	var f F
	xmlstruct.SetMatchAll(&f)
	return f
}
