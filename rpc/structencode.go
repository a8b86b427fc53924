package rpc

import (
	"encoding/xml"
	"fmt"
	"reflect"
	"strconv"
)

// OrderField is the name of the field in which generated structs with
// xs:all content record the order their child elements arrived in. xs:all
// lets a document order its children freely, and a round trip must keep
// that order.
const OrderField = "XMLOrder"

// MarshalStruct encodes the generated struct v points to as the element
// start names, writing its children in the order recorded in its XMLOrder
// field (see UnmarshalStruct), and children not recorded there in field
// order. Generated types with xs:all content call it from MarshalXML.
func MarshalStruct(e *xml.Encoder, start xml.StartElement, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return fmt.Errorf("rpc.MarshalStruct: want a struct, got %T", v)
	}
	info := structInfoOf(rv.Type())
	if info.xmlName >= 0 {
		if n := rv.Field(info.xmlName).Interface().(xml.Name); n.Local != "" {
			start.Name = n
		}
	}
	start.Attr = start.Attr[:0:0]
	for _, i := range info.attrOrder {
		f := rv.Field(i)
		if f.Kind() == reflect.Pointer {
			if f.IsNil() {
				continue
			}
			f = f.Elem()
		} else if info.omitEmpty[i] && f.IsZero() {
			continue
		}
		s, err := formatScalar(f)
		if err != nil {
			return err
		}
		start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: info.attrName[i]}, Value: s})
	}
	if info.anyAttr >= 0 {
		start.Attr = append(start.Attr, rv.Field(info.anyAttr).Interface().([]xml.Attr)...)
	}
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	written := map[int]int{} // field index -> elements written
	unknownUsed := make([]bool, 0)
	if info.unknown >= 0 {
		unknownUsed = make([]bool, rv.Field(info.unknown).Len())
	}
	if info.order >= 0 {
		for _, name := range rv.Field(info.order).Interface().([]string) {
			if i, ok := info.elems[name]; ok {
				if err := info.encodeNext(e, rv, i, name, written); err != nil {
					return err
				}
				continue
			}
			if info.unknown >= 0 {
				u := rv.Field(info.unknown)
				for k := range unknownUsed {
					if !unknownUsed[k] && u.Index(k).Interface().(Raw).XMLName.Local == name {
						unknownUsed[k] = true
						if err := e.Encode(u.Index(k).Interface()); err != nil {
							return err
						}
						break
					}
				}
			}
		}
	}
	for _, i := range info.elemOrder {
		for {
			n := written[i]
			if err := info.encodeNext(e, rv, i, info.elemName[i], written); err != nil {
				return err
			}
			if written[i] == n {
				break
			}
		}
	}
	if info.text >= 0 {
		s, err := formatScalar(rv.Field(info.text))
		if err != nil {
			return err
		}
		if err := e.EncodeToken(xml.CharData(s)); err != nil {
			return err
		}
	}
	if info.items >= 0 {
		if err := e.Encode(rv.Field(info.items).Interface()); err != nil {
			return err
		}
	}
	if info.unknown >= 0 {
		u := rv.Field(info.unknown)
		for k, used := range unknownUsed {
			if !used {
				if err := e.Encode(u.Index(k).Interface()); err != nil {
					return err
				}
			}
		}
	}
	return e.EncodeToken(start.End())
}

// encodeNext writes the next element field i holds that is not written
// yet: the field itself for a single value, the next slice element for a
// list. It writes nothing when none is left.
func (info *structInfo) encodeNext(e *xml.Encoder, rv reflect.Value, i int, name string, written map[int]int) error {
	f := rv.Field(i)
	n := written[i]
	var v reflect.Value
	switch {
	case f.Kind() == reflect.Slice:
		if n >= f.Len() {
			return nil
		}
		v = f.Index(n)
	case n > 0:
		return nil
	case f.Kind() == reflect.Pointer:
		if f.IsNil() {
			return nil
		}
		v = f
	default:
		v = f
	}
	written[i] = n + 1
	return e.EncodeElement(v.Interface(), xml.StartElement{Name: xml.Name{Local: name}})
}

// formatScalar writes a scalar field as encoding/xml would.
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
