package cite

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// foldVietnamese strips tone and vowel marks and maps đ to d, so keys do
// not depend on where a typist put the tone ("hoà"/"hòa", "uỷ"/"ủy") or on
// "QD" typed for "QĐ".
func foldVietnamese(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteByte('d')
		case r == 'Đ':
			b.WriteByte('D')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
