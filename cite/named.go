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
			if insideRef(out, i) {
				// "Bộ luật …" inside an amending law's title.
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

func insideRef(rs []namedRef, i int) bool {
	for _, r := range rs {
		if i >= r.start && i < r.end {
			return true
		}
	}
	return false
}

// readLaw reads a law, code or ordinance cited by name at i (j is after
// its keyword). Names are written in any case: a name the dictionary
// knows matches whatever its capitals ("Luật tiếp công dân"); another
// name starting with a lower-case word counts only with its year ("Luật
// thi hành án dân sự năm 2008"), so that "Luật này" or "Luật sư" do not.
// An amending law's title, with the laws it amends, is one reference.
func readLaw(s string, i, j int, typ string, d *Dictionary) (namedRef, bool) {
	r := namedRef{start: i, typ: typ}
	if typ == "Luật" && hasWordAt(s, j, "sửa đổi") {
		return readAmendingLaw(s, i, j, d)
	}
	end := -1
	if typ == "Luật" {
		end = dictionaryLaw(s, i, d)
	}
	first, _, _ := nextWord(s, j)
	lower := !isCapitalised(first)
	if end < 0 {
		end = freeLawName(s, j)
	}
	if end < 0 {
		return r, false
	}
	r.end = end
	if y, e := yearAfter(s, end); y > 0 {
		r.year, r.end = y, e
	} else if lower && (typ != "Luật" || dictionaryLaw(s, i, d) < 0) {
		return r, false
	}
	return r, true
}

// dictionaryLaw returns the end of the dictionary's law name at i, or -1.
func dictionaryLaw(s string, i int, d *Dictionary) int {
	for _, l := range d.laws {
		if i+len(l) <= len(s) && strings.EqualFold(s[i:i+len(l)], l) && !startsWordRune(s, i+len(l)) {
			return i + len(l)
		}
	}
	return -1
}

// freeLawName reads up to eight words of a name at j, stopping at a word
// that cannot be part of one; "phòng, chống" keeps its comma. It returns
// the name's end, or -1.
func freeLawName(s string, j int) int {
	end, k, words := -1, j, 0
	for words < 8 {
		w, _, we := nextWord(s, k)
		if w == "" {
			if end >= 0 && strings.HasPrefix(s[end:], ", chống ") {
				k = end + 1
				continue
			}
			break
		}
		if lawStops[strings.ToLower(w)] {
			break
		}
		if words > 0 && isCapitalised(w) && startsTypeWord(s, skipSpaces(s, k)) {
			break
		}
		end, k = we, we
		words++
	}
	return end
}

// readAmendingLaw reads "Luật sửa đổi, bổ sung một số điều của Luật A,
// Luật B và Luật C năm 2019": the laws it names are part of its title, not
// citations of their own.
func readAmendingLaw(s string, i, j int, d *Dictionary) (namedRef, bool) {
	r := namedRef{start: i, typ: "Luật"}
	limit := min(len(s), j+400)
	k := strings.Index(s[j:limit], "của ")
	if k < 0 {
		return r, false
	}
	p := skipSpaces(s, j+k+len("của "))
	if hasWordAt(s, p, "các") {
		p = skipSpaces(s, p+len("các"))
	}
	end := -1
	for {
		kw := ""
		for _, w := range []string{"Luật ", "Bộ luật ", "Pháp lệnh "} {
			if strings.HasPrefix(s[p:], w) {
				kw = w
			}
		}
		if kw == "" {
			break
		}
		inner := dictionaryLaw(s, p, d)
		if inner < 0 {
			inner = freeLawName(s, p+len(kw))
		}
		if inner < 0 {
			break
		}
		end = inner
		switch q := skipSpaces(s, inner); {
		case strings.HasPrefix(s[q:], ", "):
			p = q + 2
		case hasWordAt(s, q, "và"):
			p = skipSpaces(s, q+len("và"))
		default:
			p = -1
		}
		if p < 0 {
			break
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
	case "Đại", "Hội", "Trung", "TW", "TƯ":
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
		case isDigit(w[0]) && (prev == "thứ" || prev == "ương" || prev == "tw" || prev == "tư"):
			// "lần thứ 7", "Trung ương 7", "TW 7".
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
		if w == "TW" || w == "TƯ" {
			// "Nghị quyết TW 7" is "Nghị quyết Trung ương 7".
			lw = "trung uong"
		}
		if lw == "tinh" {
			skipPlace = true
		}
		b.WriteString(lw)
		b.WriteByte(' ')
	}
	return strings.TrimSpace(b.String())
}
