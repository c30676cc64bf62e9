package cite

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// DefaultChunkSize is how much text an Extractor reads at a time.
const DefaultChunkSize = 1 << 20

// Extractor extracts citations from a text read from an io.Reader in
// chunks, so that a file far larger than memory (a year of reports
// concatenated, 1 GB) can be read with flat memory use. Each chunk ends at
// a paragraph break that no sentence runs across, is normalised and
// scanned like a whole text, and is then dropped: only its mentions are
// kept, and a mention that reads exactly like one already kept (same
// number, date, issuer, subject, relation…) is only counted. Memory thus
// grows with the number of distinct citations, not with the text.
//
// The result equals Extract's on the same text, except that a Citation's
// MentionList holds one Mention per distinct reading while Mentions
// counts them all. A "CĂN CỨ PHÁP LÝ" section that straddles two chunks
// counts as legal basis only in the first.
type Extractor struct {
	Options
	// ChunkSize is the target chunk length in bytes; 0 means
	// DefaultChunkSize. A chunk grows past it only to reach a paragraph
	// break.
	ChunkSize int
}

// maxChunkGrowth bounds how far past ChunkSize a chunk may grow looking
// for a paragraph break; past it, a line break (or at worst a rune
// boundary) ends the chunk.
const maxChunkGrowth = 256 << 10

// ExtractReader is (&Extractor{Options: opts}).Extract(r).
func ExtractReader(r io.Reader, opts Options) (*Result, error) {
	return (&Extractor{Options: opts}).Extract(r)
}

// Extract reads r to its end and returns what Extract would find in the
// whole text. The text is cleaned as ReadBytes cleans a .txt file (a
// UTF-8 byte-order mark and NUL bytes dropped, invalid bytes replaced by
// U+FFFD); spans refer to that cleaned text. A UTF-16 text is read whole.
// Chunks after the first are normalised and scanned on up to GOMAXPROCS
// goroutines while the next ones are read; their mentions are taken in
// text order, so the result does not depend on the scheduling. It returns
// the reader's first error other than io.EOF.
func (e *Extractor) Extract(r io.Reader) (*Result, error) {
	d := e.Dictionary
	if d == nil {
		d = DefaultDictionary()
	}
	ck := newChunker(r, e.ChunkSize)
	text, err := ck.next()
	if err != nil {
		return nil, err
	}
	if ck.utf16 {
		rest, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("cite: read: %w", err)
		}
		whole, _ := ReadBytes("text.txt", append([]byte(text), rest...))
		return Extract(whole, e.Options), nil
	}
	st := streamState{seen: map[mentionSig]int{}}
	n := normalize(text, headLimit)
	h := readHeader(n.s, d)
	d = provinceDictionary(d, e.Options, h)
	for _, m := range mentionsIn(text, n, d, h) {
		st.add(m, 0, 0)
	}
	offset, normOffset := len(text), len(n.s)+1
	n.release()

	type job struct {
		text    string
		ms      []mention
		normLen int
		done    chan struct{}
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	jobs, order := make(chan *job, workers), make(chan *job, workers)
	var readErr error
	go func() {
		// The reader: chunks go to the workers and, in the same order,
		// to the collector below.
		defer close(jobs)
		defer close(order)
		for !ck.eof || len(ck.carry) > 0 {
			t, err := ck.next()
			if err != nil {
				readErr = err
				return
			}
			j := &job{text: t, done: make(chan struct{})}
			order <- j
			jobs <- j
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				n := normalize(j.text, 0)
				j.ms = mentionsIn(j.text, n, d, h)
				j.normLen = len(n.s)
				n.release()
				close(j.done)
			}
		}()
	}
	for j := range order {
		<-j.done
		for _, m := range j.ms {
			st.add(m, offset, normOffset)
		}
		offset += len(j.text)
		normOffset += j.normLen + 1
	}
	wg.Wait()
	if readErr != nil {
		return nil, readErr
	}
	res := &Result{Document: h.doc, Citations: merge(st.ms, d, h)}
	if res.Citations == nil {
		res.Citations = []Citation{}
	}
	return res, nil
}

// chunker cuts the text read from r into chunks (see chunkCut).
type chunker struct {
	r            io.Reader
	size, growth int
	buf, carry   []byte
	first, eof   bool
	utf16        bool // the text starts with a UTF-16 byte-order mark
}

func newChunker(r io.Reader, size int) *chunker {
	if size <= 0 {
		size = DefaultChunkSize
	}
	growth := min(maxChunkGrowth, max(size/4, 256))
	return &chunker{r: r, size: size, growth: growth, first: true}
}

