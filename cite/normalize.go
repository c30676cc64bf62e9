package cite

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"slices"
	"sync"
)

// normText is the text the scanners read: NFC, one space for any run of
// whitespace, '\n' between paragraphs, a paragraph broken by a line or page
// break (even with footnotes printed in between) joined back into one line,
// and footnotes as paragraphs of their own. start/end map every byte of s
// back to the source rune it came from, so spans survive normalisation.
type normText struct {
	src  string
	s    string
	segs []offsetSeg // the byte map, one entry per stretch mapped alike
	bufs *normBufs
}

// offsetSeg maps the normalised bytes from norm up to the next segment:
// a linear segment copies source bytes one for one from src; another maps
// all its bytes to the one source rune at src (a composed letter, a
// separator standing for collapsed whitespace). Storing stretches rather
// than one offset per byte keeps the map small and its building cheap:
// most of a text is copied in long linear stretches.
type offsetSeg struct {
	norm, src int32
	linear    bool
}

// srcOf returns the source offset of the rune that produced normalised
// byte k (for a rune start k).
func (n *normText) srcOf(k int) int {
	i, found := slices.BinarySearchFunc(n.segs, int32(k), func(g offsetSeg, t int32) int { return int(g.norm - t) })
	if !found {
		i--
	}
	g := n.segs[i]
	if g.linear {
		return int(g.src) + k - int(g.norm)
	}
	return int(g.src)
}

// srcSpan maps a normalised byte range to the original text.
func (n *normText) srcSpan(a, b int) (int, int) {
	if a >= len(n.s) {
		return len(n.src), len(n.src)
	}
	if b <= a {
		s := n.srcOf(a)
		return s, s
	}
	return n.srcOf(a), n.srcEnd(b)
}

// srcEnd maps the end of a normalised range to the end of the source
// rune (with any combining marks) that produced its last byte.
func (n *normText) srcEnd(b int) int {
	k := b - 1
	for k > 0 && !utf8.RuneStart(n.s[k]) {
		k--
	}
	o := n.srcOf(k)
	if o >= len(n.src) {
		return len(n.src)
	}
	c := n.s[k]
	if (c == ' ' || c == '\n') && n.src[o] != c {
		return o // an inserted separator covers no source text
	}
	_, sz := utf8.DecodeRuneInString(n.src[o:])
	o += sz
	for o < len(n.src) {
		r, sz := utf8.DecodeRuneInString(n.src[o:])
		if !isMark(r) {
			break
		}
		o += sz
	}
	return o
}

type lineSpan struct{ a, b int }

type para struct {
	lines    []lineSpan
	footnote bool
	first    int
}

func isSuperDigit(r rune) bool {
	return r == '¹' || r == '²' || r == '³' || (r >= '⁰' && r <= '⁹')
}

// isBlankRune reports whitespace and invisible characters that only
// separate words: NBSP and friends come from Word and web pages.
func isBlankRune(r rune) bool {
	switch r {
	case ' ', '\t', '\r', '\v', '\f', 0xA0, 0x2007, 0x202F, 0x3000, 0x200B, 0x200C, 0x200D, 0xFEFF, 0x00AD:
		return true
	}
	if r < 0x20 {
		return true
	}
	// The remaining Unicode spaces, spelled out: Vietnamese letters with
	// hooks and tones (U+1EA0–U+1EF9) sit in this range and would otherwise
	// all go through unicode.IsSpace.
	switch {
	case r == 0x85, r == 0x1680, r >= 0x2000 && r <= 0x200A, r == 0x2028, r == 0x2029, r == 0x205F:
		return true
	}
	return false
}

// isMark reports a combining mark; the common Vietnamese letters are
// precomposed and never marks, so they skip the table lookup.
func isMark(r rune) bool {
	// Quick answers for Latin (with all Vietnamese letters), Greek and
	// Cyrillic letters and general punctuation, which have no marks.
	if r < 0x300 || (r >= 0x370 && r < 0x483) || (r >= 0x1E00 && r < 0x20D0) {
		return false
	}
	if r <= 0x36F {
		return true
	}
	return unicode.Is(unicode.Mn, r)
}

