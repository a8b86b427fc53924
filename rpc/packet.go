package rpc

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/pleskgo/plesk/rpc/internal/xmlstruct"
)

// EncodeRequest writes the request packet for ops: an XML declaration and
// <packet version="…"> holding the operations in order. Consecutive ops of
// the same operator share one operator element. An empty version omits the
// attribute, which makes Plesk use the newest protocol it knows. A request
// holding a string XML 1.0 cannot carry (a control character other than
// TAB, LF and CR, U+FFFE, U+FFFF, bytes that are not UTF-8) is refused with
// a *ValidationError naming the element and the byte, never written
// altered.
func EncodeRequest(w io.Writer, version string, ops ...*Op) error {
	if len(ops) == 0 {
		return errors.New("rpc: a packet needs at least one operation")
	}
	for _, op := range ops {
		if err := op.validate(); err != nil {
			return err
		}
		if err := requestChars(op); err != nil {
			return err
		}
	}
	// The envelope is written directly, the requests with a pooled encoder.
	ew := writerPool.Get().(*encWriter)
	bw := ew.bw
	bw.Reset(w)
	ok := false
	defer func() {
		bw.Reset(nil)
		if ok { // an encoder that failed may hold an error or open tags
			writerPool.Put(ew)
		}
	}()
	bw.WriteString(xml.Header)
	bw.WriteString("<packet")
	if version != "" {
		bw.WriteString(` version="`)
		bw.Write(xmlstruct.AppendEscaped(bw.AvailableBuffer(), version, true))
		bw.WriteByte('"')
	}
	bw.WriteByte('>')
	cur := ""
	for _, op := range ops {
		if op.Operator != cur {
			if cur != "" {
				writeEnd(bw, cur)
			}
			cur = op.Operator
			writeStart(bw, cur)
		}
		// Groups on the way to a nested operation: "db-servers/add".
		last := op.Operation
		for {
			group, rest, nested := strings.Cut(last, "/")
			if !nested {
				break
			}
			writeStart(bw, group)
			last = rest
		}
		switch {
		case op.validated && op.body != nil:
			bw.Write(op.body) // encoded and checked by validation
		case isNil(op.Request):
			writeStart(bw, last)
			writeEnd(bw, last)
		default:
			if err := ew.enc.EncodeElement(op.Request, xml.StartElement{Name: xml.Name{Local: last}}); err != nil {
				return fmt.Errorf("rpc: encoding %s: %w", op, err)
			}
		}
		for groups := op.Operation[:len(op.Operation)-len(last)]; groups != ""; {
			groups = groups[:len(groups)-1] // the trailing '/'
			i := strings.LastIndexByte(groups, '/')
			writeEnd(bw, groups[i+1:])
			groups = groups[:i+1]
		}
	}
	writeEnd(bw, cur)
	bw.WriteString("</packet>")
	if err := bw.Flush(); err != nil {
		return err
	}
	ok = true
	return nil
}

func writeStart(bw *bufio.Writer, name string) {
	bw.WriteByte('<')
	bw.WriteString(name)
	bw.WriteByte('>')
}

func writeEnd(bw *bufio.Writer, name string) {
	bw.WriteString("</")
	bw.WriteString(name)
	bw.WriteByte('>')
}

// isNil reports a nil interface or nil pointer: encoding/xml would write
// nothing for those, and the operation element must always be present.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice:
		return rv.IsNil()
	}
	return false
}

// DecodeResponse reads a response packet from r and feeds each op its
// results, as *Client does with the HTTP body. It is the way to fake the
// wire in tests: an InvokerFunc that answers with canned XML.
func DecodeResponse(r io.Reader, ops ...*Op) error {
	src := &trackReader{r: r}
	_, err := getWire(src, src, defaultLimits, sentry{}).decode(ops)
	return err
}

// getWire returns a wire, from the pool, to read a response from r, which
// reads src.
func getWire(src *trackReader, r io.Reader, lim Limits, holds sentry) *wire {
	w := wirePool.Get().(*wire)
	w.reset(src, r, lim)
	w.holds = holds
	return w
}

// head reads the first bytes of the response and returns what it has: for
// a look before decoding. The bytes are valid until the next read.
func (w *wire) head() []byte {
	w.sc.more()
	return w.sc.buf[w.sc.pos:w.sc.end]
}

