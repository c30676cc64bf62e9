package registry

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/cite"
)

// Validity phrases, folded (danvan.Fold): before a mention they mean the
// citing text (or the document named before the phrase) acts on it
// ("Quyết định này thay thế Quyết định số …", "bãi bỏ Quyết định số …");
// after it they report what happened to it ("… đã được thay thế bằng …",
// "… hết hiệu lực", "… (nay là …)").
var (
	validityBefore = []struct{ phrase, kind string }{
		{"thay the", danvan.ValReplaced}, {"thay cho", danvan.ValReplaced},
		{"bai bo", danvan.ValRepealed}, {"het hieu luc", danvan.ValExpired},
		{"sua doi, bo sung", danvan.ValAmended}, {"sua doi bo sung", danvan.ValAmended},
		{"sua doi", danvan.ValAmended},
	}
	validityAfter = []struct{ phrase, kind string }{
		{"hien nay la", danvan.ValNowIs}, {"nay la", danvan.ValNowIs},
		{"duoc thay the", danvan.ValReplaced}, {"bi thay the", danvan.ValReplaced},
		{"bi bai bo", danvan.ValRepealed}, {"duoc bai bo", danvan.ValRepealed}, {"da bai bo", danvan.ValRepealed},
		{"het hieu luc", danvan.ValExpired},
		{"duoc sua doi", danvan.ValAmended}, {"da sua doi", danvan.ValAmended}, {"bi sua doi", danvan.ValAmended},
	}
)

// validityWindow bounds how far (bytes of folded text) a phrase may stand
// from the mention it is about, inside one sentence: a "bãi bỏ" at the
// start of a long paragraph says nothing about a document cited at its end.
const validityWindow = 90

// mentionRef is one mention with the key of its citation.
type mentionRef struct {
	start, end int
	key        string
}

// findValidity returns what text says about the force of the documents it
// cites: for each mention of a citation in cits (keys[i] is the document
// key of cits[i], "" to skip it), a validity phrase in the same sentence
// just before it (the citing document acts, or the document named before
// the phrase does) or just after it (it was replaced, repealed, amended,
// or "nay là" the next document named). When the sentence names no
// document acting, the citing one does if canAct (it is a decision,
// resolution, decree, circular or law: a report or plan only reports);
// otherwise the statement says nothing of by whom. Each statement carries
// the sentence that made it. It is pure: the text and the extractor's
// spans are all it reads.
func findValidity(text string, cits []cite.Citation, keys []string, canAct bool) []danvan.ValidityStatement {
	var refs []mentionRef
	for i, c := range cits {
		if keys[i] == "" {
			continue
		}
		for _, m := range c.MentionList {
			if m.Start >= 0 && m.End <= len(text) && m.Start < m.End {
				refs = append(refs, mentionRef{m.Start, m.End, keys[i]})
			}
		}
	}
	sort.Slice(refs, func(a, b int) bool { return refs[a].start < refs[b].start })
	var out []danvan.ValidityStatement
	seen := map[[3]string]bool{}
	add := func(st danvan.ValidityStatement) {
		if st.ByKey == "" {
			st.BySayer = canAct
		}
		k := [3]string{st.CitedKey, st.ByKey, st.Kind}
		if st.CitedKey == st.ByKey || seen[k] {
			return
		}
		seen[k] = true
		out = append(out, st)
	}
	for i, r := range refs {
		sa, se := sentenceAt(text, r.start, r.end)
		sentence := clipSentence(text[sa:se])
		// After the mention, up to the next mention: what happened to it.
		afterEnd := se
		if i+1 < len(refs) && refs[i+1].start < se {
			afterEnd = refs[i+1].start
		}
		after := danvan.Fold(text[r.end:afterEnd])
		if kind, at := firstPhrase(after, validityAfter); kind != "" && at <= validityWindow {
			st := danvan.ValidityStatement{CitedKey: r.key, Kind: kind, Sentence: sentence, SpanStart: r.start}
			if next := nextRef(refs, i, se); next != nil && (kind == danvan.ValNowIs ||
				strings.Contains(after[at:], "bang") || strings.Contains(after[at:], "boi")) {
				st.ByKey = next.key
			} else if kind == danvan.ValNowIs {
				continue // "nay là" with nothing named after it
			}
			add(st)
			continue
		}
		// Before the mention, back to the previous mention that is not part
		// of the same list: what is done to it, and by whom.
		before := danvan.Fold(text[sa:r.start])
		kind, at := lastPhrase(before, validityBefore)
		if kind == "" || len(before)-at > validityWindow+listAllowance(refs, i, sa) {
			continue
		}
		lead := strings.TrimRight(before[:at], " ,(")
		if strings.HasSuffix(lead, "nay la") || strings.HasSuffix(lead, "duoc") || strings.HasSuffix(lead, "bi") {
			continue // "A đã được thay thế bằng B": B acts, and A's own rule said so
		}
		if between := before[at:]; wordIndex(between, "bang") >= 0 || wordIndex(between, "boi") >= 0 {
			continue
		}
		st := danvan.ValidityStatement{CitedKey: r.key, Kind: kind, Sentence: sentence, SpanStart: r.start}
		// A document named before the phrase in the same sentence is the
		// one acting ("Luật số 47/2019/QH14 sửa đổi, bổ sung … Luật …").
		phraseAbs := sa + byteOffset(text[sa:r.start], at)
		for j := i - 1; j >= 0 && refs[j].start >= sa; j-- {
			if refs[j].end <= phraseAbs {
				st.ByKey = refs[j].key
				break
			}
		}
		add(st)
	}
	return out
}

