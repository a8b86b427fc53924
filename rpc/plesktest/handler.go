package plesktest

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"sort"
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
//		func(ctx context.Context, req *bindings.RecordSpec) ([]bindings.ResultIDType, error) {
//			if req.SiteID != 1 {
//				return nil, plesktest.Errorf(1015, "Site does not exist")
//			}
//			return []bindings.ResultIDType{{Status: bindings.ResultStatusOk, ID: rpc.Ptr(int64(7))}}, nil
//		})
//
// Req is the type the bindings' method takes, Res the one whose slice it
// returns.
//
// The fake checks the packet's credentials and version as for every
// packet, then decodes each handled operation element with encoding/xml
// into a new Req (a generated request type) and checks it as strictly as
// the operations it implements: an element Req does not declare, one
// missing or out of order, a value that does not parse, or a constraint
// its Validate method checks. A packet with such an operation, or with an
// operation no handler serves in an operator that has handlers, gets error
// 1014 as an invalid packet does, and nothing in it runs.
//
// h gets the request's context and the decoded request. Each result it
// returns is encoded with encoding/xml as a <result> element, in order, so
// set its status as the client expects it (ok). An error h returns is
// answered after those results: each *Error (several with errors.Join)
// as a result with status error and its code; any other error as code
// 1023 with the error's text.
//
// An operator with at least one handler is served by handlers only, even
// one the fake implements itself (customer, webspace, ...). Operators
// without a handler in the same packet are answered as usual. Handlers run
// without the server's lock, possibly concurrently with one another: guard
// the state they share.
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

// packetPart is one child of a request <packet>: an operator served by
// handlers (ops set), or anything else, kept as its bytes for the
// built-in answer.
type packetPart struct {
	name string
	raw  []byte      // the element as sent (built-in parts)
	ops  []decodedOp // handled parts
}

type decodedOp struct {
	name string
	h    *opHandler
	req  any
}

// answerHandled answers a packet that has an operator served by handlers,
// and reports whether it had one. builtin answers the rest of the packet
// the usual way.
func (s *Server) answerHandled(ctx context.Context, version string, body []byte, builtin func([]byte) []byte) ([]byte, bool) {
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
	// The operators the fake implements itself, in a packet of their own.
	var rest bytes.Buffer
	n := 0
	for _, p := range parts {
		if p.ops == nil {
			rest.Write(p.raw)
			if p.name != "request-settings" {
				n++
			}
		}
	}
	var answers [][]byte
	if n > 0 {
		out := builtin([]byte(fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?><packet version="%s">%s</packet>`, xmlText(version), rest.String())))
		var system bool
		answers, system = responseOperators(out)
		if system {
			return out, true
		}
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	fmt.Fprintf(&b, `<packet version="%s">`, xmlText(version))
	for _, p := range parts {
		switch {
		case p.ops != nil:
			fmt.Fprintf(&b, "<%s>", p.name)
			for _, op := range p.ops {
				var ob bytes.Buffer
				e := xml.NewEncoder(&ob)
				err := op.h.serve(ctx, op.req, e)
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
		case p.name == "request-settings":
		case len(answers) > 0:
			b.Write(answers[0])
			answers = answers[1:]
		}
	}
	for _, a := range answers { // more answers than operators: keep them
		b.Write(a)
	}
	b.WriteString("</packet>")
	return b.Bytes(), true
}

func anyHandled(parts []packetPart) bool {
	for _, p := range parts {
		if p.ops != nil {
			return true
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

// splitPacket reads the children of the request's <packet>: the operators
// with handlers decoded into their requests, the others kept as bytes. It
// returns a violation for an operation that does not decode or that no
// handler serves. Malformed XML is left to the built-in check, which
// reports it as for any packet: splitPacket then returns no handled part.
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
			p := packetPart{name: t.Name.Local, ops: []decodedOp{}}
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
				h := ops[se.Name.Local]
				if h == nil {
					return nil, &violation{line: line, msg: fmt.Sprintf("Element '%s': This element is not expected. Expected is ( %s ).",
						se.Name.Local, strings.Join(sortedKeys(ops), " | "))}
				}
				if err := d.Skip(); err != nil {
					return nil, nil
				}
				req, v := h.decode(body[off:d.InputOffset()])
				if v != nil {
					if v.line > 0 {
						v.line += line - 1
					}
					return nil, v
				}
				p.ops = append(p.ops, decodedOp{name: se.Name.Local, h: h, req: req})
			}
			parts = append(parts, p)
		}
	}
}

func sortedKeys[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
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
