package plesktest

import (
	"bytes"
	"encoding/xml"
	"strings"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
)

// serverOperator answers <server>: get_protos lists the protocol versions
// the fake accepts (WithVersions), as Plesk lists its own; every other
// operation of the operator is not implemented (1023).
func (c *call) serverOperator(item plesk1691.RequestPacketItem) (plesk1691.ResponsePacketItem, bool) {
	var out plesk1691.ResponsePacketItem
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
	if err := xml.Unmarshal([]byte(doc), &out); err != nil || len(rpc.Deviations(&out)) > 0 {
		return out, false
	}
	return out, strings.Contains(doc, "<result>")
}