// listAllowance widens the window for a mention that follows others in a
// list after one phrase ("bãi bỏ Quyết định số 1/… và Quyết định số 2/…").
func listAllowance(refs []mentionRef, i, sa int) int {
	extra := 0
	for j := i - 1; j >= 0 && refs[j].start >= sa && extra < 4*validityWindow; j-- {
		extra += refs[j+1].start - refs[j].start
	}
	return extra
}

func nextRef(refs []mentionRef, i, se int) *mentionRef {
	for j := i + 1; j < len(refs); j++ {
		if refs[j].start >= se {
			return nil
		}
		if refs[j].key != refs[i].key {
			return &refs[j]
		}
	}
	return nil
}

// firstPhrase returns the kind of the earliest phrase in s and its offset.
func firstPhrase(s string, phrases []struct{ phrase, kind string }) (string, int) {
	kind, at := "", -1
	for _, p := range phrases {
		if i := wordIndex(s, p.phrase); i >= 0 && (at < 0 || i < at) {
			kind, at = p.kind, i
		}
	}
	return kind, at
}

// lastPhrase returns the kind of the latest phrase in s and its offset;
// of two phrases ending at the same place the longer wins ("sửa đổi, bổ
// sung" over "sửa đổi").
func lastPhrase(s string, phrases []struct{ phrase, kind string }) (string, int) {
	kind, at, end := "", -1, -1
	for _, p := range phrases {
		if i := lastWordIndex(s, p.phrase); i >= 0 && i+len(p.phrase) > end {
			kind, at, end = p.kind, i, i+len(p.phrase)
		}
	}
	return kind, at
}

// wordIndex is strings.Index of a whole-word occurrence, or -1.
func wordIndex(s, w string) int {
	for off := 0; ; {
		i := strings.Index(s[off:], w)
		if i < 0 {
			return -1
		}
		i += off
		if isWordEdge(s, i, i+len(w)) {
			return i
		}
		off = i + 1
	}
}

func lastWordIndex(s, w string) int {
	for end := len(s); ; {
		i := strings.LastIndex(s[:end], w)
		if i < 0 {
			return -1
		}
		if isWordEdge(s, i, i+len(w)) {
			return i
		}
		end = i + len(w) - 1
	}
}

func isWordEdge(s string, a, b int) bool {
	letter := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80 }
	return (a == 0 || !letter(s[a-1])) && (b >= len(s) || !letter(s[b]))
}

// byteOffset maps an offset in danvan.Fold(s) back to one in s: folding
// changes byte lengths (ế is three bytes, e one).
func byteOffset(s string, folded int) int {
	n := 0
	for i, r := range s {
		if n >= folded {
			return i
		}
		if f := danvan.FoldRune(r); f != 0 {
			n += utf8.RuneLen(f)
		}
	}
	return len(s)
}

// sentenceAt returns the bounds of the sentence around [a,b): from after
// the previous ";", line break or ". " to the next.
func sentenceAt(s string, a, b int) (int, int) {
	start := 0
	for i := a - 1; i >= 0; i-- {
		c := s[i]
		if c == ';' || c == '\n' || (c == '.' && i+1 < len(s) && (s[i+1] == ' ' || s[i+1] == '\n')) {
			start = i + 1
			break
		}
	}
	end := len(s)
	for i := b; i < len(s); i++ {
		c := s[i]
		if c == ';' || c == '\n' || (c == '.' && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\n' || s[i+1] == '\r')) {
			end = i + 1
			break
		}
	}
	return start, end
}

// clipSentence normalises whitespace and keeps at most 500 bytes, cut at a
// word.
func clipSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.TrimLeft(s, "-+• ")
	if len(s) > 500 {
		cut := strings.LastIndexByte(s[:500], ' ')
		if cut < 0 {
			cut = 500
			for !utf8.RuneStart(s[cut]) {
				cut--
			}
		}
		s = s[:cut] + " …"
	}
	return s
}
