// Package schemas holds pleskgo's own XSD description of the Plesk XML API,
// one directory per protocol version (1.6.6.0 … 1.6.9.1). Each directory has
// two roots, agent_input.xsd (the request packet) and agent_output.xsd (the
// response packet), covering every operator of the published element trees
// of that version, the packet-level system error and the descriptor element.
//
// The migration, database, db_server, customer and webspace operators are
// hand-written (client_*, domain_*, database_*, migration_* and the *_common
// files). Every other file starts with a "Written by internal/schemawrite"
// comment: that program wrote it from the published trees, which fix the
// structure, compositors, occurrences and type names, and from the official
// 1.6.6.0 schemas, whose enumerations, facets and element defaults it copies
// wherever a version's tree shows the same type at the same place; the
// documentation is ours. Per root, each operator has its own file
// (dns_input.xsd, dns_output.xsd, …); shared_types.xsd holds the types both
// roots use with the same structure, response_types.xsd (and
// request_types.xsd, where needed) those several operators of one root
// share, simple_types.xsd the named simple types. A type name the official
// schemas declare differently in the request and the response (such as
// ServerOperatorType) is declared once in each root's files, as they do.
// The official schemas' own string, int, boolean, … types are written as the
// XML Schema builtins of the same name, which the trees cannot tell apart.
//
// 1.6.9.1: the published 1.6.9.1 trees lack fourteen operators that the API
// still has (migration, spamfilter, webuser, maillist, updater,
// backup-manager, sso, user, role, webmail, plan-item, sitebuilder,
// service-node and ip-ban); they were drawn from an incomplete file set.
// Our 1.6.9.1 schemas carry these operators as 1.6.9.0 has them, and their
// documentation says so. business-logic-upgrade, which those trees type as
// xs:anyType, is written as the trees show it.
//
// The Go code here is only the tests that hold the schemas to the published
// element trees and to the official schemas' verdicts on sample packets.
package schemas
