package cite

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// basisRanges returns the spans of sections headed "CĂN CỨ PHÁP LÝ" (or
// any upper-case heading with "CĂN CỨ"): schemes list their legal basis
// there without writing "Căn cứ" on each line.
func basisRanges(s string) [][2]int {
	var out [][2]int
	open := -1
	for ls := 0; ls < len(s); {
		le := strings.IndexByte(s[ls:], '\n')
		if le < 0 {
			le = len(s)
		} else {
			le += ls
		}
		line := s[ls:le]
		if isHeading(line) {
			if open >= 0 {
				out = append(out, [2]int{open, ls})
				open = -1
			}
			if strings.Contains(line, "CĂN CỨ") {
				open = le
			}
		}
		ls = le + 1
	}
	if open >= 0 {
		out = append(out, [2]int{open, len(s)})
	}
	return out
}

// isHeading reports a short line whose letters are all upper case.
func isHeading(line string) bool {
	if len(line) > 300 {
		return false
	}
	letters := 0
	for _, r := range line {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 4
}

func inRanges(rs [][2]int, p int) bool {
	for _, r := range rs {
		if p >= r[0] && p < r[1] {
			return true
		}
	}
	return false
}

// relationOf classifies how the mention at [a,b) relates to the citing
// document from the words around it.
func relationOf(s string, a, b int, basis [][2]int) string {
	ls := lineStart(s, a)
	ls = skipSpaces(s, ls)
	if ls < len(s) && (s[ls] == '-' || s[ls] == '+') {
		ls = skipSpaces(s, ls+1)
	}
	if hasWordAt(s, ls, "căn cứ") || inRanges(basis, a) {
		return RelationCanCu
	}
	from := clauseStart(s, a)
	if a-from > 60 {
		from = a - 60
		for from < a && !utf8.RuneStart(s[from]) {
			from++
		}
	}
	before := strings.ToLower(strings.TrimRight(s[from:a], " ,:("))
	after := strings.TrimLeft(strings.ToLower(s[b:min(len(s), b+40)]), " ")
	switch {
	case strings.HasSuffix(before, "thay thế") || strings.HasSuffix(before, "nay là") ||
		strings.HasSuffix(before, "thay cho") || strings.HasPrefix(after, "(nay là") ||
		strings.HasPrefix(after, "đã được thay thế") || strings.HasPrefix(after, "được thay thế"):
		return RelationThayThe
	case strings.HasSuffix(before, "thực hiện") || strings.HasSuffix(before, "triển khai") ||
		strings.HasSuffix(before, "thi hành") || strings.HasSuffix(before, "cụ thể hóa") ||
		strings.HasSuffix(before, "cụ thể hoá"):
		return RelationThucHien
	}
	return RelationDanChieu
}
