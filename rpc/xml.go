package rpc

import (
	"bytes"
	"encoding/xml"
)

// SupportPackageIsVersion1 is referenced by generated packages: a binding
// generated for a newer runtime fails to compile against an older one.
const SupportPackageIsVersion1 = true

// Empty is the value of an element that carries meaning by being present:
// <gen_info/>, <no-plan/>, <success/>. Generated code uses *Empty for an
// optional flag (nil = absent) and Empty for a required one.
type Empty struct{}

// Raw is one XML element kept as written: its name, attributes and inner
// XML. Generated code stores in Raw whatever it cannot type (an element a
// newer server added, the content of an xs:any), so nothing is dropped and
// a marshal writes back an equivalent element (see UnmarshalXML).
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
	r.XMLName = start.Name
	r.Attrs = append([]xml.Attr(nil), start.Attr...)
	var b bytes.Buffer
	spaces := []string{start.Name.Space} // the default namespace at each depth
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			b.WriteByte('<')
			b.WriteString(t.Name.Local)
			if sp := spaces[len(spaces)-1]; t.Name.Space != sp {
				writeAttr(&b, "xmlns", t.Name.Space)
			}
			for _, a := range t.Attr {
				writeAttr(&b, attrName(a.Name), a.Value)
			}
			b.WriteByte('>')
			spaces = append(spaces, t.Name.Space)
		case xml.EndElement:
			spaces = spaces[:len(spaces)-1]
			if len(spaces) == 0 {
				r.Inner = b.Bytes()
				return nil
			}
			b.WriteString("</")
			b.WriteString(t.Name.Local)
			b.WriteByte('>')
		case xml.CharData:
			escapeXML(&b, t, false)
		case xml.Comment:
			b.WriteString("<!--")
			b.Write(t)
			b.WriteString("-->")
		case xml.ProcInst:
			b.WriteString("<?")
			b.WriteString(t.Target)
			if len(t.Inst) > 0 {
				b.WriteByte(' ')
				b.Write(t.Inst)
			}
			b.WriteString("?>")
		case xml.Directive:
			b.WriteString("<!")
			b.Write(t)
			b.WriteByte('>')
		}
	}
}

// attrName writes an attribute name back: xmlns declarations and xml:
// attributes keep their prefix; other namespaced attributes lose it (Plesk
// packets use none).
func attrName(n xml.Name) string {
	switch n.Space {
	case "":
		return n.Local
	case "xmlns":
		return "xmlns:" + n.Local
	case "http://www.w3.org/XML/1998/namespace", "xml":
		return "xml:" + n.Local
	}
	return n.Local
}

func writeAttr(b *bytes.Buffer, name, value string) {
	b.WriteByte(' ')
	b.WriteString(name)
	b.WriteString(`="`)
	escapeXML(b, []byte(value), true)
	b.WriteByte('"')
}

// escapeXML writes text escaped for element content or, with attr, for a
// double-quoted attribute value (where white space must survive as
// character references, or a parser would normalize it to spaces).
func escapeXML(b *bytes.Buffer, s []byte, attr bool) {
	last := 0
	for i, c := range s {
		var esc string
		switch c {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\r':
			esc = "&#xD;"
		case '"':
			if !attr {
				continue
			}
			esc = "&quot;"
		case '\n':
			if !attr {
				continue
			}
			esc = "&#xA;"
		case '\t':
			if !attr {
				continue
			}
			esc = "&#x9;"
		default:
			continue
		}
		b.Write(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.Write(s[last:])
}