// release returns to the pool a wire that decoded nothing (after head).
func (w *wire) release() {
	w.reset(nil, nil, defaultLimits)
	wirePool.Put(w)
}

// decode reads the response and feeds ops. delivered reports whether any
// op has been fed anything, which forbids retrying the packet. The wire
// must not be used after.
func (w *wire) decode(ops []*Op) (delivered bool, err error) {
	err = w.packet(ops)
	delivered = w.delivered
	if err == nil {
		// Nothing after </packet> is read here: the call is answered. The
		// client drains what follows within a bound (see drainBody); the
		// wire, its decoder and its scanner can serve the next response.
		w.release()
	}
	return delivered, err
}

// wirePool keeps wires that read a response to its end.
var wirePool = sync.Pool{New: func() any {
	w := &wire{}
	w.sc = newScanner(nil)
	w.sd = xml.NewTokenDecoder(w)
	w.rr.w = w
	return w
}}

// encWriter is a bufio.Writer with an xml.Encoder writing through it, pooled
// together: an encoder is a good part of the cost of a small packet.
type encWriter struct {
	bw  *bufio.Writer
	enc *xml.Encoder
}

var writerPool = sync.Pool{New: func() any {
	bw := bufio.NewWriterSize(nil, 4096)
	return &encWriter{bw: bw, enc: xml.NewEncoder(bw)} // writes into bw, no buffer of its own
}}

// Header elements of a <result>, as bits of wire.seen.
const (
	seenStatus = 1 << iota
	seenErrCode
	seenErrText
	seenFilterID
	seenID
	seenOther
)

// wire reads a response. It walks the envelope (packet, operators,
// operations) itself, on the tokens of sc, and checks that every end tag
// matches its start tag. Each <result> (and the rare other element it must
// decode) is handed to sd, an xml.Decoder reading tokens from the wire, as
// a subtree: the start tag first, then the tokens inside, then io.EOF, so
// a result type can never read past its element. On the way through, the
// wire notes the header fields of a result (status, errcode, …).
//
// sd sees one balanced subtree at a time, so its stack is empty between
// them. When the type being decoded fails, xml.Decoder may keep a stale
// end-of-element marker on its stack; the wire then replaces sd and reads
// the rest of the subtree itself.
type wire struct {
	src   *trackReader
	sc    *scanner
	sd    *xml.Decoder
	lim   Limits
	holds sentry // finds the client's credentials in texts; zero: none

	err       error      // sticky fatal error, a *TransportError
	open      []xml.Name // names of the open elements; depth is len(open)
	cur       *Op        // the op being answered, for messages
	delivered bool       // an op sink has been called

	// The subtree sd is reading.
	pending xml.Token // the start tag, handed to sd first
	inSub   bool
	ended   bool // the subtree closed: Token returns io.EOF
	subBase int  // depth of the subtree's parent

	// The <result> being read.
	inResult   bool
	field      int // seen* bit of the header element being read, or 0
	seen       int
	text       []byte
	hdr        header
	textLen    int   // bytes of the header element's text, w.text holding at most MaxErrorText+1 of them
	elems      int   // elements inside the result
	resStart   int64 // offset in the body of the result's start tag
	lastElem   string
	lastParent string // the parent of lastElem
	errParent  string
	lastText   []byte
	errElem    string // lastElem and lastText when decoding failed
	errText    []byte
	rr         resultReader
}

// reset readies a wire for a response, keeping its decoder, its scanner
// (strict; only the five predefined entities; no DOCTYPE) and its buffers.
func (w *wire) reset(src *trackReader, r io.Reader, lim Limits) {
	w.sc.reset(r)
	w.sc.maxAttrs, w.sc.maxToken, w.sc.charsets = lim.MaxAttrs, int(min(lim.MaxResultSize, 1<<40)), true
	if cap(w.text) > scannerBuf {
		w.text = nil
	}
	*w = wire{src: src, sc: w.sc, sd: w.sd, lim: lim, open: w.open[:0],
		text: w.text[:0], lastText: w.lastText[:0], errText: w.errText[:0], rr: resultReader{w: w}}
}

// tooLarge makes the error of a response past one of the Limits sticky.
func (w *wire) tooLarge(what, field string) error {
	w.err = &TransportError{Kind: ErrTooLarge, Read: w.src.n, Detail: (&limitError{what: what, field: field}).Error()}
	return w.err
}

