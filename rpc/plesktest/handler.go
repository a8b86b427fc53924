package plesktest

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Error is a Plesk error a handler answers an operation with: the result
// gets status error, Code as errcode and Text as errtext, which the rpc
// client turns into an *rpc.Error with that code.
type Error struct {
	Code int
	Text string
}

func (e *Error) Error() string { return fmt.Sprintf("plesk error %d: %s", e.Code, e.Text) }

// Errorf returns an *Error with the given code and a formatted text.
func Errorf(code int, format string, args ...any) *Error {
	return &Error{Code: code, Text: fmt.Sprintf(format, args...)}
}

// Handle makes srv answer the operation operation of operator (as in
// <dns><add_rec>) by calling h, for bindings of any schema set: ours, or
// ones generated downstream from Plesk's official schemas. It may be
// called before or while the server runs; a second Handle of the same
// operation replaces the first.
//
//	plesktest.Handle(srv, "dns", "add_rec",
//		func(ctx context.Context, req *bindings.DNSAddRec) ([]bindings.DNSAddRecResult, error) {
//			if req.SiteID != 1 {
//				return nil, plesktest.Errorf(1015, "Site does not exist")
//			}
//			return []bindings.DNSAddRecResult{{Status: bindings.ResultStatusOK, ID: rpc.Ptr(int64(7))}}, nil
//		})
//
// Req is the type the bindings' method takes, Res the one whose slice it
// returns. An operation without a request (a method that takes only a
// context, such as ip/get) takes *rpc.Empty.
//
// A handler serves exactly the operation it names: the other operations
// of the same operator keep the fake's own answer (webspace/get still
// works beside a handler of webspace/set), and a packet mixing handled
// and built-in operations gets each answer in the order of the request,
// each run when its turn comes. To change the built-in answer of an
// operation rather than replace it, call Builtin from the handler.
//
// The fake checks the packet's credentials and version as for every
// packet, then decodes each handled operation element with encoding/xml
// into a new Req (a generated request type) and checks it as strictly as
// the operations it implements: an element Req does not declare, one
// missing or out of order, a value that does not parse, or a constraint
// its Validate method checks. A packet with such an operation, or with an
// invalid operation the fake answers itself, gets error 1014 as an
// invalid packet does, and nothing in it runs.
//
// h gets the request's context and the decoded request. Each result it
// returns is encoded with encoding/xml as a <result> element, in order, so
// set its status as the client expects it (ok). An error h returns is
// answered after those results: each *Error (several with errors.Join)
// as a result with status error and its code; any other error as code
// 1023 with the error's text.
//
// Handlers run without the server's lock, possibly concurrently with one
// another. They read and change the fake's objects with Server.View and
// Server.Update, which the fake's own operations then see; state of their
// own they must guard themselves.
func Handle[Req, Res any](srv *Server, operator, operation string, h func(ctx context.Context, req *Req) ([]Res, error)) {
	if srv == nil || h == nil {
		panic("plesktest.Handle: nil server or handler")
	}
	if !validName(operator) || !validName(operation) {
		panic(fmt.Sprintf("plesktest.Handle: %q/%q is not an operator and operation name", operator, operation))
	}
	srv.handlers.add(operator, operation, &opHandler{
		decode: func(raw []byte) (any, *violation) {
			req := new(Req)
			if v := checkStrictAs(raw, req, operation); v != nil {
				return nil, v
			}
			return req, nil
		},
		serve: func(ctx context.Context, req any, e *xml.Encoder) error {
			results, herr := h(ctx, req.(*Req))
			result := xml.StartElement{Name: xml.Name{Local: "result"}}
			for i := range results {
				if err := e.EncodeElement(&results[i], result); err != nil {
					return fmt.Errorf("result %d: %w", i, err)
				}
			}
			if herr == nil {
				return nil
			}
			for _, pe := range pleskErrors(herr) {
				if err := e.EncodeElement(errorResult{Status: "error", Code: pe.Code, Text: pe.Text}, result); err != nil {
					return err
				}
			}
			return nil
		},
	})
}

// validName reports whether s can be an element name of a packet.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_':
		case i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return true
}

