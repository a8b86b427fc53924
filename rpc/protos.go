package rpc

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/pleskgo/plesk/rpc/internal/protoreg"
)

// protosResult is the answer to server/get_protos.
type protosResult struct {
	Status string `xml:"status"`
	Protos struct {
		Proto []string `xml:"proto"`
	} `xml:"protos"`
}

// ServerProtocols asks the server which protocol versions it speaks
// (server/get_protos, which every version understands; the packet carries
// no version, so the server answers in its newest). The versions come in
// the server's order, which is not sorted, without duplicates.
//
// Pick the generated package with NewestProtocol:
//
//	offered, err := rpc.ServerProtocols(ctx, client)
//	v, ok := rpc.NewestProtocol(offered, rpc.BoundProtocols())
func ServerProtocols(ctx context.Context, inv Invoker) ([]string, error) {
	res, err := Do[protosResult](ctx, inv, "", &Op{Operator: "server", Operation: "get_protos", ReadOnly: true})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range res {
		for _, p := range r.Protos.Proto {
			if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	if len(out) == 0 {
		return nil, errors.New("rpc: server/get_protos listed no protocol version")
	}
	return out, nil
}

// NewestProtocol returns the newest version that is both offered (by the
// server, see ServerProtocols) and among candidates (the versions the
// program has bindings for, such as BoundProtocols(), or the
// ProtocolVersion constants of the generated packages it imports).
// Versions compare number by number: 1.6.10.0 is newer than 1.6.9.1.
func NewestProtocol(offered, candidates []string) (string, bool) {
	best := ""
	for _, c := range candidates {
		if slices.Contains(offered, c) && (best == "" || compareVersions(c, best) > 0) {
			best = c
		}
	}
	return best, best != ""
}

// compareVersions orders dotted version numbers; a part that is not a
// number orders as text after the numbers.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		var x, y string
		if i < len(as) {
			x = as[i]
		}
		if i < len(bs) {
			y = bs[i]
		}
		nx, ex := strconv.ParseUint(x, 10, 64)
		ny, ey := strconv.ParseUint(y, 10, 64)
		switch {
		case ex == nil && ey == nil:
			if nx != ny {
				if nx < ny {
					return -1
				}
				return 1
			}
		case ex == nil:
			return -1
		case ey == nil:
			return 1
		default:
			if c := strings.Compare(x, y); c != 0 {
				return c
			}
		}
	}
	return 0
}

// BoundProtocols returns the protocol versions the program has generated
// bindings for, oldest first: one per generated package it imports, which
// registers its ProtocolVersion when initialized. rpc itself ships no list.
func BoundProtocols() []string {
	v := protoreg.List()
	slices.SortFunc(v, compareVersions)
	return v
}

// Codes of a protocol version the server does not speak: 1005 for the
// packet's version, 1017 for an operation the version lacks.
const (
	codeVersionUnsupported = 1005
	codeNotInVersion       = 1017
)

func isProtocolCode(code int) bool {
	return code == codeVersionUnsupported || code == codeNotInVersion
}

// explainProtocol fills in the versions the server offers on every *Error
// in err that says the protocol version is not supported, asking the
// server once (server/get_protos). When asking fails, the message says how
// to find out instead. op is the failed operation: get_protos itself is
// never asked about.
func explainProtocol(ctx context.Context, inv Invoker, op *Op, err error) {
	if err == nil || inv == nil || op != nil && op.Operator == "server" && op.Operation == "get_protos" {
		return
	}
	var targets []*Error
	walkErrors(err, func(e error) {
		if pe, ok := e.(*Error); ok && isProtocolCode(pe.Code) && pe.Offered == nil && !pe.askedProtos {
			targets = append(targets, pe)
		}
	})
	if len(targets) == 0 {
		return
	}
	offered, qerr := ServerProtocols(ctx, inv)
	for _, pe := range targets {
		pe.askedProtos = true
		if qerr == nil {
			pe.Offered = offered
		}
	}
}

// walkErrors calls fn on err and every error it wraps.
func walkErrors(err error, fn func(error)) {
	if err == nil {
		return
	}
	fn(err)
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			walkErrors(e, fn)
		}
	case interface{ Unwrap() error }:
		walkErrors(u.Unwrap(), fn)
	}
}

// protocolHint is the part of an *Error's message about the versions.
func (e *Error) protocolHint() string {
	if !isProtocolCode(e.Code) {
		return ""
	}
	if len(e.Offered) > 0 {
		return "the server speaks protocol " + strings.Join(e.Offered, ", ")
	}
	return "rpc.ServerProtocols lists the versions the server speaks"
}
