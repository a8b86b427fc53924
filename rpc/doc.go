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
// Every result of an operation comes back, in order: a filter may match many
// objects, and some may fail while others succeed. Failed results carry an
// *Error (errors.Is against ErrNotFound, ErrAlreadyExists, ErrAuth,
// ErrPermission, ErrUnsupported, ErrInvalidRequest, ErrComponentMissing,
// ErrNoMatch); a packet-level <system> error fails the whole call. Failures
// below the protocol are *TransportError (ErrHTTPStatus, ErrNotXML,
// ErrUnexpectedResponse, ErrTruncated, ErrTooLarge, ErrConnection) and say
// what came back instead of a packet. Neither ever contains the password or
// the secret key.
//
// Nothing that changes state is retried. WithReadRetry opts in to retries of
// packets whose operations only read (get, get-…, get_…), on transport
// failures before any result arrived.
package rpc
