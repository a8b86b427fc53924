package rpc

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// The client's own credentials: checked when the client is built, and
// out of reach of any reflection dump of it.

// TestCredentialsOutOfReflection: no reflection dump of a client reaches
// its credentials (they live in a closure), nor does any fmt verb.
func TestCredentialsOutOfReflection(t *testing.T) {
	const password, key = "Refl3ct-Passw0rd", "Refl3ct-K3y-0001"
	for _, opt := range []Option{WithLogin("admin", password), WithSecretKey(key)} {
		c := mustClient(t, "plesk.example.com", opt, WithPinnedSHA256(strings.Repeat("ab", 32)))
		var texts []string
		dump(reflect.ValueOf(c), map[uintptr]bool{}, &texts, 0)
		if len(texts) < 3 {
			t.Fatalf("the dump reached only %d strings: %v", len(texts), texts)
		}
		texts = append(texts, fmt.Sprintf("%v %+v %#v %#v %s", c, c, c, *c, c))
		for _, s := range texts {
			if strings.Contains(s, password) || strings.Contains(s, key) {
				t.Errorf("a dump of the client shows a credential: %q", s)
			}
		}
	}
}

// dump collects every string reachable from v by reflection, as a
// spew-like printer or cmp.Diff with an exporter would print them.
func dump(v reflect.Value, seen map[uintptr]bool, out *[]string, depth int) {
	if depth > 30 || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, v.String())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		if v.Kind() == reflect.Pointer {
			if seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
		}
		dump(v.Elem(), seen, out, depth+1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			dump(v.Field(i), seen, out, depth+1)
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			*out = append(*out, string(v.Bytes()))
			return
		}
		for i := 0; i < min(v.Len(), 1000); i++ {
			dump(v.Index(i), seen, out, depth+1)
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			dump(it.Key(), seen, out, depth+1)
			dump(it.Value(), seen, out, depth+1)
		}
	}
}

// TestCredentialsCheckedAtNewClient: an empty, blank or padded credential
// is refused, naming which one and never its value.
func TestCredentialsCheckedAtNewClient(t *testing.T) {
	for _, tt := range []struct {
		opt   Option
		names string
		value string
	}{
		{WithSecretKey("Padded-K3y-Value "), "secret key", "Padded-K3y-Value"},
		{WithSecretKey(""), "secret key is empty", ""},
		{WithSecretKey(" \t "), "secret key is only white space", ""},
		{WithLogin("admin", "Padded-Passw0rd "), "password begins or ends with white space", "Padded-Passw0rd"},
		{WithLogin(" admin", "Fine-Passw0rd"), "login begins or ends with white space", "Fine-Passw0rd"},
		{WithLogin("", "Fine-Passw0rd"), "login is empty", "Fine-Passw0rd"},
		{WithLogin("admin", "   "), "password is only white space", ""},
		{WithLogin("admin", "Bad\nPassw0rd"), "password holds a control character", "Passw0rd"},
	} {
		c, err := NewClient("plesk.example.com", tt.opt)
		if err == nil || c != nil {
			t.Errorf("want %q refused, got a client", tt.names)
			continue
		}
		if !strings.Contains(err.Error(), tt.names) {
			t.Errorf("err = %v, want it to say %q", err, tt.names)
		}
		if tt.value != "" && strings.Contains(err.Error(), tt.value) {
			t.Errorf("err = %v shows the credential", err)
		}
	}
}
