package rpc

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"

	"github.com/pleskgo/plesk/rpc/internal/xmlstruct"
)

// lookupCharset returns the decoder of a charset named by its IANA name
// or alias (ISO-8859-1, windows-1251, KOI8-R, Shift_JIS, …), or by a label
// browsers know; nil when neither knows it.
func lookupCharset(name string) encoding.Encoding {
	name = strings.TrimSpace(name)
	if enc, err := ianaindex.IANA.Encoding(name); err == nil && enc != nil {
		return enc
	}
	if enc, err := htmlindex.Get(name); err == nil {
		return enc
	}
	return nil
}

// scanner is the tokenizer under the response decoder: what
// xml.Decoder.RawToken does with Strict set and no Entity map, token for
// token (the differential fuzz test holds it to that), at a fraction of the
// cost. It finds the extent of a token with bytes.IndexByte over its own
// buffer, returns text without copying when it holds no reference or
// carriage return, and interns element names with their tags already boxed
// as xml.Token, since they repeat all through a Plesk response: a tag costs
// no allocation. A directive (<!DOCTYPE …>) is an error.
//
// Like RawToken, it does not check that end tags match start tags (the
// xml.Decoder on top does), and the bytes of a CharData, Comment or
// ProcInst are valid only until the next call and must not be modified
// (white space between elements is a shared, cached token).
type scanner struct {
	r     io.Reader
	buf   []byte
	pos   int   // next byte to read
	end   int   // end of the bytes read
	eof   bool  // r said io.EOF
	rerr  error // r failed
	base  int64 // stream offset of buf[0]
	lines int   // newlines before buf[0]

	needClose bool // the last token was the start of <a/>
	toClose   *nameEntry
	text      []byte // decoded text, when it cannot be a slice of buf
	names     map[string]*nameEntry
	spaces    map[string]xml.Token // boxed white space between elements

	// Limits, set by the wire; 0 means none (the differential tests
	// compare an unlimited scanner with encoding/xml).
	maxAttrs int
	maxToken int
	// charsets: decode a body whose XML declaration names another
	// encoding than UTF-8 (set by the wire; off, such a declaration is an
	// error, as in encoding/xml without a CharsetReader).
	charsets bool

	// Namespaces, checked as Namespaces in XML 1.0 asks (see nsCheck).
	nsBind    []nsBinding // the declarations in scope, innermost last
	nsMarks   []int       // len(nsBind) when each open element started
	elemSpace string      // namespace of the last start tag, "" for none
}

// nsBinding is one namespace declaration in scope; prefix "" is the
// default namespace.
type nsBinding struct{ prefix, uri string }

// nameEntry is an interned name with its tokens boxed once: an xml.Token
// holding an EndElement, or a StartElement without attributes, never
// changes, so one allocation serves every occurrence of the name.
type nameEntry struct {
	name  xml.Name
	start xml.Token // xml.StartElement{Name: name, Attr: []xml.Attr{}}
	end   xml.Token // xml.EndElement{Name: name}
}

var noAttrs = []xml.Attr{} // as encoding/xml: empty, not nil

// errDirective reports a <!DOCTYPE …> or other <!…> directive.
var errDirective = errors.New("rpc: XML directive (<!DOCTYPE …>) not allowed")

// Interning is bounded: a hostile server cannot grow the table without end.
// A scanner starts with a buffer of scannerBuf bytes and doubles it for a
// token that does not fit.
const (
	maxInterned   = 4096
	maxInternSize = 64
	scannerBuf    = 32 << 10
)

func newScanner(r io.Reader) *scanner {
	return &scanner{r: r, buf: make([]byte, scannerBuf), names: make(map[string]*nameEntry, 64),
		spaces: make(map[string]xml.Token)}
}

// reset readies the scanner for another input, keeping its buffer (unless
// a huge token grew it) and its table of names, so the names of one
// response are already interned for the next.
func (s *scanner) reset(r io.Reader) {
	if len(s.buf) != scannerBuf {
		s.buf = make([]byte, scannerBuf)
	}
	if cap(s.text) > scannerBuf {
		s.text = nil
	}
	*s = scanner{r: r, buf: s.buf, names: s.names, spaces: s.spaces, text: s.text[:0],
		nsBind: s.nsBind[:0], nsMarks: s.nsMarks[:0]}
}

