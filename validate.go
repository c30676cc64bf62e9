package danvan

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
)

// validate is the one shared validator: building it is costly and it caches
// struct metadata, so every entry point (API, update validators, activities)
// goes through Validate.
var validate = newValidator()

var (
	codeRE   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)
	kindRE   = regexp.MustCompile(`^[a-z][a-z0-9_]{1,63}$`)
	offsetRE = regexp.MustCompile(`^[0-9]+d$`)
)

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	// Report fields by their JSON names: those are what a person typed.
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name := strings.SplitN(f.Tag.Get("json"), ",", 2)[0]
		if name == "-" {
			return ""
		} else if name == "" {
			return f.Name
		}
		return name
	})
	must(v.RegisterValidation("code", func(fl validator.FieldLevel) bool { return codeRE.MatchString(fl.Field().String()) }))
	must(v.RegisterValidation("kind", func(fl validator.FieldLevel) bool { return kindRE.MatchString(fl.Field().String()) }))
	must(v.RegisterValidation("isodate", func(fl validator.FieldLevel) bool {
		_, err := time.Parse("2006-01-02", fl.Field().String())
		return err == nil
	}))
	must(v.RegisterValidation("offset", func(fl validator.FieldLevel) bool { return ValidOffset(fl.Field().String()) }))
	must(v.RegisterValidation("due", func(fl validator.FieldLevel) bool { return ValidDue(fl.Field().String()) }))
	must(v.RegisterValidation("body", func(fl validator.FieldLevel) bool { return ValidBody(fl.Field().String()) }))
	return v
}

func must(err error) {
	if err != nil {
		panic(err) // only at package init with constant input
	}
}

// ValidOffset reports whether s is a Go duration or "Nd" and not negative.
func ValidOffset(s string) bool {
	if offsetRE.MatchString(s) {
		return true
	}
	d, err := time.ParseDuration(s)
	return err == nil && d >= 0
}

// MaxBodyBytes bounds a submitted text in UTF-8 bytes, exactly as it is
// stored. The text goes to Postgres before its workflow hears of it (claim
// check) and never into a Temporal payload, so the bound is the file limit,
// not the 2 MB payload limit.
const MaxBodyBytes = DefaultMaxFileSize

// ValidBody reports whether s can be stored: valid UTF-8, no NUL (Postgres
// refuses it in text) and at most MaxBodyBytes bytes.
func ValidBody(s string) bool {
	return len(s) <= MaxBodyBytes && utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// ValidDue reports whether s is a date (YYYY-MM-DD) or an RFC 3339 instant.
func ValidDue(s string) bool {
	if _, err := time.Parse("2006-01-02", s); err == nil {
		return true
	}
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}

// Validate checks v's `validate` tags. It returns nil or an *Error with code
// EInvalid listing every bad field with a message in English and Vietnamese.
func Validate(v any) error {
	err := validate.Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return Errorf(EInvalid, "Invalid input: %v", "Dữ liệu không hợp lệ: %v", err)
	}
	out := &Error{Code: EInvalid, Message: "Invalid input", MessageVI: "Dữ liệu không hợp lệ"}
	for _, fe := range verrs {
		out.Fields = append(out.Fields, fieldError(fe))
	}
	return out
}

// Invalid returns an EInvalid *Error about one field.
func Invalid(field, en, vi string) *Error {
	return &Error{Code: EInvalid, Message: "Invalid input", MessageVI: "Dữ liệu không hợp lệ",
		Fields: []FieldError{{Field: field, Rule: "rule", Message: field + ": " + en, MessageVI: field + ": " + vi}}}
}

func fieldError(fe validator.FieldError) FieldError {
	// Namespace is "Type.a.b[0].c"; drop the Go type name people never see.
	field := fe.Namespace()
	if i := strings.IndexByte(field, '.'); i >= 0 {
		field = field[i+1:]
	}
	en, vi := ruleMessage(fe)
	return FieldError{Field: field, Rule: fe.Tag(), Message: field + ": " + en, MessageVI: field + ": " + vi}
}

func ruleMessage(fe validator.FieldError) (en, vi string) {
	p := fe.Param()
	switch fe.Tag() {
	case "required", "required_without", "required_if":
		return "is required", "bắt buộc phải nhập"
	case "max":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("must be at most %s characters", p), fmt.Sprintf("tối đa %s ký tự", p)
		} else if fe.Kind() == reflect.Slice {
			return fmt.Sprintf("must have at most %s items", p), fmt.Sprintf("tối đa %s mục", p)
		}
		return "must be at most " + p, "không được lớn hơn " + p
	case "min":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("must be at least %s characters", p), fmt.Sprintf("tối thiểu %s ký tự", p)
		} else if fe.Kind() == reflect.Slice {
			return fmt.Sprintf("must have at least %s items", p), fmt.Sprintf("phải có ít nhất %s mục", p)
		}
		return "must be at least " + p, "không được nhỏ hơn " + p
	case "oneof":
		return "must be one of: " + p, "phải là một trong: " + p
	case "email":
		return "must be an e-mail address", "phải là địa chỉ thư điện tử hợp lệ"
	case "code":
		return "must be a code of letters, digits, '_', '-' or '.' (at most 64)", "phải là mã gồm chữ, số, '_', '-' hoặc '.' (tối đa 64 ký tự)"
	case "kind":
		return "must be lower-case letters, digits and '_' (e.g. unit_plan)", "phải gồm chữ thường, số và '_' (ví dụ unit_plan)"
	case "isodate":
		return "must be a date YYYY-MM-DD", "phải là ngày dạng YYYY-MM-DD"
	case "due":
		return "must be a date YYYY-MM-DD or an RFC 3339 time", "phải là ngày YYYY-MM-DD hoặc thời điểm RFC 3339"
	case "offset":
		return `must be a duration like "7d", "36h" or "30s"`, `phải là khoảng thời gian như "7d", "36h" hoặc "30s"`
	case "body":
		return "must be UTF-8 text without NUL characters, at most 50 MB (save the file as UTF-8 .txt or .docx)",
			"phải là văn bản UTF-8 không chứa ký tự NUL, tối đa 50 MB (hãy lưu tệp dạng .txt UTF-8 hoặc .docx)"
	case "dive", "unique":
		return "must not repeat a value", "không được trùng lặp"
	}
	return fmt.Sprintf("fails rule %q", fe.Tag()), fmt.Sprintf("không đạt điều kiện %q", fe.Tag())
}
