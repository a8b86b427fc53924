package rpc

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Sentinels for the classes of Plesk error codes. Match them with
// errors.Is; use errors.As with *Error for the operator, operation, code
// and text. Plesk's errtext is localized: the class comes from the code.
var (
	// ErrNotFound: 1013, object does not exist. A filter that matched
	// nothing (ErrNoMatch) also satisfies ErrNotFound, since Plesk answers
	// either way depending on the operation and version.
	ErrNotFound = errors.New("plesk: object not found")
	// ErrAlreadyExists: 1002, 1007, 15006, 15012.
	ErrAlreadyExists = errors.New("plesk: object already exists")
	// ErrAuth: 1001, 11003, 1029 (login, password or secret key refused).
	ErrAuth = errors.New("plesk: authentication failed")
	// ErrPermission: 1006, 1010, 1011, 1012.
	ErrPermission = errors.New("plesk: permission denied")
	// ErrUnsupported: 1005, 1017 (not supported by this protocol version).
	ErrUnsupported = errors.New("plesk: not supported by this protocol version")
	// ErrUnsupportedProtocol: 1005 (the server does not speak the
	// packet's protocol version) and 1017 (the version lacks the
	// operation): the generated package does not fit the server. Such an
	// *Error also satisfies ErrUnsupported; its Offered lists the versions
	// the server speaks, which Do, Stream and Batch ask the server for
	// (server/get_protos) once when the error arrives. ServerProtocols and
	// NewestProtocol pick the package that fits.
	ErrUnsupportedProtocol = errors.New("plesk: protocol version not supported by the server")
	// ErrInvalidRequest: 1014, 1019 (schema violation, invalid value), and
	// every *ValidationError: a request the runtime refused to send.
	ErrInvalidRequest = errors.New("plesk: invalid request")
	// ErrComponentMissing: 1026, 1031 (component not installed or not
	// configured).
	ErrComponentMissing = errors.New("plesk: component missing")
	// ErrNoMatch: the filter of an operation matched no object. Plesk says
	// so in two ways, an empty operation element or a single ok result
	// carrying only filter-id; both yield zero results and an *Error
	// satisfying ErrNoMatch.
	ErrNoMatch = errors.New("plesk: no object matched the filter")
)

// codeClass maps the published error codes to their sentinel. Codes not
// listed keep their number in Error.Code and match no sentinel.
var codeClass = map[int]error{
	1013: ErrNotFound,

	1002:  ErrAlreadyExists,
	1007:  ErrAlreadyExists,
	15006: ErrAlreadyExists,
	15012: ErrAlreadyExists,

	1001:  ErrAuth,
	11003: ErrAuth,
	1029:  ErrAuth,

	1006: ErrPermission,
	1010: ErrPermission,
	1011: ErrPermission,
	1012: ErrPermission,

	1005: ErrUnsupported,
	1017: ErrUnsupported,

	1014: ErrInvalidRequest,
	1019: ErrInvalidRequest,

	1026: ErrComponentMissing,
	1031: ErrComponentMissing,
}

// SystemOperator is the Operator of an *Error raised by a packet-level
// <system> error, which fails every operation of the packet.
const SystemOperator = "system"

// Error is an error reported by Plesk: a result with status error, a
// packet-level <system> error (Operator is SystemOperator), or a filter
// that matched nothing (errors.Is(err, ErrNoMatch), Code 0).
//
// The message never includes the client's credentials, which are only
// ever written into request headers; Text is cut to Limits.MaxErrorText.
type Error struct {
	Operator  string // "customer", "webspace", … or SystemOperator
	Operation string // "get", "del", …; empty for a system error
	Code      int    // errcode; 0 for a zero match
	Text      string // errtext as sent (localized): do not match on it
	FilterID  string // filter-id of the failed result, if any
	ID        string // id of the failed result, if any
	// Offered lists the protocol versions the server speaks, for an error
	// satisfying ErrUnsupportedProtocol when the server said (see
	// ServerProtocols); nil otherwise.
	Offered []string

	askedProtos bool // get_protos was asked (or failed) for this error

	noMatch bool
	problem string // what made the result's header contradictory, if it was
	hint    string // extra advice, e.g. about proxies dropping headers
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("plesk: ")
	if e.Operator == SystemOperator && e.Operation == "" {
		b.WriteString("system error")
	} else {
		b.WriteString(e.Operator)
		b.WriteByte('/')
		b.WriteString(e.Operation)
	}
	if e.FilterID != "" {
		b.WriteString(" filter-id ")
		b.WriteString(strconv.Quote(e.FilterID))
	}
	if e.ID != "" {
		b.WriteString(" id ")
		b.WriteString(strconv.Quote(e.ID))
	}
	if e.noMatch {
		b.WriteString(": no object matched the filter")
		return b.String()
	}
	if e.problem != "" {
		b.WriteString(": invalid result: ")
		b.WriteString(e.problem)
		if e.Code == 0 && e.Text == "" {
			return b.String()
		}
		b.WriteString("; error ")
	} else {
		b.WriteString(": error ")
	}
	b.WriteString(strconv.Itoa(e.Code))
	if e.Text != "" {
		b.WriteString(": ")
		b.WriteString(e.Text)
	}
	for _, h := range []string{e.hint, e.protocolHint()} {
		if h != "" {
			b.WriteString(" (")
			b.WriteString(h)
			b.WriteByte(')')
		}
	}
	return b.String()
}

