package xmlstruct

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
)

// Elem is one XML element kept as written: its name, its attributes and the
// XML inside it. The inner XML is rebuilt from the tokens (a decoder that
// reads tokens, as the runtime's streaming one does, has no bytes to slice):
// it is equivalent to the input, not byte-identical.
type Elem struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Inner   []byte     `xml:",innerxml"`
}

// Capture reads the element start opens, to its end, into an Elem.
func Capture(d *xml.Decoder, start xml.StartElement) (Elem, error) {
	r := Elem{XMLName: start.Name}
	if len(start.Attr) > 0 {
		r.Attrs = append([]xml.Attr(nil), start.Attr...)
	}
	var b bytes.Buffer
	spaces := []string{start.Name.Space} // the default namespace at each depth
	for {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return r, err
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
				if b.Len() > 0 {
					r.Inner = b.Bytes()
				}
				return r, nil
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

// UnmarshalXML captures the element: see Capture.
func (r *Elem) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	e, err := Capture(d, start)
	*r = e
	return err
}

// Text returns the character data of an element that holds no child
// element (comments and processing instructions are skipped).
func (r *Elem) Text() (string, bool) {
	if bytes.IndexByte(r.Inner, '<') < 0 && bytes.IndexByte(r.Inner, '&') < 0 {
		return string(r.Inner), true
	}
	d := xml.NewDecoder(bytes.NewReader(r.Inner))
	var b strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return b.String(), err == io.EOF
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			return "", false
		}
	}
}

// String writes the element back as XML, for messages.
func (r *Elem) String() string {
	var b bytes.Buffer
	b.WriteByte('<')
	b.WriteString(r.XMLName.Local)
	for _, a := range r.Attrs {
		writeAttr(&b, attrName(a.Name), a.Value)
	}
	if len(r.Inner) == 0 {
		b.WriteString("/>")
		return b.String()
	}
	b.WriteByte('>')
	b.Write(r.Inner)
	b.WriteString("</")
	b.WriteString(r.XMLName.Local)
	b.WriteByte('>')
	return b.String()
}

// encode writes the element with e.
func (r *Elem) encode(e *xml.Encoder) error {
	return e.Encode(r)
}

// EscapeText returns s escaped as element content.
func EscapeText(s string) []byte {
	var b bytes.Buffer
	escapeXML(&b, []byte(s), false)
	return b.Bytes()
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
