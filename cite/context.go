package cite

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// typeWords are the words that name a document type before its number,
// longest first so "Chương trình hành động" wins over "Chương trình".
var typeWords = sortLongestFirst([]string{
	"Chương trình hành động", "Chương trình phối hợp", "Chương trình công tác", "Chương trình",
	"Thông tư liên tịch", "Thông tư", "Nghị quyết liên tịch", "Nghị quyết", "Nghị định",
	"Quyết định", "Quy định", "Quy chế phối hợp", "Quy chế", "Chỉ thị liên tịch", "Chỉ thị",
	"Kế hoạch liên tịch", "Kế hoạch", "Thông báo kết luận", "Kết luận", "Thông báo", "Công văn",
	"Văn bản hợp nhất", "Văn bản", "Hướng dẫn liên tịch", "Hướng dẫn", "Tờ trình", "Báo cáo",
	"Công điện", "Đề án", "Dự án", "Phương án", "Biên bản", "Hợp đồng", "Giấy mời", "Thông cáo",
	"Bộ luật", "Luật", "Pháp lệnh", "Lệnh", "Hiến pháp",
})

func sortLongestFirst(ws []string) []string {
	for i := 1; i < len(ws); i++ {
		for j := i; j > 0 && len(ws[j]) > len(ws[j-1]); j-- {
			ws[j], ws[j-1] = ws[j-1], ws[j]
		}
	}
	return ws
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// typeWordBefore finds a type word (optionally followed by "số") that ends
// right before the number at p. It returns the word in its canonical
// capitalisation and where the mention starts.
func typeWordBefore(s string, p int) (string, int) {
	j := p
	for j > 0 && s[j-1] == ' ' {
		j--
	}
	if j > 0 && s[j-1] == ':' {
		j--
	}
	for _, so := range []string{"số", "Số", "SỐ"} {
		if strings.HasSuffix(s[:j], so) && (j-len(so) == 0 || !endsWithWordRune(s[:j-len(so)])) {
			j -= len(so)
			p = j
			for j > 0 && s[j-1] == ' ' {
				j--
			}
			break
		}
	}
	for _, w := range typeWords {
		k := j - len(w)
		if k < 0 {
			continue
		}
		// Cheap reject on the last byte before the Unicode fold.
		if last := w[len(w)-1]; last < utf8.RuneSelf && s[j-1] != last && s[j-1] != last-('a'-'A') {
			continue
		}
		if !strings.EqualFold(s[k:j], w) {
			continue
		}
		if k > 0 && endsWithWordRune(s[:k]) {
			continue
		}
		return w, k
	}
	return "", p
}

func endsWithWordRune(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return isWordRune(r)
}

// nextWord returns the word starting at i (after spaces) and its end.
func nextWord(s string, i int) (string, int, int) {
	i = skipSpaces(s, i)
	j := i
	for j < len(s) && j-i < 64 {
		r, sz := utf8.DecodeRuneInString(s[j:])
		if !isWordRune(r) {
			break
		}
		j += sz
	}
	return s[i:j], i, j
}

func isCapitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// bodyPairs are lower-case words allowed inside a body's name, keyed by
// the word before them, so "Sở Nội vụ" is read whole but "Sở Nội vụ tổ
// chức …" stops before the verb.
var bodyPairs = map[string]bool{}

// bodyWords may follow any word in a body's name.
var bodyWords = map[string]bool{"tỉnh": true, "huyện": true, "xã": true, "phường": true,
	"quận": true, "ủy": true, "uỷ": true, "đảng": true, "khóa": true, "khoá": true}

func init() {
	for _, p := range strings.Split("văn phòng|thường vụ|nội vụ|hội đồng|đồng nhân|nhân dân|ban nhân|"+
		"chính phủ|chính trị|bí thư|cán sự|chấp hành|hành trung|trung ương|quốc hội|dân vận|mặt trận|"+
		"tổ quốc|thành phố|thị xã|thị trấn|chủ tịch|thủ tướng|giám đốc|ủy ban|uỷ ban|dân tộc|lao động|"+
		"thương binh|tài nguyên|môi trường|giao thông|thông vận|vận tải|kế hoạch|đầu tư|giáo dục|đào tạo|"+
		"y tế|tư pháp|tài chính|xây dựng|nông nghiệp|phát triển|triển nông|nông thôn|văn hóa|văn hoá|thể thao|"+
		"du lịch|khoa học|công nghệ|thông tin|truyền thông|tiếp công|công dân|chỉ đạo|tổ chức|tuyên giáo|"+
		"kiểm tra|thanh tra|công an|ngân hàng|nhà nước|nông dân|liên hiệp|phụ nữ|thanh niên|liên đoàn|"+
		"tòa án|án nhân|kiểm sát|sát nhân|bảo hiểm|trung tâm|phục vụ|hành chính|chính công|công thương|"+
		"ngoại vụ|trưởng ban|phó chủ|phó giám|thường trực|cấp ủy|ủy viên|xã hội", "|") {
		bodyPairs[p] = true
	}
}

// readBody reads the name of a body starting at i ("Ban Thường vụ Tỉnh ủy",
// "Ban Dân vận Tỉnh ủy - Ban Cán sự Đảng UBND tỉnh"). It returns "" when
// no capitalised name starts there.
func readBody(s string, i int) (string, int) {
	start := skipSpaces(s, i)
	end := start
	prev := ""
	j := start
	for n := 0; n < 16; n++ {
		w, ws, we := nextWord(s, j)
		if w == "" {
			// A joint issuer: "Ban Dân vận Tỉnh ủy - Ban Cán sự Đảng".
			k := skipSpaces(s, j)
			if prev != "" && k+1 < len(s) && s[k] == '-' {
				w2, _, _ := nextWord(s, k+1)
				if isCapitalised(w2) && !startsTypeWord(s, skipSpaces(s, k+1)) {
					j = k + 1
					prev = ""
					continue
				}
			}
			break
		}
		lw := strings.ToLower(w)
		ok := false
		switch {
		case prev == "" && n > 0 && isCapitalised(w):
			ok = true
		case isCapitalised(w):
			ok = n == 0 || !startsTypeWord(s, ws)
		case prev == "":
			ok = false
		case bodyWords[lw] || bodyPairs[prev+" "+lw]:
			ok = true
		case lw == "và" && n > 0:
			w2, ws2, _ := nextWord(s, we)
			if isCapitalised(w2) && !startsTypeWord(s, ws2) {
				j = we
				prev = ""
				continue
			}
		case isDigit(w[0]) && (prev == "khóa" || prev == "khoá"):
			ok = true
		}
		if !ok {
			break
		}
		prev = lw
		end = we
		j = we
	}
	if end == start {
		return "", i
	}
	return s[start:end], end
}

func startsTypeWord(s string, i int) bool {
	for _, w := range typeWords {
		if i+len(w) <= len(s) && strings.EqualFold(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

// issuerAfter reads "của <body>" or "do <body> ban hành" at i. A number
// with joint issuers (TTLT-BNV-BTC) takes the list of bodies that follows
// ("của Bộ Nội vụ, Bộ Tài chính và Bộ Y tế").
func issuerAfter(s string, i int, joint bool) (string, int) {
	j := skipSpaces(s, i)
	for _, kw := range []string{"của", "do"} {
		if hasWordAt(s, j, kw) {
			b, e := readBody(s, j+len(kw))
			if b == "" {
				continue
			}
			start := skipSpaces(s, j+len(kw))
			for joint && e < len(s) && s[e] == ',' {
				if b2, e2 := readBody(s, e+1); b2 != "" {
					e = e2
					continue
				}
				break
			}
			return s[start:e], e
		}
	}
	return "", i
}

// subjectAfter reads "về …" at i up to the end of its clause. The clause
// ends at ';', a sentence end, a line break, an opening parenthesis, a
// following citation in a list (", Kế hoạch số …") or a new predicate
// ("… đã …").
func subjectAfter(s string, i int) (string, int) {
	j := skipSpaces(s, i)
	if j < len(s) && s[j] == ',' {
		j = skipSpaces(s, j+1)
	}
	if !hasWordAt(s, j, "về") {
		return "", i
	}
	return clauseFrom(s, j, j+len("về"), false)
}

// subjectStops are the words that, right after a citation's date and
// issuer, open something other than its subject.
var subjectStops = map[string]bool{"và": true, "của": true, "do": true, "đã": true, "để": true,
	"theo": true, "được": true, "thì": true, "là": true, "tại": true, "nhằm": true, "với": true,
	"cho": true, "khi": true, "nếu": true, "mà": true, "này": true, "đến": true, "từ": true,
	"trên": true, "trong": true, "sau": true, "trước": true, "có": true, "vẫn": true, "đang": true,
	"sẽ": true, "chưa": true, "không": true, "cũng": true, "các": true, "những": true, "hoặc": true,
	"hay": true, "kèm": true, "gồm": true, "như": true, "bằng": true, "vào": true, "nay": true,
	"đồng": true, "còn": true, "thay": true, "hết": true, "đều": true, "rồi": true, "thuộc": true,
	"qua": true, "về": true, "cần": true, "phải": true, "nên": true}

// bareSubjectAfter reads a subject written without "về" right after a
// citation's date and issuer ("Kế hoạch số 41/KH-UBND ngày 02/3/2024
// tuyên truyền chuyển đổi số năm 2024 trên địa bàn huyện"): lower-case
// words that do not open another part of the sentence, up to the end of
// the clause. It returns "" when none start at i.
func bareSubjectAfter(s string, i int) string {
	if i >= len(s) || s[i] != ' ' {
		return ""
	}
	w, ws, we := nextWord(s, i)
	if w == "" || ws != i+1 || !unicode.IsLower([]rune(w)[0]) || subjectStops[w] {
		return ""
	}
	if w2, _, _ := nextWord(s, we); w2 == "" {
		return "" // one word is not a title
	}
	sub, _ := clauseFrom(s, ws, we, true)
	return sub
}

// clauseFrom reads a subject starting at start, scanning for its end from
// k (after its first word), and returns it and its end. A bare subject
// (one without "về") ends at any ';': only a "về" title runs on across
// one.
func clauseFrom(s string, start, k int, bare bool) (string, int) {
	depth := 0
	limit := len(s)
	if limit > start+1200 {
		limit = start + 1200
	}
	end := limit
scan:
	for k < limit {
		c := s[k]
		switch c {
		case ';':
			if !bare && subjectGoesOn(s, k+1) {
				break
			}
			end = k
			break scan
		case '\n':
			end = k
			break scan
		case '.':
			if k+1 >= len(s) || s[k+1] == '\n' || s[k+1] == '.' {
				end = k
				break scan
			}
			if s[k+1] == ' ' {
				r, _ := utf8.DecodeRuneInString(s[k+2:])
				if !unicode.IsLower(r) {
					end = k
					break scan
				}
			}
		case '(':
			if !hasWordAt(s, k+1, "khóa") && !hasWordAt(s, k+1, "khoá") {
				end = k
				break scan
			}
			depth++
		case ')':
			if depth == 0 {
				end = k
				break scan
			}
			depth--
		case ',':
			n := skipSpaces(s, k+1)
			if n < len(s) && (s[n] == '.' || strings.HasPrefix(s[n:], "…")) {
				end = k
				break scan
			}
			if citationStartsAt(s, n) || hasWordAt(s, n, "tại") || hasWordAt(s, n, "các") || hasWordAt(s, n, "trên cơ sở") || hasWordAt(s, n, "đồng thời") {
				end = k
				break scan
			}
		case ' ':
			// "đã" starts with byte 0xC4; test it before the fold.
			if (k+1 < len(s) && s[k+1] == 0xC4 && hasWordAt(s, k+1, "đã")) || (hasWordAt(s, k+1, "và") && citationStartsAt(s, skipSpaces(s, k+1+len("và")))) {
				end = k
				break scan
			}
		}
		if c == 0xE2 && strings.HasPrefix(s[k:], "…") {
			end = k
			break
		}
		k++
	}
	if end > limit {
		end = limit
	}
	for end > start && end < len(s) && !utf8.RuneStart(s[end]) {
		end--
	}
	sub := strings.TrimRight(s[start:end], " ,:")
	return unquoteSubject(sub), start + len(sub)
}

// citationStartsAt reports a type word followed by a number ("Kế hoạch
// số 21/…", "Quyết định 12/…") at i.
// subjectGoesOn reports whether the clause after a ";" at i still belongs
// to a subject: titles such as "về tăng cường xây dựng, chỉnh đốn Đảng;
// ngăn chặn, đẩy lùi …" carry semicolons. It does when the clause starts
// with a lower-case word that does not open a new reference ("căn cứ",
// "thực hiện", "theo", …) and holds no digit before the next ";" or the end
// of the line, so no other citation can hide in it, and the subject so far
// is not a quoted title that has closed.
func subjectGoesOn(s string, i int) bool {
	// A quoted title has ended at its closing quote.
	if before := strings.TrimRight(s[:i-1], " "); strings.HasSuffix(before, `"`) || strings.HasSuffix(before, "”") {
		return false
	}
	j := skipSpaces(s, i)
	r, _ := utf8.DecodeRuneInString(s[j:])
	if !unicode.IsLower(r) {
		return false
	}
	for _, w := range []string{"căn cứ", "thực hiện", "theo", "và", "đồng thời", "tại", "trên cơ sở", "các", "chỉ thị", "nghị quyết",
		"quyết định", "kế hoạch", "thông tư", "nghị định", "luật", "công văn"} {
		if hasWordAt(s, j, w) {
			return false
		}
	}
	for k := j; k < len(s) && k < j+600; k++ {
		switch c := s[k]; {
		case c == ';' || c == '\n':
			return true
		case c >= '0' && c <= '9':
			return false
		}
	}
	return false
}

func citationStartsAt(s string, i int) bool {
	for _, w := range typeWords {
		if i+len(w) > len(s) || !strings.EqualFold(s[i:i+len(w)], w) {
			continue
		}
		j := skipSpaces(s, i+len(w))
		if hasWordAt(s, j, "số") {
			j = skipSpaces(s, j+len("số"))
		}
		return j < len(s) && isDigit(s[j])
	}
	return false
}

// unquoteSubject drops quotes around the whole subject: về “X” → về X.
func unquoteSubject(sub string) string {
	rest := strings.TrimPrefix(sub, "về ")
	if rest == sub {
		return sub
	}
	for _, q := range [][2]string{{"“", "”"}, {"\"", "\""}, {"‘", "’"}} {
		if strings.HasPrefix(rest, q[0]) && strings.HasSuffix(rest, q[1]) && len(rest) > len(q[0])+len(q[1]) {
			inner := rest[len(q[0]) : len(rest)-len(q[1])]
			if !strings.Contains(inner, q[0]) && !strings.Contains(inner, q[1]) {
				return "về " + inner
			}
		}
	}
	return sub
}

// clauseStart returns where the clause holding i begins.
func clauseStart(s string, i int) int {
	stop := max(0, i-maxLookBack)
	for k := i - 1; k >= stop; k-- {
		switch s[k] {
		case '\n', ';':
			return k + 1
		case '.':
			if k+1 < len(s) && s[k+1] == ' ' {
				return k + 1
			}
		}
	}
	return stop
}

// maxLookBack bounds every backward look so that a text with no line
// breaks cannot make the scan quadratic.
const maxLookBack = 400

func lineStart(s string, i int) int {
	stop := max(0, i-maxLookBack)
	return stop + strings.LastIndexByte(s[stop:i], '\n') + 1
}

// contextIssuer finds "<body> đã ban hành" earlier in the same sentence,
// the way reports name the issuer of a list of documents once.
func contextIssuer(s string, a int) string {
	// "theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số …"
	if pre := strings.TrimRight(s[clauseStart(s, a):a], " "); strings.HasSuffix(pre, " tại") {
		pre = strings.TrimSuffix(pre, " tại")
		if k := strings.LastIndex(pre, "của "); k >= 0 {
			if b, e := readBody(pre, k+len("của ")); b != "" && e == len(pre) {
				return b
			}
		}
	}
	from := a
	for from > 0 && a-from < maxLookBack && s[from-1] != '\n' && !(s[from-1] == ' ' && from >= 2 && s[from-2] == '.') {
		from--
	}
	for from < a && !utf8.RuneStart(s[from]) {
		from++
	}
	seg := s[from:a]
	if b := verbSubject(seg); b != "" {
		return b
	}
	for idx := strings.LastIndex(seg, " đã "); idx >= 0; idx = strings.LastIndex(seg[:idx], " đã ") {
		rest := seg[idx+len(" đã "):]
		if len(rest) > 40 {
			rest = rest[:40]
		}
		if !strings.Contains(rest, "ban hành") {
			continue
		}
		return bodyEndingAt(seg, idx)
	}
	return ""
}

// issuingVerbs are the verbs whose subject issues the document named
// right after them: "UBND xã ban hành Kế hoạch số …", "hai cơ quan đã ký
// Chương trình phối hợp số …".
var issuingVerbs = []string{" ban hành", " ký kết", " ký"}

// verbSubject reads the issuer from a sentence part seg that ends where a
// citation starts: the body right before an issuing verb that leads into
// the citation ("Chủ tịch UBND huyện ban hành", "Văn phòng đã ban hành",
// and through "trình" the nearest one: "tham mưu, trình Chủ tịch UBND
// tỉnh ban hành" names Chủ tịch UBND tỉnh). It returns "" when no verb
// leads into the citation or no body stands before it.
func verbSubject(seg string) string {
	for _, v := range issuingVerbs {
		idx := strings.LastIndex(seg, v)
		if idx < 0 {
			continue
		}
		rest := strings.TrimSpace(seg[idx+len(v):])
		if rest != "" && rest != "kèm theo" && rest != "các" && rest != "theo" {
			continue
		}
		e := idx
		for _, aux := range []string{" đã", " cùng", " đồng thời", " vừa", " cũng"} {
			if strings.HasSuffix(seg[:e], aux) {
				e -= len(aux)
				break
			}
		}
		if b := bodyEndingAt(seg, e); b != "" {
			return b
		}
	}
	return ""
}

// bodyEndingAt reads backwards from e to find a body's name ending there.
func bodyEndingAt(s string, e int) string {
	start := e
	var words []string
	k := e
	for len(words) < 12 {
		j := k
		for j > 0 && s[j-1] == ' ' {
			j--
		}
		w0 := j
		for w0 > 0 {
			r, sz := utf8.DecodeLastRuneInString(s[:w0])
			if !isWordRune(r) {
				break
			}
			w0 -= sz
		}
		if w0 == j {
			break
		}
		words = append(words, s[w0:j])
		k = w0
		// Re-read forwards: the candidate must parse as one body to e.
		if isCapitalised(s[w0:j]) {
			if b, be := readBody(s, w0); be == e && b != "" {
				start = w0
			}
		}
	}
	if start == e {
		return ""
	}
	return s[start:e]
}