// Is reports whether the error belongs to the class of target, one of the
// sentinels of this package.
func (e *Error) Is(target error) bool {
	if e.noMatch {
		return target == ErrNoMatch || target == ErrNotFound
	}
	if target == ErrUnsupportedProtocol {
		return isProtocolCode(e.Code)
	}
	c, ok := codeClass[e.Code]
	return ok && c == target
}

func noMatchError(op *Op, filterID string) *Error {
	return &Error{Operator: op.Operator, Operation: op.Operation, FilterID: filterID, noMatch: true}
}

// DecodeError reports a <result> that could not be decoded into the Go type
// the caller asked for. The other results of the operation are unaffected.
type DecodeError struct {
	Operator, Operation string
	Index               int    // position of the result in its operation, from 0
	Type                string // the Go type, e.g. "plesk1691.CustomerGetResult"
	Element             string // the last element read when decoding failed
	Text                string // the last text read (empty for sensitive elements)
	Err                 error
}

func (e *DecodeError) Error() string {
	s := fmt.Sprintf("rpc: %s/%s result %d: cannot decode into %s: %v", e.Operator, e.Operation, e.Index, e.Type, e.Err)
	if e.Element != "" {
		s += " (at <" + e.Element + ">"
		if e.Text != "" {
			s += ", text " + strconv.Quote(e.Text)
		}
		s += ")"
	}
	return s
}

func (e *DecodeError) Unwrap() error { return e.Err }

// Transport failure classes. Every *TransportError satisfies ErrTransport
// and exactly one of the others.
var (
	// ErrTransport: anything that went wrong between this client and Plesk.
	ErrTransport = errors.New("rpc: transport failure")
	// ErrHTTPStatus: the server answered with a status other than 200.
	ErrHTTPStatus = errors.New("rpc: HTTP status is not 200")
	// ErrNotXML: the body is not well-formed XML (an HTML error page, a
	// proxy page, plain text, a DOCTYPE).
	ErrNotXML = errors.New("rpc: response is not XML")
	// ErrUnexpectedResponse: well-formed XML that does not answer the
	// request (another root element, operations missing or out of order).
	ErrUnexpectedResponse = errors.New("rpc: response does not answer the request")
	// ErrTruncated: the body ended cleanly before the packet was complete.
	ErrTruncated = errors.New("rpc: response truncated")
	// ErrTooLarge: the body exceeded the limit set by WithMaxResponseSize,
	// or the response went past one of the Limits (WithLimits); the
	// message names the limit.
	ErrTooLarge = errors.New("rpc: response too large")
	// ErrConnection: the request could not be sent or the connection broke
	// while reading the response.
	ErrConnection = errors.New("rpc: connection failed")
)

// TransportError is a failure below the Plesk protocol: it says what came
// back instead of a packet. It never carries credentials.
type TransportError struct {
	Kind        error  // ErrHTTPStatus, ErrNotXML, ErrUnexpectedResponse, ErrTruncated, ErrTooLarge or ErrConnection
	URL         string // the endpoint, without credentials
	StatusCode  int    // HTTP status, 0 if no response arrived
	ContentType string // Content-Type of the response
	Title       string // <title> of an HTML body
	Snippet     string // the first bytes of the body, cleaned up for display
	Read        int64  // body bytes read before the failure
	Detail      string // what exactly went wrong
	Err         error  // underlying error (a net error, context.Canceled, …)
	// RetryAfter is the wait a 429 or 503 response asked for in its
	// Retry-After header; 0 if none.
	RetryAfter time.Duration
}

func (e *TransportError) Error() string {
	var b strings.Builder
	b.WriteString("rpc: ")
	if e.URL != "" {
		b.WriteString("POST ")
		b.WriteString(e.URL)
		b.WriteString(": ")
	}
	b.WriteString(e.Detail)
	var extra []string
	if e.ContentType != "" {
		extra = append(extra, "Content-Type "+strconv.Quote(e.ContentType))
	}
	if e.Title != "" {
		extra = append(extra, "title "+strconv.Quote(e.Title))
	} else if e.Snippet != "" {
		extra = append(extra, "body starts "+strconv.Quote(e.Snippet))
	}
	if len(extra) > 0 {
		b.WriteString(" (")
		b.WriteString(strings.Join(extra, ", "))
		b.WriteByte(')')
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Is matches ErrTransport and the kind of the failure.
func (e *TransportError) Is(target error) bool {
	return target == ErrTransport || target == e.Kind
}

func (e *TransportError) Unwrap() error { return e.Err }

// errStop is returned by a sink when the consumer of a Stream stopped
// early; Invoke passes it through and Stream swallows it.
var errStop = errors.New("rpc: iteration stopped")
