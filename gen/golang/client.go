package golang

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/pleskgo/plesk/gen/model"
)

// emitClient writes ProtocolVersion, the runtime handshake, the Client with
// one handle per operator and a method per operation, and the typed batch.
func emitClient(f *jen.File, p *model.Package) {
	emitPackageDoc(f, p)
	f.Comment("ProtocolVersion is the Plesk API RPC protocol version this package speaks; every packet")
	f.Comment("it sends carries it in the version attribute.")
	f.Const().Id("ProtocolVersion").Op("=").Lit(p.Version)
	f.Line()
	f.Comment("This package needs a runtime that supports its generated code.")
	f.Const().Id("_").Op("=").Qual(implPath, "SupportPackageIsVersion1")
	f.Line()
	if p.Version != "" && p.Request != nil && p.Response != nil {
		// Importing the package makes its version known: rpc.BoundProtocols
		// lists it, and the fake of rpc/plesktest checks packets of its
		// version against its types without importing it (a package with
		// only some operators is Partial, and only named).
		desc := jen.Dict{
			jen.Id("Version"):     jen.Id("ProtocolVersion"),
			jen.Id("NewRequest"):  jen.Func().Params().Any().Block(jen.Return(jen.New(jen.Id(p.Request.Name)))),
			jen.Id("NewResponse"): jen.Func().Params().Any().Block(jen.Return(jen.New(jen.Id(p.Response.Name)))),
		}
		if p.Partial {
			desc[jen.Id("Partial")] = jen.True()
		}
		f.Func().Id("init").Params().Block(
			jen.Qual(implPath, "RegisterProtocol").Call(jen.Qual(implPath, "Protocol").Values(desc)),
		)
		f.Line()
	}

	docLines(f,
		"Client sends the typed operations of protocol "+p.Version+" through an rpc.Invoker: an *rpc.Client for a real server, or a fake in tests. It is safe for concurrent use when the Invoker is.",
		"Every method sends one packet and returns every <result> of the answer, in order, decoded losslessly; the error joins one *rpc.Error per failed result (match classes with errors.Is: rpc.ErrNotFound, rpc.ErrAlreadyExists, ...). Before anything is sent, the request is validated: a nil request, a broken schema constraint, content the schema does not declare, or a filter that would be sent without a child element on an operation that changes state is refused with an *rpc.ValidationError (errors.Is(err, rpc.ErrInvalidRequest)). Set the filter's MatchAll field (rpc.MatchAll) to really act on every object.",
		"Batch sends many operations in one packet.",
	)
	f.Type().Id("Client").StructFunc(func(g *jen.Group) {
		g.Id("inv").Qual(rpcPath, "Invoker")
		for _, op := range p.Operators {
			g.Line()
			comment(g, fmt.Sprintf("%s sends the operations of <%s>.", op.Field, op.XMLName))
			g.Id(op.Field).Op("*").Id(op.Name)
		}
	})
	f.Line()
	f.Comment("New returns a Client that sends its packets through inv.")
	f.Func().Id("New").Params(jen.Id("inv").Qual(rpcPath, "Invoker")).Op("*").Id("Client").Block(
		jen.Return(jen.Op("&").Id("Client").Values(jen.DictFunc(func(d jen.Dict) {
			d[jen.Id("inv")] = jen.Id("inv")
			for _, op := range p.Operators {
				d[jen.Id(op.Field)] = jen.Op("&").Id(op.Name).Values(jen.Dict{jen.Id("inv"): jen.Id("inv")})
			}
		}))),
	)
	f.Line()
	for _, op := range p.Operators {
		emitOperator(f, op)
	}
	emitBatch(f, p)
}

