package rpc

import (
	"bytes"
	"encoding/xml"
	"io"
	"unicode"
	"unicode/utf8"
)

// The checks made on an encoded request (the match-all guard of
// scanFilters, the "filter means all" decision of meansAll) read it as a
// stream of start tags, end tags and text. These are the bytes
// encoding/xml's Encoder wrote a moment ago, so nearly always the plain
// subset read by fastTokens: no comment, processing instruction, CDATA
// section or directive, no namespace prefix on an element, double-quoted
// attributes, only the entities the Encoder writes. Anything else, and
// anything fastTokens cannot vouch for (a character XML 1.0 cannot carry,
// an end tag that does not match), makes it give up, and the request is
// read again by encoding/xml's Decoder (slowTokens), which decides as it
// always did: the fast path never accepts what the Decoder would refuse,
// and it reports the same tokens.

// tokVisitor receives the tokens of a request; each method returns false
// to stop the reading.
type tokVisitor interface {
	// start is a start tag: its local name and the offset of its '<'.
	start(name []byte, off int) bool
	// text is character data, decoded: whether it holds anything other
	// than " \t\r\n" (xmlText), and anything unicode.IsSpace does not
	// call space (anyText).
	text(xmlText, anyText bool) bool
	end() bool
}

// readRequest feeds v the tokens of body. It fails only when the Decoder
// does, with its error.
func readRequest[V tokVisitor](body []byte, v V, reset func()) error {
	if fastTokens(body, v) {
		return nil
	}
	reset()
	return slowTokens(body, v)
}

// slowTokens reads body with encoding/xml's Decoder.
func slowTokens[V tokVisitor](body []byte, v V) error {
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		off := int(d.InputOffset())
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		more := true
		switch t := tok.(type) {
		case xml.StartElement:
			more = v.start([]byte(t.Name.Local), off)
		case xml.CharData:
			more = v.text(len(bytes.Trim(t, " \t\r\n")) > 0, len(bytes.TrimSpace(t)) > 0)
		case xml.EndElement:
			more = v.end()
		}
		if !more {
			return nil
		}
	}
}

// fastTokens reads body, which must be a single element, as the Decoder
// would, and reports whether it could; false leaves v in any state.
func fastTokens[V tokVisitor](body []byte, v V) bool {
	var stackBuf [16][2]int // name spans of the open elements
	stack := stackBuf[:0]
	started := false
	for i := 0; i < len(body); {
		if body[i] != '<' {
			if len(stack) == 0 {
				return false // text outside the element
			}
			j := i
			for j < len(body) && body[j] != '<' {
				j++
			}
			xmlText, anyText, ok := fastText(body[i:j])
			if !ok {
				return false
			}
			if !v.text(xmlText, anyText) {
				return true
			}
			i = j
			continue
		}
		if i+1 >= len(body) {
			return false
		}
		if body[i+1] == '/' {
			if len(stack) == 0 {
				return false
			}
			top := stack[len(stack)-1]
			n := top[1] - top[0]
			if i+2+n >= len(body) || body[i+2+n] != '>' || !bytes.Equal(body[i+2:i+2+n], body[top[0]:top[1]]) {
				return false // the Decoder says why
			}
			stack = stack[:len(stack)-1]
			if !v.end() {
				return true
			}
			i += 3 + n
			continue
		}
		if started && len(stack) == 0 {
			return false // a second element
		}
		a := i + 1
		b := simpleName(body, a, false)
		if b == a {
			return false // <!, <?, a prefixed or unusual name
		}
		j, ok := fastAttrs(body, b)
		if !ok {
			return false
		}
		started = true
		stack = append(stack, [2]int{a, b})
		if !v.start(body[a:b], i) {
			return true
		}
		i = j
	}
	return started && len(stack) == 0
}

// simpleName returns the end of the ASCII name at body[i:], i when there
// is none. A colon is part of it only with colon (attributes).
func simpleName(body []byte, i int, colon bool) int {
	j := i
	for ; j < len(body); j++ {
		c := body[j]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '_':
		case j > i && ('0' <= c && c <= '9' || c == '-' || c == '.'):
		case j > i && colon && c == ':':
		default:
			return j
		}
	}
	return j
}

// fastAttrs reads the attributes after a start tag's name, at body[i:], as
// the Encoder writes them (` name="value"`), up to the closing '>', and
// returns the offset after it.
func fastAttrs(body []byte, i int) (int, bool) {
	for {
		if i >= len(body) {
			return 0, false
		}
		if body[i] == '>' {
			return i + 1, true
		}
		if body[i] != ' ' {
			return 0, false // "/>" or anything the Encoder does not write
		}
		i++
		j := simpleName(body, i, true)
		if j == i || j+1 >= len(body) || body[j] != '=' || body[j+1] != '"' {
			return 0, false
		}
		k := j + 2
		for k < len(body) && body[k] != '"' {
			if body[k] == '<' {
				return 0, false
			}
			k++
		}
		if k >= len(body) {
			return 0, false
		}
		if _, _, ok := fastText(body[j+2 : k]); !ok {
			return 0, false
		}
		i = k + 1
	}
}

// fastText classifies escaped character data (or an attribute value):
// whether, decoded, it holds anything other than " \t\r\n" (xmlText) and
// anything that is not unicode.IsSpace (anyText). It fails on a character
// XML 1.0 cannot carry, bytes that are not UTF-8, and an entity the
// Encoder does not write.
func fastText(b []byte) (xmlText, anyText, ok bool) {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '&':
			n := bytes.IndexByte(b[i:], ';')
			if n < 0 {
				return false, false, false
			}
			switch string(b[i : i+n+1]) {
			case "&#x9;", "&#xA;", "&#xD;":
			case "&lt;", "&gt;", "&amp;", "&#34;", "&#39;", "&quot;", "&apos;":
				xmlText, anyText = true, true
			default:
				return false, false, false
			}
			i += n + 1
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c < 0x20:
			return false, false, false
		case c < utf8.RuneSelf:
			xmlText, anyText = true, true
			i++
		default:
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n == 1 || !isInCharacterRange(r) {
				return false, false, false
			}
			xmlText = true
			if !unicode.IsSpace(r) {
				anyText = true
			}
			i += n
		}
	}
	return xmlText, anyText, true
}
