package rpc

import (
	"html"
	"net/http"
	"strings"
	"unicode/utf8"
)

// transportError fills in what came back (page: the first bytes of the
// body, if they say something) and removes secrets: third parties' by the
// structure of the page (redactXML), the client's own in any spelling
// (see sentry), looked for in everything read before anything is cut.
func (c *Client) transportError(resp *http.Response, te *TransportError, page []byte) error {
	g := c.holds
	te.URL = c.url
	if g.has(te.URL) {
		te.URL = withheld
	}
	if resp != nil {
		te.StatusCode = resp.StatusCode
		te.ContentType = resp.Header.Get("Content-Type")
	}
	if page != nil && te.Kind != ErrTooLarge && te.Kind != ErrTruncated && te.Kind != ErrConnection {
		// Redact by structure first (a cut inside a secret element drops
		// the rest of it), then look for the credentials in the whole of
		// what was read (the title and the snippet are parts of it, and a
		// credential may straddle their ends), then cut for display.
		text := string(redactXML(page))
		title, at := htmlTitle(text)
		if title != "" && g.has(text) {
			// The title is shown only if it plays no part in what holds
			// the credential: without it, the page holds it still.
			rest := text[:at[0]] + "\x00" + text[at[1]:]
			if !g.has(rest) || g.edge(title) {
				title = withheld
			}
		}
		te.Title = clipShown(g, title, 200)
		if g.has(text) {
			te.Snippet = withheld
		} else {
			te.Snippet = clipShown(g, text[:min(len(text), 2048)], 160)
		}
	}
	te.ContentType = clipShown(g, te.ContentType, 200)
	if g.has(te.Detail) {
		te.Detail = withheld
	}
	if te.Err != nil && g.has(te.Err.Error()) {
		te.Err = &hiddenError{msg: withheld, err: te.Err}
	}
	return te
}

// htmlTitle returns the text of the first <title> in s, if any, and the
// offsets in s of its raw text.
func htmlTitle(s string) (string, [2]int) {
	l := strings.ToLower(s) // ASCII case only: offsets stay valid
	i := strings.Index(l, "<title")
	if i < 0 {
		return "", [2]int{}
	}
	j := strings.IndexByte(l[i:], '>')
	if j < 0 {
		return "", [2]int{}
	}
	start := i + j + 1
	k := strings.Index(l[start:], "</title")
	if k < 0 {
		return "", [2]int{}
	}
	return html.UnescapeString(s[start : start+k]), [2]int{start, start + k}
}

// logText returns a packet for the log: secrets redacted by structure,
// and withheld as a whole when it still holds a credential of the client
// in any spelling (echoed outside any secret element). A packet cut short
// (cut) ends before any beginning of a credential at the cut.
func (c *Client) logText(p []byte, cut bool) string {
	s := string(redactXML(p))
	if c.holds.has(s) {
		return withheld
	}
	if cut {
		// redactXML marks markup cut short with "…"; the edge is before it.
		t := strings.TrimSuffix(s, "…")
		if k := c.holds.trimEnd(t); len(k) < len(t) {
			s = k + "…"
		}
	}
	return s
}

// clipShown makes text fit for an error message: white space and control
// characters collapsed, at most n runes; withheld when it holds a
// credential in any spelling, and cut with no beginning of one at the
// edge.
func clipShown(g sentry, text string, n int) string {
	if g.has(text) { // before white space is collapsed: a credential may hold some
		return withheld
	}
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = strings.Join(strings.FieldsFunc(text, func(r rune) bool { return r <= ' ' || r == 0x7f }), " ")
	if g.has(text) {
		return withheld
	}
	if utf8.RuneCountInString(text) > n {
		off := 0
		for i := 0; i < n; i++ {
			_, size := utf8.DecodeRuneInString(text[off:])
			off += size
		}
		text = text[:g.keep(text, off)] + "…"
	}
	return text
}
