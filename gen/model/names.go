package model

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pleskgo/plesk/gen/naming"
	"github.com/pleskgo/plesk/gen/xsd"
)

// reservedIdents are the package-level names the emitter defines itself.
var reservedIdents = []string{"Client", "New", "ProtocolVersion"}

// ClashError reports two definitions whose Go names collide. First is zero
// and FirstName empty when the name is one the generator defines itself.
type ClashError struct {
	GoName      string
	First, Then xsd.Pos
	FirstName   string
	ThenName    string
	// What says what ThenName is: "type" for a named XSD type, "element"
	// for the anonymous type of an element path.
	What string
}

func (e *ClashError) Error() string {
	what := e.What
	if what == "" {
		what = "type"
	}
	used := "a name the generator defines itself"
	if e.FirstName != "" {
		used = fmt.Sprintf("type %q at %s", e.FirstName, e.First)
	}
	return fmt.Sprintf("%s: %s %q becomes Go type %s, already used by %s; resolve it with -rename %s=OtherName",
		e.Then, what, e.ThenName, e.GoName, used, e.ThenName)
}

// role is one place of the protocol's fixed structure a type fills: the
// operator element of a request or response, an operation's request, the
// operation element of a response, or a <result>.
type role struct {
	t        *Type
	name     string // the path name, e.g. "CustomerGet"
	base     string // what the names of its anonymous children start with
	path     string // element path, e.g. "customer/get"
	operator *Operator
	alias    bool    // a signature type: gets an alias when t is named otherwise
	set      *string // where the signature name is recorded
}

// namer assigns every Go name of a package; see assignNames.
type namer struct {
	p      *Package
	rename map[string]string
	taken  map[string]*Type // nil for the generator's own identifiers
	base   map[*Type]string // the start of the names of anonymous children
	errs   []error
}

// assignNames gives every type, alias and enum constant a Go name, by the
// rules of gen/naming's package documentation: the packets, then the types
// that fill a role of the protocol by their path, then named XSD types by
// their name, then anonymous types by their owner's name and element, then
// the constants. A clash that no rule resolves is an error naming both
// places and the -rename entry that resolves it.
func assignNames(p *Package, rename map[string]string) error {
	n := &namer{p: p, rename: rename, taken: map[string]*Type{}, base: map[*Type]string{}}
	for _, id := range reservedIdents {
		n.taken[id] = nil
	}
	for _, op := range p.Operators {
		n.taken[op.Name] = nil
	}
	if p.Request != nil {
		n.claim(p.Request, "RequestPacket")
		n.base[p.Request] = ""
	}
	if p.Response != nil && p.Response != p.Request {
		n.claim(p.Response, "ResponsePacket")
		n.base[p.Response] = ""
	}
	n.roles() // names the named XSD types too, before the aliases
	n.anonymousTypes()
	n.enumConsts()
	return errors.Join(n.errs...)
}

func (n *namer) claim(t *Type, name string) bool {
	if _, used := n.taken[name]; used {
		return false
	}
	n.taken[name] = t
	t.Name = name
	return true
}

func (n *namer) clash(t *Type, name string) {
	other := n.taken[name]
	e := &ClashError{GoName: name, Then: t.Source, ThenName: t.XSDName()}
	if e.ThenName == "" {
		e.ThenName, e.What = t.XSDPath(), "element"
	}
	if other != nil {
		e.First, e.FirstName = other.Source, other.XSDName()
		if e.FirstName == "" {
			e.FirstName = other.XSDPath()
		}
	}
	n.errs = append(n.errs, e)
	t.Name = name // keep going: later names depend on it
}

// callName is the name of an operator element in a request: the operator
// and "Call", unless an operation of the operator is itself named call
// (<extension><call>), whose request takes that name: the operator element
// is then the operator and "Operations".
func callName(op *Operator) string {
	name := op.Field + naming.CallSuffix
	for _, o := range op.Operations {
		if naming.Join(op.Field, o.Name) == name {
			return op.Field + "Operations"
		}
	}
	return name
}

