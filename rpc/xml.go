package rpc

import (
	"encoding/xml"
	"unsafe"

	"github.com/pleskgo/plesk/rpc/internal/xmlstruct"
)

// Empty is the value of an element that carries meaning by being present:
// <gen_info/>, <no-plan/>, <success/>. Generated code uses *Empty for an
// optional flag (nil = absent) and Empty for a required one. Content a
// server puts inside such an element is kept, and reported by Deviations.
type Empty struct {
	_ xmlstruct.Extra
}

// UnmarshalXML decodes the flag, keeping any content it unexpectedly has.
func (v *Empty) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	return xmlstruct.Unmarshal(d, start, v)
}

// MarshalXML writes the flag, with any content it was decoded with.
func (v Empty) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	// Empty's one field is its bookkeeping: a flag that keeps nothing, the
	// common case, is written directly.
	if err := xmlstruct.NoteFlag(e); err != nil {
		return err
	}
	if (*xmlstruct.Extra)(unsafe.Pointer(&v)).None() {
		if err := e.EncodeToken(start); err != nil {
			return err
		}
		return e.EncodeToken(start.End())
	}
	return xmlstruct.Marshal(e, start, &v)
}

// Raw is one XML element kept as written: its name, attributes and inner
// XML. Generated code uses it for elements whose content the schema leaves
// open (xs:any, or an untyped element a binding customization keeps raw),
// so nothing is dropped and a marshal writes back an equivalent element
// (see UnmarshalXML).
type Raw struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Inner   []byte     `xml:",innerxml"`
}

// UnmarshalXML keeps the element: its name, its attributes and the XML
// inside it. The inner XML is rebuilt from the tokens rather than sliced
// from the input, because `xml:",innerxml"` is empty on a decoder that reads
// tokens instead of bytes (xml.NewTokenDecoder), which is how this package
// streams results. The rebuilt XML is equivalent, not byte-identical: text
// and attribute values are re-escaped, an empty element <a/> comes back as
// <a></a>, and namespace prefixes become xmlns declarations.
func (r *Raw) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	e, err := xmlstruct.Capture(d, start)
	*r = Raw(e)
	return err
}

func (r *Raw) text() (string, bool) {
	e := xmlstruct.Elem(*r)
	return e.Text()
}
