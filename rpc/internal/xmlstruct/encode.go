package xmlstruct

import (
	"encoding/xml"
	"fmt"
	"reflect"
	"slices"
)

// Marshal encodes the generated struct v points to as the element start
// names. A decoded value is written as it came: its children in document
// order, undeclared content at its place, untypable values as written,
// absent required children left out. A value a program built (or the
// fields it set after decoding) is written in declaration order.
func Marshal(e *xml.Encoder, start xml.StartElement, v any) error {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return fmt.Errorf("xmlstruct.Marshal: want a struct, got %T", v)
	}
	if !rv.CanAddr() {
		c := reflect.New(rv.Type()).Elem()
		c.Set(rv)
		rv = c
	}
	return encodeStruct(e, start, rv, infoOf(rv.Type()))
}

type encoding struct {
	in      *info
	sv      reflect.Value
	st      *state
	written []int32 // values of each field written so far
}

func encodeStruct(e *xml.Encoder, start xml.StartElement, sv reflect.Value, in *info) error {
	if in.matchAll >= 0 && sv.Field(in.matchAll).Bool() {
		if err := noteMatchAll(e); err != nil {
			return err
		}
	}
	var st *state
	if x := in.extraOf(sv); x != nil {
		st = x.s
	}
	var buf [16]int32
	x := encoding{in: in, sv: sv, st: st}
	if n := len(in.fields); n <= len(buf) {
		x.written = buf[:n]
	} else {
		x.written = make([]int32, n)
	}
	if in.xmlName >= 0 {
		// As encoding/xml names a struct: the tag of XMLName, else its value.
		if in.tagName.Local != "" {
			start.Name = in.tagName
		} else if n := sv.Field(in.xmlName).Interface().(xml.Name); n.Local != "" {
			start.Name = n
		}
	}
	attrs, err := x.attrs()
	if err != nil {
		return err
	}
	if fixed, ok := encoderAttrs(attrs, start.Name.Space); ok {
		attrs = fixed
	}
	start.Attr = attrs
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if st != nil && st.seq != nil {
		for _, en := range st.seq {
			if err := x.entry(e, en); err != nil {
				return err
			}
		}
	}
	for i := range in.fields {
		f := &in.fields[i]
		switch f.kind {
		case elemField, itemsField, rawField:
			if err := x.rest(e, i); err != nil {
				return err
			}
		}
	}
	if err := x.text(e); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

// missing reports whether field i was absent when the value was decoded
// and still holds its zero value: it is not written.
func (x *encoding) missing(i int) bool {
	return x.st != nil && slices.Contains(x.st.missing, i) && x.sv.Field(x.in.fields[i].index).IsZero()
}

// count returns how many values field i holds.
func (x *encoding) count(i int) int {
	f := &x.in.fields[i]
	fv := x.sv.Field(f.index)
	switch {
	case f.slice:
		return fv.Len()
	case f.ptr:
		if fv.IsNil() {
			return 0
		}
	case f.omitEmpty && fv.IsZero():
		return 0
	}
	if x.missing(i) {
		return 0
	}
	return 1
}

func (x *encoding) attrs() ([]xml.Attr, error) {
	in, st := x.in, x.st
	var out []xml.Attr
	var anyAttrs []xml.Attr
	if in.anyAttr >= 0 {
		anyAttrs, _ = x.sv.Field(in.anyAttr).Interface().([]xml.Attr)
	}
	anyWritten := 0
	if st != nil && st.attrs != nil {
		for _, a := range st.attrs {
			switch {
			case a.f == -1:
				out = append(out, st.rawAttrs[a.n])
			case a.f == -2:
				if int(a.n) < len(anyAttrs) && int(a.n) == anyWritten {
					out = append(out, anyAttrs[a.n])
					anyWritten++
				}
			default:
				i := int(a.f)
				if x.written[i] > 0 {
					continue
				}
				if a.kept && x.sv.Field(in.fields[i].index).IsZero() {
					out = append(out, st.rawAttrs[a.n])
					x.written[i] = 1
					continue
				}
				at, ok, err := x.attr(i)
				if err != nil {
					return nil, err
				}
				if ok {
					out = append(out, at)
				}
				x.written[i] = 1
			}
		}
	}
	for i := range in.fields {
		if in.fields[i].kind != attrField || x.written[i] > 0 {
			continue
		}
		at, ok, err := x.attr(i)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, at)
		}
		x.written[i] = 1
	}
	out = append(out, anyAttrs[anyWritten:]...)
	if st != nil && st.attrs == nil {
		out = append(out, st.rawAttrs...)
	}
	for i := range in.fields {
		if in.fields[i].kind == attrField {
			x.written[i] = 0
		}
	}
	return out, nil
}

// attr returns attribute field i, when it is set.
func (x *encoding) attr(i int) (xml.Attr, bool, error) {
	f := &x.in.fields[i]
	fv := x.sv.Field(f.index)
	if x.count(i) == 0 {
		return xml.Attr{}, false, nil
	}
	if f.ptr {
		fv = fv.Elem()
	}
	s, ok := x.st.spelling(i, 0, fv)
	if !ok {
		var err error
		if s, err = formatScalar(fv); err != nil {
			return xml.Attr{}, false, err
		}
	}
	return xml.Attr{Name: xml.Name{Space: f.space, Local: f.name}, Value: s}, true, nil
}

