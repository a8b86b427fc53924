package xmlstruct

import (
	"encoding/xml"
	"reflect"
	"unsafe"
)

// state is what an Extra holds once a decoded element deviated from what
// its exported fields can say by themselves.
type state struct {
	// seq is the children in document order; nil when they came in
	// declaration order (which Marshal writes anyway).
	seq []entry
	// elems are the children kept as written: undeclared ones, second
	// occurrences of single ones, values that could not be typed.
	elems []Elem
	// attrs is the attributes in document order, nil when nothing about
	// them deviated; attribute entries of kept values point into rawAttrs.
	attrs    []attrEntry
	rawAttrs []xml.Attr
	// text is the character data of a simple-content field whose value
	// could not be typed, kept as written; texts are character data found
	// in element-only content.
	text    *string
	texts   []string
	mixed   bool  // the simple content was interrupted by elements: it is in texts, at its place
	missing []int // positions in info.fields of required children or attributes absent
	// spelt is how typed numbers and booleans were written where that is
	// not how their value formats (007, +3, " 7 ", 1 for true).
	spelt []spelling
}

// entryKind tells what one child of the document order is.
type entryKind uint8

const (
	fieldEntry      entryKind = iota // occurrence n of field f
	keptEntry                        // elems[n], a value of field f that could not be typed
	undeclaredEntry                  // elems[n], an element the struct does not declare here
	textEntry                        // the kept text (element-only content holding text)
)

type entry struct {
	kind entryKind
	f    int32 // position in info.fields, or -1
	n    int32
}

// spelling is the text of occurrence n of field f as it was written.
type spelling struct {
	f, n int32
	text string
}

type attrEntry struct {
	f    int32 // position in info.fields; -1 for rawAttrs[n] undeclared
	n    int32 // rawAttrs index of a kept or undeclared value, or -1
	kept bool  // the declared attribute's value could not be typed
}

func extraAt(f reflect.Value) *Extra {
	return (*Extra)(unsafe.Pointer(f.UnsafeAddr()))
}

// stateOf returns the state of the struct v points to, or nil.
func stateOf(v any) (*state, *info, reflect.Value) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return nil, nil, reflect.Value{}
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return nil, nil, reflect.Value{}
	}
	if !rv.CanAddr() {
		c := reflect.New(rv.Type()).Elem()
		c.Set(rv)
		rv = c
	}
	in := infoOf(rv.Type())
	x := in.extraOf(rv)
	if x == nil {
		return nil, in, rv
	}
	return x.s, in, rv
}

func (st *state) spell(f, n int, text string) {
	st.spelt = append(st.spelt, spelling{f: int32(f), n: int32(n), text: text})
}

// spelling returns how occurrence n of field f was written, when it was
// written otherwise than v, its value now, formats and still means v: a
// value the program changed since is written as it formats.
func (st *state) spelling(f, n int, v reflect.Value) (string, bool) {
	if st == nil {
		return "", false
	}
	for _, sp := range st.spelt {
		if int(sp.f) != f || int(sp.n) != n {
			continue
		}
		was := reflect.New(v.Type()).Elem()
		if setScalar(was, sp.text) != nil || !was.Equal(v) {
			return "", false
		}
		return sp.text, true
	}
	return "", false
}

// None reports whether x holds nothing: the value it belongs to was built
// by a program, or decoded exactly as its schema declares it.
func (x *Extra) None() bool { return x.s == nil }