// offset is the position in the body of the next byte the scanner reads.
func (w *wire) offset() int64 { return w.sc.base + int64(w.sc.pos) }

// read returns the next token of the response, keeping the stack of open
// elements and the header of the current result.
func (w *wire) read() (xml.Token, error) {
	if w.err != nil {
		return nil, w.err
	}
	t, err := w.sc.Token()
	if err != nil {
		w.err = w.classify(err)
		return nil, w.err
	}
	switch t := t.(type) {
	case xml.StartElement:
		if len(w.open) >= w.lim.MaxDepth {
			return nil, w.tooLarge(fmt.Sprintf("elements nested deeper than %d levels", w.lim.MaxDepth), "MaxDepth")
		}
		w.open = append(w.open, t.Name)
		if w.inResult {
			if w.elems++; w.elems > w.lim.MaxElements {
				return nil, w.tooLarge(fmt.Sprintf("more than %d elements in one <result>", w.lim.MaxElements), "MaxElements")
			}
			w.lastElem = t.Name.Local
			w.lastParent = ""
			if n := len(w.open); n >= 2 {
				w.lastParent = w.open[n-2].Local
			}
			if len(w.open) == w.subBase+2 {
				if w.sc.elemSpace != "" {
					// Another vocabulary's element: content, never the header.
					w.field = 0
					w.seen |= seenOther
					if w.hdr.foreign == "" {
						w.hdr.foreign = fmt.Sprintf("<%s> in namespace %q", qname(t.Name), clipText(w.sc.elemSpace, 80))
					}
				} else {
					w.startHeader(t.Name.Local)
				}
			}
		}
	case xml.EndElement:
		n := len(w.open)
		if n == 0 || w.open[n-1] != t.Name {
			what := "no element is open"
			if n > 0 {
				what = "<" + qname(w.open[n-1]) + "> is open"
			}
			w.err = &TransportError{Kind: ErrNotXML, Read: w.src.n,
				Detail: fmt.Sprintf("malformed XML: </%s> where %s", qname(t.Name), what)}
			return nil, w.err
		}
		if w.inResult && w.offset()-w.resStart > w.lim.MaxResultSize {
			return nil, w.tooLarge(fmt.Sprintf("a <result> larger than %d bytes", w.lim.MaxResultSize), "MaxResultSize")
		}
		if w.inResult && n == w.subBase+2 && w.field != 0 {
			w.endHeader()
		}
		w.open = w.open[:n-1]
		if w.inSub && n-1 == w.subBase {
			w.ended = true
		}
	case xml.CharData:
		if w.inResult {
			// The text of a header element; for <errtext>, also the text of
			// elements inside it, so that a credential split by markup is
			// seen whole by withhold.
			if w.field != 0 && (len(w.open) == w.subBase+2 || w.field == seenErrText && len(w.open) > w.subBase+2) {
				w.textLen += len(t)
				// Beyond what is shown, enough to see a credential that
				// straddles the cut (see withhold).
				if room := w.lim.MaxErrorText + keptBeyond - len(w.text); room > 0 {
					w.text = append(w.text, t[:min(len(t), room)]...)
				}
			}
			if w.offset()-w.resStart > w.lim.MaxResultSize {
				return nil, w.tooLarge(fmt.Sprintf("a <result> larger than %d bytes", w.lim.MaxResultSize), "MaxResultSize")
			}
			w.lastText = append(w.lastText[:0], t[:min(len(t), 80+keptBeyond)]...)
		}
	}
	return t, nil
}

// cutInRune reports input that ended inside a multi-byte character: a body
// cut short, not a malformed one.
func cutInRune(s *scanner) bool {
	if !s.eof || s.end == 0 {
		return false
	}
	b := s.buf[:s.end]
	i := len(b) - 1
	for i > 0 && len(b)-i < utf8.UTFMax && !utf8.RuneStart(b[i]) {
		i--
	}
	return b[i] >= utf8.RuneSelf && !utf8.FullRune(b[i:])
}

// qname writes a raw name back as it appeared, prefix:local, cut to a
// length fit for a message.
func qname(n xml.Name) string {
	s := n.Local
	if n.Space != "" {
		s = n.Space + ":" + n.Local
	}
	return clipText(s, 64)
}

