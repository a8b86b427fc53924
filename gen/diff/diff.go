// Package diff compares two versions of a Plesk schema set at the level a
// user of the bindings sees: operators, operations, and the elements,
// attributes and wildcards below them, identified by path, with their
// occurrence, type label, compositor context and enumeration values, on the
// request side and on the response side.
//
// The comparison runs on the expanded element trees of gen/xsd (the form of
// the published plesk-trees, FORMAT.md), so a change is reported where a
// packet changes, whatever schema file or named type it comes from. Each
// change is classified as breaking or not by the side it is on:
//
//   - request (a client writes, Plesk reads): a removed operator, operation,
//     element, attribute or wildcard; an element or attribute that is newly
//     required (added with minOccurs ≥ 1 / use="required" in a context that
//     existed before, or whose minOccurs rose from 0 / use became required);
//     fewer occurrences allowed; a narrowed enumeration (values removed, or
//     an enumeration where there was none).
//   - response (Plesk writes, a client reads): a removed element, attribute
//     or wildcard; a widened enumeration (values added, or no enumeration
//     where there was one).
//
// Everything else (additions a client may ignore, type renames, moves
// between compositors) is reported but not breaking. A change of type label
// is reported, not judged: the new type may accept more or less.
package diff

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/pleskgo/plesk/gen/xsd"
)

// Side is the packet a change is in.
type Side int

const (
	Request  Side = iota // the request packet (agent_input)
	Response             // the response packet (agent_output)
)

func (s Side) String() string {
	if s == Response {
		return "response"
	}
	return "request"
}

// Kind says what happened to a node between the versions.
type Kind int

const (
	Added   Kind = iota // in the new version only
	Removed             // in the old version only
	Changed             // in both, described differently
)

func (k Kind) String() string {
	switch k {
	case Added:
		return "added"
	case Removed:
		return "removed"
	}
	return "changed"
}

// Sign is the one-character mark of k in text output: +, - or ~.
func (k Kind) Sign() string {
	switch k {
	case Added:
		return "+"
	case Removed:
		return "-"
	}
	return "~"
}

// PacketGroup is the Group of the packet element itself and of its own
// attributes.
const PacketGroup = "packet"

// Decl is a node as one version has it.
type Decl struct {
	// Node is the kind of tree line: xsd.NodeElement, NodeAttribute,
	// NodeAny or NodeAnyAttribute.
	Node xsd.NodeKind
	// Shape is what the tree line prints after the name: occurrence, type
	// label and flags ("[0..1] type=boolean", "type=string use=required",
	// "[0..∞] ns=##any pc=lax").
	Shape  string
	Occurs xsd.Occurs // element or (any); zero for attributes
	Use    xsd.Use    // attribute
	// Via is the chain of compositors between the parent element and the
	// node, outermost first ("(sequence) [1..1] > (choice) [1..∞]"); empty
	// for attributes and global elements.
	Via string
	// Enum is the enumeration of the node's simple type (or simple
	// content), in document order; nil when the values are not enumerated.
	Enum []string
	// Pos is where the node is declared, relative to the schema directory.
	Pos xsd.Pos
}

// Describe returns the node as the lines of plesk-trees/CHANGES.txt write
// it: the shape, then "  via " and the compositor chain when there is one.
func (d *Decl) Describe() string {
	if d.Via == "" {
		return d.Shape
	}
	return d.Shape + "  via " + d.Via
}

