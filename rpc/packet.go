package rpc

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// EncodeRequest writes the request packet for ops: an XML declaration and
// <packet version="…"> holding the operations in order. Consecutive ops of
// the same operator share one operator element. An empty version omits the
// attribute, which makes Plesk use the newest protocol it knows.
func EncodeRequest(w io.Writer, version string, ops ...*Op) error {
	if len(ops) == 0 {
		return errors.New("rpc: a packet needs at least one operation")
	}
	for _, op := range ops {
		if err := op.validate(); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	packet := xml.StartElement{Name: xml.Name{Local: "packet"}}
	if version != "" {
		packet.Attr = []xml.Attr{{Name: xml.Name{Local: "version"}, Value: version}}
	}
	if err := enc.EncodeToken(packet); err != nil {
		return err
	}
	cur := ""
	for _, op := range ops {
		if op.Operator != cur {
			if cur != "" {
				if err := enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: cur}}); err != nil {
					return err
				}
			}
			cur = op.Operator
			if err := enc.EncodeToken(xml.StartElement{Name: xml.Name{Local: cur}}); err != nil {
				return err
			}
		}
		if err := encodeOperation(enc, op); err != nil {
			return fmt.Errorf("rpc: encoding %s: %w", op, err)
		}
	}
	if err := enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: cur}}); err != nil {
		return err
	}
	if err := enc.EncodeToken(packet.End()); err != nil {
		return err
	}
	return enc.Close()
}

func encodeOperation(enc *xml.Encoder, op *Op) error {
	segs := strings.Split(op.Operation, "/")
	last := len(segs) - 1
	for _, s := range segs[:last] {
		if err := enc.EncodeToken(xml.StartElement{Name: xml.Name{Local: s}}); err != nil {
			return err
		}
	}
	start := xml.StartElement{Name: xml.Name{Local: segs[last]}}
	if isNil(op.Request) {
		if err := enc.EncodeToken(start); err != nil {
			return err
		}
		if err := enc.EncodeToken(start.End()); err != nil {
			return err
		}
	} else if err := enc.EncodeElement(op.Request, start); err != nil {
		return err
	}
	for i := last - 1; i >= 0; i-- {
		if err := enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: segs[i]}}); err != nil {
			return err
		}
	}
	return nil
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
	_, err := decodeResponse(r, ops, nil)
	return err
}

// decodeResponse decodes a response for ops. delivered reports whether any
// op has been fed anything, which forbids retrying the packet.
func decodeResponse(r io.Reader, ops []*Op, scrub *scrubber) (delivered bool, err error) {
	w := newWire(r, scrub)
	err = w.packet(ops)
	return w.delivered, err
}

// Header elements of a <result>, as bits of wire.seen.
const (
	seenStatus = 1 << iota
	seenErrCode
	seenErrText
	seenFilterID
	seenID
	seenOther
)

// wire reads a response. It is the xml.TokenReader under the structural
// decoder sd: each token is tokenized once by raw (RawToken, no checks) and
// checked and namespace-translated once by sd, which is also the decoder a
// result type unmarshals from. While a <result> is being read, wire notes
// its header fields on the way through and ends the token stream at
// </result>, so a result type can never read past its element.
type wire struct {
	src   *trackReader
	raw   *xml.Decoder
	sd    *xml.Decoder
	scrub *scrubber

	err       error // sticky fatal error, a *TransportError
	depth     int
	cur       *Op  // the op being answered, for messages
	delivered bool // an op sink has been called

	// The <result> being read.
	inResult bool
	ended    bool // </result> passed: Token returns io.EOF until endResult
	resDepth int
	field    int // seen* bit of the header element being read, or 0
	seen     int
	text     []byte
	hdr      Result
	lastElem string
	lastText []byte
	rr       resultReader
}

func newWire(r io.Reader, scrub *scrubber) *wire {
	w := &wire{src: &trackReader{r: r}, scrub: scrub}
	w.raw = xml.NewDecoder(w.src)
	w.raw.Strict = true
	w.raw.Entity = nil // only the five predefined entities; nothing expands
	w.sd = xml.NewTokenDecoder(w)
	w.rr.w = w
	return w
}

