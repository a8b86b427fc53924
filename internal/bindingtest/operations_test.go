package bindingtest

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/pleskgo/plesk/gen/bind"
	"github.com/pleskgo/plesk/gen/xsd"
	"github.com/pleskgo/plesk/internal/sharedtest"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/rpcimpl"
)

// call is one operation of one version sent through the typed API with a
// generated request.
type call struct {
	op      operation
	variant string // "rep", "min" or "full": see variants
	method  string // Client.<Operator>.<Method>
	// siblings are the other methods of an operation group (the Remove and
	// List of webspace/db-servers when the call used Add): they belong to
	// the same schema operation, whose first branch the instance takes.
	siblings []string
	inst     []byte // the generated instance packet
	wire     []byte // what the typed call put on the wire
	err      error  // why the call could not be made or failed; nil when wire is set
	guarded  bool   // refused for its empty filter, then sent with rpc.MatchAll
	refused  bool   // guarded, and the schema has no filter that selects all
}

func (c *call) name() string {
	return fmt.Sprintf("%s.%s.%s", c.op.operator, strings.ReplaceAll(c.op.name, "/", "."), c.variant)
}

// variants of the generated request of each operation: "rep" is the
// minimal instance whose required choices take their first branch, "min"
// the strictly minimal one (a choice may stay empty when its first branch
// can be), "full" adds every optional element and attribute once. A
// variant is tried only when it differs from "rep".
var variants = []struct {
	name string
	opts instanceOptions
}{
	{"rep", instanceOptions{takeChoice: true}},
	{"min", instanceOptions{takeChoice: false}},
	{"full", instanceOptions{takeChoice: true, optional: true}},
}