func emitOperator(f *jen.File, op *model.Operator) {
	doc := fmt.Sprintf("%s sends the operations of the <%s> operator.", op.Name, op.XMLName)
	if d := strings.TrimSpace(op.Doc); d != "" {
		doc = fmt.Sprintf("%s sends the operations of the <%s> operator: %s%s", op.Name, op.XMLName, strings.ToLower(d[:1]), d[1:])
	}
	docLines(f, doc)
	f.Type().Id(op.Name).Struct(jen.Id("inv").Qual(rpcPath, "Invoker"))
	f.Line()
	for _, o := range op.Operations {
		emitOperation(f, op, o)
	}
}

func resultType(o *model.Operation) *jen.Statement {
	switch {
	case o.Result != nil:
		return jen.Id(o.ResultName)
	case o.ResultScalar != "":
		return jen.Id(string(o.ResultScalar))
	}
	return jen.Qual(rpcPath, "Raw")
}

// opVar is the name of the package variable describing an operation.
func opVar(op *model.Operator, o *model.Operation) string {
	return "op" + op.Field + o.Name
}

// requestParam returns the request parameter of an operation method and
// the expression passed on, or nil for an operation without content.
func requestParam(o *model.Operation) (jen.Code, jen.Code) {
	switch {
	case o.Request != nil:
		return jen.Id("req").Op("*").Id(o.RequestName), jen.Id("req")
	case o.RequestScalar != "":
		return jen.Id("req").Id(string(o.RequestScalar)), jen.Id("req")
	}
	return nil, jen.Nil()
}

// hasFilter reports whether a request declares a <filter> element of its
// own: the runtime refuses such a request written without one on an
// operation that changes state (rpcimpl.Operation.Filter).
func hasFilter(t *model.Type) bool {
	if t == nil {
		return false
	}
	for _, fd := range t.Fields {
		if fd.XMLName == "filter" && fd.Kind == model.ElementField && !fd.Repeated() {
			return true
		}
	}
	return false
}

// filterType finds the <filter> an operation's request holds, at any depth
// of its own fields, and returns the name of its Go type.
func filterType(t *model.Type, depth int, seen map[*model.Type]bool) (string, bool) {
	if t == nil || depth > 4 || seen[t] {
		return "", false
	}
	seen[t] = true
	for _, fd := range t.Fields {
		if fd.Type.Named == nil {
			continue
		}
		if fd.XMLName == "filter" && fd.Kind == model.ElementField && fd.Type.Named.Kind == model.Struct {
			return fd.Type.Named.Name, true
		}
		if name, ok := filterType(fd.Type.Named, depth+1, seen); ok {
			return name, true
		}
	}
	return "", false
}

// operationDoc is the documentation of an operation method: what it does,
// how its filter is read, and the element it sends.
func operationDoc(op *model.Operator, o *model.Operation) []string {
	what := fmt.Sprintf("%s sends <%s><%s>.", o.Name, op.XMLName, strings.ReplaceAll(o.XMLName, "/", "><"))
	if o.Doc != "" {
		what = lead(o.Name, o.Doc)
	}
	var filter string
	if ft, ok := filterType(o.Request, 0, map[*model.Type]bool{}); ok {
		if o.Access == model.Read {
			filter = "An empty filter selects every object."
		} else {
			filter = fmt.Sprintf("It changes state: a filter that would be sent without a child element (zero, nil or empty lists) is refused before anything is sent; set its MatchAll field (rpc.MatchAll[%s]()) to act on every object.", ft)
		}
	}
	return []string{what, filter, fmt.Sprintf("Request: <%s><%s>.", op.XMLName, strings.ReplaceAll(o.XMLName, "/", "><"))}
}

