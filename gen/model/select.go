package model

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pleskgo/plesk/gen/internal/suggest"
)

// Select keeps only the operators named (by element name, such as
// "customer" or "webspace"), each with all its operations, and only the
// types they reach from the two packets, request and response side alike:
// a package for a program that drives a few operators. The packets lose
// the alternatives of the other operators, so a packet holding one of them
// decodes it as undeclared content. Go names stay those of the whole
// package. A name that is not an operator of the package is an error,
// with the closest one.
func (p *Package) Select(names []string) error {
	byName := map[string]*Operator{}
	var all []string
	for _, op := range p.Operators {
		byName[op.XMLName] = op
		all = append(all, op.XMLName)
	}
	keep := map[string]bool{}
	var errs []error
	for _, n := range names {
		if byName[n] != nil {
			keep[n] = true
			continue
		}
		msg := fmt.Sprintf("unknown operator %q", n)
		if s := suggest.Closest(n, all); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		} else if len(all) > 0 {
			msg += fmt.Sprintf(" (the schema set's operators are %s)", strings.Join(all, ", "))
		} else {
			msg += " (the schema set declares no operator)"
		}
		errs = append(errs, errors.New(msg))
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if len(keep) == 0 {
		return errors.New("no operator selected")
	}
	drop := map[string]bool{}
	var kept []*Operator
	for _, op := range p.Operators {
		if keep[op.XMLName] {
			kept = append(kept, op)
		} else {
			drop[op.XMLName] = true
		}
	}
	p.Partial = len(drop) > 0
	p.Operators = kept
	for _, t := range []*Type{p.Request, p.Response} {
		if t != nil {
			dropAlternatives(t, drop)
		}
	}
	reached := map[*Type]bool{}
	var walk func(t *Type)
	walk = func(t *Type) {
		if t == nil || reached[t] {
			return
		}
		reached[t] = true
		for _, f := range t.Fields {
			walk(f.Type.Named)
		}
	}
	walk(p.Request)
	walk(p.Response)
	p.Types = slices.DeleteFunc(p.Types, func(t *Type) bool { return !reached[t] })
	p.Aliases = slices.DeleteFunc(p.Aliases, func(a *Alias) bool {
		operator, _, _ := strings.Cut(a.Path, "/")
		return drop[operator] || !reached[a.Target]
	})
	markValidate(p.Types)
	return nil
}

// dropAlternatives removes from a packet type the alternatives of the
// dropped operators: the fields of its repeating choice (or its own
// element fields), and the branches of its choice groups they made.
func dropAlternatives(t *Type, drop map[string]bool) {
	owner := t
	for _, f := range t.Fields {
		if f.Kind == ItemsField && f.Type.Named != nil {
			owner = f.Type.Named
			break
		}
	}
	gone := func(f *Field) bool { return f.Kind == ElementField && drop[f.XMLName] }
	owner.Fields = slices.DeleteFunc(owner.Fields, gone)
	for _, c := range owner.Choices {
		var branches [][]*Field
		for _, b := range c.Branches {
			if b = slices.DeleteFunc(slices.Clone(b), gone); len(b) > 0 {
				branches = append(branches, b)
			}
		}
		c.Branches = branches
	}
}
