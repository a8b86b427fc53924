package xsd

import (
	"strings"
	"testing"
	"testing/fstest"
)

// schemaHeader opens the inline test schemas; it is line 1 of every file
// built with schemaDoc, so the body starts on line 2.
const schemaHeader = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">`

// schemaOf wraps body in an xs:schema element without target namespace.
func schemaOf(body string) string {
	return schemaHeader + "\n" + strings.Trim(body, "\n") + "\n</xs:schema>\n"
}

// loadFiles loads root.xsd from an in-memory file system built of files.
func loadFiles(files map[string]string) (*Set, error) {
	return loadFilesRoot(files, "root.xsd")
}

// loadFilesRoot loads root from an in-memory file system built of files.
func loadFilesRoot(files map[string]string, root string) (*Set, error) {
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return LoadFS(fsys, root)
}

// mustLoad loads a one-file schema with the given body.
func mustLoad(t *testing.T, body string) *Set {
	t.Helper()
	s, err := loadFiles(map[string]string{"root.xsd": schemaOf(body)})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

func ptr[T any](v T) *T { return &v }

func q(local string) QName { return QName{Local: local} }
