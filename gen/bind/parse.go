package bind

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/pleskgo/plesk/gen/internal/suggest"
	"github.com/pleskgo/plesk/gen/xsd"
)

// Kind is the Go kind an entry gives an untyped element.
type Kind int

const (
	// Empty is a presence flag, <no-plan/>: *rpc.Empty, set when present.
	Empty Kind = iota + 1
	// String is character content: string.
	String
	// Int is an integer, most often an object id: int64.
	Int
	// Bool is xs:boolean content (true, false, 1, 0): bool.
	Bool
	// Raw keeps the content as written: rpc.Raw. It needs a reason.
	Raw
)

var kindNames = []string{Empty: "empty", String: "string", Int: "int", Bool: "bool", Raw: "raw"}

func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

func parseKind(s string) (Kind, bool) {
	for k, n := range kindNames {
		if n != "" && n == s {
			return Kind(k), true
		}
	}
	return 0, false
}

// Entry is one line of a customization file.
type Entry struct {
	Pos  xsd.Pos // of the path, the first column of the line's text
	Path string  // as written
	// TypeName is set for a type-scoped path (type:NAME/child/...): the
	// named complex type the path starts at. Steps are the element names
	// after it, or after the global element that starts a plain path.
	TypeName string
	Steps    []string
	// StepCols are the columns of Steps[i] (and, for a plain path, of the
	// global element at index 0), for errors that point at one step.
	StepCols []int
	Kind     Kind
	KindPos  xsd.Pos
	Reason   string // the text after '#', trimmed
}

// File is a parsed customization file.
type File struct {
	Name    string   // how positions name it: a path, or plesk:VERSION
	Entries []*Entry // in file order
	// Digests are the @schemas directives: the schema sets (see Digest) the
	// file is made for, which Default uses to pick an embedded file.
	Digests []string
}

// Error is a problem in a customization file, at the position it concerns.
type Error struct {
	Pos xsd.Pos
	Msg string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// joinErrors sorts positioned errors by line and column and joins them.
func joinErrors(errs []*Error) error {
	if len(errs) == 0 {
		return nil
	}
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i].Pos, errs[j].Pos
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = e
	}
	return errors.Join(out...)
}

// ReadFile reads and parses the customization file at path; positions name
// it as path.
func ReadFile(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("binding customizations: %w", err)
	}
	return Parse(path, b)
}

// maxLine bounds one line, so that a binary file given by mistake gives one
// short error rather than a message quoting megabytes.
const maxLine = 4096

// Parse reads a customization file. name is what positions call it. Every
// syntax error is reported, each at its line and column, joined in file
// order.
func Parse(name string, src []byte) (*File, error) {
	f := &File{Name: name}
	seen := map[string]*Entry{}
	errs := scanLines(name, src, &f.Digests, func(ln int, fields []field, reason string, hasReason bool) *Error {
		at := func(col int) xsd.Pos { return xsd.Pos{File: name, Line: ln, Col: col} }
		first := fields[0]
		e := &Entry{Pos: at(first.col), Path: first.text, Reason: reason}
		if pe := e.parsePath(first.col, at(first.col)); pe != nil {
			return pe
		}
		if len(fields) < 2 {
			return &Error{at(first.col + len(first.text)), fmt.Sprintf("%s: no kind after the path; want one of %s", e.Path, kindList())}
		}
		kf := fields[1]
		e.KindPos = at(kf.col)
		k, ok := parseKind(kf.text)
		if !ok {
			msg := fmt.Sprintf("unknown kind %q; want one of %s", kf.text, kindList())
			if s := suggest.Closest(kf.text, kindNames[1:]); s != "" {
				msg = fmt.Sprintf("unknown kind %q; did you mean %q?", kf.text, s)
			}
			return &Error{e.KindPos, msg}
		}
		e.Kind = k
		if len(fields) > 2 {
			return &Error{at(fields[2].col), fmt.Sprintf("unexpected %q after the kind (a reason starts with '#')", fields[2].text)}
		}
		if k == Raw && (!hasReason || reason == "") {
			return &Error{e.KindPos, fmt.Sprintf("%s: raw needs a reason: say after '#' why the element holds arbitrary XML", e.Path)}
		}
		if prev, dup := seen[e.Path]; dup {
			return &Error{e.Pos, fmt.Sprintf("duplicate entry for %s (first at line %d)", e.Path, prev.Pos.Line)}
		}
		seen[e.Path] = e
		f.Entries = append(f.Entries, e)
		return nil
	})
	if err := joinErrors(errs); err != nil {
		return nil, err
	}
	return f, nil
}

