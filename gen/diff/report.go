package diff

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strconv"

	"github.com/pleskgo/plesk/gen/xsd"
)

// Report is the comparison of two schema directories.
type Report struct {
	Old, New string   // the schema directories as given
	Changes  []Change // sorted by Sort
}

// Breaking returns the number of breaking changes.
func (r *Report) Breaking() int {
	n := 0
	for i := range r.Changes {
		if r.Changes[i].Breaking {
			n++
		}
	}
	return n
}

// WriteText writes the report for people: a summary line, then the changes
// grouped by operator and side, one per line as Change.Line writes it, with
// "  BREAKING: reason" at the end of the breaking ones.
//
//	schemas/1.6.7.0 -> schemas/1.6.8.0: 2 changes, 1 breaking
//
//	customer
//	  request
//	    - customer/set-billing-info  [1..1] anon  via (choice) [1..∞]  BREAKING: removed operation
//	  response
//	    + customer/get-domain-list  [1..∞] type=resultDomainListOutputType  via (choice) [1..∞]
//
// Nothing depends on the machine or the time: reports can be kept in the
// repository and compared.
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s -> %s: %s\n", r.Old, r.New, r.summary())
	group, side := "", Side(-1)
	for i := range r.Changes {
		c := &r.Changes[i]
		if i == 0 || c.Group != group {
			group, side = c.Group, -1
			fmt.Fprintf(bw, "\n%s\n", group)
		}
		if c.Side != side {
			side = c.Side
			fmt.Fprintf(bw, "  %s\n", side)
		}
		line := "    " + c.Line()
		if c.Breaking {
			line += "  BREAKING: " + c.Reason
		}
		bw.WriteString(line + "\n")
	}
	return bw.Flush()
}

func (r *Report) summary() string {
	n := len(r.Changes)
	if n == 0 {
		return "no changes"
	}
	s := "1 change"
	if n != 1 {
		s = strconv.Itoa(n) + " changes"
	}
	return s + ", " + strconv.Itoa(r.Breaking()) + " breaking"
}

// JSON is the document WriteJSON writes. Its fields are stable: tools may
// rely on them, and new ones will only be added.
type JSON struct {
	Old      string       `json:"old"`      // the old schema directory as given
	New      string       `json:"new"`      // the new schema directory as given
	Total    int          `json:"total"`    // len(Changes)
	Breaking int          `json:"breaking"` // how many changes are breaking
	Changes  []JSONChange `json:"changes"`  // in the order of the text output
}

// JSONChange is one Change.
type JSONChange struct {
	Operator string    `json:"operator"` // Change.Group: the operator, "packet", request-settings, …
	Side     string    `json:"side"`     // "request" or "response"
	Change   string    `json:"change"`   // "added", "removed" or "changed"
	Path     string    `json:"path"`     // e.g. "webspace/add/prefs/icp-status"
	Node     string    `json:"node"`     // "element", "attribute", "any" or "anyAttribute"
	Breaking bool      `json:"breaking"` // the change breaks clients (request) or readers (response)
	Reason   string    `json:"reason,omitempty"`
	Line     string    `json:"line"`          // the text line (Change.Line), without the BREAKING mark
	Old      *JSONDecl `json:"old,omitempty"` // absent when added
	New      *JSONDecl `json:"new,omitempty"` // absent when removed
	// EnumAdded and EnumRemoved are set when both versions enumerate the
	// values and the sets differ.
	EnumAdded   []string `json:"enum_added,omitempty"`
	EnumRemoved []string `json:"enum_removed,omitempty"`
}

// JSONDecl is one Decl.
type JSONDecl struct {
	Shape string `json:"shape"` // the tree line after the name, e.g. "[0..1] type=boolean"
	// Min and Max are the occurrence of an element or (any); Max is -1
	// for unbounded. Absent for attributes.
	Min *int `json:"min,omitempty"`
	Max *int `json:"max,omitempty"`
	// Use is an attribute's use: "optional" or "required".
	Use  string   `json:"use,omitempty"`
	Via  string   `json:"via,omitempty"`  // the compositor chain from the parent element
	Enum []string `json:"enum,omitempty"` // the enumeration values; absent when not enumerated
	Pos  string   `json:"pos"`            // file:line:col, the file joined to the schema directory
}

// WriteJSON writes the report as one indented JSON document (see JSON).
func (r *Report) WriteJSON(w io.Writer) error {
	doc := JSON{Old: r.Old, New: r.New, Total: len(r.Changes), Breaking: r.Breaking(), Changes: []JSONChange{}}
	for i := range r.Changes {
		c := &r.Changes[i]
		jc := JSONChange{
			Operator:    c.Group,
			Side:        c.Side.String(),
			Change:      c.Kind.String(),
			Path:        c.Path,
			Breaking:    c.Breaking,
			Reason:      c.Reason,
			Line:        c.Line(),
			Old:         jsonDecl(c.Old, r.Old),
			New:         jsonDecl(c.New, r.New),
			EnumAdded:   c.EnumAdded,
			EnumRemoved: c.EnumRemoved,
		}
		if c.Old != nil {
			jc.Node = c.Old.Node.String()
		} else {
			jc.Node = c.New.Node.String()
		}
		doc.Changes = append(doc.Changes, jc)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

func jsonDecl(d *Decl, dir string) *JSONDecl {
	if d == nil {
		return nil
	}
	j := &JSONDecl{Shape: d.Shape, Via: d.Via, Enum: d.Enum}
	switch d.Node {
	case xsd.NodeElement, xsd.NodeAny:
		lo, hi := d.Occurs.Min, d.Occurs.Max
		j.Min, j.Max = &lo, &hi
	case xsd.NodeAttribute:
		j.Use = "optional"
		if d.Use == xsd.UseRequired {
			j.Use = "required"
		}
	}
	p := d.Pos
	if dir != "" && p.File != "" {
		p.File = path.Join(filepath.ToSlash(dir), p.File)
	}
	j.Pos = p.String()
	return j
}
