package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// tnode is one line of a published element tree (plesk-trees/FORMAT.md).
type tnode struct {
	kind     string // element, attribute, sequence, choice, all, any, anyAttribute
	name     string // element or attribute name
	min, max string // occurrence; max is "unbounded" for ∞
	label    string // "type", "base" or "anon" for elements and attributes
	typ      string // the type or base name of label type/base
	nillable bool
	abstract bool
	use      string // attribute: optional or required
	def      *string
	fixed    *string
	ns, pc   string // wildcards
	line     string // the line without indent
	kids     []*tnode

	sub string // the subtree below the line, memoized by subtree()
}

func (n *tnode) isCompositor() bool {
	return n.kind == "sequence" || n.kind == "choice" || n.kind == "all"
}

// subtree returns the lines below n, indented relative to n: two nodes with
// equal subtrees have equal content.
func (n *tnode) subtree() string {
	if n.sub == "" && len(n.kids) > 0 {
		var b strings.Builder
		var walk func(m *tnode, d int)
		walk = func(m *tnode, d int) {
			for _, k := range m.kids {
				b.WriteString(strings.Repeat("  ", d))
				b.WriteString(k.line)
				b.WriteByte('\n')
				walk(k, d+1)
			}
		}
		walk(n, 0)
		n.sub = b.String()
	}
	return n.sub
}

// readTree parses a published tree file into its depth-0 nodes.
func readTree(path string) ([]*tnode, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var roots []*tnode
	var stack []*tnode
	for i, raw := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		trimmed := strings.TrimLeft(raw, " ")
		d := (len(raw) - len(trimmed)) / 2
		n, err := parseLine(trimmed)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, i+1, err)
		}
		if d > len(stack) {
			return nil, fmt.Errorf("%s:%d: indented too deep", path, i+1)
		}
		stack = stack[:d]
		if d == 0 {
			roots = append(roots, n)
		} else {
			p := stack[d-1]
			p.kids = append(p.kids, n)
		}
		stack = append(stack, n)
	}
	return roots, nil
}

func parseOccurs(s string) (string, string, error) {
	if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") {
		return "", "", fmt.Errorf("bad occurrence %q", s)
	}
	lo, hi, ok := strings.Cut(s[1:len(s)-1], "..")
	if !ok {
		return "", "", fmt.Errorf("bad occurrence %q", s)
	}
	if hi == "∞" {
		hi = "unbounded"
	} else if _, err := strconv.Atoi(hi); err != nil {
		return "", "", fmt.Errorf("bad occurrence %q", s)
	}
	if _, err := strconv.Atoi(lo); err != nil {
		return "", "", fmt.Errorf("bad occurrence %q", s)
	}
	return lo, hi, nil
}

func parseLine(s string) (*tnode, error) {
	n := &tnode{line: s}
	f := strings.Fields(s)
	if len(f) == 0 {
		return nil, fmt.Errorf("empty line")
	}
	var err error
	switch {
	case f[0] == "(sequence)" || f[0] == "(choice)" || f[0] == "(all)":
		n.kind = strings.Trim(f[0], "()")
		if len(f) != 2 {
			return nil, fmt.Errorf("bad compositor line %q", s)
		}
		n.min, n.max, err = parseOccurs(f[1])
	case f[0] == "(any)":
		n.kind = "any"
		if len(f) != 4 {
			return nil, fmt.Errorf("bad wildcard line %q", s)
		}
		n.min, n.max, err = parseOccurs(f[1])
		n.ns = strings.TrimPrefix(f[2], "ns=")
		n.pc = strings.TrimPrefix(f[3], "pc=")
	case f[0] == "(anyAttribute)":
		n.kind = "anyAttribute"
		if len(f) != 3 {
			return nil, fmt.Errorf("bad wildcard line %q", s)
		}
		n.ns = strings.TrimPrefix(f[1], "ns=")
		n.pc = strings.TrimPrefix(f[2], "pc=")
	case strings.HasPrefix(f[0], "("):
		return nil, fmt.Errorf("unsupported line %q", s)
	case strings.HasPrefix(f[0], "@"):
		n.kind = "attribute"
		n.name = f[0][1:]
		if len(f) < 3 {
			return nil, fmt.Errorf("bad attribute line %q", s)
		}
		if err := n.setLabel(f[1]); err != nil {
			return nil, err
		}
		n.use = strings.TrimPrefix(f[2], "use=")
		for _, x := range f[3:] {
			switch {
			case strings.HasPrefix(x, "default="):
				v := strings.TrimPrefix(x, "default=")
				n.def = &v
			case strings.HasPrefix(x, "fixed="):
				v := strings.TrimPrefix(x, "fixed=")
				n.fixed = &v
			default:
				return nil, fmt.Errorf("bad attribute line %q", s)
			}
		}
	default:
		n.kind = "element"
		n.name = f[0]
		if len(f) < 3 {
			return nil, fmt.Errorf("bad element line %q", s)
		}
		n.min, n.max, err = parseOccurs(f[1])
		if err != nil {
			return nil, err
		}
		if err := n.setLabel(f[2]); err != nil {
			return nil, err
		}
		for _, x := range f[3:] {
			switch x {
			case "nillable":
				n.nillable = true
			case "abstract":
				n.abstract = true
			default:
				return nil, fmt.Errorf("bad element line %q", s)
			}
		}
	}
	return n, err
}

func (n *tnode) setLabel(s string) error {
	switch {
	case s == "anon":
		n.label = "anon"
	case strings.HasPrefix(s, "type="):
		n.label, n.typ = "type", strings.TrimPrefix(s, "type=")
	case strings.HasPrefix(s, "base="):
		n.label, n.typ = "base", strings.TrimPrefix(s, "base=")
	default:
		return fmt.Errorf("bad type label %q", s)
	}
	return nil
}

// operatorList returns the compositor that holds the packet's operators
// (the deepest compositor on packet's first compositor path that has
// element children) and the packet node.
func packetOf(roots []*tnode) *tnode {
	for _, r := range roots {
		if r.kind == "element" && r.name == "packet" {
			return r
		}
	}
	return nil
}

// operators calls f for every element of packet whose ancestors below
// packet are compositors only, with the compositor holding it.
func operators(packet *tnode, f func(parent *tnode, i int, op *tnode)) {
	var walk func(c *tnode)
	walk = func(c *tnode) {
		for i, k := range c.kids {
			switch {
			case k.kind == "element":
				f(c, i, k)
			case k.isCompositor():
				walk(k)
			}
		}
	}
	walk(packet)
}
