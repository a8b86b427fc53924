package rpc

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// The credentials the spelling tests use: one of letters and digits only,
// one with every character XML, HTML and URLs spell another way (& < > " '
// % + space, a non-ASCII letter), one with white space that a display
// would collapse.
var spellingCreds = []string{"Zq7vX9pLm2Rt", `p&a<s>s"w'o%r+d é-9`, "dbl  Space-Cred7"}

// credSpelling is one way a server may write a credential.
type credSpelling struct {
	name  string
	spell func(cred string, rng *rand.Rand) string
}

// perRune spells every character of s by f.
func perRune(s string, f func(r rune) string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteString(f(r))
	}
	return b.String()
}

// perByte spells every byte of s by f.
func perByte(s string, f func(c byte) string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteString(f(s[i]))
	}
	return b.String()
}

func xmlEscapeRune(r rune) string {
	switch r {
	case '&':
		return "&amp;"
	case '<':
		return "&lt;"
	case '>':
		return "&gt;"
	case '"':
		return "&quot;"
	case '\'':
		return "&apos;"
	}
	return string(r)
}

// pieces cuts s into runs of one to three characters.
func pieces(s string, rng *rand.Rand) []string {
	var out []string
	for s != "" {
		n := 0
		for k := 1 + rng.IntN(3); k > 0 && n < len(s); k-- {
			_, size := utf8.DecodeRuneInString(s[n:])
			n += size
		}
		out = append(out, s[:n])
		s = s[n:]
	}
	return out
}

// joinMarked joins the pieces of s, each spelt by each, with markup
// between them.
func joinMarked(s string, rng *rand.Rand, each func(string) string, between ...string) string {
	var b strings.Builder
	for i, p := range pieces(s, rng) {
		if i > 0 {
			b.WriteString(between[rng.IntN(len(between))])
		}
		b.WriteString(each(p))
	}
	return b.String()
}

func escaped(s string) string { return perRune(s, xmlEscapeRune) }

// credSpellings is every way of writing a credential that XML, HTML and
// URLs allow, and mixtures of them.
var credSpellings = []credSpelling{
	{"raw", func(s string, _ *rand.Rand) string { return s }},
	{"escaped", func(s string, _ *rand.Rand) string { return escaped(s) }},
	{"decimal", func(s string, _ *rand.Rand) string {
		return perRune(s, func(r rune) string { return "&#" + strconv.Itoa(int(r)) + ";" })
	}},
	{"decimal-zeros", func(s string, _ *rand.Rand) string {
		return perRune(s, func(r rune) string { return "&#000" + strconv.Itoa(int(r)) + ";" })
	}},
	{"hex-lower", func(s string, _ *rand.Rand) string {
		return perRune(s, func(r rune) string { return fmt.Sprintf("&#x%x;", r) })
	}},
	{"hex-upper-x", func(s string, _ *rand.Rand) string {
		return perRune(s, func(r rune) string { return fmt.Sprintf("&#X%X;", r) })
	}},
	{"hex-zeros", func(s string, _ *rand.Rand) string {
		return perRune(s, func(r rune) string { return fmt.Sprintf("&#x0000%X;", r) })
	}},
	{"html-no-semicolon", func(s string, _ *rand.Rand) string {
		return perRune(s, func(r rune) string { return "&#" + strconv.Itoa(int(r)) })
	}},
	{"percent-upper", func(s string, _ *rand.Rand) string {
		return perByte(s, func(c byte) string { return fmt.Sprintf("%%%02X", c) })
	}},
	{"percent-lower-plus", func(s string, _ *rand.Rand) string {
		return perByte(s, func(c byte) string {
			if c == ' ' {
				return "+"
			}
			return fmt.Sprintf("%%%02x", c)
		})
	}},
	{"query-escaped", func(s string, _ *rand.Rand) string { return escaped(url.QueryEscape(s)) }},
	{"split-by-markup", func(s string, rng *rand.Rand) string {
		return joinMarked(s, rng, escaped, "<b>", "</b>", "<i></i>", "<br/>", `<span class="x">`)
	}},
	{"split-by-elements", func(s string, rng *rand.Rand) string {
		// Well-formed: pieces wrapped in elements, as an errtext may hold.
		i := 0
		return joinMarked(s, rng, func(p string) string {
			i++
			if i%2 == 0 {
				return "<b>" + escaped(p) + "</b>"
			}
			return escaped(p)
		}, "", "<br/>")
	}},
	{"cdata", func(s string, rng *rand.Rand) string {
		return joinMarked(s, rng, func(p string) string { return "<![CDATA[" + p + "]]>" }, "")
	}},
	{"comments", func(s string, rng *rand.Rand) string {
		return joinMarked(s, rng, escaped, "<!-- c -->", "<!---->", "<?pi x?>")
	}},
	{"mixture", func(s string, rng *rand.Rand) string {
		styles := []func(string) string{
			escaped,
			func(p string) string { return perRune(p, func(r rune) string { return fmt.Sprintf("&#%d;", r) }) },
			func(p string) string { return perRune(p, func(r rune) string { return fmt.Sprintf("&#x%04x;", r) }) },
			func(p string) string { return "<![CDATA[" + p + "]]>" },
		}
		return joinMarked(s, rng, func(p string) string { return styles[rng.IntN(len(styles))](p) },
			"", "<b></b>", "<!-- -->", "")
	}},
	{"mixture-url", func(s string, rng *rand.Rand) string {
		// Percent-encoding inside an HTML attribute: some bytes encoded,
		// the result entity-escaped, some of it as references.
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			switch rng.IntN(3) {
			case 0:
				fmt.Fprintf(&b, "%%%02x", s[i])
			case 1:
				fmt.Fprintf(&b, "%%%02X", s[i])
			default:
				if s[i] < utf8.RuneSelf {
					fmt.Fprintf(&b, "&#%d;", s[i])
				} else {
					fmt.Fprintf(&b, "%%%02X", s[i])
				}
			}
		}
		return b.String()
	}},
}

