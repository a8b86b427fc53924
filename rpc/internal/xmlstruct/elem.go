package xmlstruct

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
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
	if err := checkStart(d, start); err != nil {
		return r, err
	}
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
			if err := checkStart(d, t); err != nil {
				return r, err
			}
			b.WriteByte('<')
			b.WriteString(t.Name.Local)
			if sp := spaces[len(spaces)-1]; t.Name.Space != sp {
				writeAttr(&b, "xmlns", t.Name.Space)
			}
			writeAttrs(&b, t.Attr)
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
			b.Write(AppendEscaped(b.AvailableBuffer(), t, false))
		case xml.Comment:
			b.WriteString("<!--")
			b.Write(t)
			b.WriteString("-->")
		case xml.ProcInst:
			if err := checkProcInst(d, t); err != nil {
				return r, err
			}
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
	if r.XMLName.Space != "" {
		writeAttr(&b, "xmlns", r.XMLName.Space)
	}
	writeAttrs(&b, r.Attrs)
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
	if attrs, ok := encoderAttrs(r.Attrs, r.XMLName.Space); ok {
		c := *r
		c.Attrs = attrs
		return e.Encode(&c)
	}
	return e.Encode(r)
}

// encoderAttrs returns the attributes of an element in namespace space as
// encoding/xml's encoder must be given them to write them back as they
// came, and whether they had to change: see literalAttrs. The default
// declaration is left out when the encoder writes the element's own (it
// would be written twice).
func encoderAttrs(attrs []xml.Attr, space string) ([]xml.Attr, bool) {
	return literalAttrs(attrs, space != "")
}

// literalAttrs returns attrs with literal names, and whether they had to
// change. The encoder would declare a made-up prefix for the "xmlns"
// namespace and for the namespace of every namespaced attribute, clashing
// with the declarations kept beside them, and a namespaced attribute
// written by its local name alone could clash with a plain one; so a prefix
// declaration (xmlns:p) is given by its literal name, and a namespaced
// attribute by a literal prefix bound to its namespace on the same element
// (one of the declarations there, or a new nsN). With dropDefault the
// default declaration (xmlns) is left out.
func literalAttrs(attrs []xml.Attr, dropDefault bool) ([]xml.Attr, bool) {
	change := false
	for _, a := range attrs {
		if a.Name.Space != "" && a.Name.Space != xmlURL || dropDefault && a.Name.Local == "xmlns" {
			change = true
			break
		}
	}
	if !change {
		return attrs, false
	}
	prefixes := map[string]string{} // namespace -> prefix declared here
	declared := map[string]bool{}
	for _, a := range attrs {
		if a.Name.Space == "xmlns" {
			declared[a.Name.Local] = true
			if _, ok := prefixes[a.Value]; !ok && a.Value != "" {
				prefixes[a.Value] = a.Name.Local
			}
		}
	}
	out := make([]xml.Attr, 0, len(attrs))
	for _, a := range attrs {
		switch {
		case a.Name.Space == "xmlns":
			out = append(out, xml.Attr{Name: xml.Name{Local: "xmlns:" + a.Name.Local}, Value: a.Value})
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			if !dropDefault {
				out = append(out, a)
			}
		case a.Name.Space == "" || a.Name.Space == xmlURL:
			out = append(out, a)
		default:
			p, ok := prefixes[a.Name.Space]
			if !ok {
				for i := 0; ; i++ {
					p = "ns" + strconv.Itoa(i)
					if !declared[p] {
						break
					}
				}
				declared[p] = true
				prefixes[a.Name.Space] = p
				out = append(out, xml.Attr{Name: xml.Name{Local: "xmlns:" + p}, Value: a.Name.Space})
			}
			out = append(out, xml.Attr{Name: xml.Name{Local: p + ":" + a.Name.Local}, Value: a.Value})
		}
	}
	return out, true
}

// xmlURL is the namespace of the xml: prefix, which needs no declaration.
const xmlURL = "http://www.w3.org/XML/1998/namespace"

// EscapeText returns s escaped as element content.
func EscapeText(s string) []byte {
	return AppendEscaped(nil, s, false)
}

// writeAttrs writes attributes as encode gives them to the encoder (see
// literalAttrs), but without the default namespace declaration, which the
// caller writes when it changes anything.
func writeAttrs(b *bytes.Buffer, attrs []xml.Attr) {
	attrs, _ = literalAttrs(attrs, true)
	for _, a := range attrs {
		writeAttr(b, attrName(a.Name), a.Value)
	}
}

// attrName writes an attribute name back: xmlns declarations and xml:
// attributes keep their prefix; other namespaced ones have been given a
// literal prefix by encoderAttrs.
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
	b.Write(AppendEscaped(b.AvailableBuffer(), value, true))
	b.WriteByte('"')
}

// AppendEscaped appends s to dst escaped for element content or, with
// attr, for a double-quoted attribute value (where white space must survive
// as character references, or a parser would normalize it to spaces). It is
// the runtime's one XML escaper: with a *bufio.Writer or *bytes.Buffer w,
// w.Write(AppendEscaped(w.AvailableBuffer(), s, attr)) escapes in place.
func AppendEscaped[S ~string | ~[]byte](dst []byte, s S, attr bool) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
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
		dst = append(dst, s[last:i]...)
		dst = append(dst, esc...)
		last = i + 1
	}
	return append(dst, s[last:]...)
}
