package bind

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/pleskgo/plesk/gen/xsd"
)

// FileName is the customization file pleskgen applies by default when it
// sits in the schema directory.
const FileName = "bindings.txt"

// EmbeddedPrefix starts the name of a customization file shipped inside
// pleskgen: plesk:1.6.6.0 is plesk/1.6.6.0.txt in this package.
const EmbeddedPrefix = "plesk:"

//go:embed plesk/*.txt
var embedded embed.FS

// Embedded returns the names of the shipped customization files, such as
// plesk:1.6.6.0, sorted.
func Embedded() []string { return bindingFiles.names() }

// Open reads the customization file spec names: plesk:VERSION for a shipped
// one, otherwise a file path.
func Open(spec string) (*File, error) { return bindingFiles.open(spec) }

// Default returns the customizations pleskgen applies to the schema set in
// dir when none is named: the file bindings.txt in dir if there is one
// (positions name it relative to dir, as schema positions are), otherwise
// the shipped file whose @schemas digest is the set's Digest, otherwise
// nil.
func Default(dir string, sets ...*xsd.Set) (*File, error) {
	return bindingFiles.find(dir, sets...)
}

var bindingFiles = &shipped[*File]{
	fsys: embedded, dir: "plesk", file: FileName, what: "binding customizations",
	parse: Parse, digests: func(f *File) []string { return f.Digests },
}

// shipped is a kind of file that pleskgen ships in this package, one per
// schema set it knows, and otherwise reads beside the schemas or from a
// path: binding customizations and operation classifications are listed,
// opened and chosen by digest alike.
type shipped[T any] struct {
	fsys    embed.FS
	dir     string // the folder of fsys holding the VERSION.txt files
	file    string // the file's name beside the schemas
	what    string // what the file holds, for messages
	parse   func(name string, src []byte) (T, error)
	digests func(T) []string // its @schemas directives
}

// names returns the shipped files as plesk:VERSION, sorted.
func (s *shipped[T]) names() []string {
	entries, _ := fs.ReadDir(s.fsys, s.dir)
	var out []string
	for _, e := range entries {
		if v, ok := strings.CutSuffix(e.Name(), ".txt"); ok {
			out = append(out, EmbeddedPrefix+v)
		}
	}
	sort.Strings(out)
	return out
}

// open reads spec: plesk:VERSION for a shipped file, otherwise a path.
func (s *shipped[T]) open(spec string) (T, error) {
	var zero T
	if v, ok := strings.CutPrefix(spec, EmbeddedPrefix); ok {
		var b []byte
		err := fs.ErrNotExist
		if v != "" && !strings.ContainsAny(v, "/\\") {
			b, err = s.fsys.ReadFile(path.Join(s.dir, v+".txt"))
		}
		if err != nil {
			return zero, fmt.Errorf("no shipped %s %q (there are %s)", s.what, spec, strings.Join(s.names(), ", "))
		}
		return s.parse(spec, b)
	}
	b, err := os.ReadFile(spec)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", s.what, err)
	}
	return s.parse(spec, b)
}

// find returns the file beside the schemas in dir if there is one,
// otherwise the shipped file whose @schemas digest is the sets' Digest,
// otherwise the zero T.
func (s *shipped[T]) find(dir string, sets ...*xsd.Set) (T, error) {
	var zero T
	if b, err := os.ReadFile(filepath.Join(dir, s.file)); err == nil {
		return s.parse(s.file, b)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return zero, fmt.Errorf("%s: %w", s.what, err)
	}
	digest, err := Digest(sets...)
	if err != nil || digest == "" {
		return zero, err
	}
	for _, name := range s.names() {
		f, err := s.open(name)
		if err != nil {
			return zero, err
		}
		if slices.Contains(s.digests(f), digest) {
			return f, nil
		}
	}
	return zero, nil
}

// Digest identifies a schema set by its content: the SHA-256 of the files
// of its root closures, by relative path in sorted order, each path and
// content followed by a NUL byte, with CRLF line ends read as LF. It is ""
// for sets loaded from an fs.FS (no Dir).
func Digest(sets ...*xsd.Set) (string, error) {
	files := map[string]string{} // relative path -> directory
	for _, s := range sets {
		if s == nil {
			continue
		}
		if s.Dir == "" {
			return "", nil
		}
		for _, f := range s.Files {
			files[f.Path] = s.Dir
		}
	}
	if len(files) == 0 {
		return "", nil
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(files[n], filepath.FromSlash(n)))
		if err != nil {
			return "", fmt.Errorf("schema digest: %w", err)
		}
		h.Write([]byte(n))
		h.Write([]byte{0})
		h.Write(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")))
		h.Write([]byte{0})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}
