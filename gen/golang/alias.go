package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/pleskgo/plesk/gen/model"
)

// emitAliases writes the aliases of t: the path names of the operation
// requests and results that t serves under its own name (see
// gen/naming, "Roles").
func emitAliases(f *jen.File, p *model.Package, t *model.Type) {
	for _, a := range p.Aliases {
		if a.Target != t {
			continue
		}
		what := "the request"
		elem := a.Path
		if last, ok := cutLast(a.Path, "/result"); ok {
			what, elem = "a result", last
		}
		commentFile(f, fmt.Sprintf("%s is %s of <%s>: the type %s, which serves elsewhere too.", a.Name, what, angle(elem), t.Name))
		f.Type().Id(a.Name).Op("=").Id(t.Name)
		f.Line()
	}
}

func cutLast(s, suffix string) (string, bool) {
	if len(s) > len(suffix) && s[len(s)-len(suffix):] == suffix {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}

// angle writes an element path as nested tags: "dns/add_rec" ->
// "dns><add_rec".
func angle(path string) string {
	out := make([]byte, 0, len(path)+8)
	for i := 0; i < len(path); i++ {
		if path[i] == '/' {
			out = append(out, "><"...)
			continue
		}
		out = append(out, path[i])
	}
	return string(out)
}
