package bindingtest

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"reflect"
	"strings"

	"github.com/pleskgo/plesk/rpc"
)

// fakeInvoker stands in for Plesk: it marshals the ops of every packet it
// is asked to send, keeps the bytes, and answers every op with one empty
// ok result.
type fakeInvoker struct {
	packets  [][]byte // the request packets, in order
	versions []string // the version of each
}

func (f *fakeInvoker) Invoke(ctx context.Context, version string, ops ...*rpc.Op) error {
	req, err := encodePacket(version, ops, writeRequest)
	if err != nil {
		return err
	}
	f.packets = append(f.packets, req)
	f.versions = append(f.versions, version)
	resp, err := encodePacket(version, ops, func(enc *xml.Encoder, _ *rpc.Op, start xml.StartElement) error {
		return enc.EncodeElement(struct {
			Result struct {
				Status string `xml:"status"`
			} `xml:"result"`
		}{Result: struct {
			Status string `xml:"status"`
		}{"ok"}}, start)
	})
	if err != nil {
		return err
	}
	return rpc.DecodeResponse(bytes.NewReader(resp), ops...)
}

// writeRequest writes the operation element of op with its request.
func writeRequest(enc *xml.Encoder, op *rpc.Op, start xml.StartElement) error {
	if isNil(op.Request) {
		if err := enc.EncodeToken(start); err != nil {
			return err
		}
		return enc.EncodeToken(start.End())
	}
	return enc.EncodeElement(op.Request, start)
}

// last returns the last packet sent.
func (f *fakeInvoker) last() []byte {
	if len(f.packets) == 0 {
		return nil
	}
	return f.packets[len(f.packets)-1]
}

// encodePacket writes <packet version=…>, then for each op
// <Operator><group…><Operation>body</Operation></group…></Operator>, with
// body written by write given the operation element's start.
func encodePacket(version string, ops []*rpc.Op, write func(*xml.Encoder, *rpc.Op, xml.StartElement) error) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	packet := xml.StartElement{Name: xml.Name{Local: "packet"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "version"}, Value: version}}}
	if err := enc.EncodeToken(packet); err != nil {
		return nil, err
	}
	for _, op := range ops {
		path := append([]string{op.Operator}, strings.Split(op.Operation, "/")...)
		last := len(path) - 1
		for _, s := range path[:last] {
			if err := enc.EncodeToken(xml.StartElement{Name: xml.Name{Local: s}}); err != nil {
				return nil, err
			}
		}
		if err := write(enc, op, xml.StartElement{Name: xml.Name{Local: path[last]}}); err != nil {
			return nil, fmt.Errorf("%s/%s: %w", op.Operator, op.Operation, err)
		}
		for i := last - 1; i >= 0; i-- {
			if err := enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: path[i]}}); err != nil {
				return nil, err
			}
		}
	}
	if err := enc.EncodeToken(packet.End()); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// isNil reports a nil interface or nil pointer, for which encoding/xml
// would write nothing.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice:
		return rv.IsNil()
	}
	return false
}
