package plesktest

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest/internal/fakeproto"
)

// Operation error codes the fake answers with (see the error table of the
// protocol; errors.Is maps them to the rpc sentinels).
const (
	codeExistsUser      = 1002
	codePermission      = 1006
	codeExists          = 1007
	codeNotFound        = 1013
	codeOwnerNotFound   = 1015
	codeInvalid         = 1019
	codeFailed          = 1023
	codeNoComponent     = 1026
	codeWrongDBType     = 14008
	codeDBServerMissing = 14009
)

// call is one packet being run: who sent it and in which version.
type call struct {
	st      *state
	cfg     *config
	user    string
	version string
}

// run executes the operations of a packet in order, each on its own, and
// builds the response with the fake's own 1.6.9.1 types, whose answer elements have
// the same shape in every version the fake speaks.
func (st *state) run(cfg *config, user, version string, p *fakeproto.RequestPacket) *fakeproto.ResponsePacket {
	c := &call{st: st, cfg: cfg, user: user, version: version}
	resp := &fakeproto.ResponsePacket{Version: &version}
	for _, it := range p.Items {
		var out fakeproto.ResponsePacketItem
		switch {
		case it.Customer != nil:
			out.Customer = c.customer(it.Customer)
		case it.Webspace != nil:
			out.Webspace = c.webspace(it.Webspace)
		case it.Database != nil:
			out.Database = c.database(it.Database)
		case it.DBServer != nil:
			out.DBServer = c.dbServer(it.DBServer)
		case it.Migration != nil:
			out.Migration = c.migration(it.Migration)
		case it.IP != nil:
			out.IP = c.ip(it.IP)
		case elementName(it) == "server":
			// Not among the fake's own types (it answers get_protos alone),
			// so kept as written, and answered from the XML.
			var ok bool
			if out, ok = c.serverOperator(it); !ok {
				continue
			}
		default:
			// An operator the fake does not implement: each of its
			// operations fails with 1023, as unimplemented ones of the
			// implemented operators do. One the response schema of the
			// version does not declare is answered with nothing.
			var ok bool
			if out, ok = unimplementedOperator(it, version); !ok {
				continue
			}
		}
		resp.Items = append(resp.Items, out)
	}
	return resp
}

// unimplemented answers an operation the fake does not implement, with an
// error result under the operation's element, as a response item of type T.
func unimplemented[T any](operator string, item any) T {
	var out T
	_ = xml.Unmarshal(unimplementedXML(operator, item), &out) // built above: well-formed
	return out
}

func unimplementedXML(operator string, item any) []byte {
	name := elementName(item)
	var b bytes.Buffer
	b.WriteString("<result><status>error</status><errcode>")
	b.WriteString(strconv.Itoa(codeFailed))
	b.WriteString("</errcode><errtext>")
	_ = xml.EscapeText(&b, []byte(fmt.Sprintf("plesktest: %s/%s is not implemented by the fake server", operator, name)))
	b.WriteString("</errtext></result>")
	r := rpc.Raw{XMLName: xml.Name{Local: name}, Inner: b.Bytes()}
	out, _ := xml.Marshal(&r)
	return out
}

// unimplementedOperator answers every operation of an operator the fake
// does not implement with a 1023 error result, as the response item of
// that operator, which the response schema of the version must declare
// (the fake's own types keep it as written).
func unimplementedOperator(item fakeproto.RequestPacketItem, version string) (fakeproto.ResponsePacketItem, bool) {
	var out fakeproto.ResponsePacketItem
	req, err := xml.Marshal(item)
	if err != nil {
		return out, false
	}
	d := xml.NewDecoder(bytes.NewReader(req))
	var operator string
	var answer bytes.Buffer
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch depth {
			case 1:
				operator = t.Name.Local
			case 2:
				answer.Write(unimplementedXML(operator, &rpc.Raw{XMLName: t.Name}))
			}
		case xml.EndElement:
			depth--
		}
	}
	if operator == "" {
		return out, false
	}
	doc := "<" + operator + ">" + answer.String() + "</" + operator + ">"
	proto, ok := protocolOf(version)
	if !ok {
		return out, false
	}
	check := proto.response()
	if err := xml.Unmarshal([]byte("<packet>"+doc+"</packet>"), check); err != nil || len(rpc.Deviations(check)) > 0 {
		return out, false // the response side does not declare this operator
	}
	if err := xml.Unmarshal([]byte(doc), &out); err != nil {
		return out, false
	}
	return out, true
}

// elementName returns the name of the element a one-of item marshals to.
func elementName(item any) string {
	if r, ok := item.(*rpc.Raw); ok && r != nil {
		return r.XMLName.Local
	}
	out, err := xml.Marshal(item)
	if err != nil {
		return "unknown"
	}
	d := xml.NewDecoder(bytes.NewReader(out))
	for {
		tok, err := d.RawToken()
		if err != nil {
			return "unknown"
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
}

// setElement returns, as a *rpc.Raw naming it, the first element set in a
// struct of optional elements (a plain choice such as the db_server
// operator).
func setElement(v any) *rpc.Raw {
	rv := reflect.ValueOf(v).Elem()
	for i := 0; i < rv.NumField(); i++ {
		f, sf := rv.Field(i), rv.Type().Field(i)
		tag, _, _ := strings.Cut(sf.Tag.Get("xml"), ",")
		if f.Kind() == reflect.Pointer && !f.IsNil() && tag != "" {
			return &rpc.Raw{XMLName: xml.Name{Local: tag}}
		}
	}
	return &rpc.Raw{XMLName: xml.Name{Local: "unknown"}}
}

func ptr[T any](v T) *T { return &v }

func code(n int) *uint64 { return ptr(uint64(n)) }

// okFilter is the result of an operation on one object a filter matched.
func okFilter(filterID string, id int64) fakeproto.ResultFilter {
	r := fakeproto.ResultFilter{Status: fakeproto.ResultStatusOK, ID: &id}
	if filterID != "" {
		r.FilterID = &filterID
	}
	return r
}

// errFilter is a failed result of a filtered operation.
func errFilter(n int, text, filterID string) fakeproto.ResultFilter {
	r := fakeproto.ResultFilter{Status: fakeproto.ResultStatusError, ErrCode: code(n), ErrText: &text}
	if filterID != "" {
		r.FilterID = &filterID
	}
	return r
}

// noMatch is Plesk's answer for a filter value that matched no object: an
// ok result carrying only the filter-id.
func noMatch(filterID string) fakeproto.ResultFilter {
	return fakeproto.ResultFilter{Status: fakeproto.ResultStatusOK, FilterID: &filterID}
}

func okResult() fakeproto.Result {
	return fakeproto.Result{Status: fakeproto.ResultStatusOK}
}

func errResult(n int, text string) fakeproto.Result {
	return fakeproto.Result{Status: fakeproto.ResultStatusError, ErrCode: code(n), ErrText: &text}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// emptyFilter reports whether a generated filter struct names nothing (the
// <filter/> of a packet): every exported field is nil, empty or zero. An
// empty filter matches every object of the operator, as in Plesk, for
// every operator the fake implements.
func emptyFilter(f any) bool {
	rv := reflect.ValueOf(f)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return true
		}
		rv = rv.Elem()
	}
	for i := 0; i < rv.NumField(); i++ {
		if !rv.Type().Field(i).IsExported() {
			continue
		}
		if !rv.Field(i).IsZero() && !(rv.Field(i).Kind() == reflect.Slice && rv.Field(i).Len() == 0) {
			return false
		}
	}
	return true
}