// TestOperationsOnTheWire builds, for every operation of every operator of
// every version, a minimal valid request from our schema, decodes it into
// the typed request, sends it with the typed method through a fake invoker
// and validates what went on the wire with xmllint against our schema of
// the version (and for 1.6.6.0 against the official schema too). The
// request must be decoded losslessly, accepted by Validate, and sent
// unchanged.
func TestOperationsOnTheWire(t *testing.T) {
	xmllint := needXmllint(t)
	var official string
	if dir := officialDir(t); dir != "" {
		official = filepath.Join(dir, "agent_input.xsd")
	}

	total := map[string]int{}
	opsDone := 0
	var mu sync.Mutex
	for _, b := range bindings {
		t.Run(b.pkg, func(t *testing.T) {
			t.Parallel()
			set, err := xsd.Load(b.schemaDir(), "agent_input.xsd")
			if err != nil {
				t.Fatal(err)
			}
			bd := loadBindings(t, b.schemaDir(), set)
			ops, err := requestOperations(set)
			if err != nil {
				t.Fatal(err)
			}
			var calls []*call
			docs := map[string][]byte{}
			for _, op := range ops {
				var rep []byte
				for _, v := range variants {
					c := &call{op: op, variant: v.name}
					c.inst, c.err = packetInstance(b.version, op, v.opts, bd)
					if v.name != "rep" && string(c.inst) == string(rep) {
						continue
					}
					if v.name == "rep" {
						rep = c.inst
					}
					if c.err == nil {
						c.err = sendTyped(b, c)
					}
					calls = append(calls, c)
					docs["inst/"+c.name()+".xml"] = c.inst
					if c.wire != nil {
						docs["wire/"+c.name()+".xml"] = c.wire
					}
				}
			}
			// Every method of the Client is the method of an operation.
			used := map[string]bool{}
			for _, c := range calls {
				used[c.method] = true
				for _, m := range c.siblings {
					used[m] = true
				}
			}
			client := reflect.ValueOf(b.newCli(&fakeInvoker{})).Elem()
			for i := range client.NumField() {
				if !client.Type().Field(i).IsExported() {
					continue
				}
				ot := client.Field(i).Type()
				for j := range ot.NumMethod() {
					m := ot.Elem().Name() + "." + ot.Method(j).Name
					if !used[m] && !strings.HasPrefix(ot.Method(j).Name, "Stream") {
						t.Errorf("%s.%s matches no operation of the schema", b.pkg, m)
					}
				}
			}

			ours := lintBytes(t, xmllint, filepath.Join(b.schemaDir(), "agent_input.xsd"), docs)
			var theirs map[string]verdict
			if b.version == "1.6.6.0" && official != "" {
				theirs = lintBytes(t, xmllint, official, docs)
			}

			sent, agreed := 0, 0
			for _, c := range calls {
				t.Run(c.name(), func(t *testing.T) {
					inst := ours["inst/"+c.name()+".xml"]
					if !inst.valid {
						// The generator of this test wrote a bad instance.
						t.Fatalf("the generated instance is invalid for our schema: %s\n%s", inst, c.inst)
					}
					if theirs != nil {
						for _, f := range []string{"inst/", "wire/"} {
							key := f + c.name() + ".xml"
							x, ok := theirs[key]
							if !ok {
								continue
							}
							if o := ours[key]; o.valid != x.valid {
								t.Errorf("%s: our 1.6.6.0 schema says %s, the official one says %s", key, o, x)
							} else {
								mu.Lock()
								agreed++
								mu.Unlock()
							}
						}
					}
					if c.err != nil {
						t.Fatalf("%v\ninstance: %s", c.err, c.inst)
					}
					if c.refused {
						return // refused before the wire, with no "all" form: nothing was sent
					}
					w := ours["wire/"+c.name()+".xml"]
					if !w.valid {
						t.Fatalf("%s sent a packet our %s schema rejects: %s\ninstance: %s\nwire:     %s",
							c.method, b.version, w, c.inst, c.wire)
					}
					mu.Lock()
					sent++
					total[c.variant]++
					if c.variant == "rep" {
						opsDone++
					}
					mu.Unlock()
				})
			}
			t.Logf("%s: %d operations, %d requests sent and valid on the wire", b.pkg, len(ops), sent)
			if theirs != nil {
				t.Logf("%s: our and the official 1.6.6.0 schema agree on %d documents", b.pkg, agreed)
			}
		})
	}
	t.Cleanup(func() {
		t.Logf("%d operations × versions sent through the typed API and valid on the wire; "+
			"requests: %d rep, %d min, %d full", opsDone, total["rep"], total["min"], total["full"])
	})
}

// officialDir returns the official 1.6.6.0 schema directory, or "" when
// ../shared is absent and not required (sharedtest.Dir would skip the
// whole test; only the official comparison should go).
func officialDir(t *testing.T) string {
	var dir string
	ok := t.Run("shared", func(t *testing.T) {
		dir = sharedtest.Dir(t, "plesk-xsd", "1.6.6.0")
	})
	if !ok {
		t.FailNow()
	}
	return dir
}