// Change is one difference between two versions of a schema set.
type Change struct {
	Side Side
	// Group is what the change falls under: the packet child element
	// (an operator such as "webspace", or request-settings, system, …),
	// PacketGroup for the packet element and its attributes, or the name
	// of another global element.
	Group string
	// Path names the node: element names from the operator down, an
	// attribute as @name, a wildcard as (any) or (anyAttribute), e.g.
	// "webspace/add/prefs/icp-status", "packet/@version". Paths below the
	// packet element leave out "packet/". A name that occurs more than once
	// under the same element (in two branches of a choice) is numbered
	// from its second occurrence: "id#2".
	Path string
	Kind Kind
	// Old and New are the node in each version; Old is nil when Added, New
	// when Removed.
	Old, New *Decl
	// EnumAdded and EnumRemoved are the enumeration values only the new or
	// only the old version has, when both enumerate (see Decl.Enum).
	EnumAdded, EnumRemoved []string
	// Breaking says the change breaks clients (request) or readers
	// (response); Reason says why in a few words.
	Breaking bool
	Reason   string

	seq int // depth-first order of discovery
}

// Line returns the change in the notation of plesk-trees/CHANGES.txt: for
// an addition "+ PATH  SHAPE  via CHAIN", for a removal the same with "-",
// for a change "~ PATH: OLD  ->  NEW" where OLD and NEW are Decl.Describe.
// A change of enumeration adds "enumeration: …" to a ~ line.
func (c *Change) Line() string {
	switch c.Kind {
	case Added:
		return "+ " + c.Path + "  " + c.New.Describe()
	case Removed:
		return "- " + c.Path + "  " + c.Old.Describe()
	}
	var parts []string
	if o, n := c.Old.Describe(), c.New.Describe(); o != n {
		parts = append(parts, o+"  ->  "+n)
	}
	if e := c.enumText(); e != "" {
		parts = append(parts, e)
	}
	return "~ " + c.Path + ": " + strings.Join(parts, "; ")
}

// StructureChanged reports whether the change is visible in the element
// trees: an addition, a removal, or a different shape or compositor chain
// (and not only a different enumeration).
func (c *Change) StructureChanged() bool {
	return c.Kind != Changed || c.Old.Describe() != c.New.Describe()
}

func (c *Change) enumText() string {
	o, n := c.Old.Enum, c.New.Enum
	switch {
	case o == nil && n == nil:
		return ""
	case o == nil:
		return "enumeration: now one of " + quoteAll(n, "", ", ")
	case n == nil:
		return "enumeration: no longer restricted (was " + quoteAll(o, "", ", ") + ")"
	}
	if len(c.EnumAdded) == 0 && len(c.EnumRemoved) == 0 {
		return ""
	}
	var parts []string
	if len(c.EnumAdded) > 0 {
		parts = append(parts, quoteAll(c.EnumAdded, "+", " "))
	}
	if len(c.EnumRemoved) > 0 {
		parts = append(parts, quoteAll(c.EnumRemoved, "-", " "))
	}
	return "enumeration: " + strings.Join(parts, " ")
}

func quoteAll(vals []string, prefix, sep string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = prefix + quote(v)
	}
	return strings.Join(q, sep)
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// Compare compares the trees of one side of two versions (each as returned
// by xsd.Expand) and returns the changes sorted by Sort.
func Compare(side Side, old, new []*xsd.Node) []Change {
	c := &comparer{side: side}
	c.level(rootMembers(old), rootMembers(new), "", "", roleGlobal)
	Sort(c.out)
	return c.out
}

// CompareSets compares two versions of a schema set: the first set of each
// is the request root's closure, the second (if any) the response root's.
// It expands each set.
func CompareSets(old, new []*xsd.Set) []Change {
	var out []Change
	for i := 0; i < len(old) || i < len(new); i++ {
		var o, n []*xsd.Node
		if i < len(old) && old[i] != nil {
			o = xsd.Expand(old[i])
		}
		if i < len(new) && new[i] != nil {
			n = xsd.Expand(new[i])
		}
		side := Request
		if i > 0 {
			side = Response
		}
		out = append(out, Compare(side, o, n)...)
	}
	Sort(out)
	return out
}

// Sort orders changes for reading: by group (PacketGroup first, then by
// name), side (request first), kind (added, removed, changed), then in
// the order of the trees.
func Sort(cs []Change) {
	slices.SortStableFunc(cs, func(a, b Change) int {
		return cmp.Or(
			cmp.Compare(groupRank(a.Group), groupRank(b.Group)),
			cmp.Compare(a.Group, b.Group),
			cmp.Compare(a.Side, b.Side),
			cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.seq, b.seq),
		)
	})
}

