package rpc

import (
	"errors"
	"strings"

	"github.com/pleskgo/plesk/rpc/internal/xmlstruct"
)

// ValidationError is a request the runtime refused to send: what is wrong
// with it, and where. Every validation failure of a request, whether found
// by the request type's Validate method or by the runtime, is one; it
// satisfies errors.Is(err, ErrInvalidRequest).
type ValidationError struct {
	Operator  string // "webspace"
	Operation string // "del", or a path inside a group: "db-servers/add"
	Path      string // the element inside the operation: "filter", "gen_setup/name"; empty for the operation itself
	Problem   string // what is wrong

	err error // the error of Validate this one wraps, if any
}

// Error reads "webspace/del: filter: <problem>"; the error of a Validate
// method called directly, which knows no operation, "filter: <problem>".
func (e *ValidationError) Error() string {
	var b strings.Builder
	if e.Operator != "" || e.Operation != "" {
		b.WriteString(e.Operator)
		b.WriteByte('/')
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Problem)
	return b.String()
}

// Is makes every validation failure match ErrInvalidRequest.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidRequest }

// Unwrap returns the error of the request's Validate method that this one
// wraps, if it was not a *ValidationError itself.
func (e *ValidationError) Unwrap() error { return e.err }

// validator is what a request type implements to check itself; generated
// request types do.
type validator interface {
	Validate() error
}

// validateOps checks every op before anything is sent: its names; for an
// operation that changes state, that no filter in its request selects
// nothing explicitly (which Plesk reads as every object) unless MatchAll
// built it; that the request holds nothing its schema does not declare
// (content kept from a decoded packet); then the request's own Validate,
// when its type has it. A *ValidationError
// returned by Validate gets the op's Operator and Operation; any other
// error is wrapped into one. Do, Stream, Batch.Send and Client.Invoke call
// it; it is the one place a request is refused.
func validateOps(ops []*Op) error {
	var errs []error
	for _, op := range ops {
		if op == nil {
			errs = append(errs, &ValidationError{Problem: "nil *Op"})
			continue
		}
		if err := op.validate(); err != nil {
			errs = append(errs, &ValidationError{Operator: op.Operator, Operation: op.Operation,
				Problem: strings.TrimPrefix(err.Error(), "rpc: ")})
			continue
		}

		if isNil(op.Request) {
			continue
		}
		if err := checkContent(op); err != nil {
			errs = append(errs, err)
			continue
		}
		v, ok := op.Request.(validator)
		if !ok {
			continue
		}
		if err := v.Validate(); err != nil {
			errs = append(errs, validationErrors(op, err))
		}
	}
	return errors.Join(errs...)
}

// checkContent is the runtime's own check of a request: the match-all
// guard, then undeclared content.
func checkContent(op *Op) error {
	fail := func(path, problem string) error {
		return &ValidationError{Operator: op.Operator, Operation: op.Operation, Path: path, Problem: problem}
	}
	if !op.ReadOnly {
		if path, ok := xmlstruct.EmptyFilter(op.Request); ok {
			return fail(path, "selects nothing explicitly, which Plesk reads as every object; "+
				"set what to match, or pass rpc.MatchAll to mean all of them")
		}
	}
	if d, ok := xmlstruct.FirstUndeclared(op.Request); ok {
		if d.Kind == xmlstruct.Untyped {
			return fail(d.Path, "holds a value that is not of the declared type")
		}
		return fail(d.Path, "the schema does not declare this content here")
	}
	return nil
}

// validationErrors fills in the op of the *ValidationError values in err
// (one, or several joined) and wraps any other error into one.
func validationErrors(op *Op, err error) error {
	if multi, ok := err.(interface{ Unwrap() []error }); ok {
		if _, isVE := err.(*ValidationError); !isVE {
			var out []error
			for _, e := range multi.Unwrap() {
				if e != nil {
					out = append(out, validationErrors(op, e))
				}
			}
			if len(out) > 0 {
				return errors.Join(out...)
			}
		}
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		if ve.Operator == "" {
			ve.Operator = op.Operator
		}
		if ve.Operation == "" {
			ve.Operation = op.Operation
		}
		return err
	}
	return &ValidationError{Operator: op.Operator, Operation: op.Operation, Problem: err.Error(), err: err}
}