// sendTyped decodes c.inst into the RequestPacket of b, finds the typed
// method of the operation, checks Validate, calls the method (and its
// Stream variant) through a fake invoker and records the wire packet.
func sendTyped(b *binding, c *call) error {
	pkt := reflect.New(b.request)
	if err := xml.Unmarshal(c.inst, pkt.Interface()); err != nil {
		return fmt.Errorf("decoding the instance into %s.RequestPacket: %w", b.pkg, err)
	}
	if u := unknowns(pkt); len(u) > 0 {
		return fmt.Errorf("decoding the instance left unknown parts: %s", strings.Join(u, "; "))
	}
	operatorField, operatorValue, err := oneOf(pkt.Elem().FieldByName("Items"), c.op.operator)
	if err != nil {
		return fmt.Errorf("%s.RequestPacket: %w", b.pkg, err)
	}
	opField, req, err := operationOf(operatorValue, c.op.name)
	if err != nil {
		return fmt.Errorf("%s.%s: %w", b.pkg, operatorValue.Type().Elem().Name(), err)
	}

	inv := &fakeInvoker{}
	client := reflect.ValueOf(b.newCli(inv)).Elem()
	operator := client.FieldByName(operatorField)
	if !operator.IsValid() {
		return fmt.Errorf("%s.Client has no field %s for the operator %s", b.pkg, operatorField, c.op.operator)
	}
	m, name := findMethod(operator, opField, c.op.name)
	if !m.IsValid() {
		// An operation group (webspace/db-servers) has one method per
		// alternative: DBServersAdd takes the <add> of <db-servers>.
		m, name, req, c.siblings = groupMethod(operator, opField, req)
	}
	if !m.IsValid() {
		return fmt.Errorf("%s.%s has no method for the operation %s (item field %s)",
			b.pkg, operator.Type().Elem().Name(), c.op.name, opField)
	}
	c.method = operator.Type().Elem().Name() + "." + name

	args := []reflect.Value{reflect.ValueOf(context.Background())}
	switch m.Type().NumIn() {
	case 1:
		if !emptyOperation(c.inst) {
			return fmt.Errorf("%s takes no request, but the operation's instance has content: %s", c.method, c.inst)
		}
	case 2:
		if alwaysEmpty(c.op.node) {
			return fmt.Errorf("%s takes a request, but the operation has neither content nor attributes", c.method)
		}
		want := m.Type().In(1)
		if !req.Type().AssignableTo(want) {
			return fmt.Errorf("%s takes %s, but the operation decodes as %s", c.method, want, req.Type())
		}
		if v, ok := req.Interface().(interface{ Validate() error }); ok {
			if err := v.Validate(); err != nil {
				return fmt.Errorf("Validate rejects a schema-valid request: %w", err)
			}
		}
		args = append(args, req)
	default:
		return fmt.Errorf("%s has an unexpected signature %s", c.method, m.Type())
	}

	out := m.Call(args)
	if err, _ := out[len(out)-1].Interface().(error); err != nil {
		// An operation that changes state refuses a filter that selects
		// nothing explicitly, before anything is sent; the same request
		// with the filter marked by MatchAll goes out.
		var ve *rpc.ValidationError
		if !errors.As(err, &ve) || !isGuard(ve) || len(args) < 2 {
			return fmt.Errorf("%s: %w", c.method, err)
		}
		if read, err := b.isRead(c.op.operator, c.op.name); err != nil {
			return err
		} else if read {
			return fmt.Errorf("%s refused the empty filter of a read: %w", c.method, err)
		}
		if len(inv.packets) != 0 {
			return fmt.Errorf("%s sent a packet although it refused its request: %w", c.method, err)
		}
		if n := markEmptyFilters(args[1]); n == 0 {
			return fmt.Errorf("%s: %w, but the request has no empty filter", c.method, err)
		}
		c.guarded = true
		out = m.Call(args)
		if err, _ := out[len(out)-1].Interface().(error); err != nil {
			// The schema requires the filter to name something (a
			// required choice): there is no "all" form to send.
			if errors.As(err, &ve) && len(inv.packets) == 0 {
				c.refused = true
				return nil
			}
			return fmt.Errorf("%s with rpc.MatchAll: %w", c.method, err)
		}
	}
	if len(inv.packets) != 1 {
		return fmt.Errorf("%s sent %d packets, want 1", c.method, len(inv.packets))
	}
	if inv.versions[0] != b.version {
		return fmt.Errorf("%s sent version %q, want %q", c.method, inv.versions[0], b.version)
	}
	c.wire = inv.last()

	// The packet must be the instance, unchanged (but for the empty
	// filter rpc.MatchAll sends where the instance had none).
	inst, wire := c.inst, c.wire
	if c.guarded {
		inst = []byte(strings.ReplaceAll(string(inst), "<filter></filter>", ""))
		wire = []byte(strings.ReplaceAll(string(wire), "<filter></filter>", ""))
	}
	in, err := parseCanon(inst)
	if err != nil {
		return err
	}
	got, err := parseCanon(wire)
	if err != nil {
		return fmt.Errorf("the wire packet does not parse: %w\n%s", err, c.wire)
	}
	if d := diffCanon(in, got); d != "" {
		return fmt.Errorf("%s sent something else than the decoded request: %s\ninstance: %s\nwire:     %s", c.method, d, c.inst, c.wire)
	}

	// The Stream variant, when there is one, sends the same packet.
	if sm := operator.MethodByName("Stream" + name); sm.IsValid() {
		if sm.Type().NumIn() != len(args) {
			return fmt.Errorf("%s.Stream%s takes %d arguments, %s takes %d", operator.Type().Elem().Name(), name, sm.Type().NumIn(), c.method, len(args))
		}
		if err := drain(sm.Call(args)[0]); err != nil {
			return fmt.Errorf("Stream%s: %w", name, err)
		}
		if len(inv.packets) != 2 || string(inv.packets[1]) != string(c.wire) {
			return fmt.Errorf("Stream%s sent another packet than %s:\n%s", name, c.method, inv.last())
		}
	}
	return nil
}