// Token implements xml.TokenReader for sd.
func (w *wire) Token() (xml.Token, error) {
	if w.ended {
		return nil, io.EOF
	}
	if w.err != nil {
		return nil, w.err
	}
	t, err := w.raw.RawToken()
	if err != nil {
		w.err = w.classify(err)
		return nil, w.err
	}
	switch t := t.(type) {
	case xml.StartElement:
		w.depth++
		if w.inResult {
			w.lastElem = t.Name.Local
			if w.depth == w.resDepth+1 {
				w.startHeader(t.Name.Local)
			}
		}
	case xml.EndElement:
		if w.inResult {
			if w.depth == w.resDepth+1 && w.field != 0 {
				w.endHeader()
			}
			if w.depth == w.resDepth {
				w.ended = true
			}
		}
		w.depth--
	case xml.CharData:
		if w.inResult {
			if w.field != 0 && w.depth == w.resDepth+1 {
				w.text = append(w.text, t...)
			}
			w.lastText = append(w.lastText[:0], t[:min(len(t), 80)]...)
		}
	case xml.Directive:
		w.err = &TransportError{Kind: ErrNotXML, Read: w.src.n,
			Detail: "the body holds a DOCTYPE or other <!…> directive, which a Plesk packet never has"}
		return nil, w.err
	}
	return t, nil
}

