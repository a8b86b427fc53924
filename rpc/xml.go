package rpc

import "encoding/xml"

// SupportPackageIsVersion1 is referenced by generated packages: a binding
// generated for a newer runtime fails to compile against an older one.
const SupportPackageIsVersion1 = true

// Empty is the value of an element that carries meaning by being present:
// <gen_info/>, <no-plan/>, <success/>. Generated code uses *Empty for an
// optional flag (nil = absent) and Empty for a required one.
type Empty struct{}

// Raw is one XML element kept as written: its name, attributes and inner
// XML. Generated code stores in Raw whatever it cannot type (an element a
// newer server added, the content of an xs:any), so nothing is dropped and
// a marshal writes it back unchanged.
type Raw struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Inner   []byte     `xml:",innerxml"`
}
