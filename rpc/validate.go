package rpc

import (
	"errors"
	"reflect"

	"github.com/pleskgo/plesk/rpc/internal/xmlstruct"
)

// ValidationError is a request refused before anything was sent: it breaks
// a constraint of its schema, holds content the schema does not declare, or
// would act on every object without saying so (see MatchAll). It satisfies
// errors.Is(err, ErrInvalidRequest).
type ValidationError struct {
	Operator  string
	Operation string
	Path      string // element path inside the operation, such as "filter" or "gen_setup/name"; "" for the whole request
	Problem   string
}

func (e *ValidationError) Error() string {
	var s string
	if e.Operator != "" {
		s = e.Operator + "/" + e.Operation + ": "
	}
	if e.Path != "" {
		s += e.Path + ": "
	}
	return s + e.Problem
}

// Is makes errors.Is(err, ErrInvalidRequest) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidRequest }

// validateOps checks every request before anything reaches the invoker:
// its own Validate, undeclared content, and the match-all guard.
func validateOps(ops []*Op) error {
	var errs []error
	for _, op := range ops {
		if err := validateOp(op); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func validateOp(op *Op) error {
	if op == nil {
		return &ValidationError{Problem: "nil *Op"}
	}
	fail := func(path, problem string) error {
		return &ValidationError{Operator: op.Operator, Operation: op.Operation, Path: path, Problem: problem}
	}
	req := op.Request
	if req == nil {
		return nil
	}
	if rv := reflect.ValueOf(req); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return fail("", "nil request")
	}
	if !IsReadOperation(op.Operator, op.Operation) {
		if path, ok := xmlstruct.EmptyFilter(req); ok {
			return fail(path, "selects nothing explicitly, which Plesk reads as every object; "+
				"set what to match, or pass rpc.MatchAll to mean all of them")
		}
	}
	if d, ok := xmlstruct.FirstUndeclared(req); ok {
		if d.Kind == xmlstruct.Untyped {
			return fail(d.Path, "holds a value that is not of the declared type")
		}
		return fail(d.Path, "the schema does not declare this content here")
	}
	if v, ok := req.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) {
				c := *ve
				c.Operator, c.Operation = op.Operator, op.Operation
				return &c
			}
			return fail("", err.Error())
		}
	}
	return nil
}
