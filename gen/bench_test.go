package gen_test

import (
	"path/filepath"
	"testing"

	"github.com/pleskgo/plesk/gen"
	"github.com/pleskgo/plesk/internal/sharedtest"
)

// BenchmarkGenerateCorpus runs the whole pipeline on the official 1.6.6.0
// schema set (77 files, both roots): load, model, emit, gofmt, write. Its
// allocations are reported: on a shared machine they compare runs better
// than the time does.
func BenchmarkGenerateCorpus(b *testing.B) {
	dir := sharedtest.Dir(b, "plesk-xsd", "1.6.6.0")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		out := filepath.Join(b.TempDir(), "plesk1660")
		if _, err := gen.Run(gen.Options{SchemaDir: dir, OutDir: out, Package: "plesk1660"}); err != nil {
			b.Fatal(err)
		}
	}
}
