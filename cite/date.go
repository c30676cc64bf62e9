package cite

import (
	"fmt"
	"strings"
)

// dateLit is a date as read, before checking that it exists.
type dateLit struct {
	raw        string // as written after "ngày": "23/3/2022", "18 tháng 12 năm 2017"
	d, m, y    int
	start, end int // normalised span of raw
}

// iso is the literal conversion, which may name an impossible day.
func (dl dateLit) iso() string { return fmt.Sprintf("%04d-%02d-%02d", dl.y, dl.m, dl.d) }

// valid reports whether the day exists in the calendar.
func (dl dateLit) valid() bool {
	if dl.m < 1 || dl.m > 12 || dl.d < 1 || dl.y < 1000 {
		return false
	}
	return dl.d <= daysIn(dl.m, dl.y)
}

func daysIn(m, y int) int {
	switch m {
	case 4, 6, 9, 11:
		return 30
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	}
	return 31
}

func readInt(s string, i, maxDigits int) (int, int) {
	v, j := 0, i
	for j < len(s) && isDigit(s[j]) && j-i < maxDigits {
		v = v*10 + int(s[j]-'0')
		j++
	}
	if j < len(s) && isDigit(s[j]) {
		return 0, i
	}
	return v, j
}

func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

// hasWordAt reports whether word (lower case) starts at i, case-insensitive
// on the first letter, followed by a non-letter.
func hasWordAt(s string, i int, word string) bool {
	if i+len(word) > len(s) {
		return false
	}
	w := s[i : i+len(word)]
	// Most calls fail on an ASCII first byte; settle those without
	// EqualFold (two ASCII bytes match only as the same letter's cases).
	if a, b := w[0], word[0]; a != b && a < 0x80 && b < 0x80 {
		if l := a | 0x20; l != b|0x20 || l < 'a' || l > 'z' {
			return false
		}
	}
	if w != word && !strings.EqualFold(w, word) {
		return false
	}
	if j := i + len(word); j < len(s) {
		c := s[j]
		if c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) {
			return false
		}
	}
	return true
}

// parseDateAt reads "D/M/YYYY" (also with '-' or '.') or
// "D tháng M năm YYYY" at i.
func parseDateAt(s string, i int) (dateLit, bool) {
	dl := dateLit{start: i}
	d, j := readInt(s, i, 2)
	if j == i {
		return dl, false
	}
	if j < len(s) && (s[j] == '/' || s[j] == '-' || s[j] == '.') {
		sep := s[j]
		m, k := readInt(s, j+1, 2)
		if k == j+1 || k >= len(s) || s[k] != sep {
			return dl, false
		}
		y, e := readInt(s, k+1, 4)
		if e-(k+1) != 4 {
			return dl, false
		}
		dl.d, dl.m, dl.y, dl.end = d, m, y, e
		dl.raw = s[i:e]
		return dl, true
	}
	k := skipSpaces(s, j)
	if !hasWordAt(s, k, "tháng") {
		return dl, false
	}
	k = skipSpaces(s, k+len("tháng"))
	m, k2 := readInt(s, k, 2)
	if k2 == k {
		return dl, false
	}
	k = skipSpaces(s, k2)
	if !hasWordAt(s, k, "năm") {
		return dl, false
	}
	k = skipSpaces(s, k+len("năm"))
	y, e := readInt(s, k, 4)
	if e-k != 4 {
		return dl, false
	}
	dl.d, dl.m, dl.y, dl.end = d, m, y, e
	dl.raw = s[i:e]
	return dl, true
}

// dateAfter reads an optional ", ngày <date>" right after a number; it
// returns the date and the end of the consumed text.
func dateAfter(s string, i int) (dateLit, int, bool) {
	j := skipSpaces(s, i)
	if j < len(s) && s[j] == ',' {
		j = skipSpaces(s, j+1)
	}
	if hasWordAt(s, j, "ban hành") {
		j = skipSpaces(s, j+len("ban hành"))
	}
	if !hasWordAt(s, j, "ngày") {
		return dateLit{}, i, false
	}
	j = skipSpaces(s, j+len("ngày"))
	dl, ok := parseDateAt(s, j)
	if !ok {
		return dateLit{}, i, false
	}
	return dl, dl.end, true
}