func (s *scanner) syntaxError(at int, msg string) error {
	return &xml.SyntaxError{Msg: msg, Line: s.lines + bytes.Count(s.buf[:min(at, s.end)], []byte{'\n'}) + 1}
}

// wfError is what XML 1.0 or Namespaces in XML forbid and encoding/xml
// lets through: a duplicate attribute, a name that is no qualified name, a
// reference to no XML character, an unbound prefix, an XML declaration
// after the start. It says where: the line and the byte offset in the
// input of the token.
type wfError struct {
	line   int
	offset int64
	msg    string
}

func (e *wfError) Error() string {
	return fmt.Sprintf("XML not well-formed at line %d (byte %d): %s", e.line, e.offset, e.msg)
}

func (s *scanner) wfError(at int, msg string) error {
	return &wfError{line: s.lines + bytes.Count(s.buf[:min(at, s.end)], []byte{'\n'}) + 1,
		offset: s.base + int64(at), msg: msg}
}

// more reads more input, keeping buf[s.pos:]. It reports false at the end
// of the input or on a read error.
func (s *scanner) more() bool {
	if s.eof || s.rerr != nil {
		return false
	}
	if s.pos > 0 {
		s.lines += bytes.Count(s.buf[:s.pos], []byte{'\n'})
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.base += int64(s.pos)
		s.end, s.pos = n, 0
	}
	if s.end == len(s.buf) {
		if s.maxToken > 0 && s.end >= s.maxToken {
			// One token fills the buffer, and it is as large as a whole
			// result may be: stop before the buffer grows again.
			s.rerr = &limitError{what: fmt.Sprintf("a single token (text, tag or comment) larger than %d bytes", s.maxToken),
				field: "MaxResultSize"}
			return false
		}
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for range 100 {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err == io.EOF {
			s.eof = true
		} else if err != nil {
			s.rerr = err
		}
		if n > 0 {
			return true
		}
		if err != nil {
			return false
		}
	}
	s.rerr = io.ErrNoProgress
	return false
}

// eofError is the error for input that ends inside a token.
func (s *scanner) eofError() error {
	if s.rerr != nil {
		return s.rerr
	}
	return s.syntaxError(s.end, "unexpected EOF")
}

// Token returns the next token, as xml.Decoder.RawToken would.
func (s *scanner) Token() (xml.Token, error) {
	if s.needClose {
		s.needClose = false
		s.popNS()
		return s.toClose.end, nil
	}
	if s.pos == s.end && !s.more() {
		if s.rerr != nil {
			return nil, s.rerr
		}
		return nil, io.EOF
	}
	if s.buf[s.pos] != '<' {
		return s.charData()
	}
	if s.pos+1 == s.end && !s.more() {
		return nil, s.eofError()
	}
	switch s.buf[s.pos+1] {
	case '/':
		return s.endElement()
	case '?':
		return s.procInst()
	case '!':
		return s.bang()
	}
	return s.startElement()
}

// find returns the index in buf of the first sep at or after from, reading
// more input as needed; -1 at the end of the input. Indexes are absolute
// in buf and stay valid across reads relative to s.pos.
func (s *scanner) find(from int, sep string) int {
	for {
		if i := bytes.Index(s.buf[from:s.end], []byte(sep)); i >= 0 {
			return from + i
		}
		from = max(s.end-len(sep)+1, from) - s.pos // relative, buf may move
		if !s.more() {
			return -1
		}
		from += s.pos
	}
}

// charData reads text up to the next '<' or the end of the input.
func (s *scanner) charData() (xml.Token, error) {
	stop := s.pos
	for {
		if i := bytes.IndexByte(s.buf[stop:s.end], '<'); i >= 0 {
			stop += i
			break
		}
		stop = s.end - s.pos
		if !s.more() {
			if s.rerr != nil {
				return nil, s.rerr
			}
			stop = s.end
			break
		}
		stop += s.pos
	}
	start := s.pos
	s.pos = stop
	if stop-start <= 32 && isSpace(s.buf[start:stop]) {
		if t, ok := s.spaces[string(s.buf[start:stop])]; ok {
			return t, nil
		}
		if len(s.spaces) < 64 {
			t := xml.Token(xml.CharData(string(s.buf[start:stop]))) // a copy: the box outlives buf
			s.spaces[string(s.buf[start:stop])] = t
			return t, nil
		}
	}
	t, err := s.decodeText(start, stop, 0)
	if err != nil {
		return nil, err
	}
	return xml.CharData(t), nil
}

// decodeText returns buf[start:stop] as character data: references
// replaced, \r\n and \r turned into \n, every character checked. quote is
// the quote of an attribute value, 0 for text and -1 for CDATA.
func (s *scanner) decodeText(start, stop, quote int) ([]byte, error) {
	b := s.buf[start:stop]
	clean := true
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' || c == '&' && quote >= 0 || c >= utf8.RuneSelf || c == ']' && quote <= 0 {
			clean = false
			break
		}
	}
	if clean {
		return b, nil
	}
	out := s.text[:0]
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '&' && quote >= 0:
			r, n, err := s.reference(start, b[i:])
			if err != nil {
				return nil, err
			}
			out = append(out, r...)
			i += n
			continue
		case c == '\r':
			out = append(out, '\n')
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
		case c == ']' && quote <= 0 && bytes.HasPrefix(b[i:], []byte("]]>")):
			return nil, s.syntaxError(start+i, "unescaped ]]> not in CDATA section")
		default:
			out = append(out, c)
		}
		i++
	}
	s.text = out
	if err := checkChars(out); err != "" {
		return nil, s.syntaxError(stop, err)
	}
	return out, nil
}