// scanLines splits a file of pleskgen's line format (gen/bind's
// customizations, operation classifications) into entries: it drops a
// byte order mark, blank lines and comments, refuses lines that are not
// UTF-8 or too long, reads @ directives into digests and calls entry with
// the blank-separated fields before any '#' and the trimmed text after it.
// It returns every problem found, entry's included.
func scanLines(name string, src []byte, digests *[]string, entry func(ln int, fields []field, reason string, hasReason bool) *Error) []*Error {
	var errs []*Error
	at := func(line, col int) xsd.Pos { return xsd.Pos{File: name, Line: line, Col: col} }
	src = bytes.TrimPrefix(src, []byte("\ufeff")) // a byte order mark
	for n, line := range strings.Split(string(src), "\n") {
		ln := n + 1
		line = strings.TrimSuffix(line, "\r")
		if !utf8.ValidString(line) {
			errs = append(errs, &Error{at(ln, 1), "not UTF-8 text"})
			continue
		}
		if len(line) > maxLine {
			errs = append(errs, &Error{at(ln, 1), fmt.Sprintf("line longer than %d bytes", maxLine)})
			continue
		}
		body, reason, hasReason := strings.Cut(line, "#")
		fields := fieldsWithCols(body)
		if len(fields) == 0 {
			continue // blank or comment
		}
		if strings.HasPrefix(fields[0].text, "@") {
			if e := directive(digests, fields, at(ln, fields[0].col), at); e != nil {
				errs = append(errs, e)
			}
			continue
		}
		if e := entry(ln, fields, strings.TrimSpace(reason), hasReason); e != nil {
			errs = append(errs, e)
		}
	}
	return errs
}

func kindList() string {
	return strings.Join(kindNames[1:], ", ")
}

// directive parses an @ line: @schemas sha256:HEX.
func directive(digests *[]string, fields []field, pos xsd.Pos, at func(int, int) xsd.Pos) *Error {
	switch fields[0].text {
	case "@schemas":
		if len(fields) != 2 {
			return &Error{pos, "@schemas wants one digest, sha256:HEX"}
		}
		d := fields[1].text
		hex, ok := strings.CutPrefix(d, "sha256:")
		if !ok || len(hex) != 64 || strings.Trim(hex, "0123456789abcdef") != "" {
			return &Error{at(pos.Line, fields[1].col), fmt.Sprintf("%q is not a digest; want sha256: and 64 lowercase hex digits", d)}
		}
		*digests = append(*digests, d)
		return nil
	}
	return &Error{pos, fmt.Sprintf("unknown directive %q (the only one is @schemas)", fields[0].text)}
}

// parsePath splits e.Path into its steps.
func (e *Entry) parsePath(col int, pos xsd.Pos) *Error {
	p := e.Path
	if rest, ok := strings.CutPrefix(p, "type:"); ok {
		name, after, _ := strings.Cut(rest, "/")
		if name == "" {
			return &Error{pos, fmt.Sprintf("%s: no type name after type:", p)}
		}
		e.TypeName = name
		col += len("type:") + len(name) + 1
		p = after
		if p == "" {
			return &Error{pos, fmt.Sprintf("%s: a type path names an element inside the type: type:%s/child", e.Path, name)}
		}
	}
	for i, s := range strings.Split(p, "/") {
		if s == "" {
			what := "an empty step"
			if i == 0 {
				what = "a leading '/' (paths start at a global element, such as packet)"
			}
			return &Error{xsd.Pos{File: pos.File, Line: pos.Line, Col: col}, fmt.Sprintf("%s: %s", e.Path, what)}
		}
		if strings.ContainsAny(s, ":@*[]()=<>\"'") {
			return &Error{xsd.Pos{File: pos.File, Line: pos.Line, Col: col}, fmt.Sprintf("%s: %q is not an element name", e.Path, s)}
		}
		e.Steps = append(e.Steps, s)
		e.StepCols = append(e.StepCols, col)
		col += len(s) + 1
	}
	return nil
}

type field struct {
	text string
	col  int // 1-based, in bytes
}

// fieldsWithCols splits s on blanks, keeping each field's column.
func fieldsWithCols(s string) []field {
	var out []field
	start := -1
	for i := 0; i <= len(s); i++ {
		blank := i == len(s) || s[i] == ' ' || s[i] == '\t'
		switch {
		case blank && start >= 0:
			out = append(out, field{s[start:i], start + 1})
			start = -1
		case !blank && start < 0:
			start = i
		}
	}
	return out
}
