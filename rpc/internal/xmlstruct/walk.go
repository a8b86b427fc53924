package xmlstruct

import (
	"encoding/xml"
	"reflect"
	"strconv"
)

// Kind is the kind of a Deviation.
type Kind uint8

const (
	Missing        Kind = iota + 1 // a required child element or attribute was absent
	Untyped                        // a value did not parse as its declared type: kept as written
	Undeclared                     // an element the schema does not declare at that place
	UndeclaredAttr                 // an attribute the schema does not declare
	UndeclaredText                 // character data in element-only content
)

// Deviation is one place where a decoded value differs from its schema.
type Deviation struct {
	Kind  Kind
	Path  string // element path from the value walked, "@name" for an attribute
	Value string // what was kept, as written (Untyped, Undeclared*)
}

// Walk calls fn for each deviation recorded in v (a pointer to, or a value
// of, a generated struct) and in every value inside it, in document order
// of the parents and declaration order within each. fn returns false to
// stop.
func Walk(v any, fn func(Deviation) bool) {
	rv := reflect.ValueOf(v)
	for rv.IsValid() && (rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface) {
		if rv.IsNil() {
			return
		}
		rv = rv.Elem()
	}
	if !rv.IsValid() || rv.Kind() != reflect.Struct {
		return
	}
	w := walker{fn: fn}
	w.value(addressable(rv), "")
}

type walker struct {
	fn      func(Deviation) bool
	stopped bool
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "/" + name
}

func (w *walker) emit(d Deviation) {
	if !w.stopped && !w.fn(d) {
		w.stopped = true
	}
}

// value walks a struct value (addressable).
func (w *walker) value(sv reflect.Value, path string) {
	if w.stopped {
		return
	}
	in := infoOf(sv.Type())
	var st *state
	if x := in.extraOf(sv); x != nil {
		st = x.s
	}
	if st != nil {
		for _, i := range st.missing {
			f := &in.fields[i]
			if !sv.Field(f.index).IsZero() {
				continue // set since
			}
			name := f.name
			if f.kind == attrField {
				name = "@" + name
			}
			w.emit(Deviation{Kind: Missing, Path: join(path, name)})
		}
		for _, a := range st.attrs {
			switch {
			case a.f == -1:
				at := st.rawAttrs[a.n]
				if isNSDecl(at) {
					continue
				}
				w.emit(Deviation{Kind: UndeclaredAttr, Path: join(path, "@"+at.Name.Local), Value: at.Value})
			case a.kept:
				at := st.rawAttrs[a.n]
				w.emit(Deviation{Kind: Untyped, Path: join(path, "@"+at.Name.Local), Value: at.Value})
			}
		}
		if st.attrs == nil {
			for _, at := range st.rawAttrs {
				if isNSDecl(at) {
					continue
				}
				w.emit(Deviation{Kind: UndeclaredAttr, Path: join(path, "@"+at.Name.Local), Value: at.Value})
			}
		}
		for _, en := range st.seq {
			switch en.kind {
			case keptEntry:
				if en.f >= 0 && !in.fields[en.f].slice && !sv.Field(in.fields[en.f].index).IsZero() {
					continue // set since: Marshal writes the new value instead
				}
				e := &st.elems[en.n]
				val, _ := e.Text()
				if len(e.Attrs) > 0 || val == "" && len(e.Inner) > 0 {
					val = e.String()
				}
				w.emit(Deviation{Kind: Untyped, Path: join(path, e.XMLName.Local), Value: val})
			case undeclaredEntry:
				e := &st.elems[en.n]
				w.emit(Deviation{Kind: Undeclared, Path: join(path, e.XMLName.Local), Value: e.String()})
			case textEntry:
				w.emit(Deviation{Kind: UndeclaredText, Path: path, Value: st.texts[en.n]})
			}
		}
		if in.text >= 0 && st.text != nil && sv.Field(in.fields[in.text].index).IsZero() {
			w.emit(Deviation{Kind: Untyped, Path: path, Value: *st.text})
		}
	}
	for i := range in.fields {
		f := &in.fields[i]
		if f.vkind != structValue || f.kind == attrField || f.kind == textField || f.kind == rawField {
			continue
		}
		fv := sv.Field(f.index)
		switch {
		case f.slice:
			for k := range fv.Len() {
				ev := fv.Index(k)
				if f.kind == itemsField {
					w.item(ev, path, k)
				} else {
					w.child(ev, join(path, f.name+"["+strconv.Itoa(k)+"]"))
				}
			}
		case f.ptr:
			if !fv.IsNil() {
				w.child(fv.Elem(), join(path, f.name))
			}
		default:
			w.child(fv, join(path, f.name))
		}
	}
}

