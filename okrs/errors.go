package okrs

import (
	"errors"
	"fmt"
)

// Error codes. They say what kind of failure an error is, so that each edge
// (a Slack modal, a slash command, a log line) can decide how to show it.
const (
	EINVALID     = "invalid"     // the input breaks a rule; Message says which
	ENOTFOUND    = "not_found"   // no such objective, key result or team (in this workspace)
	ECONFLICT    = "conflict"    // a concurrent change won; try again
	EFORBIDDEN   = "forbidden"   // the caller may not do this
	EUNAVAILABLE = "unavailable" // a dependency (Redis, Slack) is down or slow
	EINTERNAL    = "internal"    // a bug or an unexpected failure
)

// Error is okrbot's domain error. Message is written for the person using the
// bot; Field, when set, names the input it is about (see the Field* names), so
// a modal can show it inline on that field.
type Error struct {
	Code    string
	Field   string
	Message string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("okrs: %s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("okrs: %s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error about one field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's tree, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message to show a person: the domain message, or
// "Internal error." for anything that is not an *Error (log those instead).
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// FieldErrors returns every *Error in err's tree that names a field, in the
// order they were joined. Validation joins one error per broken field.
func FieldErrors(err error) []*Error {
	var out []*Error
	var walk func(error)
	walk = func(err error) {
		switch x := err.(type) {
		case nil:
		case *Error:
			if x.Field != "" {
				out = append(out, x)
			}
		case interface{ Unwrap() []error }:
			for _, e := range x.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			walk(x.Unwrap())
		}
	}
	walk(err)
	return out
}
