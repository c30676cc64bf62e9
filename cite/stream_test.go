package cite

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// streamTexts are the corpus and form texts, and all of them joined.
func streamTexts(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	var all strings.Builder
	for _, pat := range []string{filepath.Join(corpusDir, "*.txt"), filepath.Join(formsDir, "*.txt")} {
		files, _ := filepath.Glob(pat)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out[filepath.Base(f)] = string(b)
			all.Write(b)
			all.WriteString("\n\n")
		}
	}
	if len(out) == 0 {
		t.Skip("no texts")
	}
	out["all"] = all.String()
	return out
}

func jsonOf(t *testing.T, r *Result) string {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestExtractor_MatchesExtract reads every text in chunks far smaller than
// the text, through a reader that returns one byte at a time, and
// requires the same JSON as Extract on the whole text.
func TestExtractor_MatchesExtract(t *testing.T) {
	t.Parallel()
	for name, text := range streamTexts(t) {
		want := jsonOf(t, Extract(text, Options{}))
		for _, size := range []int{2048, 8192, 1 << 20} {
			r := iotest.OneByteReader(strings.NewReader(text))
			got, err := (&Extractor{ChunkSize: size}).Extract(r)
			if err != nil {
				t.Fatal(err)
			}
			if g := jsonOf(t, got); g != want {
				t.Errorf("%s, chunk %d:\n got %s\nwant %s", name, size, g, want)
			}
		}
	}
}

// TestExtractor_SpansAndCounts checks that spans from a chunked read
// point into the whole text, and that repeated readings are counted.
func TestExtractor_SpansAndCounts(t *testing.T) {
	t.Parallel()
	para := "Thực hiện Kế hoạch số 53/KH-UBND ngày 23/3/2022 của UBND tỉnh về dân vận chính quyền.\n\n"
	text := "BÁO CÁO\n\n" + strings.Repeat(para, 200)
	res, err := (&Extractor{ChunkSize: 1000}).Extract(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	c := find(t, res, "53/KH-UBND")
	requireEqual(t, 200, c.Mentions, "mentions")
	requireEqual(t, 1, len(c.MentionList), "distinct readings kept")
	m := c.MentionList[0]
	requireEqual(t, m.Raw, text[m.Start:m.End], "span")
}

// TestExtractor_ReadError passes the reader's error on.
func TestExtractor_ReadError(t *testing.T) {
	t.Parallel()
	r := iotest.TimeoutReader(bytes.NewReader(bytes.Repeat([]byte("Kế hoạch số 1/KH-UBND. "), 1000)))
	if _, err := (&Extractor{ChunkSize: 100}).Extract(r); err == nil {
		t.Fatal("want the reader's error")
	}
}