// isNSDecl reports a namespace declaration, which is no attribute of the
// schema's but is kept so that prefixed content still resolves.
func isNSDecl(a xml.Attr) bool {
	return a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns"
}

func (w *walker) child(v reflect.Value, path string) {
	if v.Kind() == reflect.Struct && infoOf(v.Type()).extra >= 0 {
		w.value(addressable(v), path)
	}
}

// item walks one one-of item: the alternative it holds, or the element it
// kept as written.
func (w *walker) item(v reflect.Value, path string, k int) {
	v = addressable(v)
	in := infoOf(v.Type())
	for i := range in.fields {
		f := &in.fields[i]
		fv := v.Field(f.index)
		if f.kind == elemField && fv.Kind() == reflect.Pointer && !fv.IsNil() {
			if f.vkind == structValue {
				w.child(fv.Elem(), join(path, f.name+"["+strconv.Itoa(k)+"]"))
			}
			return
		}
	}
	x := in.extraOf(v)
	if x == nil || x.s == nil || len(x.s.elems) == 0 {
		return
	}
	e := &x.s.elems[0]
	p := join(path, e.XMLName.Local+"["+strconv.Itoa(k)+"]")
	if x.s.seq[0].kind == keptEntry {
		val, _ := e.Text()
		w.emit(Deviation{Kind: Untyped, Path: p, Value: val})
		return
	}
	w.emit(Deviation{Kind: Undeclared, Path: p, Value: e.String()})
}

// FirstUndeclared returns the first undeclared element, attribute or text
// inside v, for request validation.
func FirstUndeclared(v any) (Deviation, bool) {
	var found Deviation
	ok := false
	Walk(v, func(d Deviation) bool {
		if d.Kind == Undeclared || d.Kind == UndeclaredAttr || d.Kind == UndeclaredText || d.Kind == Untyped {
			found, ok = d, true
			return false
		}
		return true
	})
	return found, ok
}

// Strip removes the bookkeeping from v (a pointer to a generated struct)
// and every value inside it, so that v marshals to its typed content alone
// in schema order: what a strict schema check compares a document with.
// With keepItems, one-of items that hold an element kept as written keep
// it.
func Strip(v any, keepItems bool) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return
	}
	strip(rv.Elem(), keepItems, 0)
}

func strip(v reflect.Value, keepItems bool, depth int) {
	if depth > 1000 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			strip(v.Elem(), keepItems, depth+1)
		}
	case reflect.Slice:
		for i := range v.Len() {
			strip(v.Index(i), keepItems, depth+1)
		}
	case reflect.Struct:
		if !v.CanAddr() {
			return
		}
		in := infoOf(v.Type())
		if x := in.extraOf(v); x != nil && x.s != nil {
			item := len(x.s.seq) == 1 && len(x.s.elems) == 1 && in.items < 0 && len(in.attrs) == 0 && !hasSetField(v, in)
			if !(keepItems && item) {
				x.s = nil
			}
		}
		for i := range in.fields {
			f := &in.fields[i]
			if f.vkind == structValue && f.kind != attrField && f.kind != textField {
				strip(v.Field(f.index), keepItems, depth+1)
			}
		}
	}
}

// hasSetField reports whether a struct has any exported field set.
func hasSetField(v reflect.Value, in *info) bool {
	for i := range in.fields {
		if !v.Field(in.fields[i].index).IsZero() {
			return true
		}
	}
	return false
}
