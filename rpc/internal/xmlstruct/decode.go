package xmlstruct

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Unmarshal decodes the element start opens into the generated struct v
// points to, losing nothing: see the package documentation. Only a
// malformed document (or a reader error) fails it.
func Unmarshal(d *xml.Decoder, start xml.StartElement, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("xmlstruct.Unmarshal: want a non-nil pointer to a struct, got %T", v)
	}
	return decodeStruct(d, start, rv.Elem(), infoOf(rv.Elem().Type()))
}

// decoding is the state of one element being decoded; st is allocated only
// when something deviates.
type decoding struct {
	in      *info
	sv      reflect.Value
	st      *state
	seq     []entry
	inOrder bool // the children so far came in declaration order
	last    int  // position in in.fields of the last child decoded in order
	counts  []int32
	attrDev bool // some attribute deviated or came out of order
}

func (x *decoding) state() *state {
	if x.st == nil {
		x.st = &state{}
	}
	return x.st
}

func decodeStruct(d *xml.Decoder, start xml.StartElement, sv reflect.Value, in *info) error {
	var seqBuf [16]entry
	var countBuf [16]int32
	x := decoding{in: in, sv: sv, seq: seqBuf[:0], inOrder: true, last: -1}
	if n := len(in.fields); n <= len(countBuf) {
		x.counts = countBuf[:n]
	} else {
		x.counts = make([]int32, n)
	}
	if err := checkStart(d, start); err != nil {
		return err
	}
	if in.xmlName >= 0 {
		sv.Field(in.xmlName).Set(reflect.ValueOf(start.Name))
	}
	x.decodeAttrs(start.Attr)
	var text []byte
	hasText := false
	// Where the runs of simple content ended, and how many children came
	// before each: text interrupted by a child element is kept at its place.
	var runBuf [4]textRun
	runs := runBuf[:0]
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := x.child(d, t); err != nil {
				return err
			}
		case xml.ProcInst:
			if err := checkProcInst(d, t); err != nil {
				return err
			}
		case xml.CharData:
			switch {
			case in.text >= 0:
				text = append(text, t...)
				hasText = true
				if n := len(runs); n > 0 && runs[n-1].at == len(x.seq) {
					runs[n-1].end = len(text)
				} else {
					runs = append(runs, textRun{at: len(x.seq), end: len(text)})
				}
			case x.st != nil && len(x.seq) > 0 && x.seq[len(x.seq)-1].kind == textEntry:
				// More of the same run (a CDATA section, or white space
				// after text): one text, as a second decode would see it.
				x.st.texts[x.seq[len(x.seq)-1].n] += string(t)
			case len(bytes.TrimSpace(t)) > 0:
				// Text where only elements belong: kept at its place.
				st := x.state()
				st.texts = append(st.texts, string(t))
				x.record(entry{kind: textEntry, f: -1, n: int32(len(st.texts) - 1)}, 0, false)
			}
		case xml.EndElement:
			if len(x.seq) > 0 && len(bytes.TrimSpace(text)) > 0 {
				x.mixedText(text, runs)
			} else {
				x.finishText(text, hasText)
			}
			x.finish()
			return nil
		}
	}
}

