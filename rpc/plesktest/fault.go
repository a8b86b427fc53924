package plesktest

import (
	"fmt"
	"time"
)

// A Fault is something that goes wrong between the client and Plesk: a slow
// network, a proxy answering in Plesk's place, a connection that breaks.
// Inject faults with WithFault (every request) or Server.FailNext (the next
// requests, one fault each).
//
// Latency delays a request, which is then served. TruncatedBody serves the
// request, so its operations take effect, and cuts the response. The other
// faults answer in Plesk's place: the request never reaches the fake Plesk
// and changes nothing.
type Fault struct {
	kind   faultKind
	delay  time.Duration
	status int
}

type faultKind int

const (
	faultNone faultKind = iota
	faultLatency
	faultHTML
	faultStatus
	faultTruncate
	faultDrop
)

// Latency delays the answer by d. The wait ends early when the client gives
// up or the server closes, so a test with a short deadline never waits d.
func Latency(d time.Duration) Fault { return Fault{kind: faultLatency, delay: d} }

// HTMLErrorPage answers with a proxy's HTML error page and the given HTTP
// status (200 tests a client that must not take the page for a packet).
func HTMLErrorPage(status int) Fault { return Fault{kind: faultHTML, status: status} }

// HTTPStatus answers with the given status and a short text/plain body, as
// a failing web server does (500 Internal Server Error).
func HTTPStatus(status int) Fault { return Fault{kind: faultStatus, status: status} }

// TruncatedBody serves the request, then sends only the first half of the
// response: the body ends cleanly before </packet>.
func TruncatedBody() Fault { return Fault{kind: faultTruncate} }

// DropConnection closes the connection without answering.
func DropConnection() Fault { return Fault{kind: faultDrop} }

func (f Fault) String() string {
	switch f.kind {
	case faultLatency:
		return fmt.Sprintf("Latency(%v)", f.delay)
	case faultHTML:
		return fmt.Sprintf("HTMLErrorPage(%d)", f.status)
	case faultStatus:
		return fmt.Sprintf("HTTPStatus(%d)", f.status)
	case faultTruncate:
		return "TruncatedBody()"
	case faultDrop:
		return "DropConnection()"
	}
	return "no fault"
}

// htmlPage is what a reverse proxy in front of Plesk sends when Plesk is
// down.
const htmlPage = `<!DOCTYPE html>
<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`
