// Package danvan holds the domain of the danvan engine: units, cycles,
// tasks, submissions, notifications and documents, the error codes every
// adapter translates into, and the small interfaces activities need. It
// imports no Temporal, pgx or Meilisearch code so that every other package
// can depend on it without dragging an outside system along.
package danvan

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. Adapters translate their own errors into these in one place;
// the HTTP layer maps them to status codes in one place.
const (
	EConflict     = "conflict"
	EInternal     = "internal"
	EInvalid      = "invalid"
	ENotFound     = "not_found"
	EUnauthorized = "unauthorized"
	EForbidden    = "forbidden"
	EUnavailable  = "unavailable"
	// ETooLarge is a request body over its limit (HTTP 413).
	ETooLarge = "too_large"
	// EUnsupported is a body of a content type the route does not take (415).
	EUnsupported = "unsupported_media_type"
	// ETooManyRequests is a throttled client (429), e.g. failed sign-ins.
	ETooManyRequests = "too_many_requests"
)

// Error is a domain error: a code a program can act on and a message a person
// can act on, in English and Vietnamese. Fields lists per-field problems for
// validation errors.
type Error struct {
	Code      string       `json:"code"`
	Message   string       `json:"message"`
	MessageVI string       `json:"message_vi"`
	Fields    []FieldError `json:"fields,omitempty"`
}

// FieldError is one invalid field: its path as the user wrote it (JSON name)
// and what to do about it.
type FieldError struct {
	Field     string `json:"field"`
	Rule      string `json:"rule"`
	Message   string `json:"message"`
	MessageVI string `json:"message_vi"`
}

// Error returns the English message, with the field problems appended.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Message
	}
	return e.Message + ": " + strings.Join(parts, "; ")
}

// Errorf returns an *Error with code and the English and Vietnamese messages
// formatted with the same arguments.
func Errorf(code, en, vi string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(en, args...), MessageVI: fmt.Sprintf(vi, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal for
// any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the English message of the first *Error in err's
// chain; other errors are hidden behind a generic message so internals never
// leak to users.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Error()
	}
	return "Internal error."
}

// AsError returns the *Error in err's chain, or an internal *Error that hides
// err's text. It returns nil for nil.
func AsError(err error) *Error {
	var e *Error
	if err == nil {
		return nil
	} else if errors.As(err, &e) {
		return e
	}
	return &Error{Code: EInternal, Message: "Internal error.", MessageVI: "Lỗi hệ thống."}
}
