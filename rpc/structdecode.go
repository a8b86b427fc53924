package rpc

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// UnmarshalStruct decodes the element that start opens into the generated
// struct v points to. It follows v's encoding/xml tags, as xml.Decoder
// would, but loses nothing a server sends:
//
//   - an element the struct does not declare goes to its `xml:",any"`
//     field (Unknown, or the one-of items of an ordered group);
//   - a second occurrence of a single-valued element goes to Unknown
//     instead of overwriting the first;
//   - a value that does not parse as its field's type (text where a number
//     is declared) goes to Unknown, as written, and the field stays unset;
//   - an empty value where a number or boolean is declared decodes as zero.
//
// Generated types call it from their UnmarshalXML methods.
func UnmarshalStruct(d *xml.Decoder, start xml.StartElement, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("rpc.UnmarshalStruct: want a non-nil pointer to a struct, got %T", v)
	}
	sv := rv.Elem()
	info := structInfoOf(sv.Type())
	if info.xmlName >= 0 {
		sv.Field(info.xmlName).Set(reflect.ValueOf(start.Name))
	}
	for _, a := range start.Attr {
		i, ok := info.attrs[a.Name.Local]
		if !ok || a.Name.Space == "xmlns" || a.Name.Local == "xmlns" && a.Name.Space == "" {
			if info.anyAttr >= 0 {
				f := sv.Field(info.anyAttr)
				f.Set(reflect.Append(f, reflect.ValueOf(a)))
			}
			continue
		}
		f := sv.Field(i)
		target := f
		if f.Kind() == reflect.Pointer {
			target = reflect.New(f.Type().Elem()).Elem()
		}
		if err := setScalar(target, a.Value); err != nil {
			return fmt.Errorf("attribute %s of <%s>: %w", a.Name.Local, start.Name.Local, err)
		}
		if f.Kind() == reflect.Pointer {
			f.Set(target.Addr())
		}
	}
	var text []byte
	var seen uint64 // single-valued fields already decoded, by field index (first 64)
	var seenMore map[int]bool
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if info.order >= 0 {
				f := sv.Field(info.order)
				f.Set(reflect.Append(f, reflect.ValueOf(t.Name.Local)))
			}
			i, ok := info.elems[t.Name.Local]
			if !ok {
				if err := info.other(d, t, sv); err != nil {
					return err
				}
				continue
			}
			f := sv.Field(i)
			single := f.Kind() != reflect.Slice
			if single && (i < 64 && seen&(1<<i) != 0 || i >= 64 && seenMore[i]) {
				if err := info.keep(d, t, sv); err != nil {
					return err
				}
				continue
			}
			set, err := info.decodeField(d, t, sv, f)
			if err != nil {
				return err
			}
			if single && set {
				if i < 64 {
					seen |= 1 << i
				} else {
					if seenMore == nil {
						seenMore = map[int]bool{}
					}
					seenMore[i] = true
				}
			}
		case xml.CharData:
			if info.text >= 0 {
				text = append(text, t...)
			}
		case xml.EndElement:
			if info.text >= 0 {
				f := sv.Field(info.text)
				if err := setScalar(f, string(text)); err != nil {
					return fmt.Errorf("text of <%s>: %w", start.Name.Local, err)
				}
			}
			return nil
		}
	}
}

var (
	rawType   = reflect.TypeFor[Raw]()
	emptyType = reflect.TypeFor[Empty]()
	nameType  = reflect.TypeFor[xml.Name]()
	unmarshal = reflect.TypeFor[xml.Unmarshaler]()
)

// structInfo is what UnmarshalStruct needs to know of a struct type.
type structInfo struct {
	elems map[string]int // child element name -> field index
	attrs map[string]int // attribute name -> field index
	order int            // XMLOrder field, or -1

	// For MarshalStruct: fields in declaration order, their XML names and
	// whether an empty value is omitted.
	elemOrder []int
	attrOrder []int
	elemName  map[int]string
	attrName  map[int]string
	omitEmpty map[int]bool

	xmlName int // XMLName field, or -1
	text    int // ,chardata field, or -1
	unknown int // ,any []Raw field, or -1
	items   int // ,any field of one-of items, or -1
	anyAttr int // ,any,attr field, or -1
}

var structInfos sync.Map // reflect.Type -> *structInfo

func structInfoOf(t reflect.Type) *structInfo {
	if v, ok := structInfos.Load(t); ok {
		return v.(*structInfo)
	}
	info := &structInfo{
		elems: map[string]int{}, attrs: map[string]int{}, xmlName: -1, text: -1, unknown: -1, items: -1, anyAttr: -1, order: -1,
		elemName: map[int]string{}, attrName: map[int]string{}, omitEmpty: map[int]bool{},
	}
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		tag, ok := sf.Tag.Lookup("xml")
		if sf.Name == "XMLName" && sf.Type == nameType {
			info.xmlName = i
			continue
		}
		if sf.Name == OrderField && sf.Type == reflect.TypeFor[[]string]() {
			info.order = i
			continue
		}
		if !ok || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if j := strings.LastIndexByte(name, ' '); j >= 0 {
			name = name[j+1:] // drop the namespace
		}
		switch {
		case hasOpt(opts, "any") && hasOpt(opts, "attr"):
			info.anyAttr = i
		case hasOpt(opts, "attr"):
			info.attrs[name] = i
			info.attrOrder = append(info.attrOrder, i)
			info.attrName[i] = name
			info.omitEmpty[i] = hasOpt(opts, "omitempty")
		case hasOpt(opts, "chardata"):
			info.text = i
		case hasOpt(opts, "any"):
			if sf.Type.Kind() == reflect.Slice && sf.Type.Elem() == rawType {
				if info.unknown < 0 {
					info.unknown = i
				}
			} else if info.items < 0 {
				info.items = i
			}
		case hasOpt(opts, "innerxml"), hasOpt(opts, "comment"):
		default:
			if name == "" {
				name = sf.Name
			}
			info.elems[name] = i
			info.elemOrder = append(info.elemOrder, i)
			info.elemName[i] = name
		}
	}
	v, _ := structInfos.LoadOrStore(t, info)
	return v.(*structInfo)
}