// reference decodes the character or entity reference at the start of b
// ("&…;"), returning its text and its length in b.
func (s *scanner) reference(at int, b []byte) (string, int, error) {
	bad := func(ref string) (string, int, error) {
		return "", 0, s.syntaxError(at, "invalid character entity "+ref)
	}
	if len(b) > 1 && b[1] == '#' {
		base, digits := 10, 2
		if len(b) > 2 && b[2] == 'x' {
			base, digits = 16, 3
		}
		j := digits
		for j < len(b) && ('0' <= b[j] && b[j] <= '9' || base == 16 && ('a' <= b[j] && b[j] <= 'f' || 'A' <= b[j] && b[j] <= 'F')) {
			j++
		}
		if j >= len(b) || b[j] != ';' {
			return bad(string(b[:j]) + " (no semicolon)")
		}
		n, err := strconv.ParseUint(string(b[digits:j]), base, 64)
		if err != nil || n > unicode.MaxRune {
			return bad(string(b[:j+1]))
		}
		if !isInCharacterRange(rune(n)) {
			return "", 0, s.wfError(at, "character reference "+string(b[:j+1])+" names no character XML 1.0 allows")
		}
		return string(rune(n)), j + 1, nil
	}
	j := 1
	for j < len(b) && (b[j] >= utf8.RuneSelf || isNameByte(b[j])) {
		j++
	}
	if j >= len(b) || b[j] != ';' {
		return bad(string(b[:j]) + " (no semicolon)")
	}
	switch string(b[1:j]) {
	case "lt":
		return "<", j + 1, nil
	case "gt":
		return ">", j + 1, nil
	case "amp":
		return "&", j + 1, nil
	case "apos":
		return "'", j + 1, nil
	case "quot":
		return `"`, j + 1, nil
	}
	return bad(string(b[:j+1]))
}

// checkChars returns an error message if b is not UTF-8 made of XML
// characters.
func checkChars(b []byte) string {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return fmt.Sprintf("illegal character code %U", rune(c))
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return "invalid UTF-8"
		}
		if !isInCharacterRange(r) {
			return fmt.Sprintf("illegal character code %U", r)
		}
		i += n
	}
	return ""
}

func isInCharacterRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// nameEnd returns the end of the name that starts at i in b: the run of
// name bytes, multi-byte characters included (checked by validXMLName).
func nameEnd(b []byte, i int) int {
	for i < len(b) && (b[i] >= utf8.RuneSelf || isNameByte(b[i])) {
		i++
	}
	return i
}

// validXMLName checks a name as encoding/xml does. ASCII names are checked
// here; the rare others are handed to encoding/xml itself.
func validXMLName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	ascii := true
	for _, c := range b {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		c := b[0]
		return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':'
	}
	// A processing instruction's target is read with encoding/xml's plain
	// name rule: ask it.
	d := xml.NewDecoder(strings.NewReader("<?" + string(b) + "?>"))
	t, err := d.RawToken()
	pi, ok := t.(xml.ProcInst)
	return err == nil && ok && pi.Target == string(b)
}

func isSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\n' && c != '\t' {
			return false
		}
	}
	return true
}