// Two independent ways of reading a text back: the package's own
// plainViews, and a plain reading by the standard library (tags and
// comments stripped by a regular expression, html.UnescapeString,
// url.QueryUnescape), each also after undoing strconv.Quote's escapes.
var tagRE = regexp.MustCompile(`<!--[\s\S]*?-->|<!\[CDATA\[|\]\]>|<[^>]*>`)

func readings(s string) []string {
	unq := strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(s)
	var out []string
	for _, t := range []string{s, unq} {
		out = append(out, plainViews(t)...)
		std := html.UnescapeString(tagRE.ReplaceAllString(t, ""))
		out = append(out, std)
		if u, err := url.QueryUnescape(std); err == nil {
			out = append(out, u)
		}
		if u, err := url.PathUnescape(std); err == nil {
			out = append(out, u)
		}
	}
	return out
}

// leak says how a text a user sees shows cred, or "": whole in any
// spelling, or its beginning (4 bytes or more) before a cut ("…") or at the
// end of the text (atEnd: the text may have been cut there).
func leak(text, cred string, atEnd bool) string {
	for _, v := range readings(text) {
		if strings.Contains(v, cred) {
			return "holds the credential"
		}
	}
	var edges []string
	for i := 0; ; {
		k := strings.Index(text[i:], "…")
		if k < 0 {
			break
		}
		edges = append(edges, text[:i+k])
		i += k + len("…")
	}
	if atEnd {
		edges = append(edges, text)
	}
	for _, e := range edges {
		for _, t := range []string{e, trimPartial(e)} {
			for _, v := range readings(t) {
				for n := len(cred); n >= minShownPrefix; n-- {
					if strings.HasSuffix(v, cred[:n]) {
						return fmt.Sprintf("shows %q of it at a cut", cred[:n])
					}
				}
			}
		}
	}
	return ""
}

