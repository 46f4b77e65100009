package web

import "embed"

// Templates holds templates/layout (the page frame and partials shared by
// every page) and templates/pages (one file per page).
//
//go:embed templates
var Templates embed.FS