// Token implements xml.TokenReader for sd: the subtree being decoded.
func (w *wire) Token() (xml.Token, error) {
	if t := w.pending; t != nil {
		w.pending = nil
		return t, nil
	}
	if w.ended || !w.inSub {
		return nil, io.EOF
	}
	return w.read()
}

// child returns the next start tag among the children of the innermost
// open element (as read, and its name), or nil when the element closes.
// Text, comments and processing instructions between elements are passed
// over.
func (w *wire) child() (xml.Token, xml.Name, error) {
	depth := len(w.open)
	for {
		t, err := w.read()
		if err != nil {
			return nil, xml.Name{}, err
		}
		switch st := t.(type) {
		case xml.StartElement:
			return t, st.Name, nil
		case xml.EndElement:
			if len(w.open) < depth {
				return nil, xml.Name{}, nil
			}
		}
	}
}

// skip passes over the rest of the element whose start tag was just read.
func (w *wire) skip() error {
	depth := len(w.open) - 1
	for len(w.open) > depth {
		if _, err := w.read(); err != nil {
			return err
		}
	}
	return nil
}

// decodeSubtree decodes the element whose start tag t was just read into
// v through sd. The error of v's type is returned as decodeErr, with the
// rest of the element skipped; a failure of the response as fatal.
func (w *wire) decodeSubtree(t xml.Token, v any) (decodeErr, fatal error) {
	w.pending, w.inSub, w.ended = w.withScope(t), true, false
	w.subBase = len(w.open) - 1
	decodeErr = w.sd.Decode(v)
	if decodeErr != nil {
		w.pending = nil
		if w.err != nil {
			w.inSub = false
			return nil, w.err
		}
		// sd may hold a stale marker now: start afresh next time.
		w.sd = xml.NewTokenDecoder(w)
		// Where it failed, before the rest is skipped.
		w.errElem, w.errParent, w.errText = w.lastElem, w.lastParent, append(w.errText[:0], w.lastText...)
	}
	for !w.ended { // only after an error: a decoder reads to the end tag
		if _, err := w.read(); err != nil {
			w.inSub = false
			return nil, err
		}
	}
	w.inSub = false
	return decodeErr, nil
}

// withScope returns the start tag t of a subtree with the namespace
// declarations of its ancestors that are in scope (Plesk sends none): sd
// sees the subtree alone, and must resolve its prefixes as the document
// does.
func (w *wire) withScope(t xml.Token) xml.Token {
	st, ok := t.(xml.StartElement)
	sc := w.sc
	if !ok || len(sc.nsMarks) == 0 || sc.nsMarks[len(sc.nsMarks)-1] == 0 {
		return t
	}
	outer := sc.nsBind[:sc.nsMarks[len(sc.nsMarks)-1]]
	attrs := append([]xml.Attr(nil), st.Attr...)
	own := len(attrs)
	for i := len(outer) - 1; i >= 0; i-- {
		b := outer[i]
		name := xml.Name{Space: "xmlns", Local: b.prefix}
		if b.prefix == "" {
			name = xml.Name{Local: "xmlns"}
		}
		shadowed := false
		for _, a := range attrs {
			if a.Name == name {
				shadowed = true
				break
			}
		}
		if !shadowed && (b.prefix != "" || b.uri != "") {
			attrs = append(attrs, xml.Attr{Name: name, Value: b.uri})
		}
	}
	if len(attrs) == own {
		return t
	}
	st.Attr = attrs
	return st
}

func (w *wire) startHeader(name string) {
	w.field = 0
	switch name {
	case "status":
		w.field = seenStatus
		w.hdr.statuses++
	case "errcode":
		w.field = seenErrCode
	case "errtext":
		w.field = seenErrText
	case "filter-id":
		w.field = seenFilterID
	case "id":
		w.field = seenID
	default:
		w.seen |= seenOther
		return
	}
	w.seen |= w.field
	w.text = w.text[:0]
	w.textLen = 0
}