// TestSentryFindsEverySpelling: the sentry finds a credential written in
// any of the spellings, anywhere in a text, and the beginning of one at the
// end of a cut text; it finds nothing in the text without the credential.
func TestSentryFindsEverySpelling(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 1))
	for _, cred := range spellingCreds {
		g := credentialFinder(cred)
		for _, sp := range credSpellings {
			for range 20 {
				s := sp.spell(cred, rng)
				text := "<p>before " + s + " after</p>"
				if !g.has(text) {
					t.Errorf("%s: the credential %q spelt %q is not found", sp.name, cred, s)
				}
				if g.has("<p>before " + strings.Repeat(".", len(s)) + " after</p>") {
					t.Errorf("%s: found in a text without it", sp.name)
				}
				// Every cut through the spelt credential: what is kept is
				// a beginning of it, shown only if shorter than 4 bytes in
				// plain text.
				for cut := 1; cut < len(s); cut++ {
					kept := "before " + s[:cut]
					plain := ""
					for _, v := range readings(kept) {
						for n := len(cred); n >= minShownPrefix; n-- {
							if strings.HasSuffix(v, cred[:n]) && n > len(plain) {
								plain = cred[:n]
							}
						}
					}
					if plain != "" && !g.edge(kept) {
						t.Errorf("%s: %q, cut to %q, shows %q at the cut unnoticed", sp.name, s, kept, plain)
					}
				}
			}
		}
	}
	if g := credentialFinder("shrt"); g.has("shrt") {
		t.Error("a credential under 5 characters is looked for")
	}
	if g := credentialFinder("pw5ch"); !g.has("x pw5ch x") || !g.has("pw&#53;ch") {
		t.Error("a credential of 5 characters is not looked for")
	}
}

// TestSafeTextCutsBeforeACredential: safeText withholds a text holding the
// credential, and a text cut inside a spelt credential keeps no 4 bytes of
// its beginning, wherever the cut falls.
func TestSafeTextCutsBeforeACredential(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 2))
	for _, cred := range spellingCreds {
		g := credentialFinder(cred)
		for _, sp := range credSpellings {
			s := sp.spell(cred, rng)
			text := "start " + s + strings.Repeat(".", 40)
			for n := 0; n < len(text); n++ {
				out := g.safeText(text, n)
				if n >= len(text) {
					continue
				}
				if out != withheld {
					t.Fatalf("%s: safeText of a text holding the credential is %q", sp.name, out)
				}
				// The same text with the credential's end missing: cut, and
				// never with its beginning at the cut.
				part := "start " + s[:len(s)/2] + "~~~~" + strings.Repeat(".", 40)
				out = g.safeText(part, n)
				if why := leak(out, cred, false); why != "" {
					t.Fatalf("%s: safeText(%q, %d) = %q %s", sp.name, part, n, out, why)
				}
				if len(out) > n+len("… (10000 bytes cut)") {
					t.Fatalf("safeText(_, %d) is %d bytes long", n, len(out))
				}
			}
		}
	}
}

// textRecorder keeps every string a logger was given.
type textRecorder struct {
	mu    sync.Mutex
	texts []string
}

func (r *textRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *textRecorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.texts = append(r.texts, rec.Message)
	rec.Attrs(func(a slog.Attr) bool {
		r.texts = append(r.texts, a.Value.String())
		return true
	})
	return nil
}
func (r *textRecorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *textRecorder) WithGroup(string) slog.Handler      { return r }

// shownText is one text a user sees, and whether its end may be a cut.
type shownText struct {
	what  string
	text  string
	atEnd bool
}

// errorTexts returns the texts an error shows: its message, and the fields
// of the errors of this package in its chain.
func errorTexts(err error) []shownText {
	if err == nil {
		return nil
	}
	out := []shownText{{"err.Error()", err.Error(), false}, {"%+v", fmt.Sprintf("%+v", err), false}}
	var pe *Error
	if errors.As(err, &pe) {
		out = append(out, shownText{"Error.Text", pe.Text, true})
	}
	var te *TransportError
	if errors.As(err, &te) {
		out = append(out, shownText{"Title", te.Title, true}, shownText{"Snippet", te.Snippet, true},
			shownText{"Detail", te.Detail, false}, shownText{"URL", te.URL, false}, shownText{"ContentType", te.ContentType, true})
	}
	var de *DecodeError
	if errors.As(err, &de) {
		out = append(out, shownText{"DecodeError.Text", de.Text, true}, shownText{"DecodeError.Err", de.Err.Error(), false})
	}
	return out
}

