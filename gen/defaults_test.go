package gen

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/gen/model"
	"github.com/pleskgo/plesk/generated/plesk1660"
	"github.com/pleskgo/plesk/generated/plesk1670"
	"github.com/pleskgo/plesk/generated/plesk1680"
	"github.com/pleskgo/plesk/generated/plesk1690"
	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
)

// shippedClients are the generated packages with the schema set each was
// generated from.
var shippedClients = []struct {
	version, pkg string
	client       any
}{
	{"1.6.6.0", "plesk1660", plesk1660.New(nil)},
	{"1.6.7.0", "plesk1670", plesk1670.New(nil)},
	{"1.6.8.0", "plesk1680", plesk1680.New(nil)},
	{"1.6.9.0", "plesk1690", plesk1690.New(nil)},
	{"1.6.9.1", "plesk1691", plesk1691.New(nil)},
}

// TestNoDefaultTurnedAround builds the request of every operation method of
// every shipped version with its fields left unset (every optional struct
// present but empty, every repeated struct once, so that nested types are
// written too), encodes it, and checks against the schema model that no
// element or attribute with a schema default is sent with another value:
// it is absent, or it says the default. It also checks that Validate
// refuses such a request when it leaves a required element with a default
// (model.Field.Explicit) nil.
func TestNoDefaultTurnedAround(t *testing.T) {
	for _, sc := range shippedClients {
		t.Run(sc.pkg, func(t *testing.T) {
			pkg := shippedModel(t, sc.version, sc.pkg)
			types := map[string]*model.Type{}
			for _, ty := range pkg.Types {
				types[ty.Name] = ty
			}
			reqs := requestTypes(reflect.TypeOf(sc.client))
			if len(reqs) < 100 {
				t.Fatalf("found only %d request types among the operation methods", len(reqs))
			}
			var st defaultStats
			for _, rt := range reqs {
				mt := types[rt.Name()]
				if mt == nil {
					t.Errorf("%s: no model type of that name", rt.Name())
					continue
				}
				v := reflect.New(rt)
				b := &builder{types: types, on: map[*model.Type]bool{}}
				b.fill(v.Elem(), mt)
				var buf bytes.Buffer
				if err := xml.NewEncoder(&buf).EncodeElement(v.Interface(), xml.StartElement{Name: xml.Name{Local: "op"}}); err != nil {
					t.Errorf("%s: encode: %v", rt.Name(), err)
					continue
				}
				root, err := parseTree(buf.Bytes())
				if err != nil {
					t.Errorf("%s: %v", rt.Name(), err)
					continue
				}
				for _, p := range checkDefaults(root, mt, rt.Name(), &st) {
					t.Error(p)
				}
				if b.leftExplicit > 0 {
					st.explicitRefused++
					val, ok := v.Interface().(interface{ Validate() error })
					if !ok {
						t.Errorf("%s leaves a required element with a default nil but has no Validate", rt.Name())
					} else if err := val.Validate(); !errors.Is(err, rpc.ErrInvalidRequest) {
						t.Errorf("%s leaves a required element with a default nil; Validate = %v, want a refusal", rt.Name(), err)
					}
				}
			}
			t.Logf("%d request types; %d fields with a default examined, %d of them sent, each equal to it; %d requests refused for an explicit default left nil",
				len(reqs), st.examined, st.sent, st.explicitRefused)
			if st.examined == 0 {
				t.Error("no field with a schema default was reached: the walk is broken")
			}
		})
	}
}

// TestDefaultCheckCanFail shows that the check of TestNoDefaultTurnedAround
// sees a default turned around: MailnameAddMailbox.Enabled (default
// "true") set to false is reported, and set to true is not; and that the
// field left nil is refused by Validate with a message naming the default.
func TestDefaultCheckCanFail(t *testing.T) {
	pkg := shippedModel(t, "1.6.9.1", "plesk1691")
	var mt *model.Type
	for _, ty := range pkg.Types {
		if ty.Name == "MailnameAddMailbox" {
			mt = ty
		}
	}
	if mt == nil {
		t.Fatal("no MailnameAddMailbox in the model")
	}
	for _, tc := range []struct {
		enabled  bool
		problems int
	}{{false, 1}, {true, 0}} {
		v := &plesk1691.MailnameAddMailbox{Enabled: rpc.Ptr(tc.enabled)}
		out, err := xml.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		root, err := parseTree(out)
		if err != nil {
			t.Fatal(err)
		}
		var st defaultStats
		if got := checkDefaults(root, mt, "mailbox", &st); len(got) != tc.problems {
			t.Errorf("enabled=%v: problems %q, want %d", tc.enabled, got, tc.problems)
		}
	}
	err := (&plesk1691.MailnameAddMailbox{}).Validate()
	if !errors.Is(err, rpc.ErrInvalidRequest) || !strings.Contains(err.Error(), `enabled: required, and its schema default "true"`) {
		t.Errorf("Validate of an unset Enabled = %v", err)
	}
}

