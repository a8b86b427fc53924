// Package xmlstruct is the lossless XML codec behind generated bindings.
//
// A generated struct declares its schema content as exported fields with
// encoding/xml tags and carries one blank field of type Extra:
//
//	type CustomerAdd struct {
//		GenInfo CustomerGenInfo `xml:"gen_info"`
//		_       rpcimpl.Extra
//	}
//
// Unmarshal fills the exported fields and keeps in Extra whatever the schema
// did not foresee: undeclared elements and attributes at their place, values
// that could not be typed (as written), the spelling of numbers and booleans
// written otherwise than their value formats (007, +3), text around elements
// in simple content, the document order where it differs from the
// declaration order, and the required children that were absent.
// Marshal writes it all back, so that any well-formed element round-trips.
// A declared element is matched by its local name in the namespace its tag
// names (none for generated types): another vocabulary's element of the
// same name is undeclared content. What XML 1.0 and Namespaces in XML
// forbid and encoding/xml's decoder lets through (a repeated attribute, a
// name or prefix that is no name, an unbound prefix, a bad declaration, an
// XML declaration in content) fails Unmarshal with a *NotWellFormedError,
// so that nothing is written back that no parser reads.
// Extra is a blank field so that == and go-cmp look only at the schema
// content; this package reaches it by reflection.
package xmlstruct

import (
	"encoding/xml"
	"reflect"
	"strings"
	"sync"
)

// Extra is the bookkeeping of one decoded element. Its zero value (every
// value a program builds) means "nothing beyond the exported fields".
type Extra struct{ s *state }

// fieldKind tells how a struct field maps onto XML.
type fieldKind uint8

const (
	elemField  fieldKind = iota // a child element (value, pointer or slice)
	attrField                   // an attribute
	textField                   // character data of simple content
	itemsField                  // []Item: an ordered, repeating one-of group
	rawField                    // []Raw-like: wildcard content, kept as written
)

// valueKind tells how a field's value (without pointer or slice) decodes.
type valueKind uint8

const (
	scalarValue valueKind = iota // string, integer, float, bool: parsed from text
	structValue                  // a generated struct or an xml.Unmarshaler
)

type field struct {
	index     int // struct field index
	kind      fieldKind
	name      string // XML local name
	space     string // namespace from the tag, "" for none
	goName    string
	typ       reflect.Type // field type
	base      reflect.Type // value type, without pointer or slice
	vkind     valueKind
	ptr       bool
	slice     bool
	omitEmpty bool
	atLeast1  bool // a repeated element the schema requires at least once (tag xsd:"required")
}

// required reports whether a decoded element without this child is
// missing something: a value field is written whatever it holds.
func (f *field) required() bool {
	return f.atLeast1 || !f.ptr && !f.slice && (f.kind == elemField || f.kind == attrField && !f.omitEmpty)
}

type info struct {
	typ     reflect.Type
	fields  []field
	elems   map[string]int // XML name -> position in fields
	attrs   map[string]int
	text    int // position of the chardata field, or -1
	items   int // position of the items field, or -1
	raw     int // position of the wildcard field, or -1
	anyAttr int // struct field index of a declared attribute wildcard ([]xml.Attr), or -1
	extra   int // struct field index of the Extra field, or -1
	xmlName int // struct field index of XMLName, or -1
	// matchAll is the struct field index of a filter type's MatchAll
	// field (bool, tagged xml:"-"), or -1.
	matchAll int
	tagName  xml.Name // the element name XMLName's tag gives, if any
}

var (
	extraType     = reflect.TypeFor[Extra]()
	nameType      = reflect.TypeFor[xml.Name]()
	elemType      = reflect.TypeFor[Elem]()
	unmarshalType = reflect.TypeFor[xml.Unmarshaler]()
	infos         sync.Map // reflect.Type -> *info
)

func infoOf(t reflect.Type) *info {
	if v, ok := infos.Load(t); ok {
		return v.(*info)
	}
	in := &info{typ: t, elems: map[string]int{}, attrs: map[string]int{}, text: -1, items: -1, raw: -1, anyAttr: -1, extra: -1, xmlName: -1, matchAll: -1}
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Type == extraType {
			in.extra = i
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if sf.Name == "XMLName" && sf.Type == nameType {
			in.xmlName = i
			if tag, _, _ := strings.Cut(sf.Tag.Get("xml"), ","); tag != "" {
				if j := strings.LastIndexByte(tag, ' '); j >= 0 {
					in.tagName = xml.Name{Space: tag[:j], Local: tag[j+1:]}
				} else {
					in.tagName = xml.Name{Local: tag}
				}
			}
			continue
		}
		tag, ok := sf.Tag.Lookup("xml")
		if sf.Name == "MatchAll" && sf.Type.Kind() == reflect.Bool && tag == "-" {
			in.matchAll = i
			continue
		}
		if !ok || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		space := ""
		if j := strings.LastIndexByte(name, ' '); j >= 0 {
			space, name = name[:j], name[j+1:]
		}
		f := field{index: i, name: name, space: space, goName: sf.Name, typ: sf.Type, omitEmpty: hasOpt(opts, "omitempty"),
			atLeast1: sf.Tag.Get("xsd") == "required"}
		base := sf.Type
		switch base.Kind() {
		case reflect.Slice:
			f.slice = true
			base = base.Elem()
		case reflect.Pointer:
			f.ptr = true
			base = base.Elem()
		}
		f.base = base
		switch {
		case base.Kind() == reflect.Struct || reflect.PointerTo(base).Implements(unmarshalType):
			f.vkind = structValue
		default:
			f.vkind = scalarValue
		}
		switch {
		case hasOpt(opts, "attr") && hasOpt(opts, "any"):
			in.anyAttr = i // a declared xs:anyAttribute
			continue
		case hasOpt(opts, "attr"):
			f.kind = attrField
			in.attrs[name] = len(in.fields)
		case hasOpt(opts, "chardata"):
			f.kind = textField
			in.text = len(in.fields)
		case hasOpt(opts, "any"):
			if f.slice && f.vkind == structValue && !base.ConvertibleTo(elemType) {
				f.kind = itemsField
				in.items = len(in.fields)
			} else {
				f.kind = rawField
				in.raw = len(in.fields)
			}
		case hasOpt(opts, "innerxml"), hasOpt(opts, "comment"):
			continue
		default:
			if name == "" {
				name = sf.Name
				f.name = name
			}
			f.kind = elemField
			in.elems[name] = len(in.fields)
		}
		in.fields = append(in.fields, f)
	}
	v, _ := infos.LoadOrStore(t, in)
	return v.(*info)
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

// extraOf returns the Extra of the struct sv (addressable), or nil.
func (in *info) extraOf(sv reflect.Value) *Extra {
	if in.extra < 0 {
		return nil
	}
	return extraAt(sv.Field(in.extra))
}