// pleskErrors returns the *Errors of err (joined ones each), and any other
// error as code 1023.
func pleskErrors(err error) []*Error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*Error
		for _, e := range j.Unwrap() {
			out = append(out, pleskErrors(e)...)
		}
		return out
	}
	var pe *Error
	if errors.As(err, &pe) {
		return []*Error{pe}
	}
	return []*Error{{Code: codeFailed, Text: err.Error()}}
}

// errorResult is the <result> of a failed operation.
type errorResult struct {
	Status string `xml:"status"`
	Code   int    `xml:"errcode"`
	Text   string `xml:"errtext"`
}

// opHandler is one registered operation, with its types erased.
type opHandler struct {
	// decode decodes and checks the operation element raw.
	decode func(raw []byte) (any, *violation)
	serve  func(ctx context.Context, req any, e *xml.Encoder) error
}

// handlerTable holds the handlers of a Server.
type handlerTable struct {
	mu  sync.RWMutex
	ops map[string]map[string]*opHandler // operator -> operation -> handler
}

func (t *handlerTable) add(operator, operation string, h *opHandler) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ops == nil {
		t.ops = map[string]map[string]*opHandler{}
	}
	if t.ops[operator] == nil {
		t.ops[operator] = map[string]*opHandler{}
	}
	t.ops[operator][operation] = h
}

// snapshot returns the handlers of each operator, as they are now.
func (t *handlerTable) snapshot() map[string]map[string]*opHandler {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if len(t.ops) == 0 {
		return nil
	}
	out := make(map[string]map[string]*opHandler, len(t.ops))
	for k, v := range t.ops {
		m := make(map[string]*opHandler, len(v))
		for op, h := range v {
			m[op] = h
		}
		out[k] = m
	}
	return out
}

// packetPart is one child of a request <packet>: an operator with at
// least one handler (handled set, its operations in ops), or anything
// else, kept as its bytes for the built-in answer.
type packetPart struct {
	name    string
	raw     []byte // the element as sent
	handled bool
	ops     []partOp
}

// partOp is one operation of an operator that has handlers: served by its
// handler (h set), or by the fake itself (h nil).
type partOp struct {
	name string
	raw  []byte // the operation element as sent
	h    *opHandler
	req  any
}

// builtinCall is what Builtin needs to answer an operation the way the
// fake would have: the packet's server, sender, version and operation.
type builtinCall struct {
	s                   *Server
	user, version       string
	operator, operation string
}

type builtinKey struct{}