func groupRank(g string) int {
	if g == PacketGroup {
		return 0
	}
	return 1
}

// member is a node seen from its parent element: an element or (any)
// reached through compositors, or an attribute or (anyAttribute).
type member struct {
	key  string // unique among the parent's members
	name string // key without the #n suffix
	node *xsd.Node
	via  []*xsd.Node // compositors from the parent's content down to node
}

// members lists the members of element n in tree order.
func members(n *xsd.Node) []member {
	var out []member
	var walk func(c *xsd.Node, via []*xsd.Node)
	walk = func(c *xsd.Node, via []*xsd.Node) {
		switch c.Kind {
		case xsd.NodeSequence, xsd.NodeChoice, xsd.NodeAll:
			v := append(slices.Clip(via), c)
			for _, cc := range c.Children {
				walk(cc, v)
			}
		case xsd.NodeElement, xsd.NodeAttribute, xsd.NodeAny, xsd.NodeAnyAttribute:
			out = append(out, member{name: nodeName(c), node: c, via: via})
		}
		// (LOOP) and (TRUNCATED) lines have nothing to compare.
	}
	for _, c := range n.Children {
		walk(c, nil)
	}
	return numbered(out)
}

func rootMembers(roots []*xsd.Node) []member {
	var out []member
	for _, r := range roots {
		out = append(out, member{name: nodeName(r), node: r})
	}
	return numbered(out)
}

// numbered sets the keys of ms: the name, with #n from its nth occurrence on.
func numbered(ms []member) []member {
	seen := map[string]int{}
	for i := range ms {
		seen[ms[i].name]++
		ms[i].key = ms[i].name
		if k := seen[ms[i].name]; k > 1 {
			ms[i].key += "#" + strconv.Itoa(k)
		}
	}
	return ms
}

func nodeName(n *xsd.Node) string {
	switch n.Kind {
	case xsd.NodeElement:
		return n.Name.Local
	case xsd.NodeAttribute:
		return "@" + n.Name.Local
	}
	return "(" + n.Kind.String() + ")"
}

type comparer struct {
	side Side
	seq  int
	out  []Change
}

func (c *comparer) add(ch Change) {
	ch.Side = c.side
	ch.seq = c.seq
	c.seq++
	c.out = append(c.out, ch)
}

// role is what an element is in the packet structure.
type role int

const (
	roleGlobal   role = iota // the (pseudo) parent of the global elements
	rolePacket               // the packet element: its child elements start the groups
	roleOperator             // a child element of packet: its child elements are operations
	roleOther
)

// level compares the members of one element in both versions. parentPath,
// group and parent are those of the element.
func (c *comparer) level(oldMs, newMs []member, parentPath, group string, parent role) {
	oldBy := map[string]member{}
	for _, m := range oldMs {
		oldBy[m.key] = m
	}
	newBy := map[string]member{}
	for _, m := range newMs {
		newBy[m.key] = m
	}
	// where returns the path and group of member m, and its role.
	where := func(m member) (path, grp string, r role) {
		elem := m.node.Kind == xsd.NodeElement
		switch {
		case parent == roleGlobal && m.key == "packet":
			return m.key, PacketGroup, rolePacket
		case parent == roleGlobal:
			return m.key, m.key, roleOther
		case parent == rolePacket && elem:
			return m.key, m.key, roleOperator
		}
		return parentPath + "/" + m.key, group, roleOther
	}
	for _, m := range newMs {
		path, grp, r := where(m)
		om, ok := oldBy[m.key]
		if !ok {
			ch := Change{Group: grp, Path: path, Kind: Added, New: decl(m)}
			c.classifyAdded(&ch, m, oldBy)
			c.add(ch)
			continue
		}
		od, nd := decl(om), decl(m)
		if od.Describe() != nd.Describe() || (od.Enum == nil) != (nd.Enum == nil) || !sameSet(od.Enum, nd.Enum) {
			ch := Change{Group: grp, Path: path, Kind: Changed, Old: od, New: nd}
			ch.EnumAdded = minus(nd.Enum, od.Enum)
			ch.EnumRemoved = minus(od.Enum, nd.Enum)
			c.classifyChanged(&ch)
			c.add(ch)
		}
		if m.node.Kind == xsd.NodeElement {
			c.level(members(om.node), members(m.node), path, grp, r)
		}
	}
	for _, m := range oldMs {
		if _, ok := newBy[m.key]; ok {
			continue
		}
		path, grp, r := where(m)
		ch := Change{Group: grp, Path: path, Kind: Removed, Old: decl(m)}
		c.classifyRemoved(&ch, r, parent)
		c.add(ch)
	}
}

