package xmltest

import (
	"slices"
	"testing"
)

func TestCanonical(t *testing.T) {
	same := [][2]string{
		{`<a y="2" x="1"><b/></a>`, `<packet x="1" y="2"><b></b></packet>`},
		{"<a>\n  <b>x</b>\n</a>", `<a><b>x</b></a>`},
		{`<a><b><![CDATA[x<y]]></b></a>`, `<a><b>x&lt;y</b></a>`},
		{`<a><b>x<!-- c -->y</b></a>`, `<a><b>xy</b></a>`},
		{`<a xmlns:p="u"><p:b/></a>`, `<a><b xmlns="v"/></a>`},
		{`<?xml version="1.0"?><!-- c --><a/>`, `<a></a>`},
	}
	for _, c := range same {
		x, err1 := Canonical([]byte(c[0]))
		y, err2 := Canonical([]byte(c[1]))
		if err1 != nil || err2 != nil || !slices.Equal(x, y) {
			t.Errorf("%s and %s: canonical forms %q (%v) and %q (%v), want equal", c[0], c[1], x, err1, y, err2)
		}
	}
	differ := [][2]string{
		{`<a><b/><c/></a>`, `<a><c/><b/></a>`},
		{`<a><b x="1"/></a>`, `<a><b x="2"/></a>`},
		{`<a><b x="1"/></a>`, `<a><b/></a>`},
		{`<a><b>x</b></a>`, `<a><b>y</b></a>`},
		{`<a>x<b/></a>`, `<a><b/>x</a>`},
		{`<a><b/></a>`, `<a><b/><b/></a>`},
		{`<a><b>3</b></a>`, `<a><b>4</b></a>`},
		{`<a x="1"/>`, `<a y="1"/>`},
		{`<a><b>1</b></a>`, `<a><b>true</b></a>`},
		{`<a><b>007</b></a>`, `<a><b>7</b></a>`},
		{`<a x="01"/>`, `<a x="1"/>`},
	}
	for _, c := range differ {
		x, _ := Canonical([]byte(c[0]))
		y, _ := Canonical([]byte(c[1]))
		if slices.Equal(x, y) {
			t.Errorf("%s and %s: the same canonical form %q", c[0], c[1], x)
		}
	}
	for _, bad := range []string{``, `<a>`, `<a/><b/>`, `<a/>text`, `<a></b>`, `text`} {
		if s, err := Canonical([]byte(bad)); err == nil {
			t.Errorf("%q: canonical form %q, want an error", bad, s)
		}
	}
}