// next returns the next chunk, cleaned; "" once r is exhausted. The first
// chunk is long enough to hold the header. It returns the reader's error.
func (c *chunker) next() (string, error) {
	buf := append(c.buf[:0], c.carry...)
	want := c.size
	if c.first {
		want = max(c.size, 4*headLimit)
	}
	for len(buf) < want+c.growth && !c.eof {
		if cap(buf)-len(buf) < 64<<10 {
			buf = slices.Grow(buf, 64<<10)
		}
		k, err := c.r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+k]
		if errors.Is(err, io.EOF) {
			c.eof = true
		} else if err != nil {
			return "", fmt.Errorf("cite: read: %w", err)
		}
	}
	c.buf = buf
	if c.first {
		c.first = false
		if bytes.HasPrefix(buf, []byte{0xff, 0xfe}) || bytes.HasPrefix(buf, []byte{0xfe, 0xff}) {
			c.utf16 = true
			return string(buf), nil
		}
		buf = bytes.TrimPrefix(buf, []byte("\xef\xbb\xbf"))
	}
	cut := len(buf)
	if !c.eof {
		cut = chunkCut(buf, want, c.growth)
	}
	c.carry = append(c.carry[:0], buf[cut:]...)
	return cleanChunk(buf[:cut]), nil
}

// cleanChunk makes a chunk valid UTF-8 without NUL bytes, as ReadBytes
// does for a whole file.
func cleanChunk(b []byte) string {
	if bytes.IndexByte(b, 0) >= 0 {
		b = bytes.ReplaceAll(b, []byte{0}, nil)
	}
	if !utf8.Valid(b) {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(b)
}

// chunkCut returns where a chunk of b should end, at or after size: after
// a blank line followed by a line that cannot continue the paragraph
// before it (one that starts with a capital or a digit), so no sentence
// and no footnote is split. Failing that within growth bytes, after a
// line that ends a sentence, then after any line break, then at a rune
// boundary.
func chunkCut(b []byte, size, growth int) int {
	if len(b) <= size {
		return len(b)
	}
	limit := min(len(b), size+growth)
	for i := size; i < limit; {
		k := bytes.Index(b[i:limit], []byte("\n\n"))
		if k < 0 {
			break
		}
		j := i + k + 2
		for j < limit && (b[j] == '\n' || b[j] == ' ' || b[j] == '\t' || b[j] == '\r') {
			j++
		}
		if j < limit && startsNewParagraph(b[j:]) {
			return i + k + 1
		}
		i = j
	}
	for i := size; i < limit; i++ {
		if b[i] == '\n' && i > 0 && (b[i-1] == '.' || b[i-1] == ';' || b[i-1] == ':') && i+1 < limit && startsNewParagraph(b[i+1:]) {
			return i + 1
		}
	}
	if k := bytes.IndexByte(b[size:limit], '\n'); k >= 0 {
		return size + k + 1
	}
	c := limit - 1
	for c > size && !utf8.RuneStart(b[c]) {
		c--
	}
	return c
}

// startsNewParagraph reports a line starting with a capital letter or a
// digit, which splitParas never joins to the paragraph before a blank.
func startsNewParagraph(b []byte) bool {
	r, _ := utf8.DecodeRune(b)
	if r >= '0' && r <= '9' {
		return true
	}
	return r != utf8.RuneError && strings.ToUpper(string(r)) == string(r) && strings.ToLower(string(r)) != string(r)
}

// mentionSig is what makes two mentions read alike.
type mentionSig struct {
	kind, base, number, name, typ, typeWord, dateRaw, issuer, issuerFrom, subject, relation string
	year                                                                                    int
	malformed, footnote                                                                     bool
}

// streamState keeps the distinct mentions of the chunks read so far.
type streamState struct {
	ms   []mention
	seen map[mentionSig]int
}

// add keeps m, shifted to whole-text offsets and detached from its
// chunk's memory, or counts it on the kept mention that reads the same.
func (st *streamState) add(m mention, offset, normOffset int) {
	sig := mentionSig{kind: m.kind, base: m.sym.base, number: m.Number, name: m.name, typ: m.typ,
		typeWord: m.typeWord, dateRaw: m.DateRaw, issuer: m.Issuer, issuerFrom: m.issuerFrom,
		subject: m.Subject, relation: m.Relation, year: m.year, malformed: m.Malformed, footnote: m.footnote}
	if i, ok := st.seen[sig]; ok {
		st.ms[i].repeats++
		return
	}
	c := strings.Clone
	m.Start += offset
	m.End += offset
	m.normStart += normOffset
	m.normEnd += normOffset
	m.coreEnd += normOffset
	m.sym.start += normOffset
	m.sym.end += normOffset
	m.Raw, m.Text, m.Number, m.DateRaw, m.Date = c(m.Raw), c(m.Text), c(m.Number), c(m.DateRaw), c(m.Date)
	m.Issuer, m.Subject, m.name, m.typ = c(m.Issuer), c(m.Subject), c(m.name), c(m.typ)
	m.sym.number, m.sym.base, m.sym.typeCode, m.sym.issuer = c(m.sym.number), c(m.sym.base), c(m.sym.typeCode), c(m.sym.issuer)
	m.date.raw = c(m.date.raw)
	sig.base, sig.number, sig.name, sig.typ, sig.dateRaw = m.sym.base, m.Number, m.name, m.typ, m.DateRaw
	sig.issuer, sig.subject = m.Issuer, m.Subject
	st.seen[sig] = len(st.ms)
	st.ms = append(st.ms, m)
}