func (w *wire) endHeader() {
	b := bytes.TrimSpace(w.text)
	switch w.field {
	case seenStatus:
		var v string
		switch string(b) { // no allocation: the compiler compares in place
		case "ok":
			v = "ok"
		case "error":
			v = "error"
		default:
			v = w.clean(b)
		}
		switch w.hdr.statuses {
		case 1:
			w.hdr.Status = v
		case 2:
			w.hdr.second = v
		}
	case seenErrCode:
		if !w.hdr.hasErrCode {
			w.hdr.hasErrCode = true
			var err error
			if w.hdr.ErrCode, err = strconv.Atoi(string(b)); err != nil {
				w.hdr.badErrCode = w.withhold(string(b), 40)
			}
		}
	case seenErrText:
		w.hdr.ErrText = w.clean(b)
	case seenFilterID:
		w.hdr.FilterID = w.clean(b)
	case seenID:
		w.hdr.ID = w.clean(b)
	}
	w.field = 0
}

// keptBeyond is how much of a text the wire keeps beyond what a message
// shows, so that a credential cut in two by the end of the message is
// still seen whole by withhold.
const keptBeyond = 256

// withhold returns s cut to n bytes for a message, or a notice in its
// place when it holds a credential of the client in any spelling (a
// server that echoes what it was sent); looked for before the cut, and
// the cut leaves no beginning of a credential at its edge.
func (w *wire) withhold(s string, n int) string {
	return w.holds.safeText(s, n)
}

// clean returns the text of a header element for an error: at most
// MaxErrorText bytes of it, saying how much was cut.
func (w *wire) clean(b []byte) string {
	s := string(b)
	if w.holds.has(s) {
		return withheld
	}
	if w.textLen <= w.lim.MaxErrorText {
		return s
	}
	// Cut where the text is cut for display, or where the wire stopped
	// keeping it: either way the text goes on beyond, and the end of
	// what is shown must not be the beginning of a credential.
	cut := w.holds.keep(s+" ", min(len(s), w.lim.MaxErrorText))
	return fmt.Sprintf("%s… (%d bytes cut)", s[:cut], w.textLen-cut)
}

// classify turns an error of the tokenizer into a *TransportError.
func (w *wire) classify(err error) error {
	te := &TransportError{Read: w.src.n}
	where := ""
	if w.cur != nil {
		where = " in the answer to " + w.cur.String()
	}
	var tooLarge *tooLargeError
	var se *xml.SyntaxError
	var wf *wfError
	switch {
	case errors.As(err, &wf):
		te.Kind = ErrNotXML
		te.Detail = w.withhold(wf.Error(), w.lim.MaxErrorText)
	case errors.As(err, new(*charsetError)):
		te.Kind = ErrNotXML
		te.Detail = err.Error()
	case errors.As(err, new(*limitError)):
		te.Kind = ErrTooLarge
		te.Detail = err.Error()
	case err == errDirective:
		te.Kind = ErrNotXML
		te.Detail = "the body holds a DOCTYPE or other <!…> directive, which a Plesk packet never has"
	case errors.As(w.src.err, &tooLarge):
		te.Kind = ErrTooLarge
		te.Detail = fmt.Sprintf("the body exceeds the limit of %d bytes (see WithMaxResponseSize)", tooLarge.limit)
	case w.src.err != nil:
		te.Kind = ErrConnection
		te.Detail = fmt.Sprintf("the connection broke after %d bytes of the response%s", w.src.n, where)
		te.Err = w.src.err
	case w.src.n == 0:
		te.Kind = ErrTruncated
		te.Detail = "the body is empty"
	case err == io.EOF || errors.As(err, &se) && (strings.Contains(se.Msg, "unexpected EOF") ||
		se.Msg == "invalid UTF-8" && cutInRune(w.sc)):
		te.Kind = ErrTruncated
		te.Detail = fmt.Sprintf("the body ended after %d bytes, before </packet>%s", w.src.n, where)
	case errors.As(err, &se):
		te.Kind = ErrNotXML
		te.Detail = fmt.Sprintf("malformed XML at line %d: %s", se.Line, se.Msg)
	default:
		te.Kind = ErrNotXML
		te.Detail = "malformed XML"
		te.Err = err
	}
	return te
}

func unexpected(w *wire, format string, args ...any) error {
	return &TransportError{Kind: ErrUnexpectedResponse, Read: w.src.n, Detail: fmt.Sprintf(format, args...)}
}

