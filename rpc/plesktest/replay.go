package plesktest

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/pleskgo/plesk/rpc"
)

// NewReplayServer starts a server on plain HTTP that answers from a
// recording made with rpc.WithRecorder instead of running anything: a
// session recorded once against a real Plesk runs offline.
//
// Each request is matched by content: its rpc.RequestKey (the packet
// redacted as the recording is, without the XML declaration and the white
// space between tags) must equal that of a recorded request, and gets
// that exchange's recorded HTTP status and response. Requests with the
// same content are answered in the order they were recorded (a migration
// polled with get_status sees its progress advance), and each recorded
// exchange answers once; requests with different content may come in any
// order, as concurrent calls do. A request the recording does not hold,
// or holds no more answers for, gets a packet-level error 1023 whose
// text names its operations (so the caller's *rpc.Error says which
// operation the recording lacks); Unreplayed reports the exchanges left.
//
// Credentials are not checked (the recording holds none), and the fake's
// objects, handlers and Handle play no part; faults (WithFault,
// FailNext) still apply before the recording answers. Invalid options
// panic as in NewServer; a recording that does not parse is an error.
func NewReplayServer(recording io.Reader, opts ...Option) (*Server, error) {
	exchanges, err := rpc.ReadRecording(recording)
	if err != nil {
		return nil, err
	}
	rp := &replayer{byKey: map[string][]rpc.Exchange{}}
	for _, e := range exchanges {
		k := rpc.RequestKey(e.Request)
		rp.byKey[k] = append(rp.byKey[k], e)
		rp.left++
	}
	s := newServer(opts)
	s.replay = rp
	s.hs.Start()
	s.URL = s.hs.URL
	return s, nil
}

// Unreplayed returns the number of recorded exchanges no request has
// used yet: zero once a replayed session made every recorded call.
func (s *Server) Unreplayed() int {
	if s.replay == nil {
		return 0
	}
	s.replay.mu.Lock()
	defer s.replay.mu.Unlock()
	return s.replay.left
}

// replayer holds the exchanges of a recording not yet answered.
type replayer struct {
	mu    sync.Mutex
	byKey map[string][]rpc.Exchange
	left  int
}

// answer returns the recorded status and response for a request, or the
// error packet saying the recording lacks it.
func (r *replayer) answer(body []byte) (int, []byte) {
	k := rpc.RequestKey(body)
	r.mu.Lock()
	defer r.mu.Unlock()
	if q := r.byKey[k]; len(q) > 0 {
		r.byKey[k] = q[1:]
		r.left--
		return q[0].Status, q[0].Response
	}
	return 200, systemError(codeFailed, fmt.Sprintf("plesktest replay: the recording holds no (more) answer to this request (%s); %d recorded exchanges are left",
		operationsOf(body), r.left))
}

// operationsOf names the operations of a request packet, as
// operator/operation, for an error message.
func operationsOf(body []byte) string {
	d := xml.NewDecoder(bytes.NewReader(body))
	var names []string
	var operator string
	depth := 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch depth {
			case 2:
				operator = t.Name.Local
			case 3:
				if len(names) < 10 {
					names = append(names, operator+"/"+t.Name.Local)
				}
			}
		case xml.EndElement:
			depth--
		}
	}
	if len(names) == 0 {
		return "no operation"
	}
	return strings.Join(names, ", ")
}