// decl describes member m.
func decl(m member) *Decl {
	n := m.node
	d := &Decl{Node: n.Kind, Occurs: n.Occurs, Use: n.Use, Pos: n.Pos}
	line := n.String()
	switch n.Kind {
	case xsd.NodeElement, xsd.NodeAttribute:
		d.Shape = strings.TrimSpace(strings.TrimPrefix(line, nodeNamePrinted(n)))
		d.Enum = enumValues(n.Type)
	default: // "(any) [0..∞] ns=##any pc=lax"
		_, d.Shape, _ = strings.Cut(line, ") ")
	}
	if n.Kind != xsd.NodeElement && n.Kind != xsd.NodeAny {
		d.Occurs = xsd.Occurs{}
	}
	vias := make([]string, len(m.via))
	for i, v := range m.via {
		vias[i] = v.String()
	}
	d.Via = strings.Join(vias, " > ")
	return d
}

// nodeNamePrinted is the name as the tree line of n starts with.
func nodeNamePrinted(n *xsd.Node) string {
	if n.Kind == xsd.NodeAttribute {
		return "@" + n.Name.Local
	}
	return n.Name.Local
}

// classifyAdded decides whether an addition breaks. On the request side a
// required element breaks clients when it is required in a context that
// existed before, which old requests use without it: its parent, or a
// group or choice branch that has old members. A new alternative of an
// existing choice, or anything in a new optional group, breaks nothing. A
// new required attribute breaks clients.
func (c *comparer) classifyAdded(ch *Change, m member, oldBy map[string]member) {
	if c.side != Request {
		return
	}
	n := m.node
	switch {
	case n.Kind == xsd.NodeAttribute && n.Use == xsd.UseRequired:
		ch.Breaking, ch.Reason = true, "newly required attribute"
		return
	case n.Kind != xsd.NodeElement || m.via == nil || n.Occurs.Min == 0:
		return // optional, a wildcard, or a global element
	}
	if requiredInOldContext(n, m.via, oldBy) {
		ch.Breaking, ch.Reason = true, "newly required element"
	}
}

// requiredInOldContext walks up from the new required element n through
// the compositors via (outermost first) and reports whether old documents
// that satisfy the old content now lack n. oldBy holds the old parent's
// members.
func requiredInOldContext(n *xsd.Node, via []*xsd.Node, oldBy map[string]member) bool {
	// existed reports whether compositor x holds a member the old parent had.
	existed := func(x *xsd.Node) bool {
		found := false
		var walk func(*xsd.Node)
		walk = func(y *xsd.Node) {
			switch y.Kind {
			case xsd.NodeSequence, xsd.NodeChoice, xsd.NodeAll:
				for _, z := range y.Children {
					walk(z)
				}
			case xsd.NodeElement, xsd.NodeAny:
				_, ok := oldBy[nodeName(y)]
				found = found || ok
			}
		}
		walk(x)
		return found
	}
	child := n
	for i := len(via) - 1; i >= 0; i-- {
		comp := via[i]
		switch {
		case child != n && existed(child):
			return true // a group old documents use now requires n
		case child.Occurs.Min == 0:
			return false // a new optional group
		case comp.Kind == xsd.NodeChoice && existed(comp):
			return false // a new alternative of an old choice
		}
		child = comp
	}
	// child is the parent's content model; the parent existed before.
	return existed(child) || child.Occurs.Min > 0
}

