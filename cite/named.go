package cite

import (
	"strings"
	"unicode/utf8"
)

// namedRef is a law or resolution cited by name ("Luật Tổ chức chính quyền
// địa phương năm 2015", "Nghị quyết Trung ương IV (khóa XII)").
type namedRef struct {
	start, end int
	typ        string
	name       string
	year       int
}

var lawStops = map[string]bool{"và": true, "của": true, "về": true, "để": true, "theo": true,
	"đã": true, "được": true, "có": true, "này": true, "với": true, "cho": true, "thì": true,
	"là": true, "tại": true, "nhằm": true, "số": true, "ngày": true, "các": true, "những": true,
	"khi": true, "nếu": true, "mà": true, "do": true, "từ": true, "đến": true, "trên": true,
	"hiện": true, "năm": true, "sửa": true, "quy": true}

var resolutionWords = map[string]bool{"đại": true, "biểu": true, "toàn": true, "quốc": true,
	"lần": true, "thứ": true, "tỉnh": true, "huyện": true, "bộ": true, "khóa": true, "khoá": true,
	"hội": true, "nghị": true, "trung": true, "ương": true, "đảng": true}

func isRoman(w string) bool {
	if w == "" || len(w) > 6 {
		return false
	}
	for i := 0; i < len(w); i++ {
		switch w[i] {
		case 'I', 'V', 'X', 'L', 'C':
		default:
			return false
		}
	}
	return true
}

// yearAfter reads " năm YYYY" at i.
func yearAfter(s string, i int) (int, int) {
	j := skipSpaces(s, i)
	if !hasWordAt(s, j, "năm") {
		return 0, i
	}
	j = skipSpaces(s, j+len("năm"))
	y, e := readInt(s, j, 4)
	if e-j != 4 || y < 1945 || y > 2100 {
		return 0, i
	}
	return y, e
}

// scanNamed finds laws, codes, ordinances, constitutions and Party
// resolutions cited by name.
func scanNamed(s string, d *Dictionary) []namedRef {
	var out []namedRef
	for _, kw := range []string{"Luật ", "Bộ luật ", "Pháp lệnh ", "Hiến pháp ", "Nghị quyết "} {
		for off := 0; ; {
			k := strings.Index(s[off:], kw)
			if k < 0 {
				break
			}
			i := off + k
			off = i + len(kw)
			if i > 0 && endsWithWordRune(s[:i]) {
				continue
			}
			if kw == "Luật " && strings.HasSuffix(s[:i], "Bộ ") {
				continue
			}
			var r namedRef
			var ok bool
			switch kw {
			case "Nghị quyết ":
				r, ok = readResolution(s, i, off)
			case "Hiến pháp ":
				if y, e := yearAfter(s, i+len("Hiến pháp")); y > 0 {
					r, ok = namedRef{start: i, end: e, typ: "Hiến pháp", year: y}, true
				}
			default:
				r, ok = readLaw(s, i, off, strings.TrimSpace(kw), d)
			}
			if ok {
				r.name = s[r.start:r.end]
				out = append(out, r)
				off = r.end
			}
		}
	}
	return out
}

func readLaw(s string, i, j int, typ string, d *Dictionary) (namedRef, bool) {
	r := namedRef{start: i, typ: typ}
	first, _, _ := nextWord(s, j)
	if !isCapitalised(first) {
		return r, false
	}
	end := -1
	if typ == "Luật" {
		for _, l := range d.laws {
			if i+len(l) <= len(s) && strings.EqualFold(s[i:i+len(l)], l) && !startsWordRune(s, i+len(l)) {
				end = i + len(l)
				break
			}
		}
	}
	if end < 0 {
		k, words := j, 0
		for words < 8 {
			w, _, we := nextWord(s, k)
			if w == "" || lawStops[strings.ToLower(w)] {
				break
			}
			if words > 0 && isCapitalised(w) && startsTypeWord(s, skipSpaces(s, k)) {
				break
			}
			end, k = we, we
			words++
		}
	}
	if end < 0 {
		return r, false
	}
	r.end = end
	if y, e := yearAfter(s, end); y > 0 {
		r.year, r.end = y, e
	}
	return r, true
}

func startsWordRune(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	c, _ := utf8.DecodeRuneInString(s[i:])
	return isWordRune(c)
}

// readResolution reads a Party resolution named by its congress or plenum;
// it must carry an ordinal (a Roman numeral or "lần thứ N") to be a
// specific document rather than "các Nghị quyết của Đảng".
func readResolution(s string, i, j int) (namedRef, bool) {
	r := namedRef{start: i, typ: "Nghị quyết"}
	first, _, _ := nextWord(s, j)
	switch first {
	case "Đại", "Hội", "Trung":
	default:
		return r, false
	}
	k, end, ordinal, prev := j, -1, false, ""
	for n := 0; n < 16; n++ {
		p := skipSpaces(s, k)
		if p < len(s) && s[p] == '(' {
			w, _, we := nextWord(s, p+1)
			lw := strings.ToLower(w)
			if lw == "khóa" || lw == "khoá" {
				w2, _, we2 := nextWord(s, we)
				if (isRoman(w2) || (w2 != "" && isDigit(w2[0]))) && we2 < len(s) && s[we2] == ')' {
					end, k = we2+1, we2+1
					ordinal = true
					continue
				}
			}
			break
		}
		w, _, we := nextWord(s, k)
		if w == "" {
			break
		}
		lw := strings.ToLower(w)
		switch {
		case isRoman(w):
			ordinal = true
		case isDigit(w[0]) && prev == "thứ":
			ordinal = true
		case lw == "của":
			w2, _, we2 := nextWord(s, we)
			if w2 == "Đảng" && ordinal {
				w3, _, _ := nextWord(s, we2)
				if w3 != "bộ" {
					end = we2
				}
			}
			n = 99
			continue
		case isCapitalised(w):
			if startsTypeWord(s, p) {
				n = 99
				continue
			}
		case resolutionWords[lw]:
		default:
			n = 99
			continue
		}
		prev = lw
		end, k = we, we
	}
	if !ordinal || end < 0 {
		return r, false
	}
	r.end = end
	return r, true
}

// namedKey folds a name for merging: lower case, tone-mark placement
// unified, and the place after "tỉnh" dropped, so "… Đảng bộ tỉnh Sơn La
// lần thứ XIV" and "… Đảng bộ tỉnh lần thứ XIV" meet.
func namedKey(name string) string {
	words := strings.Fields(strings.NewReplacer("(", " ", ")", " ").Replace(name))
	var b strings.Builder
	skipPlace := false
	for _, w := range words {
		if skipPlace && isCapitalised(w) && !isRoman(w) {
			continue
		}
		skipPlace = false
		lw := foldVietnamese(strings.ToLower(w))
		if lw == "tinh" {
			skipPlace = true
		}
		b.WriteString(lw)
		b.WriteByte(' ')
	}
	return strings.TrimSpace(b.String())
}