// decodeProbe is a result type whose <n> fails to decode as a number, so
// that the result's DecodeError quotes the text.
type decodeProbe struct {
	Result
	N int `xml:"data>n"`
}

// spellingPath is one way a server's text reaches a user. body returns
// the response for a credential spelt s placed at offset at of the text
// the path clips; limits are the offsets where that text is cut.
type spellingPath struct {
	name   string
	status int
	header func(s string) http.Header
	body   func(s string, at int) string
	limits []int
	call   func(c *Client) []shownText
}

func pad(n int) string { return strings.Repeat(".", max(n, 0)) }

const probeErrText = 100 // Limits.MaxErrorText of the probe clients

func resultCall(c *Client) []shownText {
	res, err := Do[Result](context.Background(), c, "1.6.9.1", getOp())
	out := errorTexts(err)
	for _, r := range res {
		out = append(out, shownText{"result ErrText", r.ErrText, true}, shownText{"%v of the result", fmt.Sprintf("%v", r), false},
			shownText{"%+v of the result", fmt.Sprintf("%+v", r), false})
	}
	return out
}

var spellingPaths = []spellingPath{
	{
		name: "system error", status: 200,
		body: func(s string, at int) string {
			return `<packet><system><status>error</status><errcode>1001</errcode><errtext>` +
				pad(at) + s + pad(40) + `</errtext></system></packet>`
		},
		limits: []int{probeErrText, probeErrText + keptBeyond},
		call:   resultCall,
	},
	{
		name: "result error", status: 200,
		body: func(s string, at int) string {
			return `<packet><customer><get><result><status>error</status><errcode>1013</errcode><errtext>` +
				pad(at) + s + pad(40) + `</errtext></result></get></customer></packet>`
		},
		limits: []int{probeErrText, probeErrText + keptBeyond},
		call:   resultCall,
	},
	{
		name: "errcode not a number", status: 200,
		body: func(s string, at int) string {
			return `<packet><customer><get><result><status>error</status><errcode>` +
				pad(at) + s + pad(40) + `</errcode></result></get></customer></packet>`
		},
		limits: []int{40},
		call:   resultCall,
	},
	{
		name: "decode error", status: 200,
		body: func(s string, at int) string {
			return `<packet><customer><get><result><status>ok</status><data><n>` +
				pad(at) + s + pad(40) + `</n></data></result></get></customer></packet>`
		},
		limits: []int{80, 80 + keptBeyond, probeErrText},
		call: func(c *Client) []shownText {
			_, err := Do[decodeProbe](context.Background(), c, "1.6.9.1", getOp())
			return errorTexts(err)
		},
	},
	{
		name: "HTTP error page", status: 500,
		body: func(s string, at int) string {
			const head = `<html><head><title>`
			return head + pad(at-len(head)) + s + pad(20) + `</title></head><body><h1>Error ` + s +
				`</h1><a href="https://example.com/login?user=admin&amp;pass=` + s + `">again</a></body></html>`
		},
		limits: []int{160, 200 + 19, 512, 1024, 2048},
		call: func(c *Client) []shownText {
			_, err := Do[Result](context.Background(), c, "1.6.9.1", getOp())
			return errorTexts(err)
		},
	},
	{
		name: "HTTP error page, body only", status: 502,
		body: func(s string, at int) string {
			return `<html><head><title>Bad gateway</title></head><body>` + pad(at-51) + s + pad(20) + `</body></html>`
		},
		limits: []int{160, 1024, 2048, 16 << 10},
		call: func(c *Client) []shownText {
			_, err := Do[Result](context.Background(), c, "1.6.9.1", getOp())
			return errorTexts(err)
		},
	},
	{
		name: "HTML page with status 200", status: 200,
		body: func(s string, at int) string {
			const head = `<!DOCTYPE html><html><title>`
			return head + pad(at-len(head)) + s + pad(20) + `</title><p>` + s + `</p></html>`
		},
		limits: []int{160, 200 + 28, 1024},
		call: func(c *Client) []shownText {
			_, err := Do[Result](context.Background(), c, "1.6.9.1", getOp())
			return errorTexts(err)
		},
	},
	{
		name: "plain text", status: 200,
		body: func(s string, at int) string {
			return "Error " + pad(at-6) + s + pad(20)
		},
		limits: []int{160, 512, 1024, 2048},
		call: func(c *Client) []shownText {
			_, err := Do[Result](context.Background(), c, "1.6.9.1", getOp())
			return errorTexts(err)
		},
	},
	{
		name: "malformed packet", status: 200,
		body: func(s string, at int) string {
			return `<packet><customer><get><result><status>ok</status><data>` + pad(at-57) + s + pad(20) + `</oops></packet>`
		},
		limits: []int{160, 1024},
		call: func(c *Client) []shownText {
			_, err := Do[Result](context.Background(), c, "1.6.9.1", getOp())
			return errorTexts(err)
		},
	},
	{
		name: "redirect", status: 302,
		header: func(s string) http.Header {
			return http.Header{"Location": {"https://example.com/login?next=%2F&p=" + s}}
		},
		body:   func(string, int) string { return "" },
		limits: []int{0},
		call: func(c *Client) []shownText {
			_, err := Do[Result](context.Background(), c, "1.6.9.1", getOp())
			return errorTexts(err)
		},
	},
}

