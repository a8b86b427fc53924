package rpc

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

const redacted = "[REDACTED]"

// withheld stands for a whole text that held one of the client's own
// credentials, as a server or proxy may echo them: the text is dropped as
// a whole, never rewritten around the credential, so that nothing shows
// where in the text it was.
const withheld = "[text withheld: it holds a credential of this client]"

// minFoundCredential is the length from which a sentry looks for a
// credential: Plesk refuses shorter passwords, and a shorter string turns
// up in ordinary text by chance.
const minFoundCredential = 5

// minShownPrefix is the length from which the beginning of a credential
// at the edge of a cut text is withheld.
const minShownPrefix = 4

// sentry looks for the client's own credentials in texts about to be
// shown. The credentials live in the closures of its two functions only,
// so that neither fmt nor a reflection dump of it reaches them.
type sentry struct {
	// in reports one of the texts (the views of a text, see plainViews)
	// holding a whole credential.
	in func(views []string) bool
	// ending reports one of the texts ending with the beginning of a
	// credential (minShownPrefix bytes or more of it).
	ending func(views []string) bool
}

// credentialFinder returns the sentry of the secrets. Short credentials
// (under minFoundCredential characters) are not looked for: they turn up
// in ordinary text by chance, and withholding such text would tell a
// reader about them.
func credentialFinder(secrets ...string) sentry {
	var creds []string
	for _, v := range secrets {
		if utf8.RuneCountInString(v) >= minFoundCredential {
			creds = append(creds, v)
		}
	}
	if len(creds) == 0 {
		return sentry{}
	}
	in := func(views []string) bool {
		for _, v := range views {
			for _, c := range creds {
				if strings.Contains(v, c) {
					return true
				}
			}
		}
		return false
	}
	ending := func(views []string) bool {
		for _, v := range views {
			for _, c := range creds {
				for n := len(c); n >= minShownPrefix; n-- {
					if strings.HasSuffix(v, c[:n]) {
						return true
					}
				}
			}
		}
		return false
	}
	return sentry{in: in, ending: ending}
}

// has reports s holding a whole credential in any spelling XML, HTML or a
// URL allows (see plainViews); false for a sentry of none.
func (g sentry) has(s string) bool {
	return g.in != nil && s != "" && g.in(plainViews(s))
}

// edge reports a text that was cut and ends with the beginning of a
// credential, in any spelling, or with one followed by what the cut left
// unfinished (see trimPartial).
func (g sentry) edge(s string) bool {
	if g.ending == nil || s == "" {
		return false
	}
	views := plainViews(s)
	if t := trimPartial(s); t != s {
		views = append(views, plainViews(t)...)
	}
	// Markup cut short at the end may be text that reads on from what
	// precedes it ("p&amp;a<" is "p&a<" to a reader).
	if k := strings.LastIndexByte(s, '<'); k >= 0 && strings.IndexByte(s[k:], '>') < 0 {
		for _, v := range plainViews(s[:k]) {
			views = append(views, v+s[k:])
		}
	}
	return g.ending(views)
}

// live holds the sentries of the clients of the process that are still
// reachable, for texts built without a client at hand (Deviations).
var live struct {
	sync.RWMutex
	next     uint64
	sentries map[uint64]sentry
}

// trackCredentials adds the sentry of c to live, until c is collected.
func trackCredentials(c *Client) {
	if c.holds.in == nil {
		return
	}
	live.Lock()
	if live.sentries == nil {
		live.sentries = map[uint64]sentry{}
	}
	live.next++
	id := live.next
	live.sentries[id] = c.holds
	live.Unlock()
	runtime.AddCleanup(c, func(id uint64) {
		live.Lock()
		delete(live.sentries, id)
		live.Unlock()
	}, id)
}

// liveCredentials returns a sentry for the credentials of every live
// client.
func liveCredentials() sentry {
	live.RLock()
	all := make([]sentry, 0, len(live.sentries))
	for _, g := range live.sentries {
		all = append(all, g)
	}
	live.RUnlock()
	if len(all) <= 1 {
		if len(all) == 0 {
			return sentry{}
		}
		return all[0]
	}
	return sentry{
		in: func(views []string) bool {
			for _, g := range all {
				if g.in(views) {
					return true
				}
			}
			return false
		},
		ending: func(views []string) bool {
			for _, g := range all {
				if g.ending(views) {
					return true
				}
			}
			return false
		},
	}
}

