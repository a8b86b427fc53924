package xmlstruct

import "testing"

func TestIsNCName(t *testing.T) {
	for s, want := range map[string]bool{
		"a": true, "_a": true, "a-b.c": true, "a1": true, "é": true, "aé·": true, "ǅ": true,
		"": false, "1a": false, "-a": false, ".a": false, "a:b": false, "p:": false,
		"a b": false, "a/b": false, "·a": false, "\u0300a": false, "a\u0300": true,
	} {
		if got := IsNCName(s); got != want {
			t.Errorf("IsNCName(%q) = %v, want %v", s, got, want)
		}
	}
}
