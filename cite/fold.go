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
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteByte(byte(r))
		case r == 'đ':
			b.WriteByte('d')
		case r == 'Đ':
			b.WriteByte('D')
		case foldBase(r) != 0:
			b.WriteByte(foldBase(r))
		case unicode.Is(unicode.Mn, r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldLatin and foldExtended map every precomposed Latin letter (Latin-1,
// Latin Extended A/B at U+00C0–U+024F and Latin Extended Additional at
// U+1E00–U+1EFF, where all Vietnamese letters live) to its ASCII base
// letter, 0 for others. They are built once from the NFD decompositions, so
// folding needs no normalisation pass and no allocation beyond its result.
var foldLatin, foldExtended = foldRange(0x00C0, 0x024F), foldRange(0x1E00, 0x1EFF)

func foldRange(lo, hi rune) []byte {
	t := make([]byte, hi-lo+1)
	for r := lo; r <= hi; r++ {
		d := norm.NFD.String(string(r))
		if base := d[0]; base < 0x80 && len(d) > 1 && (base|0x20) >= 'a' && (base|0x20) <= 'z' {
			t[r-lo] = base
		}
	}
	return t
}

// foldBase returns r's ASCII base letter, or 0.
func foldBase(r rune) byte {
	switch {
	case r >= 0x00C0 && r <= 0x024F:
		return foldLatin[r-0x00C0]
	case r >= 0x1E00 && r <= 0x1EFF:
		return foldExtended[r-0x1E00]
	}
	return 0
}
