package model

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pleskgo/plesk/gen/bind"
	"github.com/pleskgo/plesk/gen/xsd"
)

// Options tune how the model is built.
type Options struct {
	Package string // Go package name
	Version string // protocol version for ProtocolVersion
	// Rename maps an XSD type name, an anonymous type's element path
	// ("customer/add/gen_info") or a field ("DomainFilterType.id",
	// "DomainFilterType.@attr") to the Go name to use instead, to resolve
	// two names that become the same Go identifier.
	Rename map[string]string
	// Bindings give Go types to elements the schema leaves untyped (see
	// gen/bind); nil leaves them raw XML.
	Bindings *bind.Bindings
	// Operations classify the operations (see gen/bind): each operation's
	// Access is its entry's. An operation without one, or with none given,
	// is Write; Package.Audit reports it.
	Operations *bind.Operations
}

// Build converts the request and the response closures into one package.
// Either set may be nil (a schema set with a single root).
func Build(req, resp *xsd.Set, opts Options) (*Package, error) {
	p := &Package{Name: opts.Package, Version: opts.Version}
	var sides []*sideBuilder
	for _, s := range []struct {
		side Side
		set  *xsd.Set
	}{{Request, req}, {Response, resp}} {
		if s.set == nil {
			continue
		}
		p.Roots = append(p.Roots, s.set.Root)
		b := newSideBuilder(s.side, s.set, opts.Rename)
		b.bindings = opts.Bindings
		b.build()
		sides = append(sides, b)
	}
	var errs []error
	for _, b := range sides {
		errs = append(errs, b.errs...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, b := range sides {
		for _, n := range b.notes {
			if !slices.Contains(p.Notes, n) {
				p.Notes = append(p.Notes, n)
			}
		}
	}
	var types []*Type
	if len(sides) == 2 {
		types = merge(sides[0].types, sides[1].types)
	} else if len(sides) == 1 {
		types = sides[0].types
		for _, t := range types {
			t.Side = Shared
		}
	}
	order := fileOrder(req, resp)
	sort.SliceStable(types, func(i, j int) bool {
		a, b := types[i].Source, types[j].Source
		if order[a.File] != order[b.File] {
			return order[a.File] < order[b.File]
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return types[i].Side < types[j].Side
	})
	p.Types = types
	for _, t := range types {
		if t.XMLName == "packet" {
			switch t.Side {
			case Request, Shared:
				if p.Request == nil {
					p.Request = t
				}
			case Response:
				p.Response = t
			}
		}
	}
	if p.Request != nil && p.Request.Side == Shared && p.Response == nil && resp != nil {
		p.Response = p.Request
	}
	p.Types = mergeEnums(p.Types)
	p.Operators = operators(p)
	for _, op := range p.Operators {
		for _, o := range op.Operations {
			if e := opts.Operations.Lookup(op.XMLName, o.XMLName); e != nil {
				o.Access = e.Access
			}
		}
	}
	if err := assignNames(p, opts.Rename); err != nil {
		return nil, err
	}
	if err := valueCycle(p.Types); err != nil {
		return nil, err
	}
	markExplicit(p.Types)
	markValidate(p.Types)
	markFilters(p.Types)
	return p, nil
}

// markFilters sets Filter on the struct types a request uses as a <filter>
// element: they get a MatchAll field, and a schema field of that name gets
// "_", as reserved method names do.
func markFilters(types []*Type) {
	for _, t := range types {
		if t.Side == Response {
			continue
		}
		for _, fd := range t.Fields {
			if fd.XMLName == "filter" && fd.Kind == ElementField && fd.Type.Named != nil && fd.Type.Named.Kind == Struct {
				fd.Type.Named.Filter = true
			}
		}
	}
	for _, t := range types {
		if !t.Filter {
			continue
		}
		for _, fd := range t.Fields {
			if fd.Name == "MatchAll" {
				fd.Name += "_"
			}
		}
	}
}

func fileOrder(sets ...*xsd.Set) map[string]int {
	order := map[string]int{}
	for _, s := range sets {
		if s == nil {
			continue
		}
		for _, f := range s.Files {
			if _, ok := order[f.Path]; !ok {
				order[f.Path] = len(order)
			}
		}
	}
	return order
}

// merge joins the request-side and response-side conversions of the same
// XSD definitions into one shared Go type wherever they came out identical,
// recursively: a type stays side-specific if anything it refers to does.
func merge(req, resp []*Type) []*Type {
	byKey := map[string]*Type{}
	for _, t := range req {
		byKey[t.key] = t
	}
	pair := map[*Type]*Type{} // response type -> request type
	for _, t := range resp {
		if r, ok := byKey[t.key]; ok {
			pair[t] = r
		}
	}
	for changed := true; changed; {
		changed = false
		for b, a := range pair {
			if !sameType(a, b, pair) {
				delete(pair, b)
				changed = true
			}
		}
	}
	out := make([]*Type, 0, len(req)+len(resp))
	out = append(out, req...)
	for _, t := range resp {
		if a, ok := pair[t]; ok {
			a.Side = Shared
			continue
		}
		out = append(out, t)
	}
	for _, t := range out {
		for _, f := range t.Fields {
			if a, ok := pair[f.Type.Named]; ok {
				f.Type.Named = a
			}
		}
	}
	return out
}

func sameType(a, b *Type, pair map[*Type]*Type) bool {
	if a.Kind != b.Kind || a.XMLName != b.XMLName || a.KeepsOrder != b.KeepsOrder || !slices.Equal(a.parts, b.parts) ||
		len(a.Fields) != len(b.Fields) || !slices.Equal(a.Values, b.Values) || len(a.Choices) != len(b.Choices) {
		return false
	}
	for i, f := range a.Fields {
		g := b.Fields[i]
		if f.Name != g.Name || f.Kind != g.Kind || f.XMLName != g.XMLName || f.XMLNS != g.XMLNS ||
			f.Min != g.Min || f.Max != g.Max || f.Required != g.Required || !sameString(f.Default, g.Default) {
			return false
		}
		ft, gt := f.Type, g.Type
		if ft.Scalar != gt.Scalar || ft.Empty != gt.Empty || ft.Raw != gt.Raw || (ft.Named == nil) != (gt.Named == nil) {
			return false
		}
		if gt.Named != nil && pair[gt.Named] != ft.Named {
			return false
		}
	}
	for i, c := range a.Choices {
		d := b.Choices[i]
		if c.Min != d.Min || len(c.Branches) != len(d.Branches) {
			return false
		}
		for j := range c.Branches {
			if len(c.Branches[j]) != len(d.Branches[j]) {
				return false
			}
		}
	}
	return true
}

func sameString(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// valueCycle reports a struct that contains itself through fields written
// as values (required single elements): Go cannot declare such a type, and
// no finite document matches the schema.
func valueCycle(types []*Type) error {
	const (
		unseen = iota
		active
		done
	)
	state := map[*Type]int{}
	var stack []*Type // the types being visited
	var path []*Field // path[i] leads from stack[i] to stack[i+1]
	var visit func(t *Type) error
	visit = func(t *Type) error {
		state[t] = active
		stack = append(stack, t)
		for _, f := range t.Fields {
			u := f.Type.Named
			if f.Kind != ElementField || !f.Required || f.Repeated() || u == nil || u.Kind != Struct {
				continue
			}
			path = append(path, f)
			switch state[u] {
			case active:
				i := slices.Index(stack, u)
				names := make([]string, 0, len(stack)-i+1)
				for _, c := range stack[i:] {
					names = append(names, c.Name)
				}
				names = append(names, u.Name)
				first := path[i]
				return &xsd.Error{Pos: first.Source, Msg: fmt.Sprintf(
					"element %q: type %s requires itself (%s): no finite document matches it; make an element of the cycle optional (minOccurs=\"0\")",
					first.XMLName, u.Name, strings.Join(names, " -> "))}
			case unseen:
				if err := visit(u); err != nil {
					return err
				}
			}
			path = path[:len(path)-1]
		}
		stack = stack[:len(stack)-1]
		state[t] = done
		return nil
	}
	for _, t := range types {
		if t.Kind == Struct && state[t] == unseen {
			if err := visit(t); err != nil {
				return err
			}
		}
	}
	return nil
}

// operators derives the operators and operations from the packet roots: an
// operator is an alternative of the request packet's repeating choice, an
// operation an alternative of the operator's.
func operators(p *Package) []*Operator {
	if p.Request == nil {
		return nil
	}
	var ops []*Operator
	for _, alt := range alternatives(p.Request) {
		ot := alt.Type.Named
		if ot == nil || ot.Kind != Struct {
			continue
		}
		field := alt.Name
		op := &Operator{Name: field + "Operator", Field: field, XMLName: alt.XMLName, Doc: firstNonEmpty(alt.Doc, ot.Doc), Input: ot}
		var respOp *Field
		if p.Response != nil {
			respOp = findAlt(p.Response, alt.XMLName)
		}
		if respOp != nil {
			op.Output = respOp.Type.Named
		}
		op.Operations = operations(alternatives(ot), op.Output, "", "")
		ops = append(ops, op)
	}
	return ops
}

// operations lists the operations among the request alternatives reqAlts,
// their results found in resp (the response operator's type). An operation
// whose answer holds no <result> but one element per alternative of its
// request (webspace/db-servers: add, remove, list) is a group: its
// alternatives become operations of their own, named after both levels and
// sent as "db-servers/add".
func operations(reqAlts []*Field, resp *Type, namePrefix, pathPrefix string) []*Operation {
	var out []*Operation
	for _, o := range reqAlts {
		operation := &Operation{Name: namePrefix + o.Name, XMLName: pathPrefix + o.XMLName, Doc: firstNonEmpty(o.Doc, docOf(o.Type)), Source: o.Source}
		switch {
		case o.Type.Named != nil:
			operation.Request = o.Type.Named
		case o.Type.Empty, o.Type.Raw:
			// An anyType operation (migration/get_fs) is sent empty,
			// which is how Plesk documents it.
			operation.RequestEmpty = true
		case o.Type.Scalar != "":
			operation.RequestScalar = o.Type.Scalar
		default:
			continue
		}
		var ro *Field
		if resp != nil {
			ro = findAlt(resp, o.XMLName)
		}
		if ro != nil && ro.Type.Named != nil {
			operation.Output = ro.Type.Named
			for _, f := range ro.Type.Named.Fields {
				if f.XMLName == "result" && f.Kind == ElementField {
					operation.Result = f.Type.Named
					operation.ResultScalar = f.Type.Scalar
					operation.ResultMax = f.Max
				}
			}
			if operation.Result == nil && operation.ResultScalar == "" && operation.Request != nil && pathPrefix == "" {
				if sub := operations(alternatives(operation.Request), ro.Type.Named, operation.Name, operation.XMLName+"/"); len(sub) > 0 && allAnswered(sub) {
					out = append(out, sub...)
					continue
				}
			}
		}
		out = append(out, operation)
	}
	return out
}

func allAnswered(ops []*Operation) bool {
	for _, o := range ops {
		if o.Result == nil && o.ResultScalar == "" {
			return false
		}
	}
	return true
}

func docOf(g GoType) string {
	if g.Named != nil {
		return g.Named.Doc
	}
	return ""
}

// alternatives returns the one-of alternatives of t's repeating group, or,
// when it has none, its element fields.
func alternatives(t *Type) []*Field {
	for _, f := range t.Fields {
		if f.Kind == ItemsField && f.Type.Named != nil {
			return f.Type.Named.Fields
		}
	}
	var out []*Field
	for _, f := range t.Fields {
		if f.Kind == ElementField {
			out = append(out, f)
		}
	}
	return out
}

func findAlt(t *Type, xmlName string) *Field {
	for _, f := range alternatives(t) {
		if f.XMLName == xmlName {
			return f
		}
	}
	return nil
}

// markExplicit finds the required elements whose schema default differs
// from what Go's zero value would send: they become pointers that Validate
// refuses to leave nil. Optional elements and attributes with a default are
// pointers already, and nil sends nothing, so Plesk applies the default.
func markExplicit(types []*Type) {
	for _, t := range types {
		if t.Kind != Struct {
			continue
		}
		for _, f := range t.Fields {
			f.Explicit = f.Kind == ElementField && f.Required && !f.Repeated() && !f.DefaultIsZero()
		}
	}
}

// markValidate decides which types get a Validate method: those with a
// constraint of their own and those holding such a type.
func markValidate(types []*Type) {
	for _, t := range types {
		t.validate = ownConstraints(t)
	}
	for changed := true; changed; {
		changed = false
		for _, t := range types {
			if t.validate {
				continue
			}
			for _, f := range t.Fields {
				if f.Type.Named != nil && f.Type.Named.validate {
					t.validate, changed = true, true
					break
				}
			}
		}
	}
}

func ownConstraints(t *Type) bool {
	switch t.Kind {
	case Enum, Items:
		return true
	}
	if len(t.Choices) > 0 {
		return true
	}
	for _, f := range t.Fields {
		if f.Explicit {
			return true
		}
		if f.Repeated() && f.Kind != AnyField && f.Kind != AnyAttrField && (f.Min > 0 || f.Max != xsd.Unbounded) {
			return true
		}
	}
	return false
}