func hasOpt(opts, want string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == want {
			return true
		}
	}
	return false
}

// other handles an element no field names: one-of items take it (they keep
// what they do not know as Raw), else Unknown.
func (info *structInfo) other(d *xml.Decoder, t xml.StartElement, sv reflect.Value) error {
	if info.items >= 0 {
		f := sv.Field(info.items)
		item := reflect.New(f.Type().Elem())
		if err := d.DecodeElement(item.Interface(), &t); err != nil {
			return err
		}
		f.Set(reflect.Append(f, item.Elem()))
		return nil
	}
	return info.keep(d, t, sv)
}

// keep stores the element as written in Unknown (or skips it when the
// struct has no such field, which generated structs always have).
func (info *structInfo) keep(d *xml.Decoder, t xml.StartElement, sv reflect.Value) error {
	raw, err := readRaw(d, t)
	if err != nil {
		return err
	}
	return info.keepRaw(raw, sv)
}

func (info *structInfo) keepRaw(raw *Raw, sv reflect.Value) error {
	if info.unknown < 0 {
		return nil
	}
	f := sv.Field(info.unknown)
	f.Set(reflect.Append(f, reflect.ValueOf(*raw)))
	return nil
}

// decodeField decodes one child element into field f (a value, pointer or
// slice). It reports false when the element went to Unknown instead.
func (info *structInfo) decodeField(d *xml.Decoder, t xml.StartElement, sv, f reflect.Value) (bool, error) {
	et := f.Type()
	if f.Kind() == reflect.Slice {
		et = et.Elem()
	}
	ptr := false
	if et.Kind() == reflect.Pointer {
		et, ptr = et.Elem(), true
	}
	nv := reflect.New(et)
	switch {
	case et == rawType || et == emptyType || reflect.PointerTo(et).Implements(unmarshal) || et.Kind() == reflect.Struct:
		if err := d.DecodeElement(nv.Interface(), &t); err != nil {
			return false, err
		}
	default:
		raw, err := readRaw(d, t)
		if err != nil {
			return false, err
		}
		txt, ok := raw.text()
		if !ok || setScalar(nv.Elem(), txt) != nil {
			return false, info.keepRaw(raw, sv)
		}
	}
	switch {
	case f.Kind() == reflect.Slice:
		f.Set(reflect.Append(f, nv.Elem()))
	case ptr:
		f.Set(nv)
	default:
		f.Set(nv.Elem())
	}
	return true, nil
}

// readRaw reads the element start opens, as written.
func readRaw(d *xml.Decoder, start xml.StartElement) (*Raw, error) {
	raw := new(Raw)
	if err := d.DecodeElement(raw, &start); err != nil {
		return nil, err
	}
	return raw, nil
}

// text returns the character data of a Raw that holds no child element.
func (r *Raw) text() (string, bool) {
	if bytes.IndexByte(r.Inner, '<') < 0 && bytes.IndexByte(r.Inner, '&') < 0 {
		return string(r.Inner), true
	}
	d := xml.NewDecoder(bytes.NewReader(r.Inner))
	var b strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return b.String(), errors.Is(err, io.EOF)
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			return "", false
		}
	}
}

// setScalar parses s into a string, integer, float or boolean value,
// trimming space around numbers and booleans as encoding/xml does; an
// empty number or boolean is zero.
func setScalar(v reflect.Value, s string) error {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s = strings.TrimSpace(s)
		if s == "" {
			v.SetInt(0)
			return nil
		}
		n, err := strconv.ParseInt(s, 10, v.Type().Bits())
		if err != nil {
			return err
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		s = strings.TrimSpace(s)
		if s == "" {
			v.SetUint(0)
			return nil
		}
		n, err := strconv.ParseUint(s, 10, v.Type().Bits())
		if err != nil {
			return err
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		s = strings.TrimSpace(s)
		if s == "" {
			v.SetFloat(0)
			return nil
		}
		n, err := strconv.ParseFloat(s, v.Type().Bits())
		if err != nil {
			return err
		}
		v.SetFloat(n)
	case reflect.Bool:
		s = strings.TrimSpace(s)
		if s == "" {
			v.SetBool(false)
			return nil
		}
		b, err := strconv.ParseBool(s)
		if err != nil {
			return err
		}
		v.SetBool(b)
	default:
		return fmt.Errorf("cannot decode text into %s", v.Type())
	}
	return nil
}