func emitOperation(f *jen.File, op *model.Operator, o *model.Operation) {
	res := resultType(o)
	param, request := requestParam(o)
	params := []jen.Code{jen.Id("ctx").Qual("context", "Context")}
	if param != nil {
		params = append(params, param)
	}
	desc := jen.Dict{
		jen.Id("Version"):   jen.Id("ProtocolVersion"),
		jen.Id("Operator"):  jen.Lit(op.XMLName),
		jen.Id("Operation"): jen.Lit(o.XMLName),
	}
	if o.Access == model.Read {
		desc[jen.Id("ReadOnly")] = jen.True()
	}
	if hasFilter(o.Request) {
		desc[jen.Id("Filter")] = jen.True()
	}
	f.Var().Id(opVar(op, o)).Op("=").Qual(implPath, "Operation").Values(desc)
	f.Line()
	docLines(f, operationDoc(op, o)...)
	f.Func().Params(jen.Id("o").Op("*").Id(op.Name)).Id(o.Name).Params(params...).Params(jen.Index().Add(res.Clone()), jen.Error()).Block(
		jen.Return(jen.Qual(implPath, "Do").Types(res.Clone()).Call(jen.Id("ctx"), jen.Id("o").Dot("inv"), jen.Op("&").Id(opVar(op, o)), request)),
	)
	f.Line()

	if !strings.HasPrefix(o.XMLName, "get") {
		return
	}
	name := "Stream" + o.Name
	commentFile(f, fmt.Sprintf("%s is %s as an iterator that decodes one <result> at a time, for answers too large to hold in memory.", name, o.Name))
	f.Func().Params(jen.Id("o").Op("*").Id(op.Name)).Id(name).Params(params...).Qual("iter", "Seq2").Types(res.Clone(), jen.Error()).Block(
		jen.Return(jen.Qual(implPath, "Stream").Types(res.Clone()).Call(jen.Id("ctx"), jen.Id("o").Dot("inv"), jen.Op("&").Id(opVar(op, o)), request)),
	)
	f.Line()
}

// emitBatch writes the typed batch: one field per operator, one method per
// operation returning the handle of its results.
func emitBatch(f *jen.File, p *model.Package) {
	docLines(f,
		"Batch collects operations of any operators into one packet, sent by Send; Plesk runs them in order, each on its own, with no rollback. Each method returns the handle of its operation's results, read after Send:",
		"b := api.Batch()\nc := b.Customer.Get(&CustomerGet{...})\nif err := b.Send(ctx); err != nil { ... }\ncustomers, err := c.Results()",
	)
	f.Type().Id("Batch").StructFunc(func(g *jen.Group) {
		g.Id("b").Op("*").Qual(rpcPath, "Batch")
		for _, op := range p.Operators {
			g.Line()
			comment(g, fmt.Sprintf("%s adds operations of <%s>.", op.Field, op.XMLName))
			g.Id(op.Field).Id(op.Field + "Batch")
		}
	})
	f.Line()
	f.Comment("Batch starts an empty batch sent through c's invoker.")
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id("Batch").Params().Op("*").Id("Batch").BlockFunc(func(g *jen.Group) {
		g.Id("b").Op(":=").Qual(rpcPath, "NewBatch").Call(jen.Id("c").Dot("inv"), jen.Id("ProtocolVersion"))
		g.Return(jen.Op("&").Id("Batch").Values(jen.DictFunc(func(d jen.Dict) {
			d[jen.Id("b")] = jen.Id("b")
			for _, op := range p.Operators {
				d[jen.Id(op.Field)] = jen.Id(op.Field + "Batch").Values(jen.Dict{jen.Id("b"): jen.Id("b")})
			}
		})))
	})
	f.Line()
	f.Comment("Send sends the batch once, validating every request first. Its error is the failure of")
	f.Comment("the packet as a whole; each handle reports the errors of its own operation.")
	f.Func().Params(jen.Id("b").Op("*").Id("Batch")).Id("Send").Params(jen.Id("ctx").Qual("context", "Context")).Error().Block(
		jen.Return(jen.Id("b").Dot("b").Dot("Send").Call(jen.Id("ctx"))))
	f.Line()
	f.Comment("Len returns the number of operations added so far.")
	f.Func().Params(jen.Id("b").Op("*").Id("Batch")).Id("Len").Params().Int().Block(
		jen.Return(jen.Id("b").Dot("b").Dot("Len").Call()))
	f.Line()
	for _, op := range p.Operators {
		name := op.Field + "Batch"
		commentFile(f, fmt.Sprintf("%s adds operations of <%s> to a Batch.", name, op.XMLName))
		f.Type().Id(name).Struct(jen.Id("b").Op("*").Qual(rpcPath, "Batch"))
		f.Line()
		for _, o := range op.Operations {
			res := resultType(o)
			param, request := requestParam(o)
			var params []jen.Code
			if param != nil {
				params = append(params, param)
			}
			commentFile(f, fmt.Sprintf("%s adds <%s><%s> to the batch; see %s.%s.", o.Name, op.XMLName, strings.ReplaceAll(o.XMLName, "/", "><"), op.Name, o.Name))
			f.Func().Params(jen.Id("o").Id(name)).Id(o.Name).Params(params...).Op("*").Qual(rpcPath, "Pending").Types(res.Clone()).Block(
				jen.Return(jen.Qual(implPath, "Add").Types(res.Clone()).Call(jen.Id("o").Dot("b"), jen.Op("&").Id(opVar(op, o)), request)),
			)
			f.Line()
		}
	}
}

