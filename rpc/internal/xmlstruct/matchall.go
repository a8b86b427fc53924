package xmlstruct

import (
	"encoding/xml"
	"reflect"
	"sync"
	"sync/atomic"
)

// The match-all mark. A generated filter type has an exported field
//
//	MatchAll bool `xml:"-"`
//
// that a program sets to select every object on purpose. It is not written
// as XML: a filter that selects everything is an empty <filter/> on the
// wire, which is also what a forgotten field gives. The runtime tells the
// two apart while it encodes a request: it watches the encoder, and
// Marshal reports where it wrote each element of a struct whose MatchAll
// is set. An empty <filter> written anywhere else was not meant.

// matchLog is what one watched encoder has reported.
type matchLog struct {
	pos   func() int
	marks Marks
}

// Marks are the output offsets, in document order, of the elements a
// watched encoder wrote from a struct whose MatchAll is set, and of the
// flags it wrote (elements that mean something by being there, such as
// <all/>, written by rpc.Empty).
type Marks struct {
	MatchAll []int
	Flags    []int
}

var (
	watching atomic.Int32 // encoders watched now: Marshal looks only when > 0
	watchMu  sync.Mutex
	watched  = map[*xml.Encoder]*matchLog{}
)

// Watch makes Marshal and NoteFlag record, while e is watched, the output
// offset at which each element written from a struct whose MatchAll field
// is set, and each flag, starts. pos returns how many bytes e has written
// so far, once e is flushed. stop ends the watch and returns the marks.
func Watch(e *xml.Encoder, pos func() int) (stop func() Marks) {
	log := &matchLog{pos: pos}
	watchMu.Lock()
	watched[e] = log
	watchMu.Unlock()
	watching.Add(1)
	return func() Marks {
		watchMu.Lock()
		delete(watched, e)
		watchMu.Unlock()
		watching.Add(-1)
		return log.marks
	}
}

// noteMatchAll records, if e is watched, that the element it writes next
// comes from a struct whose MatchAll is set.
func noteMatchAll(e *xml.Encoder) error { return note(e, false) }

// NoteFlag records, if e is watched, that the element it writes next is a
// flag: present on purpose, even though it is empty.
func NoteFlag(e *xml.Encoder) error { return note(e, true) }

func note(e *xml.Encoder, flag bool) error {
	if watching.Load() == 0 {
		return nil
	}
	watchMu.Lock()
	log := watched[e]
	watchMu.Unlock()
	if log == nil {
		return nil
	}
	if err := e.Flush(); err != nil {
		return err
	}
	if flag {
		log.marks.Flags = append(log.marks.Flags, log.pos())
	} else {
		log.marks.MatchAll = append(log.marks.MatchAll, log.pos())
	}
	return nil
}

// SetMatchAll sets the MatchAll field of the struct v points to and
// reports whether it has one (whether it is a generated filter type).
func SetMatchAll(v any) bool {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return false
	}
	in := infoOf(rv.Elem().Type())
	if in.matchAll < 0 {
		return false
	}
	rv.Elem().Field(in.matchAll).SetBool(true)
	return true
}
