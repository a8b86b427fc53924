package bind

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/pleskgo/plesk/gen/xsd"
)

// Untyped is one element declaration the schema leaves untyped.
type Untyped struct {
	Decl *xsd.Element
	// Path is the first element path (in schema order) that reaches it;
	// Paths counts them all: a declaration inside a named type is reached
	// wherever the type is used.
	Path  string
	Paths int
	// Schema is how the schema leaves it untyped: "anyType" (no type or
	// xs:anyType) or "anySimpleType".
	Schema string
	Root   string // the root closure it was found in first
}

// FindUntyped lists the untyped element declarations reachable from the
// global elements of the sets, each once (by position), in the order the
// walk first reaches them.
func FindUntyped(sets ...*xsd.Set) []*Untyped {
	var out []*Untyped
	byPos := map[xsd.Pos]*Untyped{}
	for _, s := range sets {
		if s == nil {
			continue
		}
		walk(s, func(path []string, d *xsd.Element) {
			if !IsUntyped(d) {
				return
			}
			if u, ok := byPos[d.Pos]; ok {
				u.Paths++
				return
			}
			u := &Untyped{Decl: d, Path: strings.Join(path, "/"), Paths: 1, Schema: "anyType", Root: s.Root}
			if _, ok := d.Type.(*xsd.SimpleType); ok {
				u.Schema = "anySimpleType"
			}
			byPos[d.Pos] = u
			out = append(out, u)
		})
	}
	return out
}

// Audit returns the untyped elements of the sets that b neither types nor
// explains (a raw entry carries its reason, so every entry counts).
func Audit(b *Bindings, sets ...*xsd.Set) []*Untyped {
	var out []*Untyped
	for _, u := range FindUntyped(sets...) {
		if _, ok := b.Lookup(u.Decl); !ok {
			out = append(out, u)
		}
	}
	return out
}

// Draft writes entries for the given untyped elements as a customization
// file to complete. An element that known (see Reusable) decides gets that
// entry, its path, kind and reason, marked with the file it comes from;
// every other line has '?' for its kind, which Parse rejects until someone
// decides, and a comment saying where the element is declared and what
// the schema says of it. known may be nil.
func Draft(us []*Untyped, known *Bindings) string {
	type line struct{ path, kind, note string }
	var lines []line
	seen := map[string]bool{}
	for _, u := range us {
		if bd, ok := known.Lookup(u.Decl); ok {
			if !seen[bd.Entry.Path] {
				seen[bd.Entry.Path] = true
				note := "as in " + known.File.Name
				if bd.Reason != "" {
					note = bd.Reason + " (" + note + ")"
				}
				lines = append(lines, line{bd.Entry.Path, bd.Kind.String(), note})
			}
			continue
		}
		note := fmt.Sprintf("%s, %s", u.Schema, u.Decl.Pos)
		if u.Paths > 1 {
			note += fmt.Sprintf(", reached by %d paths", u.Paths)
		}
		if doc := oneLine(u.Decl.Doc); doc != "" {
			note += ": " + doc
		}
		lines = append(lines, line{u.Path, "?", note})
	}
	sort.SliceStable(lines, func(i, j int) bool {
		if (lines[i].kind == "?") != (lines[j].kind == "?") {
			return lines[i].kind != "?" // the reusable decisions first
		}
		return lines[i].path < lines[j].path
	})
	pw, kw := 0, 0
	for _, l := range lines {
		pw, kw = max(pw, len(l.path)), max(kw, len(l.kind))
	}
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "%-*s  %-*s  # %s\n", pw, l.path, kw, l.kind, l.note)
	}
	return b.String()
}

// oneLine shortens documentation to one line of at most about 100 bytes,
// cut at a blank where there is one.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= 100 {
		return s
	}
	cut := strings.LastIndex(s[:100], " ")
	if cut < 50 {
		cut = 100
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return s[:cut] + " ..."
}
