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
// that changes state (Op.ReadOnly is false), the match-all guard below;
// that the request holds no content its schema does not declare; then the
// request's own Validate method when its type has one (generated request
// types do). A failure is a *ValidationError (operator, operation, the
// element path inside the operation, the problem), which satisfies
// errors.Is(err, ErrInvalidRequest); a batch with one invalid operation
// sends nothing.
//
// A request is sent as the caller wrote it or not at all. A string XML 1.0
// cannot carry (a control character other than TAB, LF and CR, U+FFFE,
// U+FFFF, bytes that are not UTF-8, such as a surrogate encoded as WTF-8
// or CESU-8) would be written by encoding/xml as U+FFFD, giving an account
// another password than the caller holds: EncodeRequest, and so every
// call, refuses it with a *ValidationError naming the element path
// ("gen_info/passwd", "@attr" for an attribute, "[i]" for an item of a
// list) and the byte index of the character in the value, never the value.
// This holds for element text, attribute values, inner XML and comments of
// generated and hand-made request types. CR, TAB and LF reach the server
// byte for byte (CR is written as &#xD;, which no parser normalises).
//
// # Match-all guard
//
// Plesk reads a <filter> without content as every object. On an operation
// that changes state the runtime therefore encodes the request, checks the
// encoding, and sends exactly those bytes (the request is encoded once). It
// refuses, whatever the Go value looked like:
//
//   - a <filter> with no child element holding a value: no children (nil
//     or empty slices, omitted fields), or only white space, comments,
//     processing instructions, attributes, text of its own, or children
//     whose content is empty or white space. A child holding text other
//     than white space, or a flag (an Empty, such as <all/>), selects;
//   - a <filter> written by a filter whose MatchAll field is set that also
//     has content: ambiguous;
//   - a request without the <filter> its schema declares (generated
//     operations say so in their descriptor);
//   - a nil request: it cannot be checked. Empty{} is the request of an
//     operation without content, sent on purpose.
//
// Generated filter types have an exported MatchAll bool field, never
// written as XML: setting it (or MatchAll[F]()) is the one way to send an
// empty <filter/> on a state change. Being a field, == and go-cmp see it.
// A request type of a program's own is judged by what it writes too; only
// the descriptor of a generated operation can say that a filter is
// required, so a hand-made request that leaves the <filter> out entirely
// is sent as it is. Reads are not guarded: an empty filter there lists
// every object.
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
// of a packet.
//
// Only Plesk's vocabulary counts: Plesk's elements are in no namespace. A
// packet, operator, operation or result element in a namespace is an
// ErrUnexpectedResponse naming it; a <status>, <errcode> or <errtext> in a
// namespace is content of the result, never its header, so a result whose
// only status is another vocabulary's fails, saying what came back. What
// XML 1.0 and Namespaces in XML forbid, and encoding/xml lets through, is
// ErrNotXML naming what and where (line and byte offset): an attribute
// twice (by its name, or by namespace and local name), a name or prefix
// that is no name, an unbound prefix, a declaration that binds a prefix to
// no namespace, a reserved one, or a bare name, a character reference to
// what XML cannot carry (&#xD800;, &#0;), an XML declaration after the
// start. So whatever decodes is written back well-formed.
//
// A call returns as soon as </packet> has arrived: what
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
// built from them.
//
// No text this package shows holds them, in any spelling: error messages
// and the fields of *Error, *TransportError (title, snippet, detail, a
// redirect's Location) and *DecodeError, a failed result's ErrText field,
// logged packets (WithPacketLogging), and Deviation's Value and String.
// A server or proxy may echo a credential raw or spelt another way, so
// each text is read in every spelling XML, HTML and URLs allow before it
// is shown: entities (&amp; &lt; &quot; &apos; …), decimal and hexadecimal
// character references (either case of x, leading zeros, HTML's missing
// semicolon), percent-encoding (either case, + for a space), the value
// split by tags, comments or CDATA sections, quoted as Go quotes strings,
// and mixtures of these. A text holding a credential of 5 characters or
// more is withheld as a whole ("[text withheld: …]"), never rewritten
// around it. This is decided on the whole text, before it is cut to a
// limit (Limits.MaxErrorText, the length of a snippet or title, the
// 64 KiB of a logged packet); and where a text is cut, it is cut further
// back so that it does not end with the first 4 bytes or more of a
// credential. The *Error of a failed result and its ErrText field agree:
// when either holds a credential, both are withheld. Deviations has no
// client at hand: it looks for the credentials of every Client of the
// process that is still reachable.
//
// Other secrets (third parties' passwords in a request, keys in a
// response) are redacted by name, with one definition of a secret's name
// wherever a packet or a value is shown, in logged packets, error
// snippets, DecodeError and Deviations alike: the text of password,
// passwd, ftp-password, pwd, key, secret_key, api-key, secret, token,
// credential, private and similar elements and of the elements inside
// them (<password><value>), the value of a name/value pair whose name is
// such a word (<property><name>ftp_password</name><value>), and such
// attributes. A deviation at such a path, or at a <value>, shows
// [REDACTED] as its Value.
//
// # TLS and proxies
//
// TLS is what the caller configured, for every spelling of the host.
// WithPinnedSHA256, WithRootCAs and WithInsecureSkipVerify apply to every
// connection to the Plesk server, whether its host is written in Unicode
// (exämple.com) or punycode (xn--exmple-cua.com), in any case, with or
// without a trailing dot, as a name or an IP address in any notation:
// which connection is Plesk's is decided by the route net/http chose for
// the request (directly, or through a proxy), never by comparing host
// names. The host name checked against the certificate with WithRootCAs is
// the punycode one, as net/http dials it. A pinned certificate is accepted
// outside its validity dates (see WithPinnedSHA256 for why).
//
// The TLS options apply to the Plesk server only. The connection to an
// https:// proxy is verified by the TLSClientConfig of the transport given
// with WithHTTPClient (its RootCAs, or the system roots), as net/http
// would; to trust a proxy's private CA, put it there. Through a CONNECT
// proxy, the Plesk server's certificate is checked end to end, so a proxy
// that terminates TLS with its own certificate is refused.
//
// An http:// endpoint has no TLS to configure: a TLS option given with one
// is an error at NewClient naming the option, rather than a protection
// silently missing. A client for an http:// endpoint is made, but warns
// that the credentials cross the network in clear text, on its logger or,
// without WithLogger, on slog.Default; a loopback host (localhost,
// 127.0.0.0/8, ::1), such as a plesktest server, crosses no network and is
// not warned about.
//
// # Batches
//
// A Batch is safe for concurrent use and is sent at most once. Goroutines
// may Add to one batch and call Send, Len and Results at the same time:
// the first Send to begin sends exactly the operations added before it
// began, in one packet; every other Send, concurrent or later, sends
// nothing and fails with ErrBatchSent, so an operation that changes state
// never reaches Plesk twice through one batch. An operation added once a
// Send has begun is not sent, and its Results fail with ErrBatchSent.
// Results answer once Send has returned; called earlier, they are an
// error and do not wait.
//
// # Retries
//
// Nothing that changes state is retried. WithReadRetry opts in to retries
// of packets whose operations all only read, by Op.ReadOnly (which each
// generated operation takes from its schema set's classification, not from
// a name prefix), on transport failures before any result arrived; a
// Retry-After header sets the wait, capped by the policy and the context.
package rpc