func (x *decoding) decodeAttrs(attrs []xml.Attr) {
	in := x.in
	if len(attrs) == 0 {
		return
	}
	var entries []attrEntry
	last := -1
	for _, a := range attrs {
		i, ok := in.attrs[a.Name.Local]
		if !ok || a.Name.Space == "xmlns" || a.Name.Local == "xmlns" && a.Name.Space == "" || a.Name.Space != "" && a.Name.Space != in.fields[i].space {
			if in.anyAttr >= 0 && a.Name.Space != "xmlns" && !(a.Name.Local == "xmlns" && a.Name.Space == "") {
				fv := x.sv.Field(in.anyAttr)
				fv.Set(reflect.Append(fv, reflect.ValueOf(a)))
				entries = append(entries, attrEntry{f: -2, n: int32(fv.Len() - 1)})
				continue
			}
			st := x.state()
			st.rawAttrs = append(st.rawAttrs, a)
			entries = append(entries, attrEntry{f: -1, n: int32(len(st.rawAttrs) - 1)})
			x.attrDev = true
			continue
		}
		f := &in.fields[i]
		if x.counts[i] > 0 { // a repeated attribute: not well-formed XML, keep it anyway
			st := x.state()
			st.rawAttrs = append(st.rawAttrs, a)
			entries = append(entries, attrEntry{f: -1, n: int32(len(st.rawAttrs) - 1)})
			x.attrDev = true
			continue
		}
		x.counts[i]++
		fv := x.sv.Field(f.index)
		target := fv
		if f.ptr {
			target = reflect.New(f.base).Elem()
		}
		if setScalar(target, a.Value) != nil {
			st := x.state()
			st.rawAttrs = append(st.rawAttrs, a)
			entries = append(entries, attrEntry{f: int32(i), n: int32(len(st.rawAttrs) - 1), kept: true})
			x.attrDev = true
			continue
		}
		if f.ptr {
			fv.Set(target.Addr())
		}
		if !formatsAs(target, a.Value) {
			x.state().spell(i, 0, a.Value)
		}
		entries = append(entries, attrEntry{f: int32(i), n: -1})
		if i < last {
			x.attrDev = true
		}
		last = i
	}
	if x.attrDev {
		x.state().attrs = entries
	}
}

// child decodes one child element.
func (x *decoding) child(d *xml.Decoder, t xml.StartElement) error {
	in := x.in
	i, ok := in.elems[t.Name.Local]
	if ok && t.Name.Space != in.fields[i].space {
		ok = false // another vocabulary's element of the same local name
	}
	if !ok {
		switch {
		case in.items >= 0:
			return x.item(d, t)
		case in.raw >= 0:
			return x.wildcard(d, t)
		}
		return x.undeclared(d, t, -1)
	}
	f := &in.fields[i]
	if !f.slice && x.counts[i] > 0 {
		return x.undeclared(d, t, i) // a second occurrence of a single element
	}
	fv := x.sv.Field(f.index)
	switch f.vkind {
	case scalarValue:
		e, err := Capture(d, t)
		if err != nil {
			return err
		}
		nv := reflect.New(f.base).Elem()
		txt, isText := e.Text()
		if !isText || setScalar(nv, txt) != nil || len(e.Attrs) > 0 {
			st := x.state()
			st.elems = append(st.elems, e)
			x.record(entry{kind: keptEntry, f: int32(i), n: int32(len(st.elems) - 1)}, i, false)
			x.counts[i]++
			return nil
		}
		if !formatsAs(nv, txt) {
			x.state().spell(i, int(x.counts[i]), txt)
		}
		x.store(fv, f, nv)
	default:
		nv := reflect.New(f.base)
		if err := decodeValue(d, t, nv); err != nil {
			return err
		}
		x.store(fv, f, nv.Elem())
	}
	x.record(entry{kind: fieldEntry, f: int32(i), n: x.counts[i]}, i, true)
	x.counts[i]++
	return nil
}

// decodeValue decodes one element into the value nv points to.
func decodeValue(d *xml.Decoder, t xml.StartElement, nv reflect.Value) error {
	if u, ok := nv.Interface().(xml.Unmarshaler); ok {
		return u.UnmarshalXML(d, t)
	}
	if nv.Elem().Kind() == reflect.Struct {
		if in := infoOf(nv.Elem().Type()); in.extra >= 0 {
			return decodeStruct(d, t, nv.Elem(), in)
		}
	}
	// A type without bookkeeping decodes as encoding/xml decodes it.
	return d.DecodeElement(nv.Interface(), &t)
}