// oneOf returns the field name and value of the one alternative set in
// the first element of items, a slice of generated one-of items; it fails
// unless there is exactly one item, holding exactly one declared element.
func oneOf(items reflect.Value, what string) (string, reflect.Value, error) {
	if !items.IsValid() || items.Kind() != reflect.Slice {
		return "", reflect.Value{}, fmt.Errorf("no Items for <%s>", what)
	}
	if items.Len() != 1 {
		return "", reflect.Value{}, fmt.Errorf("%d items for <%s>, want 1", items.Len(), what)
	}
	item := items.Index(0)
	var name string
	var val reflect.Value
	for i := range item.NumField() {
		f := item.Type().Field(i)
		v := item.Field(i)
		if f.Name == "DecodeErr" || v.Kind() != reflect.Pointer || v.IsNil() {
			continue
		}
		if name != "" {
			return "", reflect.Value{}, fmt.Errorf("<%s> set both %s and %s", what, name, f.Name)
		}
		name, val = f.Name, v
	}
	if name == "" || name == "Raw" {
		return "", reflect.Value{}, fmt.Errorf("<%s> decoded into no declared alternative", what)
	}
	return name, val, nil
}

// operationOf finds the request of the operation opName in the decoded
// operator value: the alternative of its one-of items, or the field whose
// xml tag names the operation.
func operationOf(operator reflect.Value, opName string) (string, reflect.Value, error) {
	s := operator.Elem()
	if items := s.FieldByName("Items"); items.IsValid() {
		return oneOf(items, opName)
	}
	for i := range s.NumField() {
		f := s.Type().Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("xml"), ",")
		if tag != opName {
			continue
		}
		v := s.Field(i)
		if v.Kind() == reflect.Slice && v.Len() == 1 {
			// The operator's only operation, repeatable: one request of it.
			v = v.Index(0).Addr()
		}
		if v.Kind() != reflect.Pointer || v.IsNil() {
			return "", reflect.Value{}, fmt.Errorf("field %s of <%s> is not set", f.Name, opName)
		}
		return f.Name, v, nil
	}
	return "", reflect.Value{}, fmt.Errorf("no field for the operation <%s>", opName)
}

// findMethod returns the typed method of an operation: the one named like
// the field the operation decodes into, or else the one whose name matches
// the operation's element name without separators and case.
// groupMethod finds, for a request that is a group of operations, the
// method of the alternative the request holds and that alternative's value.
func groupMethod(operator reflect.Value, field string, req reflect.Value) (m reflect.Value, name string, sub reflect.Value, siblings []string) {
	v := req
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return reflect.Value{}, "", req, nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return reflect.Value{}, "", req, nil
	}
	sub = req
	typeName := operator.Type().Elem().Name()
	for i := range v.NumField() {
		f := v.Field(i)
		n := field + v.Type().Field(i).Name
		fm := operator.MethodByName(n)
		if !fm.IsValid() || f.Kind() != reflect.Pointer {
			continue
		}
		if !f.IsNil() && !m.IsValid() {
			m, name, sub = fm, n, f
			continue
		}
		siblings = append(siblings, typeName+"."+n)
	}
	return m, name, sub, siblings
}

