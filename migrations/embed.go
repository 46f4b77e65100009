// Package migrations holds the goose SQL migrations, embedded in the binary.
// A migration that has shipped is never edited: add a new file instead.
package migrations

import "embed"

// FS holds the *.sql files at its root, as goose.NewProvider expects.
//
//go:embed *.sql
var FS embed.FS
