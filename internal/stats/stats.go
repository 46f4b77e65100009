// Package stats is what the dashboard is about: localities, terms, sources,
// categories of personnel action and the figures and findings drawn from
// articles. It imports no SQL and no HTTP.
package stats

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors; storage and services wrap them, the HTTP layer maps them
// to status codes once.
var (
	ErrNotFound    = errors.New("not found")
	ErrInvalid     = errors.New("invalid")
	ErrConflict    = errors.New("conflict")
	ErrForbidden   = errors.New("forbidden")
	ErrUnavailable = errors.New("database unavailable")
)

// FieldError names the input field that is wrong and why, as a message key
// that the i18n catalogue translates (so users read it in their language).
type FieldError struct {
	Field   string
	Key     string  // i18n key, e.g. "error.value.negative"
	Arg     string  // optional detail shown with the message, as typed
	ArgKind ArgKind // how to write Arg in the page's language
}

// ArgKind says what a field error's detail is, so that pages write it in
// their language.
type ArgKind uint8

const (
	ArgText   ArgKind = iota // shown as it is (what the user typed)
	ArgNumber                // a plain decimal: 1700 is written 1.700 on Vietnamese pages
	ArgDate                  // an ISO date
	ArgKey                   // a message key, translated
)

// ValidationError is a set of field errors; it wraps ErrInvalid.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Key
		if f.Arg != "" {
			parts[i] += " (" + f.Arg + ")"
		}
	}
	return fmt.Sprintf("invalid: %s", strings.Join(parts, "; "))
}

func (e *ValidationError) Unwrap() error { return ErrInvalid }

// Add records a field error.
func (e *ValidationError) Add(field, key, arg string) {
	e.Fields = append(e.Fields, FieldError{Field: field, Key: key, Arg: arg})
}

// AddDetail records a field error whose detail is a number, a date or a
// message key, for pages to write in their language.
func (e *ValidationError) AddDetail(field, key, arg string, kind ArgKind) {
	e.Fields = append(e.Fields, FieldError{Field: field, Key: key, Arg: arg, ArgKind: kind})
}

// Err returns e as an error, or nil when no field is wrong.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// For returns the first error for field, if any.
func (e *ValidationError) For(field string) (FieldError, bool) {
	if e == nil {
		return FieldError{}, false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return f, true
		}
	}
	return FieldError{}, false
}