func findMethod(operator reflect.Value, field, opName string) (reflect.Value, string) {
	if m := operator.MethodByName(field); m.IsValid() {
		return m, field
	}
	norm := func(s string) string {
		return strings.ToLower(strings.NewReplacer("-", "", "_", "", ".", "", "/", "").Replace(s))
	}
	t := operator.Type()
	for i := range t.NumMethod() {
		if name := t.Method(i).Name; norm(name) == norm(opName) {
			return operator.Method(i), name
		}
	}
	return reflect.Value{}, ""
}

// emptyOperation reports whether the operation element of an instance
// packet has neither attributes nor content.
func emptyOperation(inst []byte) bool {
	n, err := parseCanon(inst)
	if err != nil || len(n.kids) != 1 {
		return false
	}
	operator, ok := n.kids[0].(*node)
	if !ok || len(operator.kids) != 1 {
		return false
	}
	op, ok := operator.kids[0].(*node)
	return ok && len(op.kids) == 0 && len(op.attrs) == 0
}

// alwaysEmpty reports whether the schema allows the operation element
// neither content nor attributes.
func alwaysEmpty(n *xsd.Node) bool {
	ct, ok := n.Type.(*xsd.ComplexType)
	if !ok || ct.Content() != xsd.ContentEmpty {
		return false
	}
	for _, c := range n.Children {
		if c.Kind == xsd.NodeAttribute || c.Kind == xsd.NodeAnyAttribute {
			return false
		}
	}
	return true
}

// drain ranges over an iter.Seq2[T, error] given as a reflect.Value and
// returns the first error it yields.
func drain(seq reflect.Value) error {
	var first error
	yield := reflect.MakeFunc(seq.Type().In(0), func(args []reflect.Value) []reflect.Value {
		if err, _ := args[1].Interface().(error); err != nil && first == nil {
			first = err
		}
		return []reflect.Value{reflect.ValueOf(true)}
	})
	seq.Call([]reflect.Value{yield})
	return first
}

// markEmptyFilters marks every <filter> inside the request v that selects
// nothing as meaning all (rpc.MatchAll), and returns how many it marked.
func markEmptyFilters(v reflect.Value) int {
	n := 0
	var walk func(v reflect.Value, depth int)
	walk = func(v reflect.Value, depth int) {
		if depth > 20 {
			return
		}
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), depth+1)
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), depth+1)
			}
		case reflect.Struct:
			for i := range v.NumField() {
				sf := v.Type().Field(i)
				if !sf.IsExported() {
					continue
				}
				fv := v.Field(i)
				if name, _, _ := strings.Cut(sf.Tag.Get("xml"), ","); name == "filter" {
					if fv.Kind() == reflect.Pointer && fv.IsNil() {
						fv.Set(reflect.New(fv.Type().Elem()))
					}
					p := fv
					if p.Kind() != reflect.Pointer {
						p = p.Addr()
					}
					if p.Elem().IsZero() && rpcimpl.MarkMatchAll(p.Interface()) {
						n++
					}
					continue
				}
				walk(fv, depth+1)
			}
		}
	}
	walk(v, 0)
	return n
}

// loadBindings resolves the binding customizations pleskgen applies to the
// schema set in dir, so that the instances carry values of the Go types
// they give untyped elements.
func loadBindings(t *testing.T, dir string, in *xsd.Set) *bind.Bindings {
	t.Helper()
	out, err := xsd.Load(dir, "agent_output.xsd")
	if err != nil {
		t.Fatal(err)
	}
	f, err := bind.Default(dir, in, out)
	if err != nil {
		t.Fatal(err)
	}
	if f == nil {
		return nil
	}
	bd, err := bind.Resolve(f, in, out)
	if err != nil {
		t.Fatal(err)
	}
	return bd
}