// packet reads the whole response and feeds ops.
func (w *wire) packet(ops []*Op) error {
	var root *xml.StartElement
	for root == nil {
		t, err := w.read()
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.StartElement:
			root = &t
		case xml.CharData:
			if len(bytes.TrimSpace(bytes.TrimPrefix(t, []byte("\ufeff")))) > 0 {
				return &TransportError{Kind: ErrNotXML, Read: w.src.n, Detail: "the body is text, not XML"}
			}
		}
	}
	if space := w.sc.elemSpace; space != "" {
		return unexpected(w, "the root element <%s> is in namespace %q: Plesk's <packet> is in none", qname(root.Name), clipText(space, 80))
	}
	if root.Name.Local != "packet" {
		if strings.EqualFold(root.Name.Local, "html") {
			return &TransportError{Kind: ErrNotXML, Read: w.src.n, Detail: "the body is an HTML page, not a Plesk packet"}
		}
		return unexpected(w, "the root element is <%s>, not <packet>", root.Name.Local)
	}
	i := 0
	for {
		t, name, err := w.child()
		if err != nil {
			return err
		}
		if t == nil { // </packet>
			if i < len(ops) {
				return unexpected(w, "the response answers %d of %d operations: nothing for %s", i, len(ops), ops[i])
			}
			return nil
		}
		if err := w.plesks(name, "an operator"); err != nil {
			return err
		}
		if name.Local == SystemOperator {
			return w.system(t)
		}
		if err := w.operator(name.Local, ops, &i); err != nil {
			return err
		}
	}
}

// plesks refuses an element of the envelope (what, "an operator") that is
// in a namespace: Plesk's elements are in none.
func (w *wire) plesks(name xml.Name, what string) error {
	if space := w.sc.elemSpace; space != "" {
		return unexpected(w, "<%s> where %s belongs is in namespace %q, not Plesk's vocabulary", qname(name), what, clipText(space, 80))
	}
	return nil
}

// system decodes a packet-level error.
func (w *wire) system(t xml.Token) error {
	var sys struct {
		Status  string  `xml:"status"`
		ErrCode string  `xml:"errcode"`
		ErrText errText `xml:"errtext"`
	}
	if decodeErr, fatal := w.decodeSubtree(t, &sys); fatal != nil {
		return fatal
	} else if decodeErr != nil {
		return unexpected(w, "unreadable <system> element: %s", clipText(decodeErr.Error(), w.lim.MaxErrorText))
	}
	code, _ := strconv.Atoi(strings.TrimSpace(sys.ErrCode))
	text := strings.TrimSpace(sys.ErrText.direct)
	if w.holds.has(sys.ErrText.all) {
		text = withheld
	}
	return &Error{Operator: SystemOperator, Code: code, Text: w.withhold(text, w.lim.MaxErrorText)}
}

// errText is the text of a <system> errtext: its own (direct), as a
// string field would have it, and that of the elements inside it too
// (all), in which a credential split by markup is whole.
type errText struct{ direct, all string }

func (e *errText) UnmarshalXML(d *xml.Decoder, _ xml.StartElement) error {
	var direct, all strings.Builder
	for depth := 0; ; {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			all.Write(t)
			if depth == 0 {
				direct.Write(t)
			}
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				e.direct, e.all = direct.String(), all.String()
				return nil
			}
			depth--
		}
	}
}

// operator reads one operator element, answering ops[*i:] in order.
func (w *wire) operator(operator string, ops []*Op, i *int) error {
	for {
		t, name, err := w.child()
		if err != nil || t == nil {
			return err
		}
		if *i >= len(ops) {
			return unexpected(w, "the response has more operations than the request: <%s><%s>", operator, name.Local)
		}
		if err := w.plesks(name, "an operation"); err != nil {
			return err
		}
		op := ops[*i]
		first, rest, _ := strings.Cut(op.Operation, "/")
		if operator != op.Operator || name.Local != first {
			return unexpected(w, "operation %d is answered by <%s><%s>, expected <%s><%s>",
				*i+1, operator, name.Local, op.Operator, first)
		}
		w.cur = op
		w.rr.index = 0
		if err := w.operation(op, rest); err != nil {
			return err
		}
		if op.sink != nil {
			w.delivered = true
			if err := op.sink.end(); err != nil {
				return err
			}
		}
		w.cur = nil
		*i++
	}
}