// spellingOffsets returns where a spelt credential of length m starts
// around the limit l: across it at every few bytes, and just before and
// after it.
func spellingOffsets(l, m int) []int {
	js := []int{0, 1, 2, 3, 4, 5, m / 3, m / 2, m - 5, m - 4, m - 3, m - 1, m, m + 1}
	var out []int
	seen := map[int]bool{}
	for _, j := range js {
		if at := l - j; at >= 0 && !seen[at] {
			seen[at] = true
			out = append(out, at)
		}
	}
	return out
}

// TestNoCredentialInAnyText: for every spelling of the client's
// credential, on every path by which a server's text reaches a user
// (system and result errtexts, a result's ErrText and its %v, a value that
// fails to decode, HTTP error pages: body, title and a URL in them, HTML
// and text where a packet belongs, malformed packets, redirects, logged
// packets), placed across every limit that cuts the text, no text shows
// the credential in any spelling, nor 4 bytes or more of its beginning at
// a cut.
func TestNoCredentialInAnyText(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 3))
	type reply struct {
		status int
		header http.Header
		body   string
	}
	var mu sync.Mutex
	var cur reply
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		rep := cur
		mu.Unlock()
		for k, v := range rep.header {
			w.Header()[k] = v
		}
		if rep.header == nil {
			w.Header().Set("Content-Type", "text/xml")
			if strings.HasPrefix(rep.body, "<html") || strings.HasPrefix(rep.body, "<!DOCTYPE") {
				w.Header().Set("Content-Type", "text/html")
			}
		}
		w.WriteHeader(rep.status)
		_, _ = w.Write([]byte(rep.body))
	}))
	defer srv.Close()

	checked := 0
	for ci, cred := range spellingCreds {
		rec := &textRecorder{}
		opts := []Option{WithLimits(Limits{MaxErrorText: probeErrText}), WithLogger(slog.New(rec)), WithPacketLogging()}
		if ci%2 == 0 {
			opts = append(opts, WithLogin("admin", cred))
		} else {
			opts = append(opts, WithSecretKey(cred))
		}
		c := mustClient(t, srv.URL, opts...)
		for _, p := range spellingPaths {
			for _, sp := range credSpellings {
				s := sp.spell(cred, rng)
				for _, l := range p.limits {
					offsets := spellingOffsets(l, len(s))
					if p.header != nil {
						offsets = []int{0}
					}
					for _, at := range offsets {
						mu.Lock()
						cur = reply{status: p.status, body: p.body(s, at)}
						if p.header != nil {
							cur.header = p.header(s)
						}
						mu.Unlock()
						rec.mu.Lock()
						rec.texts = nil
						rec.mu.Unlock()
						shown := p.call(c)
						rec.mu.Lock()
						for _, lt := range rec.texts {
							shown = append(shown, shownText{"log", lt, true})
						}
						rec.mu.Unlock()
						if len(shown) == 0 {
							t.Fatalf("%s: nothing to check", p.name)
						}
						for _, st := range shown {
							checked++
							if why := leak(st.text, cred, st.atEnd); why != "" {
								t.Errorf("%s, %s spelt %q at offset %d (limit %d): %s %s: %q",
									p.name, sp.name, s, at, l, st.what, why, st.text)
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d texts checked", checked)
}

// TestPacketLogCutKeepsNoBeginning: the logged response is cut at 64 KiB;
// a credential across that cut, in any spelling, shows neither whole nor
// its beginning.
func TestPacketLogCutKeepsNoBeginning(t *testing.T) {
	const logCap = 64 << 10
	rng := rand.New(rand.NewPCG(20, 4))
	cred := spellingCreds[0]
	var mu sync.Mutex
	body := ""
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		b := body
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(b))
	}))
	defer srv.Close()
	rec := &textRecorder{}
	c := mustClient(t, srv.URL, WithLogin("admin", cred), WithLogger(slog.New(rec)), WithPacketLogging())
	for _, sp := range credSpellings {
		s := sp.spell(cred, rng)
		const head = `<packet><customer><get><result><status>ok</status><data><note>`
		for _, at := range spellingOffsets(logCap, len(s)) {
			mu.Lock()
			body = head + pad(at-len(head)) + s + pad(100) + `</note></data></result></get></customer></packet>`
			mu.Unlock()
			rec.mu.Lock()
			rec.texts = nil
			rec.mu.Unlock()
			_, _ = Do[Result](context.Background(), c, "1.6.9.1", getOp())
			rec.mu.Lock()
			texts := rec.texts
			rec.mu.Unlock()
			var packet string
			for _, lt := range texts {
				if len(lt) > 1000 || lt == withheld {
					packet = lt
				}
				if why := leak(lt, cred, true); why != "" {
					t.Errorf("%s at %d: a logged text %s", sp.name, at, why)
				}
			}
			if packet == "" {
				t.Fatalf("%s at %d: no response packet logged", sp.name, at)
			}
		}
	}
}

// For the tests of package rpc_test, which use generated packages.

// CredSpellingsForTest returns every spelling of cred by name, drawn with
// seed.
func CredSpellingsForTest(cred string, seed uint64) map[string]string {
	rng := rand.New(rand.NewPCG(seed, 5))
	out := map[string]string{}
	for _, sp := range credSpellings {
		out[sp.name] = sp.spell(cred, rng)
	}
	return out
}

// LeakForTest is leak.
func LeakForTest(text, cred string, atEnd bool) string { return leak(text, cred, atEnd) }

// TestKeepIsBounded: a credential's beginning spelt with thousands of
// leading zeros at the cut of a long text is still not shown, and keep
// gives up stepping back (showing nothing) rather than read the text
// again for each character.
func TestKeepIsBounded(t *testing.T) {
	cred := spellingCreds[0]
	g := credentialFinder(cred)
	var b strings.Builder
	b.WriteString(pad(100))
	for _, r := range cred[:6] {
		fmt.Fprintf(&b, "&#x%s%x;", strings.Repeat("0", 2000), r)
	}
	s := b.String() + pad(50)
	n := len(s) - 60
	out := g.safeText(s, n)
	if why := leak(out, cred, false); why != "" {
		t.Fatalf("safeText %s", why)
	}
	if cut := g.keep(s, n); cut != 0 {
		t.Errorf("keep stepped back to %d, want 0 (given up)", cut)
	}
}

// TestSystemErrTextSplitByElements: a <system> errtext whose credential
// is split by elements (whose text encoding/xml leaves out of a string) is
// withheld.
func TestSystemErrTextSplitByElements(t *testing.T) {
	cred := spellingCreds[0]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<packet><system><status>error</status><errcode>1001</errcode><errtext>login ` +
			cred[:3] + `<b>` + cred[3:7] + `</b>` + cred[7:] + ` refused</errtext></system></packet>`))
	}))
	defer srv.Close()
	c := mustClient(t, srv.URL, WithLogin("admin", cred))
	_, err := Do[Result](context.Background(), c, "1.6.9.1", getOp())
	var pe *Error
	if !errors.As(err, &pe) || pe.Text != withheld {
		t.Fatalf("error %v, want its text withheld", err)
	}
}
