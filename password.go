package danvan

import (
	_ "embed"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
)

// MinPasswordLength is the shortest password accepted (ASVS 2.1.1 asks
// for at least 12 from users who pick their own; 10 is this project's rule).
const MinPasswordLength = 10

// commonPasswords is the 10,000 most frequent passwords of the zxcvbn list
// (see common_passwords.NOTICE), one a line, lower case.
//
//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = func() map[string]struct{} {
	m := make(map[string]struct{}, 10000)
	for _, p := range strings.Split(commonPasswordsText, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			m[p] = struct{}{}
		}
	}
	return m
}()

var loginRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{1,63}$`)

func init() {
	must(validate.RegisterValidation("login", func(fl validator.FieldLevel) bool { return ValidLogin(fl.Field().String()) }))
}

// ValidLogin reports whether s is a login: 2-64 lower-case letters, digits
// and . _ @ -, starting with a letter or digit.
func ValidLogin(s string) bool { return loginRE.MatchString(s) }

// IsCommonPassword reports whether p (in any letter case) is on the shipped
// list of common passwords.
func IsCommonPassword(p string) bool {
	_, ok := commonPasswords[strings.ToLower(strings.TrimSpace(p))]
	return ok
}

// CheckPassword returns nil for an acceptable password for login, or an
// EInvalid *Error on the field "password" saying what to change: at least
// MinPasswordLength characters, at most 256, not the login, not common.
func CheckPassword(login, password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		return Invalid("password", "must have at least 10 characters", "mật khẩu phải có ít nhất 10 ký tự")
	case len(password) > 256:
		return Invalid("password", "must have at most 256 bytes", "mật khẩu quá dài (tối đa 256 byte)")
	case !utf8.ValidString(password):
		return Invalid("password", "must be valid UTF-8 text", "mật khẩu phải là văn bản UTF-8 hợp lệ")
	case login != "" && strings.Contains(strings.ToLower(password), strings.ToLower(login)):
		return Invalid("password", "must not contain the login", "mật khẩu không được chứa tên đăng nhập")
	case IsCommonPassword(password):
		return Invalid("password", "is one of the most common passwords; choose another", "mật khẩu quá phổ biến, hãy chọn mật khẩu khác")
	}
	return nil
}
