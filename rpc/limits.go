package rpc

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits bound what one response can make the client hold, whatever the
// server (or anything between it and the client) sends. A response that
// goes past one fails at once with a *TransportError of kind ErrTooLarge
// whose message names the limit, e.g. "more than 32 attributes on one
// element (Limits.MaxAttrs)". A zero field takes its default; set a
// Limits with WithLimits.
//
// With the defaults, Stream holds about one result at a time, at most
// MaxResultSize bytes of it, however long the body; Do holds what it
// returns plus a few times the largest result. The body as a whole is
// bounded by WithMaxResponseSize.
type Limits struct {
	// MaxAttrs: attributes on one element. Plesk sends almost none (the
	// version of <packet>). Default DefaultMaxAttrs.
	MaxAttrs int
	// MaxDepth: nesting depth of elements, <packet> counting as 1. Plesk's
	// responses are about a dozen levels deep. Default DefaultMaxDepth.
	MaxDepth int
	// MaxElements: elements inside one <result>. Default
	// DefaultMaxElements.
	MaxElements int
	// MaxResultSize: bytes of one <result>, and of any single token (a
	// text, a tag, a comment) anywhere in the body. It is what bounds the
	// memory of Stream. Default DefaultMaxResultSize.
	MaxResultSize int64
	// MaxErrorText: bytes of a server's text (errtext, a quoted value)
	// kept in an error; longer texts are cut, and say so. Default
	// DefaultMaxErrorText.
	MaxErrorText int
}

// The defaults of Limits.
const (
	DefaultMaxAttrs      = 32
	DefaultMaxDepth      = 256
	DefaultMaxElements   = 1 << 17  // 131072
	DefaultMaxResultSize = 16 << 20 // 16 MiB
	DefaultMaxErrorText  = 1 << 10  // 1 KiB
)

// maxKeptErrors is how many errors of single results Do and Batch keep
// for one operation; beyond that they are counted, so that a body of
// nothing but failed results does not become an error of its size.
const maxKeptErrors = 100

// withDefaults returns l with zero fields set to their defaults.
func (l Limits) withDefaults() Limits {
	if l.MaxAttrs <= 0 {
		l.MaxAttrs = DefaultMaxAttrs
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxElements <= 0 {
		l.MaxElements = DefaultMaxElements
	}
	if l.MaxResultSize <= 0 {
		l.MaxResultSize = DefaultMaxResultSize
	}
	if l.MaxErrorText <= 0 {
		l.MaxErrorText = DefaultMaxErrorText
	}
	return l
}

var defaultLimits = Limits{}.withDefaults()

// WithLimits sets the limits of what one response may hold (see Limits);
// zero fields keep their defaults.
func WithLimits(l Limits) Option {
	return func(o *options) {
		if l.MaxAttrs < 0 || l.MaxDepth < 0 || l.MaxElements < 0 || l.MaxResultSize < 0 || l.MaxErrorText < 0 {
			o.errs = append(o.errs, errors.New("rpc: WithLimits needs limits that are positive or zero (the default)"))
		}
		o.limits = l
	}
}

// limitError is the error of the scanner or the wire for a response past
// one of the Limits; classify turns it into an ErrTooLarge.
type limitError struct {
	what  string // "more than 32 attributes on one element"
	field string // "MaxAttrs"
}

func (e *limitError) Error() string {
	return fmt.Sprintf("%s (Limits.%s)", e.what, e.field)
}

// clipText cuts s to at most n bytes, on a character boundary, and says
// how much was cut.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	var b strings.Builder
	b.WriteString(s[:cut])
	fmt.Fprintf(&b, "… (%d bytes cut)", len(s)-cut)
	return b.String()
}
