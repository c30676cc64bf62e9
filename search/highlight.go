package search

import (
	"html"
	"strings"
	"unicode/utf8"

	"github.com/danvan/danvan"
)

// Highlight escapes s as HTML and wraps every whole word whose folded form
// is one of words in <mark>…</mark>. Matching happens on folded text but
// the output keeps s's own letters: "chi thi" marks "Chỉ thị".
func Highlight(s string, words []string) string {
	spans := matchSpans(s, words)
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(html.EscapeString(s[last:sp[0]]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(s[sp[0]:sp[1]]))
		b.WriteString("</mark>")
		last = sp[1]
	}
	b.WriteString(html.EscapeString(s[last:]))
	return b.String()
}

// matchSpans returns the byte spans of s's words that fold to one of words,
// in order and not overlapping.
func matchSpans(s string, words []string) [][2]int {
	if len(words) == 0 {
		return nil
	}
	want := make(map[string]bool, len(words))
	for _, w := range words {
		want[w] = true
	}
	var spans [][2]int
	var fw strings.Builder
	start := -1
	flush := func(end int) {
		if start >= 0 && want[fw.String()] {
			spans = append(spans, [2]int{start, end})
		}
		start = -1
		fw.Reset()
	}
	for i, r := range s {
		if isWordRune(r) || (start >= 0 && danvan.FoldRune(r) == 0) {
			if start < 0 {
				start = i
			}
			if f := danvan.FoldRune(r); f != 0 {
				fw.WriteRune(f)
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	return spans
}

// Snippet returns head highlighted and, when text matches words head does
// not, a window of about width runes around text's first such match,
// highlighted and joined with " … ". Backends without their own
// highlighter use it so every snippet looks the same.
func Snippet(head, text string, words []string, width int) string {
	out := Highlight(head, words)
	inHead := map[string]bool{}
	for _, sp := range matchSpans(head, words) {
		inHead[danvan.Fold(head[sp[0]:sp[1]])] = true
	}
	var rest []string
	for _, w := range words {
		if !inHead[w] {
			rest = append(rest, w)
		}
	}
	spans := matchSpans(text, rest)
	if len(spans) == 0 {
		return out
	}
	a, b := window(text, spans[0][0], spans[0][1], width)
	win := Highlight(text[a:b], words)
	if a > 0 {
		win = "…" + win
	}
	if b < len(text) {
		win += "…"
	}
	if out == "" {
		return win
	}
	return out + " … " + win
}

// window widens [a, b) to about width runes, on rune and word boundaries,
// on one line where possible.
func window(text string, a, b, width int) (int, int) {
	ma, mb := a, b
	half := width / 2
	for n := 0; a > 0 && n < half; n++ {
		r, size := utf8.DecodeLastRuneInString(text[:a])
		if r == '\n' {
			break
		}
		a -= size
	}
	for n := 0; b < len(text) && n < half; n++ {
		r, size := utf8.DecodeRuneInString(text[b:])
		if r == '\n' {
			break
		}
		b += size
	}
	// Do not cut words in half at either end.
	if a > 0 {
		if i := strings.IndexByte(text[a:ma], ' '); i >= 0 {
			a += i + 1
		}
	}
	if b < len(text) {
		if i := strings.LastIndexByte(text[mb:b], ' '); i >= 0 {
			b = mb + i
		}
	}
	return a, b
}