// keep returns how many bytes of s, at most n, may be shown: n moved back
// to a character boundary, and further back while what would be shown
// ends with the beginning of a credential in any spelling. It does not
// look for whole credentials: call has on the whole text first.
func (g sentry) keep(s string, n int) int {
	if len(s) <= n {
		return len(s)
	}
	cut := max(n, 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if g.ending == nil {
		return cut
	}
	for steps := 0; cut > 0 && g.edge(s[:cut]); steps++ {
		if steps == maxKeepSteps {
			return 0 // a spelling too long to step through: show none of it
		}
		cut--
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return cut
}

// maxKeepSteps bounds the characters keep steps back over (a credential
// spelt with ever more leading zeros in its references could otherwise
// make it read a long text again and again).
const maxKeepSteps = 1024

// trimEnd returns the end of a text that was cut short, without the
// beginning of a credential it may end with.
func (g sentry) trimEnd(s string) string {
	return s[:g.keep(s+" ", len(s))]
}

// safeText returns s to be shown in at most n bytes: withheld as a whole
// when it holds a credential in any spelling, and otherwise cut by
// clipText with no beginning of one at the edge of the cut.
func (g sentry) safeText(s string, n int) string {
	if g.has(s) {
		return withheld
	}
	if len(s) <= n {
		return s
	}
	cut := g.keep(s, n)
	return fmt.Sprintf("%s… (%d bytes cut)", s[:cut], len(s)-cut)
}

// maxViews bounds the readings plainViews returns.
const maxViews = 48

// plainViews returns s and the texts it reads as once its spelling is
// undone, in every order a page or packet may layer them: markup removed
// (tags, comments, the markers of CDATA sections, so that a value split
// by markup is joined), character references and entities resolved
// (decimal, hexadecimal, leading zeros, named; with or without the
// semicolon HTML tolerates), and percent-encoding decoded (either case of
// hex digits, with + as a space and as itself). A credential spelt in any
// of these ways, or in a mixture, is found in one of the views by a plain
// comparison.
func plainViews(s string) []string {
	views := []string{s}
	seen := map[string]bool{s: true}
	frontier := views
	for round := 0; round < 4 && len(frontier) > 0; round++ {
		var next []string
		for _, v := range frontier {
			for _, d := range decodings(v) {
				if !seen[d] && len(views) < maxViews {
					seen[d] = true
					views = append(views, d)
					next = append(next, d)
				}
			}
		}
		frontier = next
	}
	return views
}

// decodings returns the readings of v one layer of spelling down.
func decodings(v string) []string {
	var out []string
	if strings.IndexByte(v, '<') >= 0 {
		st := stripMarkup(v)
		out = append(out, st, html.UnescapeString(st))
	}
	if strings.IndexByte(v, '&') >= 0 {
		out = append(out, html.UnescapeString(v))
	}
	if strings.IndexByte(v, '%') >= 0 || strings.IndexByte(v, '+') >= 0 {
		out = append(out, percentDecode(v, true), percentDecode(v, false))
	}
	if strings.IndexByte(v, '\\') >= 0 {
		out = append(out, unbackslash(v))
	}
	return out
}

// unbackslash undoes the escapes of a Go or JSON quoted string (error
// messages quote values with strconv.Quote): \" \\ \' \/ \n \r \t,
// \xHH, \uHHHH and \UHHHHHHHH; others are kept as written.
func unbackslash(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		switch e := s[i+1]; e {
		case '"', '\\', '\'', '/':
			b.WriteByte(e)
			i++
		case 'n':
			b.WriteByte('\n')
			i++
		case 'r':
			b.WriteByte('\r')
			i++
		case 't':
			b.WriteByte('\t')
			i++
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if v, err := strconv.ParseUint(s[i+2:min(len(s), i+2+n)], 16, 32); err == nil && i+2+n <= len(s) {
				if e == 'x' {
					b.WriteByte(byte(v))
				} else {
					b.WriteRune(rune(v))
				}
				i += 1 + n
			} else {
				b.WriteByte(c)
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// stripMarkup removes tags, comments, processing instructions and the
// markers of CDATA sections (keeping their content), leniently: markup
// cut short by the end of s is dropped, and a '<' that starts no markup
// is kept.
func stripMarkup(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteString(s[i : i+lt])
		i += lt
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			if k := strings.Index(rest[4:], "-->"); k >= 0 {
				i += 4 + k + 3
			} else {
				i = len(s)
			}
		case strings.HasPrefix(rest, "<![CDATA["):
			i += 9
			if k := strings.Index(s[i:], "]]>"); k >= 0 {
				b.WriteString(s[i : i+k])
				i += k + 3
			} else {
				b.WriteString(s[i:])
				i = len(s)
			}
		case len(rest) > 1 && (isNameStart(rest[1]) || rest[1] == '/' || rest[1] == '?' || rest[1] == '!'):
			if k := tagEnd([]byte(rest)); k >= 0 {
				i += k
			} else {
				i = len(s)
			}
		case len(rest) == 1:
			i = len(s) // a '<' at the very end: markup cut short
		default:
			b.WriteByte('<')
			i++
		}
	}
	return b.String()
}

func isNameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || c >= utf8.RuneSelf
}

// percentDecode decodes %XX escapes, leniently: an escape that is not one
// is kept as written; one cut short by the end of s is dropped.
func percentDecode(s string, plusSpace bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		case c == '%' && (i+1 == len(s) || i+2 == len(s) && isHex(s[i+1])):
			return b.String()
		case c == '+' && plusSpace:
			b.WriteByte(' ')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// trimPartial removes from the end of a cut text what the cut left
// unfinished: a character reference or entity without its end, a percent
// escape missing a digit, a tag or comment not closed; so that what comes
// before it is seen at the edge.
func trimPartial(s string) string {
	for {
		t := s
		if k := strings.LastIndexByte(t, '&'); k >= 0 && isRefBody(t[k+1:]) {
			t = t[:k]
		}
		if k := strings.LastIndexByte(t, '%'); k >= 0 && len(t)-k <= 2 && isRefBody(t[k+1:]) {
			t = t[:k]
		}
		if k := strings.LastIndex(t, "<![CDATA["); k >= 0 && !strings.Contains(t[k:], "]]>") {
			t = t[:k] + t[k+9:] // its text so far is text
		}
		if k := strings.LastIndex(t, "<!--"); k >= 0 && !strings.Contains(t[k:], "-->") {
			t = t[:k]
		}
		if k := strings.LastIndexByte(t, '<'); k >= 0 && strings.IndexByte(t[k:], '>') < 0 {
			t = t[:k]
		}
		if t == s {
			return s
		}
		s = t
	}
}

// isRefBody reports what may follow '&' in a reference not yet ended.
func isRefBody(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '#' || isHex(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// isSensitive reports names whose value is a secret: passwords (password,
// passwd, ftp-password, ftp_password, old-password, pwd, pass,
// passphrase, …), secret keys and API keys (key, secret_key, api-key,
// apiKey), secrets, tokens, credentials, private keys. It is the one
// definition of a secret's name: asked of element and attribute names,
// and of the text of a <name> in a name/value pair
// (<property><name>ftp_password</name>…), by redactXML (logged packets,
// snippets), DecodeError and Deviations alike.
func isSensitive(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	if _, local, ok := strings.Cut(n, ":"); ok {
		n = local
	}
	for _, part := range []string{"passw", "passphrase", "secret", "token", "private", "credential"} {
		if strings.Contains(n, part) {
			return true
		}
	}
	switch n {
	case "pvt", "key", "pwd", "pass", "apikey":
		return true
	}
	for _, end := range []string{"-key", "_key", ".key", "apikey", "-pwd", "_pwd", "-pass", "_pass"} {
		if strings.HasSuffix(n, end) {
			return true
		}
	}
	return false
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