func shippedModel(t *testing.T, version, pkgName string) *model.Package {
	t.Helper()
	opts := Options{SchemaDir: filepath.Join("..", "schemas", version), Roots: DefaultRoots, Package: pkgName}
	v, err := opts.check()
	if err != nil {
		t.Fatal(err)
	}
	sets, err := Load(opts.SchemaDir, opts.Roots)
	if err != nil {
		t.Fatal(err)
	}
	bindings, err := loadBindings(opts, sets)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := model.Build(sets[0], sets[1], model.Options{Package: pkgName, Version: v, Bindings: bindings})
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

// requestTypes returns the request types of the operation methods of every
// operator of a generated *Client: the struct a method's second parameter
// points to.
func requestTypes(client reflect.Type) []reflect.Type {
	seen := map[reflect.Type]bool{}
	var out []reflect.Type
	ctx := reflect.TypeFor[interface{ Done() <-chan struct{} }]()
	for i := range client.Elem().NumField() {
		f := client.Elem().Field(i)
		if !f.IsExported() || f.Type.Kind() != reflect.Pointer {
			continue
		}
		for j := range f.Type.NumMethod() {
			m := f.Type.Method(j).Type
			if m.NumIn() != 3 || !m.In(1).Implements(ctx) || m.In(2).Kind() != reflect.Pointer || m.In(2).Elem().Kind() != reflect.Struct {
				continue
			}
			if rt := m.In(2).Elem(); !seen[rt] {
				seen[rt] = true
				out = append(out, rt)
			}
		}
	}
	return out
}

// builder fills a request the way a caller who sets nothing would leave
// it, except that it makes every optional or repeated struct present (and
// empty), so that the fields inside are written too. A pointer field with
// a default stays nil: making it present would be setting it.
type builder struct {
	types        map[string]*model.Type
	on           map[*model.Type]bool // types on the current path, to stop recursion
	leftExplicit int                  // required elements with a default left nil
}

func (b *builder) fill(v reflect.Value, mt *model.Type) {
	if b.on[mt] {
		return
	}
	b.on[mt] = true
	defer delete(b.on, mt)
	byName := map[string]*model.Field{}
	for _, f := range mt.Fields {
		byName[f.Name] = f
	}
	for i := range v.NumField() {
		sf := v.Type().Field(i)
		f := byName[sf.Name]
		if f == nil || !sf.IsExported() {
			continue
		}
		fv := v.Field(i)
		if f.Explicit {
			b.leftExplicit++
		}
		if f.Default != nil && f.Pointer() {
			continue
		}
		switch f.Kind {
		case model.ItemsField:
			b.fillItems(fv, f.Type.Named)
			continue
		case model.ElementField:
		default:
			continue
		}
		nt := f.Type.Named
		if nt == nil || nt.Kind != model.Struct || b.on[nt] {
			continue
		}
		switch fv.Kind() {
		case reflect.Struct:
			b.fill(fv, nt)
		case reflect.Pointer:
			fv.Set(reflect.New(fv.Type().Elem()))
			b.fill(fv.Elem(), nt)
		case reflect.Slice:
			fv.Set(reflect.MakeSlice(fv.Type(), 1, 1))
			b.fill(fv.Index(0), nt)
		}
	}
}

// fillItems adds to an ordered group one item per alternative that is a
// struct, present and empty.
func (b *builder) fillItems(fv reflect.Value, it *model.Type) {
	if it == nil || fv.Kind() != reflect.Slice {
		return
	}
	for _, alt := range it.Fields {
		nt := alt.Type.Named
		if nt == nil || nt.Kind != model.Struct || b.on[nt] {
			continue
		}
		item := reflect.New(fv.Type().Elem()).Elem()
		af := item.FieldByName(alt.Name)
		if !af.IsValid() || af.Kind() != reflect.Pointer {
			continue
		}
		af.Set(reflect.New(af.Type().Elem()))
		b.fill(af.Elem(), nt)
		fv.Set(reflect.Append(fv, item))
	}
}

// node is an element of an encoded request.
type node struct {
	name     string
	attrs    map[string]string
	text     string
	children []*node
}

func parseTree(b []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return root, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
}

type defaultStats struct{ examined, sent, explicitRefused int }

// checkDefaults walks an encoded element along its model type and reports
// every element or attribute with a schema default written with another
// value.
func checkDefaults(n *node, mt *model.Type, path string, st *defaultStats) []string {
	var problems []string
	check := func(f *model.Field, where, value string, present bool) {
		if f.Default == nil {
			return
		}
		st.examined++
		if !present {
			return
		}
		st.sent++
		if !sameValue(f.Type, value, *f.Default) {
			problems = append(problems, where+": sent "+strconv.Quote(value)+", the schema default is "+strconv.Quote(*f.Default))
		}
	}
	byXML := map[string]*model.Field{}
	for _, f := range mt.Fields {
		switch f.Kind {
		case model.AttrField:
			v, ok := n.attrs[f.XMLName]
			check(f, path+"/@"+f.XMLName, v, ok)
		case model.ElementField:
			byXML[f.XMLName] = f
		case model.ItemsField:
			if f.Type.Named != nil {
				for _, alt := range f.Type.Named.Fields {
					byXML[alt.XMLName] = alt
				}
			}
		}
	}
	for _, f := range mt.Fields {
		if f.Kind == model.ElementField && f.Default != nil && !hasChild(n, f.XMLName) {
			check(f, path+"/"+f.XMLName, "", false)
		}
	}
	for _, c := range n.children {
		f := byXML[c.name]
		if f == nil {
			continue
		}
		where := path + "/" + c.name
		check(f, where, c.text, true)
		if nt := f.Type.Named; nt != nil && nt.Kind == model.Struct {
			problems = append(problems, checkDefaults(c, nt, where, st)...)
		}
	}
	return problems
}

func hasChild(n *node, name string) bool {
	for _, c := range n.children {
		if c.name == name {
			return true
		}
	}
	return false
}

// sameValue compares two lexical values of a field's type by value.
func sameValue(g model.GoType, a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	switch g.Scalar {
	case model.Bool:
		return (a == "true" || a == "1") == (b == "true" || b == "1")
	case model.Int64, model.Uint64, model.Float64:
		x, err1 := strconv.ParseFloat(a, 64)
		y, err2 := strconv.ParseFloat(b, 64)
		return err1 == nil && err2 == nil && x == y
	}
	return a == b
}
