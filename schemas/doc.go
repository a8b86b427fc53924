// Package schemas holds pleskgo's own XSD description of the Plesk XML API,
// one directory per protocol version (1.6.6.0 … 1.6.9.1). Each directory has
// two roots, agent_input.xsd (the request packet) and agent_output.xsd (the
// response packet), covering the migration, database, db_server, customer and
// webspace operators and the packet-level system error.
//
// The Go code here is only the tests that hold the schemas to the published
// element trees and to the official schemas' verdicts on sample packets.
package schemas