func trimLine(src string, a, b int) (int, int) {
	for a < b {
		r, sz := utf8.DecodeRuneInString(src[a:b])
		if !isBlankRune(r) && r != '*' {
			break
		}
		a += sz
	}
	for b > a {
		r, sz := utf8.DecodeLastRuneInString(src[a:b])
		if !isBlankRune(r) && r != '*' {
			break
		}
		b -= sz
	}
	return a, b
}

func lastRuneOf(src string, l lineSpan) rune {
	r, _ := utf8.DecodeLastRuneInString(src[l.a:l.b])
	return r
}

func terminated(src string, p *para) bool {
	switch lastRuneOf(src, p.lines[len(p.lines)-1]) {
	case '.', ';', ':', '!', '?', '…':
		return true
	}
	return false
}

// endsWithJoiner reports a line that cannot end a sentence: a number cut
// after its separator or a citation cut after "số"/"ngày".
func endsWithJoiner(src string, l lineSpan) bool {
	r := lastRuneOf(src, l)
	if r == '-' || r == '/' {
		return true
	}
	t := src[l.a:l.b]
	w := t[strings.LastIndexByte(t, ' ')+1:]
	if len(w) > len("tháng") {
		return false
	}
	for _, j := range []string{"số", "ngày", "tháng", "năm", "của", "về"} {
		if strings.EqualFold(w, j) {
			return true
		}
	}
	return false
}

// symbolCut reports a document number broken across two lines after its
// separator ("Kế hoạch số 132/KH-" then "UBND ngày …"): the lines join
// without a space, so the number reads as written on one line.
func symbolCut(src string, prev, next lineSpan) bool {
	t := src[prev.a:prev.b]
	if len(t) < 3 || (t[len(t)-1] != '-' && t[len(t)-1] != '/') {
		return false
	}
	c := t[len(t)-2]
	if !(c >= 'A' && c <= 'Z') && !isDigit(c) && !strings.HasSuffix(t[:len(t)-1], "Đ") {
		return false
	}
	n := src[next.a]
	return (n >= 'A' && n <= 'Z') || strings.HasPrefix(src[next.a:next.b], "Đ")
}

// splitParas groups the source lines into paragraphs. A line that starts
// with a lower-case letter continues the last unfinished body paragraph
// (a page break can put footnotes between the halves of a sentence), or
// else the last unfinished footnote.
func splitParas(src string) []para {
	var paras []para
	openMain, openFoot, last := -1, -1, -1
	blankBefore := true
	pos := 0
	for pos <= len(src) {
		nl := strings.IndexByte(src[pos:], '\n')
		lineEnd := len(src)
		if nl >= 0 {
			lineEnd = pos + nl
		}
		a, b := trimLine(src, pos, lineEnd)
		next := lineEnd + 1
		if a >= b {
			blankBefore = true
			pos = next
			continue
		}
		l := lineSpan{a, b}
		first, _ := utf8.DecodeRuneInString(src[a:b])
		switch {
		case isSuperDigit(first):
			paras = append(paras, para{lines: []lineSpan{l}, footnote: true, first: a})
			openFoot = len(paras) - 1
			last = openFoot
		case unicode.IsLower(first):
			target := -1
			if !blankBefore && last >= 0 && paras[last].footnote && !terminated(src, &paras[last]) {
				target = last
			} else if openMain >= 0 && !terminated(src, &paras[openMain]) {
				target = openMain
			} else if openFoot >= 0 && !terminated(src, &paras[openFoot]) {
				target = openFoot
			}
			if target >= 0 {
				paras[target].lines = append(paras[target].lines, l)
				last = target
				break
			}
			paras = append(paras, para{lines: []lineSpan{l}, first: a})
			openMain = len(paras) - 1
			last = openMain
		default:
			if openMain >= 0 && last == openMain {
				pl := paras[openMain].lines
				if endsWithJoiner(src, pl[len(pl)-1]) {
					paras[openMain].lines = append(paras[openMain].lines, l)
					break
				}
			}
			paras = append(paras, para{lines: []lineSpan{l}, first: a})
			openMain = len(paras) - 1
			last = openMain
			if isHeading(src[a:b]) {
				// Headings end without a full stop but never continue.
				openMain, last = -1, -1
			}
		}
		blankBefore = false
		pos = next
	}
	return paras
}

