package rpc

import (
	"bytes"
	"encoding/xml"
	"fmt"
)

// DecodeOrRaw decodes the element that start opens into dst. If the element
// does not fit dst (text where a number is declared, say), it is not lost:
// DecodeOrRaw returns it as a Raw, with the reason. Generated one-of items
// call it so that one bad operation never fails a whole packet.
func DecodeOrRaw(d *xml.Decoder, start xml.StartElement, dst any) (*Raw, error) {
	raw := new(Raw)
	if err := d.DecodeElement(raw, &start); err != nil {
		return nil, err
	}
	if err := xml.Unmarshal(raw.bytes(), dst); err != nil {
		return raw, fmt.Errorf("<%s> kept raw: %w", start.Name.Local, err)
	}
	return nil, nil
}

// bytes writes r back as one element.
func (r *Raw) bytes() []byte {
	var b bytes.Buffer
	b.Grow(len(r.Inner) + 2*len(r.XMLName.Local) + 5)
	b.WriteByte('<')
	b.WriteString(r.XMLName.Local)
	if r.XMLName.Space != "" {
		b.WriteString(` xmlns="`)
		xml.EscapeText(&b, []byte(r.XMLName.Space))
		b.WriteByte('"')
	}
	for _, a := range r.Attrs {
		b.WriteByte(' ')
		if a.Name.Space != "" {
			b.WriteString(a.Name.Space)
			b.WriteByte(':')
		}
		b.WriteString(a.Name.Local)
		b.WriteString(`="`)
		xml.EscapeText(&b, []byte(a.Value))
		b.WriteByte('"')
	}
	b.WriteByte('>')
	b.Write(r.Inner)
	b.WriteString("</")
	b.WriteString(r.XMLName.Local)
	b.WriteByte('>')
	return b.Bytes()
}

// DecodeItem decodes the element start opens into a new value stored in
// *field, the alternative of a generated one-of item that declares it. An
// element that does not fit is kept in *raw instead, with the reason in
// *why, so that one bad element never fails the enclosing packet.
func DecodeItem[T any](d *xml.Decoder, start xml.StartElement, field **T, raw **Raw, why *error) error {
	v := new(T)
	r, err := DecodeOrRaw(d, start, v)
	switch {
	case r != nil:
		*raw, *why = r, err
		return nil
	case err != nil:
		return err
	}
	*field = v
	return nil
}
