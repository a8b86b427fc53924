// Package templates holds the text/template files pleskgen renders for what
// is not Go structure, embedded in the binary: the go.mod, doc.go and
// README.md of a standalone binding module (pleskgen -module, see gen.Options).
//
// Each template gets a gen.ModuleData. The files start with a marker line;
// gen.Run rewrites a file only while its marker is there, so a user who
// deletes the line owns the file from then on.
package templates

import "embed"

// Module holds module/go.mod.tmpl, module/doc.go.tmpl and
// module/README.md.tmpl: the template for each output file is its name
// plus ".tmpl".
//
//go:embed module/*.tmpl
var Module embed.FS