func isDash(r rune) bool {
	return r == '–' || r == '—' || r == '‐' || r == '‑' || r == '−' || r == '‒'
}

// startsLetter reports, from its first bytes alone, that the character at
// src[j] is a precomposed Vietnamese letter (U+00C0–U+01BF or
// U+1E80–U+1EFF) and so not a combining mark: the common case, answered
// without decoding.
func startsLetter(src string, j, end int) bool {
	switch b := src[j]; {
	case b >= 0xC3 && b <= 0xC6:
		return true
	case b == 0xE1 && j+1 < end:
		return src[j+1] == 0xBA || src[j+1] == 0xBB
	}
	return false
}

// normalize builds the normalised view of src. Invalid UTF-8 bytes become
// spaces so every output string is valid UTF-8. Once keep bytes are out
// (the header's headLimit for a whole text, 0 for a later chunk), body
// paragraphs that cannot hold a citation (see paraMatters) are left out:
// every scanner stops at a paragraph break, so what they find does not
// change, and most of a report is never normalised. keep < 0 keeps all.
func normalize(src string, keep int) *normText {
	n := &normText{src: src}
	// The working buffers are pooled: allocating them per call cost a
	// tenth of the time in garbage collection. Only the final string is
	// allocated.
	bufs := normPool.Get().(*normBufs)
	n.bufs = bufs
	out := slices.Grow(bufs.out[:0], len(src)+16)
	segs := bufs.segs[:0]
	// mapTo records that the bytes about to be appended at len(out) come
	// from src[s:], linearly or all from the rune at s.
	mapTo := func(s int, linear bool) {
		if k := len(segs) - 1; k >= 0 && linear && segs[k].linear && int(segs[k].src)+len(out)-int(segs[k].norm) == s {
			return // continues the stretch before
		}
		segs = append(segs, offsetSeg{norm: int32(len(out)), src: int32(s), linear: linear})
	}
	emit := func(b []byte, s, _ int) {
		mapTo(s, len(b) == 1)
		out = append(out, b...)
	}
	emitByte := func(c byte, s, _ int) {
		mapTo(s, true)
		out = append(out, c)
	}
	for _, p := range splitParas(src) {
		if keep >= 0 && len(out) >= keep && !paraMatters(src, p) {
			continue
		}
		if len(out) > 0 {
			emit([]byte{'\n'}, p.first, p.first)
		}
		space := false
		for li, l := range p.lines {
			if li > 0 && !symbolCut(src, p.lines[li-1], l) {
				space = true
			}
			i := l.a
			for i < l.b {
				c := src[i]
				if !space && (plainByte[c] || c >= 0xC3) {
					// A run of plain printable ASCII (single spaces inside it
					// included) is copied as it stands, byte for byte.
					if k := plainRun(src, i, l.b); k > i {
						mapTo(i, true)
						out = append(out, src[i:k]...)
						i = k
						continue
					}
				}
				// ASCII fast path, unless a combining mark follows (decomposed
				// Vietnamese puts tone marks after plain letters).
				if c < utf8.RuneSelf && (i+1 >= l.b || src[i+1] < utf8.RuneSelf) {
					switch {
					case c == '*' || c == '^':
						i++
						continue
					case c <= ' ' || c == 0x7f:
						space = true
						i++
						continue
					}
					if space && len(out) > 0 && out[len(out)-1] != '\n' {
						emitByte(' ', i, i)
					}
					space = false
					emitByte(c, i, i+1)
					i++
					continue
				}
				r, sz := utf8.DecodeRuneInString(src[i:l.b])
				if r == utf8.RuneError && sz <= 1 {
					space = true
					i++
					continue
				}
				if r == '*' || r == '^' {
					i += sz
					continue
				}
				if isBlankRune(r) {
					if r != 0xAD && r != 0x200B && r != 0x200C && r != 0x200D && r != 0xFEFF {
						space = true
					}
					i += sz
					continue
				}
				if isSuperDigit(r) || isMark(r) {
					// Footnote markers and stray combining marks carry no
					// words; a mark after a base letter is handled below.
					i += sz
					continue
				}
				if space && len(out) > 0 && out[len(out)-1] != '\n' {
					emit([]byte{' '}, i, i)
				}
				space = false
				j := i + sz
				for j < l.b && src[j] >= utf8.RuneSelf && !startsLetter(src, j, l.b) {
					m, msz := utf8.DecodeRuneInString(src[j:l.b])
					if !isMark(m) {
						break
					}
					j += msz
				}
				if j > i+sz {
					// Decomposed Vietnamese (base + tone marks): compose.
					emit([]byte(norm.NFC.String(src[i:j])), i, j)
					i = j
					continue
				}
				if isDash(r) {
					emitByte('-', i, i+sz)
					i += sz
					continue
				}
				// Only a rune's first byte is ever looked up, so a copied
				// rune maps linearly.
				mapTo(i, true)
				out = append(out, src[i:i+sz]...)
				i += sz
			}
		}
	}
	n.s = string(out)
	n.segs = segs
	bufs.out, bufs.segs = out, segs
	return n
}