// answerHandled answers a packet that has an operation served by a
// handler, and reports whether it had one. Each operation gets its
// answer in the order of the request: the handled ones from their
// handler, the others from the fake itself.
func (s *Server) answerHandled(ctx context.Context, user, version string, body []byte) ([]byte, bool) {
	table := s.handlers.snapshot()
	if table == nil {
		return nil, false
	}
	parts, v := splitPacket(body, table)
	if v == nil && !anyHandled(parts) {
		return nil, false
	}
	if v != nil {
		return systemError(codeParse, textParsePrefix+v.Error()), true
	}
	// The request settings apply to each built-in piece.
	var settings []byte
	for _, p := range parts {
		if p.name == "request-settings" {
			settings = p.raw
		}
	}
	wrap := func(inner ...[]byte) []byte {
		var b bytes.Buffer
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><packet version="%s">`, xmlText(version))
		b.Write(settings)
		for _, in := range inner {
			b.Write(in)
		}
		b.WriteString("</packet>")
		return b.Bytes()
	}
	// Check everything the fake answers itself before anything runs, so
	// that an invalid packet runs nothing, as in Plesk.
	var all [][]byte
	for _, p := range parts {
		switch {
		case p.name == "request-settings":
		case !p.handled:
			all = append(all, p.raw)
		default:
			if b := builtinOps(p); b != nil {
				all = append(all, b)
			}
		}
	}
	if len(all) > 0 {
		if out := s.checkBuiltin(version, wrap(all...)); out != nil {
			return out, true
		}
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	fmt.Fprintf(&b, `<packet version="%s">`, xmlText(version))
	for _, p := range parts {
		switch {
		case p.name == "request-settings":
		case !p.handled:
			out := s.answerBuiltin(user, version, wrap(p.raw))
			answers, system := responseOperators(out)
			if system {
				return out, true
			}
			for _, a := range answers {
				b.Write(a)
			}
		default:
			fmt.Fprintf(&b, "<%s>", p.name)
			for _, op := range p.ops {
				if op.h == nil {
					out := s.answerBuiltin(user, version, wrap([]byte("<"+p.name+">"), op.raw, []byte("</"+p.name+">")))
					answers, system := responseOperators(out)
					if system {
						return out, true
					}
					for _, a := range answers {
						b.Write(innerElement(a))
					}
					continue
				}
				octx := context.WithValue(ctx, builtinKey{}, &builtinCall{s: s, user: user, version: version, operator: p.name, operation: op.name})
				var ob bytes.Buffer
				e := xml.NewEncoder(&ob)
				err := op.h.serve(octx, op.req, e)
				if err == nil {
					err = e.Flush()
				}
				if err != nil {
					// The handler's results do not encode: answer as Plesk
					// does when an operation breaks.
					ob.Reset()
					e = xml.NewEncoder(&ob)
					_ = e.EncodeElement(errorResult{Status: "error", Code: codeFailed, Text: "plesktest: cannot encode the handler's answer: " + err.Error()},
						xml.StartElement{Name: xml.Name{Local: "result"}})
					_ = e.Flush()
				}
				fmt.Fprintf(&b, "<%s>%s</%s>", op.name, ob.Bytes(), op.name)
			}
			fmt.Fprintf(&b, "</%s>", p.name)
		}
	}
	b.WriteString("</packet>")
	return b.Bytes(), true
}

// builtinOps returns the operator element of p holding only the
// operations no handler serves, nil when there is none.
func builtinOps(p packetPart) []byte {
	var b bytes.Buffer
	n := 0
	fmt.Fprintf(&b, "<%s>", p.name)
	for _, op := range p.ops {
		if op.h == nil {
			b.Write(op.raw)
			n++
		}
	}
	fmt.Fprintf(&b, "</%s>", p.name)
	if n == 0 {
		return nil
	}
	return b.Bytes()
}

// innerElement returns the content of an element, without its own tags.
func innerElement(el []byte) []byte {
	d := xml.NewDecoder(bytes.NewReader(el))
	tok, err := d.Token()
	if err != nil {
		return nil
	}
	if _, ok := tok.(xml.StartElement); !ok {
		return nil
	}
	start := d.InputOffset()
	if err := d.Skip(); err != nil {
		return nil
	}
	end := bytes.LastIndexByte(el, '<')
	if end < int(start) {
		return nil // <x/>: no content
	}
	return el[start:end]
}

func anyHandled(parts []packetPart) bool {
	for _, p := range parts {
		for _, op := range p.ops {
			if op.h != nil {
				return true
			}
		}
	}
	return false
}

// xmlText escapes s for an attribute value.
func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// splitPacket reads the children of the request's <packet>: the
// operations with a handler decoded into their requests, the others kept
// as bytes. It returns a violation for a handled operation that does not
// decode. Malformed XML is left to the built-in check, which reports it
// as for any packet: splitPacket then returns no handled part.
func splitPacket(body []byte, table map[string]map[string]*opHandler) ([]packetPart, *violation) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	d.Entity = nil
	// Find the root.
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, nil
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != "packet" {
				return nil, nil
			}
			break
		}
	}
	var parts []packetPart
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if err != nil {
			return nil, nil // malformed: the built-in check says why
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return parts, nil
		case xml.StartElement:
			ops, handled := table[t.Name.Local]
			if !handled {
				if err := d.Skip(); err != nil {
					return nil, nil
				}
				parts = append(parts, packetPart{name: t.Name.Local, raw: body[off:d.InputOffset()]})
				continue
			}
			p := packetPart{name: t.Name.Local, handled: true}
			for {
				off := d.InputOffset()
				line, _ := d.InputPos()
				tok, err := d.Token()
				if err != nil {
					return nil, nil
				}
				if _, ok := tok.(xml.EndElement); ok {
					break
				}
				se, ok := tok.(xml.StartElement)
				if !ok {
					if cd, ok := tok.(xml.CharData); ok && len(bytes.TrimSpace(cd)) > 0 {
						return nil, &violation{line: line, msg: fmt.Sprintf("Element '%s': Character content other than whitespace is not allowed because the content type is 'element-only'.", t.Name.Local)}
					}
					continue
				}
				if err := d.Skip(); err != nil {
					return nil, nil
				}
				raw := body[off:d.InputOffset()]
				h := ops[se.Name.Local]
				if h == nil {
					p.ops = append(p.ops, partOp{name: se.Name.Local, raw: raw})
					continue
				}
				req, v := h.decode(raw)
				if v != nil {
					if v.line > 0 {
						v.line += line - 1
					}
					return nil, v
				}
				p.ops = append(p.ops, partOp{name: se.Name.Local, raw: raw, h: h, req: req})
			}
			p.raw = body[off:d.InputOffset()]
			parts = append(parts, p)
		}
	}
}

// responseOperators returns the children of a response <packet> as bytes,
// and whether the packet is a <system> error.
func responseOperators(out []byte) ([][]byte, bool) {
	d := xml.NewDecoder(bytes.NewReader(out))
	depth := 0
	var parts [][]byte
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if err != nil {
			return parts, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth != 2 {
				continue
			}
			if t.Name.Local == "system" {
				return nil, true
			}
			if err := d.Skip(); err != nil {
				return parts, false
			}
			depth--
			parts = append(parts, out[off:d.InputOffset()])
		case xml.EndElement:
			depth--
		}
	}
}

// Builtin answers req the way the fake would have answered it without the
// handler h is running in: the fake's own implementation of the operation
// the handler serves, run on the server's objects, as the user who sent
// the packet and in its protocol version. Call it from a handler with the
// handler's context, to wrap the built-in answer: call through, then
// alter the results, or return an error instead for one request, so that
// a test injects a single failure into an otherwise real flow.
//
// It returns the results the fake answered, failed ones included (status
// error with their code, as in a packet); its error is an *Error for a
// packet-level answer (such as 1014 when req does not pass the schema
// check) or when ctx is not a handler's context. An operation the fake
// does not implement answers a result with code 1023.
//
// Req and Res are the handler's types. Builtin takes the server's lock:
// do not call it from inside Update or View.
func Builtin[Req, Res any](ctx context.Context, req *Req) ([]Res, error) {
	bc, _ := ctx.Value(builtinKey{}).(*builtinCall)
	if bc == nil {
		return nil, &Error{Code: codeFailed, Text: "plesktest.Builtin: the context is not one a handler got"}
	}
	if req == nil {
		return nil, &Error{Code: codeFailed, Text: "plesktest.Builtin: nil request"}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><packet version="%s"><%s>`, xmlText(bc.version), bc.operator)
	e := xml.NewEncoder(&b)
	if err := e.EncodeElement(req, xml.StartElement{Name: xml.Name{Local: bc.operation}}); err != nil {
		return nil, &Error{Code: codeFailed, Text: "plesktest.Builtin: cannot encode the request: " + err.Error()}
	}
	if err := e.Flush(); err != nil {
		return nil, &Error{Code: codeFailed, Text: "plesktest.Builtin: cannot encode the request: " + err.Error()}
	}
	fmt.Fprintf(&b, "</%s></packet>", bc.operator)
	out := bc.s.answerBuiltin(bc.user, bc.version, b.Bytes())
	return decodeResults[Res](out, bc.operation)
}

// decodeResults decodes the <result> elements of the one operation of a
// response packet, or returns its packet-level error.
func decodeResults[Res any](out []byte, operation string) ([]Res, error) {
	d := xml.NewDecoder(bytes.NewReader(out))
	var res []Res
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return res, nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 2 && t.Name.Local == "system":
				var r errorResult
				if err := d.DecodeElement(&r, &t); err != nil {
					return nil, &Error{Code: codeFailed, Text: "plesktest.Builtin: unreadable system error: " + err.Error()}
				}
				return nil, &Error{Code: r.Code, Text: r.Text}
			case depth == 4 && t.Name.Local == "result":
				var r Res
				if err := d.DecodeElement(&r, &t); err != nil {
					return nil, &Error{Code: codeFailed, Text: fmt.Sprintf("plesktest.Builtin: the results of %s do not decode: %v", operation, err)}
				}
				res = append(res, r)
				depth--
			}
		case xml.EndElement:
			depth--
		}
	}
}
