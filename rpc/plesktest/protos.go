package plesktest

import (
	"bytes"
	"encoding/xml"
	"strings"

	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest/internal/fakeproto"
)

// serverOperator answers <server>: get_protos lists the protocol versions
// the fake accepts (WithVersions), as Plesk lists its own; every other
// operation of the operator is not implemented (1023).
func (c *call) serverOperator(item fakeproto.RequestPacketItem) (fakeproto.ResponsePacketItem, bool) {
	var out fakeproto.ResponsePacketItem
	req, err := xml.Marshal(item)
	if err != nil {
		return out, false
	}
	var answer bytes.Buffer
	d := xml.NewDecoder(bytes.NewReader(req))
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth != 2 {
				continue
			}
			if t.Name.Local != "get_protos" {
				answer.Write(unimplementedXML("server", &rpc.Raw{XMLName: t.Name}))
				continue
			}
			answer.WriteString("<get_protos><result><status>ok</status><protos>")
			for _, v := range c.cfg.versions {
				answer.WriteString("<proto>")
				_ = xml.EscapeText(&answer, []byte(v))
				answer.WriteString("</proto>")
			}
			answer.WriteString("</protos></result></get_protos>")
		case xml.EndElement:
			depth--
		}
	}
	doc := "<server>" + answer.String() + "</server>"
	proto, ok := protocolOf(c.version)
	if !ok {
		return out, false
	}
	check := proto.response()
	if err := xml.Unmarshal([]byte("<packet>"+doc+"</packet>"), check); err != nil || len(rpc.Deviations(check)) > 0 {
		return out, false // the version's response schema does not declare this answer
	}
	if err := xml.Unmarshal([]byte(doc), &out); err != nil {
		return out, false
	}
	return out, strings.Contains(doc, "<result>")
}