func (w *wire) startHeader(name string) {
	w.field = 0
	switch name {
	case "status":
		w.field = seenStatus
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
}

func (w *wire) endHeader() {
	b := bytes.TrimSpace(w.text)
	switch w.field {
	case seenStatus:
		switch string(b) { // no allocation: the compiler compares in place
		case "ok":
			w.hdr.Status = "ok"
		case "error":
			w.hdr.Status = "error"
		default:
			w.hdr.Status = string(b)
		}
	case seenErrCode:
		w.hdr.ErrCode, _ = strconv.Atoi(string(b))
	case seenErrText:
		w.hdr.ErrText = w.clean(string(b))
	case seenFilterID:
		w.hdr.FilterID = string(b)
	case seenID:
		w.hdr.ID = string(b)
	}
	w.field = 0
}

func (w *wire) clean(s string) string { return w.scrub.scrub(s) }

// classify turns an error of the raw tokenizer into a *TransportError.
func (w *wire) classify(err error) error {
	te := &TransportError{Read: w.src.n}
	where := ""
	if w.cur != nil {
		where = " in the answer to " + w.cur.String()
	}
	var tooLarge *tooLargeError
	var se *xml.SyntaxError
	switch {
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
	case err == io.EOF || errors.As(err, &se) && strings.Contains(se.Msg, "unexpected EOF"):
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

// fatal turns an error from sd into the error that fails the packet.
func (w *wire) fatal(err error) error {
	if w.err != nil {
		return w.err
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		w.err = &TransportError{Kind: ErrNotXML, Read: w.src.n,
			Detail: fmt.Sprintf("malformed XML at line %d: %s", se.Line, se.Msg)}
		return w.err
	}
	return err
}

func unexpected(w *wire, format string, args ...any) error {
	return &TransportError{Kind: ErrUnexpectedResponse, Read: w.src.n, Detail: fmt.Sprintf(format, args...)}
}

// packet reads the whole response and feeds ops.
func (w *wire) packet(ops []*Op) error {
	var root xml.StartElement
	for root.Name.Local == "" {
		t, err := w.sd.Token()
		if err != nil {
			return w.fatal(err)
		}
		switch t := t.(type) {
		case xml.StartElement:
			root = t
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return &TransportError{Kind: ErrNotXML, Read: w.src.n, Detail: "the body is text, not XML"}
			}
		}
	}
	if root.Name.Local != "packet" {
		if strings.EqualFold(root.Name.Local, "html") {
			return &TransportError{Kind: ErrNotXML, Read: w.src.n, Detail: "the body is an HTML page, not a Plesk packet"}
		}
		return unexpected(w, "the root element is <%s>, not <packet>", root.Name.Local)
	}
	i := 0
	for {
		t, err := w.sd.Token()
		if err != nil {
			return w.fatal(err)
		}
		switch t := t.(type) {
		case xml.EndElement:
			if i < len(ops) {
				return unexpected(w, "the response answers %d of %d operations: nothing for %s", i, len(ops), ops[i])
			}
			return nil
		case xml.StartElement:
			if t.Name.Local == SystemOperator {
				return w.system(t)
			}
			if err := w.operator(t, ops, &i); err != nil {
				return err
			}
		}
	}
}

// system decodes a packet-level error.
func (w *wire) system(start xml.StartElement) error {
	var sys struct {
		Status  string `xml:"status"`
		ErrCode string `xml:"errcode"`
		ErrText string `xml:"errtext"`
	}
	if err := w.sd.DecodeElement(&sys, &start); err != nil {
		return w.fatal(err)
	}
	code, _ := strconv.Atoi(strings.TrimSpace(sys.ErrCode))
	return &Error{Operator: SystemOperator, Code: code, Text: w.clean(strings.TrimSpace(sys.ErrText))}
}

// operator reads one operator element, answering ops[*i:] in order.
func (w *wire) operator(opStart xml.StartElement, ops []*Op, i *int) error {
	for {
		t, err := w.sd.Token()
		if err != nil {
			return w.fatal(err)
		}
		switch t := t.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			if *i >= len(ops) {
				return unexpected(w, "the response has more operations than the request: <%s><%s>", opStart.Name.Local, t.Name.Local)
			}
			op := ops[*i]
			segs := strings.Split(op.Operation, "/")
			if opStart.Name.Local != op.Operator || t.Name.Local != segs[0] {
				return unexpected(w, "operation %d is answered by <%s><%s>, expected <%s><%s>",
					*i+1, opStart.Name.Local, t.Name.Local, op.Operator, segs[0])
			}
			w.cur = op
			w.rr.index = 0
			if err := w.operation(op, segs[1:]); err != nil {
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
}

// operation reads the children of an operation element (or of a group on
// the way to it, rest naming the levels still below): <result> elements go
// to the op, anything else is skipped.
func (w *wire) operation(op *Op, rest []string) error {
	for {
		t, err := w.sd.Token()
		if err != nil {
			return w.fatal(err)
		}
		switch t := t.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			switch {
			case len(rest) > 0 && t.Name.Local == rest[0]:
				err = w.operation(op, rest[1:])
			case t.Name.Local == "result":
				err = w.result(op, t)
			default:
				if err = w.sd.Skip(); err != nil {
					err = w.fatal(err)
				}
			}
			if err != nil {
				return err
			}
		}
	}
}

// result hands one <result> to the op's sink and makes sure it is consumed.
func (w *wire) result(op *Op, start xml.StartElement) error {
	w.inResult, w.ended = true, false
	w.resDepth = w.depth
	w.seen, w.field = 0, 0
	w.hdr = Result{}
	w.lastElem = "result"
	w.lastText = w.lastText[:0]
	w.rr.start = start
	w.rr.op = op
	if op.sink != nil {
		w.delivered = true
		if err := op.sink.result(&w.rr); err != nil {
			return err
		}
	}
	for !w.ended {
		if _, err := w.sd.Token(); err != nil {
			return w.fatal(err)
		}
	}
	w.inResult, w.ended = false, false
	w.rr.index++
	return nil
}

// resultReader is what a sink sees of one <result>.
type resultReader struct {
	w     *wire
	start xml.StartElement
	op    *Op
	index int
}

// decode unmarshals the result into v. A failure of v's type is returned
// as decodeErr (the rest of the result is skipped and decoding goes on);
// a failure of the response is returned as fatal.
func (r *resultReader) decode(v any) (decodeErr, fatal error) {
	w := r.w
	err := w.sd.DecodeElement(v, &r.start)
	if err == nil {
		return nil, nil
	}
	if w.err != nil {
		return nil, w.err
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return nil, w.fatal(err)
	}
	de := &DecodeError{
		Operator: r.op.Operator, Operation: r.op.Operation, Index: r.index,
		Type: typeName(v), Element: w.lastElem, Err: w.scrub.scrubError(err),
	}
	if isSensitive(w.lastElem) {
		// The error of the result type may quote the value: hide it.
		de.Err = &scrubbedError{msg: "invalid value (hidden)", err: err}
	} else {
		de.Text = w.scrub.scrubCut(string(bytes.TrimSpace(w.lastText)))
	}
	for !w.ended {
		if _, err := w.sd.Token(); err != nil {
			return nil, w.fatal(err)
		}
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
func (r *resultReader) header() Result { return r.w.hdr }

// noMatch reports the second way Plesk says a filter matched nothing: an ok
// result holding only status and filter-id.
func (r *resultReader) noMatch() bool {
	w := r.w
	return w.hdr.Status == "ok" && w.seen&seenFilterID != 0 && w.seen&(seenID|seenOther) == 0
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
