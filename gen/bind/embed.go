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
func Embedded() []string {
	entries, _ := fs.ReadDir(embedded, "plesk")
	var out []string
	for _, e := range entries {
		if v, ok := strings.CutSuffix(e.Name(), ".txt"); ok {
			out = append(out, EmbeddedPrefix+v)
		}
	}
	sort.Strings(out)
	return out
}

// Open reads the customization file spec names: plesk:VERSION for a shipped
// one, otherwise a file path.
func Open(spec string) (*File, error) {
	if v, ok := strings.CutPrefix(spec, EmbeddedPrefix); ok {
		var b []byte
		err := fs.ErrNotExist
		if v != "" && !strings.ContainsAny(v, "/\\") {
			b, err = embedded.ReadFile(path.Join("plesk", v+".txt"))
		}
		if err != nil {
			return nil, fmt.Errorf("no shipped binding customizations %q (there are %s)", spec, strings.Join(Embedded(), ", "))
		}
		return Parse(spec, b)
	}
	return ReadFile(spec)
}

// Default returns the customizations pleskgen applies to the schema set in
// dir when none is named: the file bindings.txt in dir if there is one
// (positions name it relative to dir, as schema positions are), otherwise
// the shipped file whose @schemas digest is the set's Digest, otherwise
// nil.
func Default(dir string, sets ...*xsd.Set) (*File, error) {
	p := filepath.Join(dir, FileName)
	if b, err := os.ReadFile(p); err == nil {
		return Parse(FileName, b)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("binding customizations: %w", err)
	}
	digest, err := Digest(sets...)
	if err != nil || digest == "" {
		return nil, err
	}
	for _, name := range Embedded() {
		f, err := Open(name)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Digests {
			if d == digest {
				return f, nil
			}
		}
	}
	return nil, nil
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