func (x *decoding) store(fv reflect.Value, f *field, nv reflect.Value) {
	switch {
	case f.slice:
		fv.Set(reflect.Append(fv, nv))
	case f.ptr:
		p := reflect.New(f.base)
		p.Elem().Set(nv)
		fv.Set(p)
	default:
		fv.Set(nv)
	}
}

// record notes a child in document order. A child is in order when its
// field comes at or after the previous child's; a kept or undeclared one
// never is.
func (x *decoding) record(e entry, i int, typed bool) {
	x.seq = append(x.seq, e)
	if !x.inOrder {
		return
	}
	if !typed || i < x.last {
		x.inOrder = false
		return
	}
	x.last = i
}

func (x *decoding) item(d *xml.Decoder, t xml.StartElement) error {
	f := &x.in.fields[x.in.items]
	fv := x.sv.Field(f.index)
	nv := reflect.New(f.base)
	if err := decodeItem(d, t, nv.Elem(), infoOf(f.base)); err != nil {
		return err
	}
	fv.Set(reflect.Append(fv, nv.Elem()))
	x.record(entry{kind: fieldEntry, f: int32(x.in.items), n: x.counts[x.in.items]}, x.in.items, true)
	x.counts[x.in.items]++
	return nil
}

// wildcard keeps an element that a declared xs:any takes.
func (x *decoding) wildcard(d *xml.Decoder, t xml.StartElement) error {
	f := &x.in.fields[x.in.raw]
	fv := x.sv.Field(f.index)
	nv := reflect.New(f.base)
	if err := decodeValue(d, t, nv); err != nil {
		return err
	}
	fv.Set(reflect.Append(fv, nv.Elem()))
	x.record(entry{kind: fieldEntry, f: int32(x.in.raw), n: x.counts[x.in.raw]}, x.in.raw, true)
	x.counts[x.in.raw]++
	return nil
}

func (x *decoding) undeclared(d *xml.Decoder, t xml.StartElement, i int) error {
	e, err := Capture(d, t)
	if err != nil {
		return err
	}
	st := x.state()
	st.elems = append(st.elems, e)
	x.record(entry{kind: undeclaredEntry, f: int32(i), n: int32(len(st.elems) - 1)}, 0, false)
	return nil
}

// textRun is a run of character data in simple content: it ends at
// text[end], and at children came before it.
type textRun struct{ at, end int }

// mixedText keeps simple content that child elements interrupt (and that
// is more than white space) as the text of element-only content is kept:
// each run at its place, as written. The field stays zero: text around
// elements is no value of its type.
func (x *decoding) mixedText(text []byte, runs []textRun) {
	st := x.state()
	st.mixed = true
	seq := make([]entry, 0, len(x.seq)+len(runs))
	k, start := 0, 0
	for _, r := range runs {
		seq = append(seq, x.seq[k:r.at]...)
		k = r.at
		st.texts = append(st.texts, string(text[start:r.end]))
		start = r.end
		seq = append(seq, entry{kind: textEntry, f: -1, n: int32(len(st.texts) - 1)})
	}
	x.seq = append(seq, x.seq[k:]...)
	x.inOrder = false
}

func (x *decoding) finishText(text []byte, has bool) {
	in := x.in
	if in.text < 0 {
		return
	}
	f := &in.fields[in.text]
	fv := x.sv.Field(f.index)
	if f.base.Kind() == reflect.String {
		fv.SetString(string(text))
		return
	}
	if setScalar(fv, string(text)) == nil && has {
		if !formatsAs(fv, string(text)) {
			x.state().spell(in.text, 0, string(text))
		}
		return
	}
	// Text that is not a value of the field's type, or none where a
	// number is declared: kept as written, the field stays zero.
	fv.SetZero()
	s := string(text)
	x.state().text = &s
}

// finish records what is missing and keeps the document order when it
// differs from the declaration order.
func (x *decoding) finish() {
	in := x.in
	for i := range in.fields {
		f := &in.fields[i]
		if x.counts[i] == 0 && f.required() {
			x.state().missing = append(x.state().missing, i)
		}
	}
	if !x.inOrder {
		x.state()
		x.st.seq = append([]entry(nil), x.seq...)
	}
	if ex := in.extraOf(x.sv); ex != nil {
		ex.s = x.st
	}
}

