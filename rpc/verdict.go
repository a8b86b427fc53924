package rpc

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// header is what the wire notes of the header elements of one <result>,
// enough to decide its verdict.
type header struct {
	Result
	statuses   int    // <status> elements seen
	second     string // the value of the second <status>, if any
	hasErrCode bool
	badErrCode string // an errcode that is not a number, as sent (cut)
	foreign    string // a header element of another namespace, as a message says it ("<s:status> in namespace …")
}

// verdict decides whether one <result> succeeded. It is the one place
// that does: the error returned for the result and the status field of
// the decoded value both follow it. A result succeeds only with exactly
// one <status>ok</status> and no <errcode>; problem says what made any
// other shape a failure beyond a plain <status>error</status> (empty for
// that one).
func (h *header) verdict() (ok bool, problem string) {
	switch {
	case h.statuses == 0 && h.foreign != "":
		return false, "the result has no <status> of Plesk's (" + h.foreign + ", which is not Plesk's vocabulary)"
	case h.statuses == 0:
		return false, "the result has no <status>"
	case h.statuses > 1:
		return false, fmt.Sprintf("the result has %d <status> elements (%s, then %s)",
			h.statuses, strconv.Quote(h.Status), strconv.Quote(h.second))
	case h.Status != "ok" && h.Status != "error":
		return false, "unknown status " + strconv.Quote(h.Status)
	case h.badErrCode != "":
		return false, "errcode " + strconv.Quote(h.badErrCode) + " is not a number"
	case h.Status == "ok" && h.hasErrCode:
		return false, fmt.Sprintf("status ok beside errcode %d", h.ErrCode)
	case h.Status == "error":
		return false, ""
	}
	return true, ""
}

// statusField finds, once per type, the field of a result type that holds
// <status>: an exported field tagged xml:"status" (or named Status with no
// tag) whose kind is string, or a pointer to one. index is nil when the
// type has none. errTextField does the same for <errtext> (ErrText).
var statusFields, errTextFields sync.Map // reflect.Type -> []int

func statusField(t reflect.Type) []int { return stringField(&statusFields, t, "status", "Status") }

func errTextField(t reflect.Type) []int { return stringField(&errTextFields, t, "errtext", "ErrText") }

func stringField(cache *sync.Map, t reflect.Type, tag, goName string) []int {
	if v, ok := cache.Load(t); ok {
		return v.([]int)
	}
	var index []int
	if t.Kind() == reflect.Struct {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("xml"), ",")
			if name == "" && f.Tag.Get("xml") == "" {
				name = f.Name
			}
			if name != tag && name != goName {
				continue
			}
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.String {
				index = f.Index
				break
			}
		}
	}
	cache.Store(t, index)
	return index
}

// withholdErrText makes the errtext field of *v, if its type has one,
// agree with the *Error of the result: when the error withholds its text
// (errWithheld), or when the field, which holds the whole errtext where
// the error holds only its beginning, holds a credential of the client in
// any spelling, the field says withheld. It reports whether the field
// holds a credential, for the error to withhold its text too.
func withholdErrText(v any, g sentry, errWithheld bool) bool {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return false
	}
	rv = rv.Elem()
	index := errTextField(rv.Type())
	if index == nil {
		return false
	}
	f := rv.FieldByIndex(index)
	if f.Kind() == reflect.Pointer {
		if f.IsNil() {
			return false
		}
		f = f.Elem()
	}
	holds := g.has(f.String())
	if holds || errWithheld && f.String() != "" {
		f.SetString(withheld)
	}
	return holds
}

// setStatus makes the status field of *v, if its type has one, say the
// verdict: "ok" or "error".
func setStatus(v any, ok bool) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return
	}
	rv = rv.Elem()
	index := statusField(rv.Type())
	if index == nil {
		return
	}
	s := "error"
	if ok {
		s = "ok"
	}
	f := rv.FieldByIndex(index)
	if f.Kind() == reflect.Pointer {
		p := reflect.New(f.Type().Elem())
		p.Elem().SetString(s)
		f.Set(p)
		return
	}
	f.SetString(s)
}