// plainByte marks printable ASCII that normalisation keeps as it is.
var plainByte = func() (t [256]bool) {
	for c := '!'; c < 0x7f; c++ {
		t[c] = c != '*' && c != '^'
	}
	return t
}()

// plainRun returns the end of the run starting at i, before end, that
// normalisation copies unchanged: printable ASCII, single spaces between
// such characters, and precomposed Vietnamese letters (U+00C0–U+01BF,
// U+1E80–U+1EFF), each not followed by a combining mark. It returns i when
// the byte at i starts no such run.
func plainRun(src string, i, end int) int {
	j := i
	for j < end {
		c := src[j]
		w := 0
		switch {
		case plainByte[c]:
			w = 1
		case c == ' ':
			if j == i || j+1 >= end || !plainByte[src[j+1]] {
				return j
			}
			w = 1
		case c >= 0xC3 && c <= 0xC6 && j+1 < end && isCont(src[j+1]):
			w = 2
		case c == 0xE1 && j+2 < end && (src[j+1] == 0xBA || src[j+1] == 0xBB) && isCont(src[j+2]):
			w = 3
		default:
			return j
		}
		k := j + w
		if k > end {
			return j
		}
		// What follows must not be a mark to compose with this letter.
		if k < end && src[k] >= utf8.RuneSelf && !startsLetter(src, k, end) {
			return j
		}
		j = k
	}
	return j
}

// isCont reports a UTF-8 continuation byte.
func isCont(b byte) bool { return b&0xC0 == 0x80 }

type normBufs struct {
	out  []byte
	segs []offsetSeg
}

var normPool = sync.Pool{New: func() any { return new(normBufs) }}

// release returns the working buffers to the pool; n.srcSpan must not be
// called after it.
func (n *normText) release() {
	if n.bufs == nil {
		return
	}
	// Keep very large buffers out of the pool so one huge file does not pin
	// its memory for ever.
	if cap(n.bufs.out) <= 8<<20 {
		normPool.Put(n.bufs)
	}
	n.bufs, n.segs = nil, nil
}
