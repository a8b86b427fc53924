package rpc

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"unicode/utf8"
)

const redacted = "[REDACTED]"

// withheld stands for a whole text that held one of the client's own
// credentials, as a server or proxy may echo them: the text is dropped as
// a whole, never rewritten around the credential, so that nothing shows
// where in the text it was.
const withheld = "[text withheld: it holds a credential of this client]"

// minFoundCredential is the length from which credentialFinder looks for
// a credential.
const minFoundCredential = 8

// credentialFinder returns a function reporting whether a text holds one
// of the secrets, as sent or XML-escaped. It keeps the secrets in its
// closure only.
func credentialFinder(secrets ...string) func(string) bool {
	// Short credentials are not looked for: they turn up in ordinary text
	// by chance, and withholding such text would tell a reader about them.
	var forms []string
	for _, v := range secrets {
		if utf8.RuneCountInString(v) < minFoundCredential {
			continue
		}
		forms = append(forms, v)
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(v))
		if e := b.String(); e != v {
			forms = append(forms, e)
		}
	}
	return func(s string) bool {
		for _, f := range forms {
			if strings.Contains(s, f) {
				return true
			}
		}
		return false
	}
}

// isSensitive reports names whose value is a secret: passwords (password,
// passwd, ftp_password, old-password, …), secret keys, tokens, private
// keys. It is asked of element and attribute names, and of the text of a
// <name> in a name/value pair (<property><name>ftp_password</name>…).
func isSensitive(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	return strings.Contains(n, "passw") || strings.Contains(n, "secret") || strings.Contains(n, "token") ||
		strings.Contains(n, "private") || n == "pvt" ||
		n == "key" || strings.HasSuffix(n, "-key") || strings.HasSuffix(n, "_key")
}

// redactXML returns a copy of an XML packet (a request, a response, or the
// first bytes of one) in which every secret value is replaced by
// [REDACTED], by the structure of the document, not by searching for known
// strings:
//
//   - the text of an element with a sensitive name (<password>, <passwd>,
//     <key>, <secret>, <token>, …), and of the elements directly inside one
//     (<password><value>…</value></password>);
//   - the values of a name/value pair whose name is sensitive
//     (<property><name>ftp_password</name><value>…</value></property>);
//   - the value of an attribute with a sensitive name.
//
// It reads leniently, so that it also cleans a truncated or malformed
// packet: an element that is not closed keeps its context to the end, and
// a tag cut short is dropped. White space is kept as it is.
func redactXML(p []byte) []byte {
	pairs := map[int]bool{} // start offsets of elements holding a sensitive <name>
	walkXML(p, pairs, nil)
	var out bytes.Buffer
	out.Grow(len(p) + 64)
	walkXML(p, pairs, &out)
	return out.Bytes()
}

// frame is an open element of walkXML.
type frame struct {
	name      string
	start     int  // offset of its start tag
	sensitive bool // the name is sensitive
	text      []byte
}