// entry writes one child of the recorded document order.
func (x *encoding) entry(e *xml.Encoder, en entry) error {
	st := x.st
	switch en.kind {
	case fieldEntry:
		return x.next(e, int(en.f))
	case keptEntry:
		i := int(en.f)
		f := &x.in.fields[i]
		if !f.slice && x.count(i) > 0 && !x.sv.Field(f.index).IsZero() {
			return x.next(e, i) // the program set a value since: it wins
		}
		if !f.slice {
			x.written[i] = 1
		}
		return st.elems[en.n].encode(e)
	case undeclaredEntry:
		return st.elems[en.n].encode(e)
	case textEntry:
		return e.EncodeToken(xml.CharData(st.texts[en.n]))
	}
	return nil
}

// next writes the next value of field i not written yet, if any.
func (x *encoding) next(e *xml.Encoder, i int) error {
	n := int(x.written[i])
	if n >= x.count(i) {
		return nil
	}
	x.written[i]++
	f := &x.in.fields[i]
	fv := x.sv.Field(f.index)
	switch {
	case f.slice:
		fv = fv.Index(n)
	case f.ptr:
		fv = fv.Elem()
	}
	if f.kind == elemField && f.vkind == scalarValue {
		if s, ok := x.st.spelling(i, n, fv); ok {
			return writeText(e, xml.StartElement{Name: xml.Name{Space: f.space, Local: f.name}}, s)
		}
	}
	return x.value(e, f, fv)
}

// rest writes the values of field i not written yet.
func (x *encoding) rest(e *xml.Encoder, i int) error {
	for int(x.written[i]) < x.count(i) {
		if err := x.next(e, i); err != nil {
			return err
		}
	}
	return nil
}

func (x *encoding) value(e *xml.Encoder, f *field, v reflect.Value) error {
	start := xml.StartElement{Name: xml.Name{Space: f.space, Local: f.name}}
	switch f.kind {
	case itemsField:
		return encodeItem(e, addressable(v), infoOf(f.base))
	case rawField:
		return encodeValue(e, xml.StartElement{}, v, true)
	}
	if f.vkind == scalarValue {
		s, err := formatScalar(v)
		if err != nil {
			return err
		}
		return writeText(e, start, s)
	}
	return encodeValue(e, start, v, false)
}

// writeText writes an element of simple content.
func writeText(e *xml.Encoder, start xml.StartElement, s string) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if err := e.EncodeToken(xml.CharData(s)); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

// encodeValue writes a struct or Marshaler value as the element start
// names; own keeps the value's own name (wildcard content).
func encodeValue(e *xml.Encoder, start xml.StartElement, v reflect.Value, own bool) error {
	v = addressable(v)
	if _, ok := v.Addr().Interface().(xml.Marshaler); !ok && v.Kind() == reflect.Struct {
		in := infoOf(v.Type())
		if in.extra >= 0 && !own {
			return encodeStruct(e, start, v, in)
		}
	}
	if own {
		return e.Encode(v.Addr().Interface())
	}
	return e.EncodeElement(v.Addr().Interface(), start)
}

func addressable(v reflect.Value) reflect.Value {
	if v.CanAddr() {
		return v
	}
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	return c
}

func (x *encoding) text(e *xml.Encoder) error {
	in := x.in
	if in.text < 0 {
		return nil
	}
	fv := x.sv.Field(in.fields[in.text].index)
	if x.st != nil && x.st.mixed && fv.IsZero() {
		return nil // written at its place, with the children
	}
	if x.st != nil && x.st.text != nil && fv.IsZero() {
		return e.EncodeToken(xml.CharData(*x.st.text))
	}
	if s, ok := x.st.spelling(in.text, 0, fv); ok {
		return e.EncodeToken(xml.CharData(s))
	}
	s, err := formatScalar(fv)
	if err != nil {
		return err
	}
	if s == "" {
		return nil
	}
	return e.EncodeToken(xml.CharData(s))
}

// MarshalItem writes the one element the one-of item v points to holds:
// its alternative that is set, or the element it kept as written.
func MarshalItem(e *xml.Encoder, v any) error {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return fmt.Errorf("xmlstruct.MarshalItem: want a struct, got %T", v)
	}
	return encodeItem(e, addressable(rv), infoOf(rv.Type()))
}

func encodeItem(e *xml.Encoder, sv reflect.Value, in *info) error {
	for i := range in.fields {
		f := &in.fields[i]
		fv := sv.Field(f.index)
		if f.kind != elemField || fv.IsNil() {
			continue
		}
		x := encoding{in: in, sv: sv}
		if ex := in.extraOf(sv); ex != nil && f.vkind == scalarValue {
			if s, ok := ex.s.spelling(i, 0, fv.Elem()); ok {
				return writeText(e, xml.StartElement{Name: xml.Name{Space: f.space, Local: f.name}}, s)
			}
		}
		return x.value(e, f, fv.Elem())
	}
	if x := in.extraOf(sv); x != nil && x.s != nil && len(x.s.elems) > 0 {
		return x.s.elems[0].encode(e)
	}
	return nil
}
