package bind

import (
	"embed"
	"errors"
	"fmt"
	"strings"

	"github.com/pleskgo/plesk/gen/internal/suggest"
	"github.com/pleskgo/plesk/gen/xsd"
)

// OperationsFileName is the operation classification pleskgen reads by
// default when it sits in the schema directory.
const OperationsFileName = "operations.txt"

// Access is what an operation does to the state of the server. The zero
// value is Write, the safe assumption.
type Access int

const (
	// Write: the operation may change state, or its effect is not certain.
	// Such an operation is never sent twice by a retry, and an empty filter
	// in its request is refused.
	Write Access = iota
	// Read: the operation only reads state; sending it twice does no harm.
	Read
)

var accessNames = []string{Write: "write", Read: "read"}

func (a Access) String() string {
	if a >= 0 && int(a) < len(accessNames) {
		return accessNames[a]
	}
	return fmt.Sprintf("Access(%d)", int(a))
}

// OpEntry is one line of an operation classification.
type OpEntry struct {
	Pos       xsd.Pos // of the operation, the first column of the line's text
	Operator  string  // "webspace"
	Operation string  // "get", or the path of an operation in a group: "db-servers/list"
	Access    Access
	Reason    string // the text after '#', trimmed
}

// Name is the entry's operation as the file writes it: operator/operation.
func (e *OpEntry) Name() string { return e.Operator + "/" + e.Operation }

// Operations is a parsed operation classification.
type Operations struct {
	Name    string     // how positions name it: a path, or plesk:VERSION
	Entries []*OpEntry // in file order
	// Digests are the @schemas directives, as in a customization file.
	Digests []string
	byName  map[string]*OpEntry
}

// Lookup returns the entry of an operation (operation as model and
// runtime write it: "db-servers/list"), or nil.
func (o *Operations) Lookup(operator, operation string) *OpEntry {
	if o == nil {
		return nil
	}
	return o.byName[operator+"/"+operation]
}

// ParseOperations reads an operation classification. name is what
// positions call it. Every syntax error is reported, each at its line and
// column, joined in file order.
func ParseOperations(name string, src []byte) (*Operations, error) {
	o := &Operations{Name: name, byName: map[string]*OpEntry{}}
	errs := scanLines(name, src, &o.Digests, func(ln int, fields []field, reason string, _ bool) *Error {
		at := func(col int) xsd.Pos { return xsd.Pos{File: name, Line: ln, Col: col} }
		first := fields[0]
		e := &OpEntry{Pos: at(first.col), Reason: reason}
		operator, operation, ok := strings.Cut(first.text, "/")
		if !ok || operator == "" || operation == "" {
			return &Error{e.Pos, fmt.Sprintf("%q: want OPERATOR/OPERATION, such as customer/get or webspace/db-servers/list", first.text)}
		}
		col := first.col
		for _, s := range strings.Split(first.text, "/") {
			if s == "" || strings.ContainsAny(s, ":@*[]()=<>\"'") {
				return &Error{at(col), fmt.Sprintf("%s: %q is not an element name", first.text, s)}
			}
			col += len(s) + 1
		}
		e.Operator, e.Operation = operator, operation
		if len(fields) < 2 {
			return &Error{at(first.col + len(first.text)), fmt.Sprintf("%s: no access after the operation; want read or write", first.text)}
		}
		af := fields[1]
		switch af.text {
		case "read":
			e.Access = Read
		case "write":
			e.Access = Write
		default:
			msg := fmt.Sprintf("unknown access %q; want read or write", af.text)
			if s := suggest.Closest(af.text, accessNames); s != "" {
				msg = fmt.Sprintf("unknown access %q; did you mean %q?", af.text, s)
			}
			return &Error{at(af.col), msg}
		}
		if len(fields) > 2 {
			return &Error{at(fields[2].col), fmt.Sprintf("unexpected %q after the access (a reason starts with '#')", fields[2].text)}
		}
		if prev, dup := o.byName[first.text]; dup {
			return &Error{e.Pos, fmt.Sprintf("duplicate entry for %s (first at line %d)", first.text, prev.Pos.Line)}
		}
		o.byName[first.text] = e
		o.Entries = append(o.Entries, e)
		return nil
	})
	if err := joinErrors(errs); err != nil {
		return nil, err
	}
	return o, nil
}

//go:embed plesk-operations/*.txt
var embeddedOperations embed.FS

// EmbeddedOperations returns the names of the shipped operation
// classifications, such as plesk:1.6.6.0, sorted.
func EmbeddedOperations() []string { return operationFiles.names() }

// OpenOperations reads the operation classification spec names:
// plesk:VERSION for a shipped one, otherwise a file path.
func OpenOperations(spec string) (*Operations, error) { return operationFiles.open(spec) }

// DefaultOperations returns the classification pleskgen applies to the
// schema set in dir when none is named: operations.txt in dir if there is
// one (positions name it relative to dir, as schema positions are),
// otherwise the shipped classification whose @schemas digest is the set's
// Digest, otherwise nil.
func DefaultOperations(dir string, sets ...*xsd.Set) (*Operations, error) {
	return operationFiles.find(dir, sets...)
}

var operationFiles = &shipped[*Operations]{
	fsys: embeddedOperations, dir: "plesk-operations", file: OperationsFileName, what: "operation classification",
	parse: ParseOperations, digests: func(o *Operations) []string { return o.Digests },
}

// OpRef is an operation of a schema set, for Audit: its name and where
// the schema declares it.
type OpRef struct {
	Operator, Operation string
	Pos                 xsd.Pos // the operation's element declaration
}

// maxUnclassified bounds how many unclassified operations, and how many
// entries naming no operation, Audit reports one by one.
const maxUnclassified = 20

// Audit checks the classification o (nil: none was found, where is the
// file that would be read by default) against every operation of the
// schema set: each must have an entry, and each entry must name one of
// them. An unclassified operation is reported at its declaration in the
// schema, naming the file to add it to; an entry naming no operation at
// its line, with the closest operation.
func (o *Operations) Audit(ops []OpRef, where string) error {
	var errs []error
	known := map[string]bool{}
	names := make([]string, 0, len(ops))
	file := where
	if o != nil {
		file = o.Name
	}
	missing := 0
	for _, r := range ops {
		name := r.Operator + "/" + r.Operation
		known[name] = true
		names = append(names, name)
		if o.Lookup(r.Operator, r.Operation) != nil {
			continue
		}
		if missing++; missing <= maxUnclassified {
			errs = append(errs, &Error{r.Pos, fmt.Sprintf("operation %s is not classified: add the line %q or %q to %s", name, name+" read", name+" write", file)})
		}
	}
	if o != nil {
		unknown := 0
		for _, e := range o.Entries {
			if known[e.Name()] {
				continue
			}
			if unknown++; unknown > maxUnclassified {
				continue
			}
			msg := fmt.Sprintf("%s: the schema set has no such operation", e.Name())
			if s := suggest.Closest(e.Name(), names); s != "" {
				msg += fmt.Sprintf("; did you mean %s?", s)
			}
			errs = append(errs, &Error{e.Pos, msg})
		}
		if unknown > maxUnclassified {
			errs = append(errs, fmt.Errorf("and %d more entries of %s that name no operation of the schema set (is it the file for these schemas?)", unknown-maxUnclassified, file))
		}
	}
	if missing > maxUnclassified {
		errs = append(errs, fmt.Errorf("and %d more unclassified operations: every operation needs a line in %s", missing-maxUnclassified, file))
	}
	return errors.Join(errs...)
}