// operation reads the children of an operation element (or of a group on
// the way to it, rest naming the levels still below, "add" or
// "db-servers/add"): <result> elements go to the op, anything else is
// skipped.
func (w *wire) operation(op *Op, rest string) error {
	next, below, _ := strings.Cut(rest, "/")
	for {
		t, name, err := w.child()
		if err != nil || t == nil {
			return err
		}
		switch {
		case w.sc.elemSpace != "" && name.Local == "result":
			// Not Plesk's result, and no answer: the operation would
			// read as matching nothing.
			err = w.plesks(name, "a result")
		case w.sc.elemSpace != "":
			err = w.skip() // another vocabulary's element: not a result, nor a group
		case rest != "" && name.Local == next:
			err = w.operation(op, below)
		case name.Local == "result":
			err = w.result(op, t)
		default:
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
}

// result hands one <result> to the op's sink and makes sure it is consumed.
func (w *wire) result(op *Op, t xml.Token) error {
	w.inResult = true
	w.subBase = len(w.open) - 1
	w.seen, w.field = 0, 0
	w.hdr = header{}
	w.elems = 0
	w.resStart = w.offset()
	w.lastElem = "result"
	w.lastText = w.lastText[:0]
	w.rr.start = t
	w.rr.op = op
	if op.sink != nil {
		w.delivered = true
		if err := op.sink.result(&w.rr); err != nil {
			return err
		}
	}
	if !w.rr.decoded { // the sink did not decode it
		if err := w.skip(); err != nil {
			return err
		}
	}
	w.inResult, w.rr.decoded = false, false
	w.rr.index++
	return nil
}

// resultReader is what a sink sees of one <result>.
type resultReader struct {
	w       *wire
	start   xml.Token // the start tag
	op      *Op
	index   int
	decoded bool
}

// decode unmarshals the result into v. A failure of v's type is returned
// as decodeErr (the rest of the result is skipped and decoding goes on);
// a failure of the response is returned as fatal.
func (r *resultReader) decode(v any) (decodeErr, fatal error) {
	w := r.w
	r.decoded = true
	err, fatal := w.decodeSubtree(r.start, v)
	if fatal != nil || err == nil {
		return nil, fatal
	}
	de := &DecodeError{
		Operator: r.op.Operator, Operation: r.op.Operation, Index: r.index,
		Type: typeName(v), Element: w.errElem, Err: err,
	}
	// By the structure, as redactXML: the value of a sensitive element,
	// of one inside it, or of any <value> (which may be the value of a
	// name/value pair such as ftp_password) is not quoted.
	if isSensitive(w.errElem) || isSensitive(w.errParent) || strings.EqualFold(w.errElem, "value") {
		// The error of the result type may quote the value: hide it.
		de.Err = &hiddenError{msg: "invalid value (hidden)", err: err}
	} else {
		if msg := err.Error(); len(msg) > w.lim.MaxErrorText || w.holds.has(msg) {
			de.Err = &hiddenError{msg: w.withhold(msg, w.lim.MaxErrorText), err: err}
		}
		de.Text = w.withhold(string(bytes.TrimSpace(w.errText)), 80)
	}
	return de, nil
}

func typeName(v any) string {
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.String()
}

// header returns the header of the result; complete once it is decoded.
func (r *resultReader) header() *header { return &r.w.hdr }

// noMatch reports the second way Plesk says a filter matched nothing: an ok
// result holding only status and filter-id.
func (r *resultReader) noMatch() bool {
	w := r.w
	ok, _ := w.hdr.verdict()
	return ok && w.seen&seenFilterID != 0 && w.seen&(seenID|seenOther) == 0
}

// trackReader remembers how much was read and how reading ended.
type trackReader struct {
	r   io.Reader
	n   int64
	eof bool
	err error // a read error other than io.EOF
}

func (t *trackReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.n += int64(n)
	if err == io.EOF {
		t.eof = true
	} else if err != nil && t.err == nil {
		t.err = err
	}
	return n, err
}

// tooLargeError is returned by limitReader past its limit.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("rpc: response exceeds %d bytes", e.limit)
}

// limitReader reads at most limit bytes, then fails with *tooLargeError
// (rather than io.EOF, which would look like a truncated body).
type limitReader struct {
	r     io.Reader
	limit int64
	left  int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// At the limit: the body is too large only if there is more.
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, &tooLargeError{l.limit}
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