// plesk names the Plesk release of each protocol version we know.
var plesk = map[string]string{
	"1.6.6.0": "Plesk 12.0", "1.6.7.0": "Plesk 12.5", "1.6.8.0": "Plesk Onyx 17.0",
	"1.6.9.0": "Plesk Onyx 17.5", "1.6.9.1": "Plesk Obsidian 18",
}

// emitPackageDoc writes the package comment: what the package is, and a
// short example with one of its own operations.
func emitPackageDoc(f *jen.File, p *model.Package) {
	release := ""
	if r, ok := plesk[p.Version]; ok {
		release = " (" + r + ")"
	}
	version := ""
	if p.Version != "" {
		version = ", protocol " + p.Version + release
	}
	lines := []string{
		fmt.Sprintf("Package %s is a typed client of Plesk's XML API (API RPC)%s, generated by pleskgen from its XSD schemas: one method per operation on the operators of Client, request and result types that decode any packet losslessly, and Validate methods. Send its operations through an *rpc.Client, or through rpc/plesktest's fake server in tests.", p.Name, version),
		"",
	}
	if op, o := exampleOperation(p); o != nil {
		req := "nil"
		if o.Request != nil {
			req = "&" + p.Name + "." + o.RequestName + "{ /* ... */ }"
		}
		lines = append(lines,
			"\tc, err := rpc.NewClient(\"plesk.example.com\", rpc.WithSecretKey(key))",
			"\tif err != nil {",
			"\t\treturn err",
			"\t}",
			"\tapi := "+p.Name+".New(c)",
			fmt.Sprintf("\tresults, err := api.%s.%s(ctx, %s)", op.Field, o.Name, req),
			"",
		)
	}
	lines = append(lines, "Every operation is validated before it is sent; an operation that changes state refuses a filter that would be sent without a child element (set its MatchAll field to act on every object). rpc.Deviations tells what a decoded value holds beyond its schema.")
	for _, l := range lines {
		if l == "" || strings.HasPrefix(l, "\t") {
			f.PackageComment(l)
			continue
		}
		for _, w := range wrap(l, 96) {
			f.PackageComment(w)
		}
	}
}

// exampleOperation picks the operation of the package comment's example: a
// get of customers if there is one, else the first get, else the first.
func exampleOperation(p *model.Package) (*model.Operator, *model.Operation) {
	var first *model.Operator
	var firstOp, firstGet *model.Operation
	var getOp *model.Operator
	for _, op := range p.Operators {
		for _, o := range op.Operations {
			if op.XMLName == "customer" && o.XMLName == "get" {
				return op, o
			}
			if firstOp == nil {
				first, firstOp = op, o
			}
			if firstGet == nil && strings.HasPrefix(o.XMLName, "get") {
				getOp, firstGet = op, o
			}
		}
	}
	if firstGet != nil {
		return getOp, firstGet
	}
	return first, firstOp
}