// roles lists the protocol roles in operator and operation order.
func (n *namer) roleList() []*role {
	var out []*role
	for _, op := range n.p.Operators {
		if op.Input != nil {
			out = append(out, &role{t: op.Input, name: callName(op), base: op.Field, path: op.XMLName, operator: op})
		}
		if op.Output != nil {
			out = append(out, &role{t: op.Output, name: op.Field + naming.ReplySuffix, base: op.Field, path: op.XMLName, operator: op})
		}
		for _, o := range op.Operations {
			name := naming.Join(op.Field, o.Name)
			path := op.XMLName + "/" + o.XMLName
			o.RequestName = name
			if o.Request != nil {
				out = append(out, &role{t: o.Request, name: name, base: name, path: path, operator: op, alias: true, set: &o.RequestName})
			}
			if o.Output != nil {
				out = append(out, &role{t: o.Output, name: name + naming.ReplySuffix, base: name + naming.ReplySuffix, path: path, operator: op})
			}
			if o.Result != nil {
				res := name + naming.ResultSuffix
				out = append(out, &role{t: o.Result, name: res, base: res, path: path + "/result", operator: op, alias: true, set: &o.ResultName})
			}
		}
	}
	return out
}

// roles names the types that fill protocol roles. An anonymous type takes
// the path name of its role. A named XSD type does too when every use of
// it is a role of one operator (the first role gives the name); one used
// elsewhere, or by several operators, keeps its XSD name, and the
// signature names of its request and result roles become aliases.
func (n *namer) roles() {
	roles := n.roleList()
	uses := map[*Type]int{}
	for _, t := range n.p.Types {
		for _, f := range t.Fields {
			if f.Type.Named != nil {
				uses[f.Type.Named]++
			}
		}
	}
	byType := map[*Type][]*role{}
	var order []*Type
	for _, r := range roles {
		if _, ok := byType[r.t]; !ok {
			order = append(order, r.t)
		}
		byType[r.t] = append(byType[r.t], r)
	}
	for _, t := range order {
		rs := byType[t]
		if t.Name != "" { // a packet
			continue
		}
		if t.named {
			if r, ok := n.rename[t.XSDName()]; ok {
				if !n.claim(t, r) {
					n.clash(t, r)
				}
				continue
			}
			if uses[t] != len(rs) || !oneOperator(rs) {
				continue // keeps its XSD name (namedTypes)
			}
		}
		r := rs[0]
		if !n.claim(t, r.name) {
			n.clash(t, r.name)
			continue
		}
		n.base[t] = r.base
	}
	// Named types that keep their XSD name get it before the aliases are
	// handed out, so that an alias never takes a type's name.
	n.namedTypes()
	for _, r := range roles {
		if r.set == nil {
			continue
		}
		*r.set = r.t.Name
		if !r.alias || r.t.Name == r.name {
			continue
		}
		if other, used := n.taken[r.name]; used {
			if other == r.t {
				*r.set = r.name
				continue
			}
			n.clash(&Type{Source: r.t.Source, parts: strings.Split(r.path, "/")}, r.name)
			continue
		}
		n.taken[r.name] = r.t
		n.p.Aliases = append(n.p.Aliases, &Alias{Name: r.name, Target: r.t, Path: r.path})
		*r.set = r.name
	}
}

func oneOperator(rs []*role) bool {
	for _, r := range rs[1:] {
		if r.operator != rs[0].operator {
			return false
		}
	}
	return true
}

// namedTypes names the named XSD types without a role name by
// naming.TypeName, or by the -rename entry for their XSD name. A name
// already taken falls back to the XSD name as written (with its "Type"),
// then, for the response version of a type that differs between the
// sides, to that name with "Reply"; a clash that remains is an error.
func (n *namer) namedTypes() {
	for _, t := range n.p.Types {
		if t.Name != "" || !t.named || t.Kind == Items {
			continue
		}
		xsdName := t.XSDName()
		if r, ok := n.rename[xsdName]; ok {
			if !n.claim(t, r) {
				n.clash(t, r)
			}
			continue
		}
		name := naming.TypeName(xsdName, t.Kind == Enum)
		if n.claim(t, name) || n.claim(t, naming.Exported(xsdName)) {
			continue
		}
		if other := n.taken[name]; t.Side == Response && other != nil && other.XSDName() == xsdName && n.claim(t, name+naming.ReplySuffix) {
			continue
		}
		n.clash(t, name)
	}
}