// startToken returns the start tag of the name with attrs, boxed.
func (e *nameEntry) startToken(attrs []xml.Attr) xml.Token {
	if len(attrs) == 0 {
		return e.start
	}
	return xml.StartElement{Name: e.name, Attr: attrs}
}

// entry returns the interned entry of the valid name b, split at its
// colon as encoding/xml's nsname does.
func (s *scanner) entry(b []byte) *nameEntry {
	if e, ok := s.names[string(b)]; ok {
		return e
	}
	n := xml.Name{Local: string(b)}
	if k := bytes.IndexByte(b, ':'); k > 0 && k < len(b)-1 {
		n = xml.Name{Space: n.Local[:k], Local: n.Local[k+1:]}
	}
	e := &nameEntry{name: n, start: xml.StartElement{Name: n, Attr: noAttrs}, end: xml.EndElement{Name: n}}
	if len(s.names) < maxInterned && len(b) <= maxInternSize {
		s.names[string(b)] = e
	}
	return e
}

// name reads the name at buf[i:stop], as encoding/xml's nsname does; ok is
// false if there is no valid name there.
func (s *scanner) name(i, stop int) (e *nameEntry, next int, ok bool, err error) {
	j := nameEnd(s.buf[:stop], i)
	if j == i {
		return nil, i, false, nil
	}
	b := s.buf[i:j]
	if !validXMLName(b) {
		return nil, j, false, s.syntaxError(j, "invalid XML name: "+string(b))
	}
	if bytes.Count(b, []byte{':'}) > 1 {
		return nil, j, false, nil
	}
	if !qualifiedName(b) {
		return nil, j, false, s.wfError(i, "the name "+strconv.Quote(clipText(string(b), 64))+" is not a qualified name (prefix:local, each a name without colon)")
	}
	return s.entry(b), j, true, nil
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// endElement reads </name>.
func (s *scanner) endElement() (xml.Token, error) {
	stop := s.find(s.pos+2, ">")
	limit := stop
	if stop < 0 {
		limit = s.end
	}
	n, i, ok, err := s.name(s.pos+2, limit)
	if err != nil {
		return nil, err
	}
	if !ok {
		if i >= limit && stop < 0 {
			return nil, s.eofError()
		}
		return nil, s.syntaxError(i, "expected element name after </")
	}
	i = skipSpace(s.buf[:limit], i)
	if stop < 0 {
		return nil, s.eofError()
	}
	if i != stop {
		return nil, s.syntaxError(i, "invalid characters between </"+n.name.Local+" and >")
	}
	s.pos = stop + 1
	s.popNS()
	return n.end, nil
}

// procInst reads <?target inst?>.
func (s *scanner) procInst() (xml.Token, error) {
	stop := s.find(s.pos+2, "?>")
	if stop < 0 {
		return nil, s.eofError()
	}
	i0 := s.pos + 2
	i := nameEnd(s.buf[:stop], i0)
	if i == i0 {
		return nil, s.syntaxError(i, "expected target name after <?")
	}
	if !validXMLName(s.buf[i0:i]) {
		return nil, s.syntaxError(i, "invalid XML name: "+string(s.buf[i0:i]))
	}
	target := s.entry(s.buf[i0:i]).name
	if target.Space != "" {
		target.Local = target.Space + ":" + target.Local
	}
	if target.Local == "xml" && s.base+int64(s.pos) != 0 &&
		!(s.base == 0 && s.pos == 3 && bytes.HasPrefix(s.buf, []byte("\xef\xbb\xbf"))) {
		return nil, s.wfError(s.pos, "an XML declaration (<?xml …?>) after the start of the input")
	}
	i = skipSpace(s.buf[:stop], i)
	inst := s.buf[i:stop]
	if target.Local == "xml" {
		if ver := procInstParam("version=", inst); len(ver) > 0 && string(ver) != "1.0" {
			return nil, fmt.Errorf("xml: unsupported version %q; only version 1.0 is supported", ver)
		}
		if enc := procInstParam("encoding=", inst); len(enc) > 0 && !bytes.EqualFold(enc, []byte("utf-8")) {
			if !s.charsets {
				return nil, fmt.Errorf("xml: encoding %q declared but Decoder.CharsetReader is nil", enc)
			}
			if err := s.transcode(string(enc), stop+2); err != nil {
				return nil, err
			}
			inst = s.buf[i:stop]
		}
	}
	s.pos = stop + 2
	return xml.ProcInst{Target: target.Local, Inst: inst}, nil
}

// charsetError reports a declared encoding this client cannot decode.
type charsetError struct{ charset string }

func (e *charsetError) Error() string {
	return fmt.Sprintf("the response declares encoding %q, which this client cannot decode", clipText(e.charset, 40))
}

// transcode makes the scanner read the input after buf[from] decoded from
// the named charset into UTF-8. Only the declaration at the very start of
// the input may switch: a later one is an error (it is not well-formed).
func (s *scanner) transcode(charset string, from int) error {
	if s.base != 0 || bytes.IndexByte(bytes.TrimLeft(s.buf[:s.pos], "\xef\xbb\xbf \t\r\n"), '<') >= 0 {
		return s.syntaxError(s.pos, "XML declaration not at the start of the input")
	}
	enc := lookupCharset(charset)
	if enc == nil {
		return &charsetError{charset: charset}
	}
	rest := append([]byte(nil), s.buf[from:s.end]...)
	var r io.Reader = bytes.NewReader(rest)
	if !s.eof && s.rerr == nil {
		r = io.MultiReader(r, s.r)
	}
	s.r = enc.NewDecoder().Reader(r)
	s.end = from
	s.eof, s.rerr = false, nil
	return nil
}

// procInstParam is encoding/xml's reading of a pseudo-attribute of <?xml?>
// (param ends with '='), on bytes.
func procInstParam(param string, s []byte) []byte {
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := bytes.Index(sub, []byte(param))
		if k < 0 || lenp+k >= len(sub) {
			return nil
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return nil
	}
	j := bytes.IndexByte(s[i:], sep)
	if j < 0 {
		return nil
	}
	return s[i : i+j]
}

// bang reads <!-- comments --> and <![CDATA[ sections ]]>; a directive is
// an error.
func (s *scanner) bang() (xml.Token, error) {
	for s.end-s.pos < 9 && s.more() {
	}
	rest := s.buf[s.pos+2 : s.end]
	switch {
	case len(rest) == 0:
		return nil, s.eofError()
	case rest[0] == '-':
		if len(rest) < 2 {
			return nil, s.eofError()
		}
		if rest[1] != '-' {
			return nil, s.syntaxError(s.pos, "invalid sequence <!- not part of <!--")
		}
		dash := s.find(s.pos+4, "--")
		if dash < 0 {
			return nil, s.eofError()
		}
		if rel := dash - s.pos; dash+2 == s.end {
			if !s.more() {
				return nil, s.eofError()
			}
			dash = s.pos + rel
		}
		start := s.pos + 4
		if s.buf[dash+2] != '>' {
			return nil, s.syntaxError(dash, `invalid sequence "--" not allowed in comments`)
		}
		s.pos = dash + 3
		return xml.Comment(s.buf[start:dash]), nil
	case rest[0] == '[':
		const cdata = "[CDATA["
		for k := 0; k < len(cdata); k++ {
			if k >= len(rest) {
				return nil, s.eofError()
			}
			if rest[k] != cdata[k] {
				return nil, s.syntaxError(s.pos, "invalid <![ sequence")
			}
		}
		stop := s.find(s.pos+2+len(cdata), "]]>")
		start := s.pos + 2 + len(cdata)
		if stop < 0 {
			if s.rerr != nil {
				return nil, s.rerr
			}
			return nil, s.syntaxError(s.end, "unexpected EOF in CDATA section")
		}
		t, err := s.decodeText(start, stop, -1)
		if err != nil {
			return nil, err
		}
		s.pos = stop + 3
		return xml.CharData(t), nil
	}
	return nil, errDirective
}

// startElement reads <name attr="value" …> or <name …/>.
func (s *scanner) startElement() (xml.Token, error) {
	// The extent: up to the first '>' outside quotes, or a '<' anywhere,
	// which is an error the parse below reports as encoding/xml does.
	stop, quote := -1, byte(0)
	for i := s.pos + 1; stop < 0; {
		if i == s.end {
			rel := i - s.pos
			if !s.more() {
				break
			}
			i = s.pos + rel
			continue
		}
		switch c := s.buf[i]; {
		case c == '<':
			stop = i
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			stop = i
		}
		i++
	}
	limit := stop
	if stop < 0 {
		limit = s.end
	}
	n, i, ok, err := s.name(s.pos+1, limit)
	if err != nil {
		return nil, err
	}
	if !ok {
		if i >= limit && stop < 0 {
			return nil, s.eofError()
		}
		return nil, s.syntaxError(i, "expected element name after <")
	}
	b := s.buf[:limit]
	var attrs []xml.Attr
	// atLimit is the error for a tag cut short at b's end: the input
	// ended, or a '<' came (msg is what encoding/xml says then).
	atLimit := func(i int, msg string) (xml.Token, error) {
		if stop < 0 {
			return nil, s.eofError()
		}
		return nil, s.syntaxError(i, msg)
	}
	for {
		i = skipSpace(b, i)
		if i == limit {
			if stop >= 0 && s.buf[stop] == '>' {
				if err := s.nsCheck(n, attrs); err != nil {
					return nil, err
				}
				s.pos = stop + 1
				return n.startToken(attrs), nil
			}
			return atLimit(i, "expected attribute name in element")
		}
		if b[i] == '/' {
			if i+1 == limit && stop >= 0 && s.buf[stop] == '>' {
				if err := s.nsCheck(n, attrs); err != nil {
					return nil, err
				}
				s.needClose, s.toClose = true, n
				s.pos = stop + 1
				return n.startToken(attrs), nil
			}
			if i+1 == limit {
				return atLimit(i, "expected /> in element")
			}
			return nil, s.syntaxError(i, "expected /> in element")
		}
		if s.maxAttrs > 0 && len(attrs) >= s.maxAttrs {
			return nil, &limitError{what: fmt.Sprintf("more than %d attributes on one element", s.maxAttrs), field: "MaxAttrs"}
		}
		var a xml.Attr
		var an *nameEntry
		var ok bool
		an, i, ok, err = s.name(i, limit)
		if err != nil {
			return nil, err
		}
		if !ok {
			if i == limit {
				return atLimit(i, "expected attribute name in element")
			}
			return nil, s.syntaxError(i, "expected attribute name in element")
		}
		i = skipSpace(b, i)
		if i == limit {
			return atLimit(i, "attribute name without = in element")
		}
		if b[i] != '=' {
			return nil, s.syntaxError(i, "attribute name without = in element")
		}
		i = skipSpace(b, i+1)
		if i == limit {
			return atLimit(i, "unquoted or missing attribute value in element")
		}
		q := b[i]
		if q != '"' && q != '\'' {
			return nil, s.syntaxError(i, "unquoted or missing attribute value in element")
		}
		end := bytes.IndexByte(b[i+1:], q)
		if end < 0 {
			return atLimit(limit, "unescaped < inside quoted string")
		}
		v, err := s.decodeText(i+1, i+1+end, int(q))
		if err != nil {
			return nil, err
		}
		a.Name, a.Value = an.name, string(v)
		attrs = append(attrs, a)
		i += end + 2
	}
}

// qualifiedName reports whether the valid XML name b is a qualified name
// of Namespaces in XML: a local name, or prefix:local, neither holding a
// colon nor starting with a digit, '-' or '.'. (b holds at most one colon;
// a name with more is refused before.) A part starting with a multi-byte
// character was checked with the whole name by validXMLName.
func qualifiedName(b []byte) bool {
	k := bytes.IndexByte(b, ':')
	if k < 0 {
		return true
	}
	if k == 0 || k == len(b)-1 {
		return false
	}
	c := b[k+1]
	return c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_'
}

// The namespaces of the xml and xmlns prefixes, which are bound by
// definition and to nothing else.
const (
	xmlNS   = "http://www.w3.org/XML/1998/namespace"
	xmlnsNS = "http://www.w3.org/2000/xmlns/"
)

// lookupNS returns the namespace prefix is bound to; ok is false when it
// is not bound. The default namespace (prefix "") is always known: "" when
// none is declared.
func (s *scanner) lookupNS(prefix string) (string, bool) {
	if prefix == "xml" {
		return xmlNS, true
	}
	for i := len(s.nsBind) - 1; i >= 0; i-- {
		if s.nsBind[i].prefix == prefix {
			return s.nsBind[i].uri, true
		}
	}
	return "", prefix == ""
}

// popNS leaves the scope of the element that just ended.
func (s *scanner) popNS() {
	if n := len(s.nsMarks); n > 0 {
		s.nsBind = s.nsBind[:s.nsMarks[n-1]]
		s.nsMarks = s.nsMarks[:n-1]
	}
}

// nsCheck enters the scope of the start tag of n with attrs at s.pos and
// checks what XML 1.0 and Namespaces in XML ask of it: no attribute twice,
// by its name or by its namespace and local name; declarations that bind
// a prefix to a namespace (never to none, nor xml or xmlns to another);
// every prefix bound. It notes the namespace of the element in elemSpace.
func (s *scanner) nsCheck(n *nameEntry, attrs []xml.Attr) error {
	s.nsMarks = append(s.nsMarks, len(s.nsBind))
	for _, a := range attrs {
		switch {
		case a.Name.Space == "xmlns":
			switch {
			case a.Name.Local == "xmlns":
				return s.wfError(s.pos, "the prefix xmlns cannot be declared")
			case a.Value == "":
				return s.wfError(s.pos, "xmlns:"+clipText(a.Name.Local, 64)+`="" undeclares a prefix, which Namespaces in XML 1.0 forbid`)
			case (a.Name.Local == "xml") != (a.Value == xmlNS) || a.Value == xmlnsNS:
				return s.wfError(s.pos, "xmlns:"+clipText(a.Name.Local, 64)+" binds a reserved prefix or namespace")
			case bareName(a.Value):
				return s.wfError(s.pos, "xmlns:"+clipText(a.Name.Local, 64)+" binds a namespace that is a bare name (a relative reference)")
			}
			s.nsBind = append(s.nsBind, nsBinding{a.Name.Local, a.Value})
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			if a.Value == xmlNS || a.Value == xmlnsNS {
				return s.wfError(s.pos, "xmlns binds the default namespace to a reserved one")
			}
			if bareName(a.Value) {
				return s.wfError(s.pos, "xmlns binds the default namespace to a bare name (a relative reference)")
			}
			s.nsBind = append(s.nsBind, nsBinding{"", a.Value})
		}
	}
	if n.name.Space == "xmlns" {
		return s.wfError(s.pos, "the element <"+qname(n.name)+"> has the prefix xmlns")
	}
	space, ok := s.lookupNS(n.name.Space)
	if !ok {
		return s.wfError(s.pos, "the prefix of <"+qname(n.name)+"> is not bound to a namespace")
	}
	s.elemSpace = space
	for _, a := range attrs {
		if a.Name.Space != "" && a.Name.Space != "xmlns" {
			if _, ok := s.lookupNS(a.Name.Space); !ok {
				return s.wfError(s.pos, "the prefix of the attribute "+qname(a.Name)+" of <"+qname(n.name)+"> is not bound to a namespace")
			}
		}
	}
	if len(attrs) < 2 {
		return nil
	}
	// Each attribute by its expanded name: a declaration by its literal
	// name, an unprefixed attribute in no namespace, a prefixed one in the
	// namespace of its prefix.
	expanded := func(a xml.Attr) xml.Name {
		if a.Name.Space == "" || a.Name.Space == "xmlns" {
			return xml.Name{Space: a.Name.Space, Local: a.Name.Local}
		}
		uri, _ := s.lookupNS(a.Name.Space)
		return xml.Name{Space: "{" + uri, Local: a.Name.Local} // "{": no prefix is spelt so
	}
	twice := func(a, b xml.Attr) error {
		if a.Name == b.Name {
			return s.wfError(s.pos, "the attribute "+qname(a.Name)+" appears twice in <"+qname(n.name)+">")
		}
		return s.wfError(s.pos, "the attributes "+qname(a.Name)+" and "+qname(b.Name)+" of <"+qname(n.name)+
			"> are one name in one namespace")
	}
	if len(attrs) <= 8 {
		for i, a := range attrs {
			ea := expanded(a)
			for _, b := range attrs[:i] {
				if expanded(b) == ea {
					return twice(b, a)
				}
			}
		}
		return nil
	}
	seen := make(map[xml.Name]int, len(attrs))
	for i, a := range attrs {
		ea := expanded(a)
		if j, ok := seen[ea]; ok {
			return twice(attrs[j], a)
		}
		seen[ea] = i
	}
	return nil
}

// bareName reports a namespace written as a bare name ("p", "a.b"): a
// relative reference, which Namespaces in XML deprecates, and which the
// typed decoder could not tell from an unbound prefix; refused as the
// codec refuses it.
func bareName(s string) bool { return xmlstruct.IsNCName(s) }