// walkXML reads p, tag by tag. With out nil it finds the elements holding
// a sensitive name/value pair and records them in pairs; otherwise it
// writes p to out with the secrets redacted.
func walkXML(p []byte, pairs map[int]bool, out *bytes.Buffer) {
	write := func(b []byte) {
		if out != nil {
			out.Write(b)
		}
	}
	var stack []frame
	// secretText reports whether text at the top of the stack is a secret.
	secretText := func() bool {
		n := len(stack)
		if n == 0 {
			return false
		}
		top := stack[n-1]
		if top.sensitive {
			return true
		}
		if n >= 2 {
			parent := stack[n-2]
			if parent.sensitive {
				return true
			}
			if pairs[parent.start] && strings.EqualFold(top.name, "value") {
				return true
			}
		}
		return false
	}
	text := func(b []byte) {
		if n := len(stack); n > 0 && out == nil && stack[n-1].name == "name" {
			stack[n-1].text = append(stack[n-1].text, b...)
		}
		if len(bytes.TrimSpace(b)) > 0 && secretText() {
			write([]byte(redacted))
			return
		}
		write(b)
	}
	for i := 0; i < len(p); {
		lt := bytes.IndexByte(p[i:], '<')
		if lt < 0 {
			text(p[i:])
			return
		}
		if lt > 0 {
			text(p[i : i+lt])
			i += lt
		}
		rest := p[i:]
		var end int // the end of this markup in rest; -1 when cut short
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			end = indexEnd(rest, "-->")
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			end = indexEnd(rest, "]]>")
			if end < 0 {
				text(rest[9:])
				return
			}
			inner := rest[9 : end-3]
			if len(bytes.TrimSpace(inner)) > 0 && secretText() {
				text(inner) // redacts
			} else {
				write(rest[:end])
				text(nil)
			}
			i += end
			continue
		case bytes.HasPrefix(rest, []byte("<?")):
			end = indexEnd(rest, "?>")
		default:
			end = tagEnd(rest)
		}
		if end < 0 {
			// Cut short inside markup: drop what is left of it.
			if out != nil {
				out.WriteString("…")
			}
			return
		}
		tag := rest[:end]
		i += end
		switch {
		case bytes.HasPrefix(tag, []byte("<!")) || bytes.HasPrefix(tag, []byte("<?")):
			write(tag)
		case bytes.HasPrefix(tag, []byte("</")):
			name := string(bytes.TrimSpace(tag[2 : len(tag)-1]))
			for k := len(stack) - 1; k >= 0; k-- {
				if stack[k].name == name {
					if out == nil && name == "name" && k > 0 && isSensitive(string(stack[k].text)) {
						pairs[stack[k-1].start] = true
					}
					stack = stack[:k]
					break
				}
			}
			write(tag)
		default:
			name, selfClosing := writeStartTag(tag, write)
			if !selfClosing && name != "" {
				stack = append(stack, frame{name: name, start: i - end, sensitive: isSensitive(name)})
			}
		}
	}
}

// indexEnd returns the offset just past the first sep in b, or -1.
func indexEnd(b []byte, sep string) int {
	k := bytes.Index(b, []byte(sep))
	if k < 0 {
		return -1
	}
	return k + len(sep)
}

// tagEnd returns the offset just past the '>' that ends the tag at the
// start of b, quotes respected, or -1.
func tagEnd(b []byte) int {
	var quote byte
	for k := 1; k < len(b); k++ {
		switch c := b[k]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return k + 1
		}
	}
	return -1
}

// writeStartTag writes a start tag with the values of its sensitive
// attributes redacted, and returns the element's name.
func writeStartTag(tag []byte, write func([]byte)) (name string, selfClosing bool) {
	selfClosing = bytes.HasSuffix(tag, []byte("/>"))
	k := 1
	for k < len(tag) && !isTagSpace(tag[k]) && tag[k] != '/' && tag[k] != '>' {
		k++
	}
	name = string(tag[1:k])
	write(tag[:k])
	for k < len(tag) {
		// An attribute: name, '=', a quoted value.
		eq := bytes.IndexByte(tag[k:], '=')
		if eq < 0 {
			write(tag[k:])
			break
		}
		attr := string(bytes.TrimSpace(tag[k : k+eq]))
		j := k + eq + 1
		for j < len(tag) && isTagSpace(tag[j]) {
			j++
		}
		if j >= len(tag) || tag[j] != '"' && tag[j] != '\'' {
			write(tag[k:])
			break
		}
		q := bytes.IndexByte(tag[j+1:], tag[j])
		if q < 0 {
			write(tag[k:])
			break
		}
		valEnd := j + 1 + q
		write(tag[k : j+1])
		if isSensitive(attr) {
			write([]byte(redacted))
		} else {
			write(tag[j+1 : valEnd])
		}
		k = valEnd
	}
	return name, selfClosing
}

func isTagSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// hiddenError stands for an error whose message may quote a secret value:
// it says so, and keeps errors.Is and errors.As working without unwrapping
// to the original, so that printing the chain shows nothing either.
type hiddenError struct {
	msg string
	err error
}

func (e *hiddenError) Error() string        { return e.msg }
func (e *hiddenError) Is(target error) bool { return errors.Is(e.err, target) }
func (e *hiddenError) As(target any) bool   { return errors.As(e.err, target) }

// secret holds a credential while options are collected. Its formatting
// methods never show the value.
type secret string

func (secret) String() string   { return redacted }
func (secret) GoString() string { return `"` + redacted + `"` }
func (s secret) Format(f fmt.State, verb rune) {
	if verb == 'q' || verb == '#' {
		fmt.Fprint(f, `"`+redacted+`"`)
		return
	}
	fmt.Fprint(f, redacted)
}
func (secret) LogValue() slog.Value { return slog.StringValue(redacted) }
