package golang

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/pleskgo/plesk/gen/model"
)

// emitClient writes ProtocolVersion, the runtime handshake, Client and one
// handle type per operator with a method per operation.
func emitClient(f *jen.File, p *model.Package) {
	f.Comment("ProtocolVersion is the Plesk API RPC protocol version this package speaks; every packet")
	f.Comment("it sends carries it in the version attribute.")
	f.Const().Id("ProtocolVersion").Op("=").Lit(p.Version)
	f.Line()
	f.Comment("This package needs a runtime that supports its generated code.")
	f.Const().Id("_").Op("=").Qual(rpcPath, "SupportPackageIsVersion1")
	f.Line()

	f.Comment("Client sends the typed operations of protocol " + p.Version + " through an rpc.Invoker: an")
	f.Comment("*rpc.Client for a real server, or a fake in tests. It is safe for concurrent use when the")
	f.Comment("Invoker is.")
	f.Type().Id("Client").StructFunc(func(g *jen.Group) {
		for _, op := range p.Operators {
			g.Comment(fmt.Sprintf("%s sends the operations of <%s>.", op.Field, op.XMLName))
			g.Id(op.Field).Op("*").Id(op.Name)
		}
	})
	f.Line()
	f.Comment("New returns a Client that sends its packets through inv.")
	f.Func().Id("New").Params(jen.Id("inv").Qual(rpcPath, "Invoker")).Op("*").Id("Client").Block(
		jen.Return(jen.Op("&").Id("Client").Values(jen.DictFunc(func(d jen.Dict) {
			for _, op := range p.Operators {
				d[jen.Id(op.Field)] = jen.Op("&").Id(op.Name).Values(jen.Dict{jen.Id("inv"): jen.Id("inv")})
			}
		}))),
	)
	f.Line()
	for _, op := range p.Operators {
		emitOperator(f, op)
	}
}

func emitOperator(f *jen.File, op *model.Operator) {
	doc := fmt.Sprintf("%s sends the operations of the <%s> operator.", op.Name, op.XMLName)
	if op.Doc != "" {
		doc += " " + op.Doc
	}
	commentFile(f, doc)
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

func emitOperation(f *jen.File, op *model.Operator, o *model.Operation) {
	path := op.XMLName + "/" + o.XMLName
	res := resultType(o)
	doc := fmt.Sprintf("%s sends <%s><%s> and returns every <result> of the answer, in order; the error joins one *rpc.Error per failed result.", o.Name, op.XMLName, strings.ReplaceAll(o.XMLName, "/", "><"))
	if o.Doc != "" {
		doc += " " + o.Doc
	}
	if o.Request != nil && o.Request.HasValidate() {
		doc += " The request is validated before anything is sent."
	}
	params := []jen.Code{jen.Id("ctx").Qual("context", "Context")}
	var body []jen.Code
	var request jen.Code = jen.Nil()
	switch {
	case o.Request != nil:
		params = append(params, jen.Id("req").Op("*").Id(o.RequestName))
		body = append(body, jen.If(jen.Id("req").Op("==").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual("errors", "New").Call(jen.Lit(path+": nil request")))))
		if o.Request.HasValidate() {
			body = append(body, jen.If(jen.Err().Op(":=").Id("req").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(path+": %w"), jen.Err()))))
		}
		request = jen.Id("req")
	case o.RequestScalar != "":
		params = append(params, jen.Id("req").Id(string(o.RequestScalar)))
		request = jen.Id("req")
	}
	commentFile(f, doc)
	f.Func().Params(jen.Id("o").Op("*").Id(op.Name)).Id(o.Name).Params(params...).Params(jen.Index().Add(res.Clone()), jen.Error()).BlockFunc(func(g *jen.Group) {
		for _, c := range body {
			g.Add(c)
		}
		g.Return(jen.Qual(rpcPath, "Do").Types(res.Clone()).Call(jen.Id("ctx"), jen.Id("o").Dot("inv"), jen.Id("ProtocolVersion"),
			opValue(op, o, request)))
	})
	f.Line()

	if !strings.HasPrefix(o.XMLName, "get") {
		return
	}
	name := "Stream" + o.Name
	commentFile(f, fmt.Sprintf("%s is %s as an iterator that decodes one <result> at a time, for answers too large to hold in memory.", name, o.Name))
	f.Func().Params(jen.Id("o").Op("*").Id(op.Name)).Id(name).Params(params...).Qual("iter", "Seq2").Types(res.Clone(), jen.Error()).BlockFunc(func(g *jen.Group) {
		fail := func(err jen.Code) jen.Code {
			return jen.Return(jen.Func().Params(jen.Id("yield").Func().Params(res.Clone(), jen.Error()).Bool()).Block(
				jen.Var().Id("zero").Add(res.Clone()),
				jen.Id("yield").Call(jen.Id("zero"), err),
			))
		}
		if o.Request != nil {
			g.If(jen.Id("req").Op("==").Nil()).Block(fail(jen.Qual("errors", "New").Call(jen.Lit(path + ": nil request"))))
			if o.Request.HasValidate() {
				g.If(jen.Err().Op(":=").Id("req").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(
					fail(jen.Qual("fmt", "Errorf").Call(jen.Lit(path+": %w"), jen.Err())))
			}
		}
		g.Return(jen.Qual(rpcPath, "Stream").Types(res.Clone()).Call(jen.Id("ctx"), jen.Id("o").Dot("inv"), jen.Id("ProtocolVersion"),
			opValue(op, o, request)))
	})
	f.Line()
}

func opValue(op *model.Operator, o *model.Operation, request jen.Code) *jen.Statement {
	return jen.Op("&").Qual(rpcPath, "Op").Values(jen.Dict{
		jen.Id("Operator"):  jen.Lit(op.XMLName),
		jen.Id("Operation"): jen.Lit(o.XMLName),
		jen.Id("Request"):   request,
	})
}
