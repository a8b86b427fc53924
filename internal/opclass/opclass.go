// Package opclass classifies Plesk operations as reads or state changes.
// (Placeholder until the explicit table lands.)
package opclass

import "strings"

// IsRead reports whether the operation only reads state.
func IsRead(operator, operation string) bool {
	if i := strings.LastIndexByte(operation, '/'); i >= 0 {
		operation = operation[i+1:]
	}
	return operation == "get" || strings.HasPrefix(operation, "get-") || strings.HasPrefix(operation, "get_")
}
