package rpc

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

const redacted = "[REDACTED]"

// isSensitive reports element names whose text is a secret: passwords
// (password, passwd, old-password, …), secret keys and the like.
func isSensitive(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "passw") || strings.Contains(n, "secret") ||
		n == "key" || strings.HasSuffix(n, "-key") || strings.HasSuffix(n, "_key") ||
		n == "token"
}

// redactPacket returns a copy of an XML packet in which the text of every
// sensitive element is replaced by [REDACTED]. It works on bytes, so it
// also cleans a truncated or malformed packet.
func redactPacket(p []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(p))
	for {
		i := bytes.IndexByte(p, '<')
		if i < 0 {
			out.Write(p)
			return out.Bytes()
		}
		out.Write(p[:i+1])
		p = p[i+1:]
		// The element name runs up to a space, '/' or '>'.
		j := bytes.IndexAny(p, " \t\r\n/>")
		if j <= 0 || p[0] == '/' || p[0] == '!' || p[0] == '?' {
			continue
		}
		name := string(p[:j])
		k := bytes.IndexByte(p, '>')
		if k < 0 || !isSensitive(name) || p[k-1] == '/' {
			continue
		}
		end := bytes.Index(p[k+1:], []byte("</"+name))
		if end >= 0 && hasChildElement(p[k+1:k+1+end]) {
			continue // a container such as <secret_key>: redact its leaves
		}
		out.Write(p[:k+1])
		out.WriteString(redacted)
		if end < 0 { // truncated: drop the rest
			return out.Bytes()
		}
		p = p[k+1+end:]
	}
}

// hasChildElement reports whether XML content holds an element start tag.
func hasChildElement(b []byte) bool {
	for {
		i := bytes.IndexByte(b, '<')
		if i < 0 || i+1 >= len(b) {
			return false
		}
		if c := b[i+1]; c != '!' && c != '?' && c != '/' {
			return true
		}
		b = b[i+1:]
	}
}

// scrubber removes known secrets (the client's password and key) from any
// text, in plain and XML-escaped form. A nil *scrubber changes nothing.
type scrubber struct {
	secrets []string
}

func newScrubber(secrets ...string) *scrubber {
	s := &scrubber{}
	for _, v := range secrets {
		if v == "" {
			continue
		}
		s.secrets = append(s.secrets, v)
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(v))
		if e := b.String(); e != v {
			s.secrets = append(s.secrets, e)
		}
	}
	return s
}

func (s *scrubber) scrub(text string) string {
	if s == nil {
		return text
	}
	for _, v := range s.secrets {
		if strings.Contains(text, v) {
			text = strings.ReplaceAll(text, v, redacted)
		}
	}
	return text
}

// scrubCut scrubs text that was cut from something longer: besides whole
// secrets, it drops a tail that is the beginning of a secret, which the cut
// may have split.
func (s *scrubber) scrubCut(text string) string {
	if s == nil {
		return text
	}
	text = s.scrub(text)
	for _, v := range s.secrets {
		for k := len(v) - 1; k > 0; k-- {
			if strings.HasSuffix(text, v[:k]) {
				text = text[:len(text)-k]
				break
			}
		}
	}
	return text
}

// scrubError hides secrets in the message of err. The result keeps
// errors.Is and errors.As working, but does not unwrap to the original:
// printing the chain must not show the secret either.
func (s *scrubber) scrubError(err error) error {
	if err == nil || s == nil || len(s.secrets) == 0 {
		return err
	}
	msg := err.Error()
	if clean := s.scrub(msg); clean != msg {
		return &scrubbedError{msg: clean, err: err}
	}
	return err
}

type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string        { return e.msg }
func (e *scrubbedError) Is(target error) bool { return errors.Is(e.err, target) }
func (e *scrubbedError) As(target any) bool   { return errors.As(e.err, target) }

// secret holds a credential. Its formatting methods never show the value,
// so printing a config or a client with %v, %+v or %#v is safe.
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

// scrubHandler is a slog.Handler that removes secrets from the message and
// every attribute before passing the record on: a last line of defence
// behind the redaction done at each log call.
type scrubHandler struct {
	h slog.Handler
	s *scrubber
}

func (h *scrubHandler) Enabled(ctx context.Context, l slog.Level) bool { return h.h.Enabled(ctx, l) }

func (h *scrubHandler) Handle(ctx context.Context, r slog.Record) error {
	nr := slog.NewRecord(r.Time, r.Level, h.s.scrub(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		nr.AddAttrs(h.attr(a))
		return true
	})
	return h.h.Handle(ctx, nr)
}

func (h *scrubHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.s.scrub(v.String()))
	case slog.KindGroup:
		g := v.Group()
		as := make([]any, len(g))
		for i, ga := range g {
			as[i] = h.attr(ga)
		}
		return slog.Group(a.Key, as...)
	case slog.KindAny:
		return slog.String(a.Key, h.s.scrub(fmt.Sprint(v.Any())))
	}
	return slog.Attr{Key: a.Key, Value: v}
}

func (h *scrubHandler) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = h.attr(a)
	}
	return &scrubHandler{h: h.h.WithAttrs(clean), s: h.s}
}

func (h *scrubHandler) WithGroup(name string) slog.Handler {
	return &scrubHandler{h: h.h.WithGroup(name), s: h.s}
}