// classifyRemoved: a removal breaks on both sides. r is the role of the
// removed node, parent its parent's.
func (c *comparer) classifyRemoved(ch *Change, r, parent role) {
	what := "element"
	switch {
	case ch.Old.Node == xsd.NodeAttribute:
		what = "attribute"
	case ch.Old.Node != xsd.NodeElement:
		what = "wildcard"
	case r == roleOperator:
		what = "operator"
	case parent == roleOperator:
		what = "operation"
	}
	ch.Breaking, ch.Reason = true, "removed "+what
}

func (c *comparer) classifyChanged(ch *Change) {
	o, n := ch.Old, ch.New
	var why []string
	if c.side == Request {
		switch o.Node {
		case xsd.NodeElement, xsd.NodeAny:
			if o.Occurs.Min == 0 && n.Occurs.Min > 0 && o.Node == xsd.NodeElement {
				why = append(why, "newly required element")
			}
			if maxLess(n.Occurs.Max, o.Occurs.Max) {
				why = append(why, "fewer occurrences allowed")
			}
		case xsd.NodeAttribute:
			if o.Use != xsd.UseRequired && n.Use == xsd.UseRequired {
				why = append(why, "newly required attribute")
			}
		}
		if n.Enum != nil && (o.Enum == nil || len(ch.EnumRemoved) > 0) {
			why = append(why, "narrowed enumeration")
		}
	} else if o.Enum != nil && (n.Enum == nil || len(ch.EnumAdded) > 0) {
		why = append(why, "widened enumeration")
	}
	if len(why) > 0 {
		ch.Breaking, ch.Reason = true, strings.Join(why, "; ")
	}
}

// maxLess reports a < b for maxOccurs values (xsd.Unbounded is infinite).
func maxLess(a, b int) bool {
	if a == xsd.Unbounded {
		return false
	}
	return b == xsd.Unbounded || a < b
}

// enumValues returns the enumeration that constrains the values of type t,
// nil when they are not enumerated.
func enumValues(t xsd.Type) []string {
	return enumOf(t, 0)
}

func enumOf(t xsd.Type, depth int) []string {
	if depth > 100 {
		return nil
	}
	switch t := t.(type) {
	case *xsd.SimpleType:
		if t == nil {
			return nil
		}
		switch t.Variety {
		case xsd.Atomic:
			es := t.EffectiveFacets().Enumerations
			if es == nil {
				return nil
			}
			out := make([]string, 0, len(es))
			for _, e := range es {
				if !slices.Contains(out, e.Value) {
					out = append(out, e.Value)
				}
			}
			return out
		case xsd.Union:
			// Enumerated only when every member is.
			var out []string
			for _, m := range t.MemberTypes {
				vals := enumOf(m, depth+1)
				if vals == nil {
					return nil
				}
				for _, v := range vals {
					if !slices.Contains(out, v) {
						out = append(out, v)
					}
				}
			}
			return out
		}
	case *xsd.ComplexType:
		if t == nil {
			return nil
		}
		if r := t.SimpleRestriction; r != nil && r.Facets.Enumerations != nil {
			return enumOf(r, depth+1)
		}
		if t.SimpleContent && t.BaseType != nil {
			return enumOf(t.BaseType, depth+1)
		}
	}
	return nil
}

// minus returns the values of a that are not in b, in a's order.
func minus(a, b []string) []string {
	if a == nil || b == nil {
		return nil
	}
	var out []string
	for _, v := range a {
		if !slices.Contains(b, v) {
			out = append(out, v)
		}
	}
	return out
}

func sameSet(a, b []string) bool {
	return len(minus(a, b)) == 0 && len(minus(b, a)) == 0
}
