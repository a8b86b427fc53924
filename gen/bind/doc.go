// Package bind reads binding customizations: a small text file, kept beside
// a schema set, that gives Go types to the elements the schema leaves
// untyped, without editing the XSD. It plays the part of JAXB's external
// binding files for pleskgen.
//
// Plesk's schemas declare many elements with no type at all (which XSD
// reads as xs:anyType: any attributes, any content) or as xs:anySimpleType.
// Left alone, such an element becomes raw XML (rpc.Raw) or an untyped
// string in the generated Go, even where Plesk only ever sends an empty
// flag (<no-plan/>), an object id or a name. A customization file says what
// each one really is.
//
// # Format
//
// The file is UTF-8 text, one entry per line:
//
//	PATH  KIND  [# REASON]
//
// Blank lines and lines starting with '#' are comments. Fields are
// separated by spaces or tabs; everything after a '#' is the reason, a
// one-line note for the reader that raw entries must have.
//
// PATH names one element declaration, in one of two forms:
//
//	packet/webspace/switch-subscription/no-plan
//	type:resultFilterType/filter-id
//
// The first starts at a global element (packet, or descriptor in Plesk's
// set) and follows child element names as they appear in documents,
// through sequences, choices, group references and extension bases alike.
// The second starts inside the named complexType NAME, for an element of a
// type used in many places. A path is looked up in both roots of the
// schema set (the request and the response closure) and must name an
// element in at least one; where it names one in both (migration/get_fs is
// untyped in the request and typed in the response), it applies to those
// the schema leaves untyped. A declaration is known by its position in the
// schema files, so an entry found through the request closure types the
// same declaration in the response closure too, and a declaration inside a
// named type is typed wherever the type is used.
//
// KIND is one of
//
//	empty   an empty flag element: *rpc.Empty, present or absent (<no-plan/>)
//	string  character content: string
//	int     an integer, typically an object id: int64
//	bool    xs:boolean content (true, false, 1, 0): bool
//	raw     keep the content as written: rpc.Raw; needs a reason
//
// Whether the field is a value, a pointer or a slice still follows the
// element's occurrence in the schema.
//
// A line that starts with '@' is a directive. The only one is
//
//	@schemas sha256:HEX
//
// which records the Digest of a schema set the file is made for; see
// Default.
//
// # Errors
//
// Parse and Resolve report every problem at once, each as
// FILE:LINE:COL: message, in file order. Parse rejects an unknown kind
// (suggesting the nearest one), a raw entry without a reason, text after
// the kind that is not a reason, a malformed path and a repeated path.
// Resolve rejects a path that names nothing (at the column of the first
// step that does not exist, with the nearest existing name or a list of
// the names there are), an entry for an element the schema already types,
// and two entries for one declaration.
//
// # Which file applies
//
// pleskgen (gen.Options.Bindings) applies, unless told otherwise, the file
// bindings.txt in the schema directory (FileName), and otherwise the file
// shipped inside pleskgen whose @schemas digest matches the schema set:
// Plesk's official 1.6.6.0 schemas get plesk:1.6.6.0 wherever they are
// unpacked. -bindings FILE or -bindings plesk:VERSION names a file instead;
// -no-bindings applies none, and every untyped element stays raw XML.
//
// # Auditing
//
// FindUntyped lists every untyped element declaration a schema set has,
// Audit those a customization file leaves undecided, and Draft writes them
// as lines to complete: their kind is '?', which Parse refuses, so a draft
// cannot pass for a decision, unless a file made for another schema set
// (Reusable) decides the same element, whose entry is then offered as it
// stands there. The package's TestAudit holds the shipped
// files and schemas/*/bindings.txt to this: "go test ./gen/bind -run Audit
// -v" prints a draft for any element a new schema adds.
//
// # Operation classification
//
// A second file of the same line format, operations.txt beside the schemas
// (OperationsFileName), says what each operation does to the state of the
// server, which the schema cannot say:
//
//	OPERATOR/OPERATION  ACCESS  [# REASON]
//
//	customer/get              read
//	server/create_session     write
//	webspace/db-servers/list  read   # an operation inside a group
//
// ACCESS is read (the operation only reads state; sending it twice does no
// harm) or write (it may change state, or its effect is not certain).
// OPERATOR is the operator's element name; OPERATION the operation's, or
// for an operation inside a group (webspace/db-servers) its path below the
// operator. @schemas directives work as in a customization file.
//
// pleskgen (gen.Options.Operations) reads operations.txt in the schema
// directory, else the shipped classification whose @schemas digest matches
// the schema set (Plesk's official 1.6.6.0 schemas get plesk:1.6.6.0), or
// the file -operations names. Every operation of the schema set must have
// an entry and every entry must name one of them: Audit reports an
// unclassified operation at its declaration in the schema, naming the file
// to add it to, and an entry that names no operation at its line, with the
// nearest operation. Generated operation descriptors carry the access
// (rpcimpl.Operation.ReadOnly, then rpc.Op.ReadOnly), and the runtime
// decides from it alone whether a packet may be retried and whether an
// empty filter is refused: it holds no list of operation names.
package bind