// UnmarshalItem decodes one element of an ordered, repeating group into the
// one-of item v points to: into the alternative that declares it, or kept
// as written when none does.
func UnmarshalItem(d *xml.Decoder, start xml.StartElement, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("xmlstruct.UnmarshalItem: want a non-nil pointer to a struct, got %T", v)
	}
	return decodeItem(d, start, rv.Elem(), infoOf(rv.Elem().Type()))
}

func decodeItem(d *xml.Decoder, t xml.StartElement, sv reflect.Value, in *info) error {
	if i, ok := in.elems[t.Name.Local]; ok && t.Name.Space == in.fields[i].space {
		f := &in.fields[i]
		fv := sv.Field(f.index)
		if f.vkind == scalarValue {
			e, err := Capture(d, t)
			if err != nil {
				return err
			}
			nv := reflect.New(f.base).Elem()
			if txt, ok := e.Text(); ok && len(e.Attrs) == 0 && setScalar(nv, txt) == nil {
				p := reflect.New(f.base)
				p.Elem().Set(nv)
				fv.Set(p)
				if !formatsAs(nv, txt) {
					if ex := in.extraOf(sv); ex != nil {
						ex.s = &state{}
						ex.s.spell(i, 0, txt)
					}
				}
				return nil
			}
			return keepItem(sv, in, e, i)
		}
		nv := reflect.New(f.base)
		if err := decodeValue(d, t, nv); err != nil {
			return err
		}
		fv.Set(nv)
		return nil
	}
	e, err := Capture(d, t)
	if err != nil {
		return err
	}
	return keepItem(sv, in, e, -1)
}

func keepItem(sv reflect.Value, in *info, e Elem, f int) error {
	ex := in.extraOf(sv)
	if ex == nil {
		return nil
	}
	kind := undeclaredEntry
	if f >= 0 {
		kind = keptEntry
	}
	ex.s = &state{elems: []Elem{e}, seq: []entry{{kind: kind, f: int32(f), n: 0}}}
	return nil
}

// setScalar parses s into a string, integer, float or boolean value,
// trimming space around numbers and booleans as encoding/xml does. An
// empty number or boolean does not parse: it is kept as written.
func setScalar(v reflect.Value, s string) error {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, v.Type().Bits())
		if err != nil {
			return err
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(strings.TrimSpace(s), 10, v.Type().Bits())
		if err != nil {
			return err
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		n, err := strconv.ParseFloat(strings.TrimSpace(s), v.Type().Bits())
		if err != nil {
			return err
		}
		v.SetFloat(n)
	case reflect.Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return err
		}
		v.SetBool(b)
	default:
		return fmt.Errorf("cannot decode text into %s", v.Type())
	}
	return nil
}

// formatsAs reports whether the scalar value v formats as s, so that
// writing v gives back s; it allocates nothing.
func formatsAs(v reflect.Value, s string) bool {
	var buf [32]byte
	switch v.Kind() {
	case reflect.String:
		return true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return string(strconv.AppendInt(buf[:0], v.Int(), 10)) == s
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return string(strconv.AppendUint(buf[:0], v.Uint(), 10)) == s
	case reflect.Float32, reflect.Float64:
		return string(strconv.AppendFloat(buf[:0], v.Float(), 'g', -1, v.Type().Bits())) == s
	case reflect.Bool:
		return s == strconv.FormatBool(v.Bool())
	}
	return true
}

// formatScalar writes a scalar value as encoding/xml would.
func formatScalar(v reflect.Value) (string, error) {
	switch v.Kind() {
	case reflect.String:
		return v.String(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, v.Type().Bits()), nil
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), nil
	}
	return "", fmt.Errorf("cannot encode %s as text", v.Type())
}