// anonymousTypes names the anonymous types after the type that holds them
// and the element (or attribute) that does: CustomerAdd + gen_info ->
// CustomerAddGenInfo; an ordered group's item type after its struct
// (CustomerInputItem). Owners are named first, so this runs to a fixed
// point. A global element's type takes the element's name.
func (n *namer) anonymousTypes() {
	owner := map[*Type]*Type{}
	field := map[*Type]*Field{}
	for _, o := range n.p.Types {
		for _, f := range o.Fields {
			if u := f.Type.Named; u != nil && (!u.named || u.Kind == Items) {
				// A merged enumeration has several owners: a named
				// type's name is the more general one to build on.
				if prev, ok := owner[u]; !ok || (!prev.named && o.named && u.Kind == Enum) {
					owner[u], field[u] = o, f
				}
			}
		}
	}
	for progress := true; progress; {
		progress = false
		for _, t := range n.p.Types {
			if t.Name != "" || (t.named && t.Kind != Items) {
				continue
			}
			o := owner[t]
			var name string
			switch {
			case t.Kind == Items:
				if o == nil || o.Name == "" {
					if o != nil {
						continue
					}
					name = joinExported(t.parts)
				} else {
					name = o.Name + t.parts[len(t.parts)-1]
					n.base[t] = n.baseOf(o)
				}
			case o == nil || t.XMLName != "":
				name = joinExported(t.parts)
			case o.Name == "":
				continue
			default:
				elem := field[t].XMLName
				if field[t].Kind == TextField {
					elem = "value"
				}
				name = naming.Join(n.baseOf(o), elem)
				if r, ok := n.rename[t.XSDPath()]; ok {
					name = r
				} else if _, used := n.taken[name]; used && t.Side == Response {
					name = naming.Join(naming.Join(n.baseOf(o), "reply"), elem)
				}
			}
			progress = true
			if !n.claim(t, name) {
				n.clash(t, name)
			}
		}
	}
	for _, t := range n.p.Types {
		if t.Name == "" { // unreachable from any named owner (a cycle of anonymous types)
			if name := joinExported(t.parts); !n.claim(t, name) {
				n.clash(t, name)
			}
		}
	}
}

func (n *namer) baseOf(t *Type) string {
	if b, ok := n.base[t]; ok {
		return b
	}
	return t.Name
}

// enumConsts names the constants of every enumeration: the type's name and
// the value's words (naming.EnumConst). Two values with the same words
// ("a-b", "a_b") are told apart by spelling their symbols
// (naming.EnumConstSymbols); values alike even then are an error.
func (n *namer) enumConsts() {
	for _, t := range n.p.Types {
		if t.Kind != Enum {
			continue
		}
		for i := range t.Values {
			v := t.Values[i].Value
			name := naming.EnumConst(t.Name, v)
			if _, used := n.taken[name]; used {
				name = naming.EnumConstSymbols(t.Name, v)
			}
			if other, used := n.taken[name]; used {
				where := "another constant"
				if other != nil && other != t {
					where = "type " + other.Name
				}
				n.errs = append(n.errs, &xsd.Error{Pos: t.Source, Msg: fmt.Sprintf(
					"enumeration %s: value %q becomes constant %s, already used by %s; resolve it with -rename %s=OtherName",
					t.Name, v, name, where, firstNonEmpty(t.XSDName(), t.XSDPath()))})
			}
			n.taken[name] = t
			t.Values[i].Name = name
		}
	}
}

func joinExported(parts []string) string {
	return naming.Path(parts...)
}

// mergeEnums makes identical enumerations one type: an enumeration whose
// values (in order) equal those of an earlier one is replaced by it
// everywhere. A named enumeration is preferred to an anonymous one, so the
// type keeps a schema name when it has one; among equals the first in
// document order wins.
func mergeEnums(types []*Type) []*Type {
	canon := map[string]*Type{}
	for _, t := range types {
		if t.Kind == Enum && t.named {
			if _, ok := canon[enumKey(t)]; !ok {
				canon[enumKey(t)] = t
			}
		}
	}
	repl := map[*Type]*Type{}
	for _, t := range types {
		if t.Kind != Enum {
			continue
		}
		if t.named && canon[enumKey(t)] == t {
			continue
		}
		k := enumKey(t)
		if c, ok := canon[k]; ok {
			repl[t] = c
			if c.Side != t.Side {
				c.Side = Shared
			}
			continue
		}
		canon[k] = t
	}
	if len(repl) == 0 {
		return types
	}
	for _, t := range types {
		for _, f := range t.Fields {
			if c, ok := repl[f.Type.Named]; ok {
				f.Type.Named = c
			}
		}
	}
	return slices.DeleteFunc(types, func(t *Type) bool { _, gone := repl[t]; return gone })
}

func enumKey(t *Type) string {
	var b strings.Builder
	for _, v := range t.Values {
		b.WriteString(v.Value)
		b.WriteByte(0)
	}
	return b.String()
}
