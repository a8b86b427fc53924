// Package rpc is the runtime the generated Plesk bindings call: an HTTP
// client for the XML API (POST https://HOST:8443/enterprise/control/agent.php),
// the packet envelope, the mapping of Plesk error codes to Go errors, and a
// streaming decoder that reads one <result> at a time.
//
// It imports no generated code: a request is any value encoding/xml can
// marshal, a result any type it can unmarshal. Generated methods build an
// *Op and call Do, Stream or a Batch through an Invoker, which *Client
// implements and tests can fake.
//
//	c, err := rpc.NewClient("plesk.example.com",
//		rpc.WithSecretKey(key),
//		rpc.WithPinnedSHA256("sha256/Xa4Ep…="), // Plesk's self-signed certificate
//	)
//	if err != nil {
//		return err
//	}
//	op := &rpc.Op{Operator: "customer", Operation: "get", Request: req}
//	res, err := rpc.Do[CustomerGetResult](ctx, c, "1.6.9.1", op)
//	if errors.Is(err, rpc.ErrNotFound) {
//		// no such customer (error 1013, or a filter that matched nothing)
//	}
//
// # Requests
//
// Every request is validated before anything is sent, by Do, Stream,
// Batch.Send and Client.Invoke alike: the names of the op; for an operation
// that changes state (IsReadOperation is false), that no <filter> in the
// request selects nothing explicitly, since Plesk reads an empty filter as
// every object (MatchAll builds the filter that means all, on purpose);
// that the request holds no content its schema does not declare; then the
// request's own Validate method when its type has one (generated request
// types do). A failure is a *ValidationError (operator, operation, the
// element path inside the operation, the problem), which satisfies
// errors.Is(err, ErrInvalidRequest); a batch with one invalid operation
// sends nothing.
//
// A read whose filter means all (the encoded <filter> has no child
// element: an empty filter, or MatchAll) that finds nothing succeeds with
// an empty slice, and its Stream yields nothing, however Plesk says it
// found nothing (no result, an ok result with only filter-id, error 1013).
// ErrNoMatch and ErrNotFound stay for filters that name objects.
//
// # Protocol versions
//
// ServerProtocols asks a server which protocol versions it speaks
// (server/get_protos); NewestProtocol picks the newest of them among
// BoundProtocols, the versions of the generated packages the program
// imports. Errors 1005 and 1017 satisfy ErrUnsupportedProtocol: Do, Stream
// and Batch then ask get_protos once and list the versions in Error.Offered
// and the message, or the message says to call ServerProtocols.
//
// # Decoded values
//
// Generated types decode any well-formed packet without loss: content the
// schema does not declare stays where it was, a value that does not parse
// is kept as written (its field is zero), a required element the server
// did not send is not invented when the value is encoded again. Deviations
// reports, for any decoded value, what deviated from the schema.
//
// # Results
//
// Every result of an operation comes back, in order: a filter may match many
// objects, and some may fail while others succeed. Whether a result
// succeeded is decided once, from its header: only exactly one
// <status>ok</status> and no <errcode> is a success. Failed results carry
// an *Error (errors.Is against ErrNotFound, ErrAlreadyExists, ErrAuth,
// ErrPermission, ErrUnsupported, ErrUnsupportedProtocol, ErrInvalidRequest,
// ErrComponentMissing, ErrNoMatch); a missing, repeated or unknown status, or an errcode beside
// ok, is a failure whose *Error says what was contradictory, and a status
// field of the result type is set to the verdict. A packet-level <system>
// error fails the whole call. Failures below the protocol are
// *TransportError (ErrHTTPStatus, ErrNotXML, ErrUnexpectedResponse,
// ErrTruncated, ErrTooLarge, ErrConnection) and say what came back instead
// of a packet. A call returns as soon as </packet> has arrived: what
// follows is drained for at most 50 ms and 64 KiB, or the connection is
// closed.
//
// # Limits
//
// What a response can make the client hold is bounded, whatever the server
// or anything on the way sends. Each limit below fails the call at once
// with a *TransportError of kind ErrTooLarge whose message names the limit;
// set them with WithMaxResponseSize and WithLimits:
//
//   - the body: DefaultMaxResponseSize (256 MiB), WithMaxResponseSize;
//     "the body exceeds the limit of N bytes (see WithMaxResponseSize)";
//   - attributes on one element: DefaultMaxAttrs (32), Limits.MaxAttrs;
//     "more than N attributes on one element (Limits.MaxAttrs)";
//   - nesting depth: DefaultMaxDepth (256), Limits.MaxDepth;
//     "elements nested deeper than N levels (Limits.MaxDepth)";
//   - elements in one <result>: DefaultMaxElements (131072),
//     Limits.MaxElements; "more than N elements in one <result>
//     (Limits.MaxElements)";
//   - the size of one <result>, and of any single token: DefaultMaxResultSize
//     (16 MiB), Limits.MaxResultSize; "a <result> larger than N bytes
//     (Limits.MaxResultSize)" or "a single token … larger than N bytes
//     (Limits.MaxResultSize)". It bounds the memory of Stream, whatever
//     the size of the body;
//   - texts of the server kept in an error (errtext, a quoted value):
//     DefaultMaxErrorText (1 KiB), Limits.MaxErrorText; longer texts are
//     cut and say "(N bytes cut)", they do not fail the call. Do and Batch
//     keep the errors of the first 100 failed results of an operation and
//     count the others.
//
// With these limits the live heap of Do stays within a few times the body
// for the most hostile bodies known (floods of attributes, of empty
// results, of unknown elements; huge tokens): the benchmark table (make
// bench) shows the worst of them against a goal of 8x. A <result> with no
// <status> at all is not kept in Do's slice, only its error.
//
// Responses declaring another encoding than UTF-8 in their XML
// declaration (ISO-8859-1, windows-1251, KOI8-R, …) are decoded through
// golang.org/x/text; an encoding it does not know fails with ErrNotXML
// naming it.
//
// # Secrets
//
// The client's credentials are checked at NewClient (empty, blank, or with
// white space around them is an error naming which credential) and are
// only ever written into the request headers: no field of the client
// holds them (a reflection dump does not reach them), and no message is
// built from them. A text that a server echoes them in (an errtext, a page)
// is withheld as a whole when it holds a credential of 8 characters or
// more; nothing is rewritten around a credential.
//
// Other secrets in packets (third parties' passwords in a request, keys in
// a response) are redacted by the structure of the packet wherever a packet
// is shown, in logged packets (WithPacketLogging) and in error snippets
// alike: the text of password, passwd, key, secret, token and similar
// elements and of the elements inside them (<password><value>), the value
// of a name/value pair whose name is such a word
// (<property><name>ftp_password</name><value>), and such attributes.
//
// # TLS and proxies
//
// WithPinnedSHA256, WithRootCAs and WithInsecureSkipVerify apply to the
// Plesk server only. The connection to an https:// proxy is verified by the
// TLSClientConfig of the transport given with WithHTTPClient (its RootCAs,
// or the system roots), as net/http would; to trust a proxy's private CA,
// put it there. Through a CONNECT proxy, the Plesk server's certificate is
// checked end to end, so a proxy that terminates TLS with its own
// certificate is refused.
//
// # Retries
//
// Nothing that changes state is retried. WithReadRetry opts in to retries
// of packets whose operations all only read, by IsReadOperation (an
// explicit classification of every operation of the published protocols,
// not a name prefix), on transport failures before any result arrived; a
// Retry-After header sets the wait, capped by the policy and the context.
package rpc
