package cite

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// formsDir holds texts written for the forms real documents use (issue
// 12): each NAME.txt has NAME.json in the corpus gold format, plus the
// citing document's own number when it has one.
const formsDir = "testdata/forms"

type formsGold struct {
	Seed string `json:"seed"`
	// Document is the citing document's own number, "" when it has none.
	Document  string         `json:"document"`
	Citations []goldCitation `json:"citations"`
}

// TestExtract_Forms holds the extractor to every field of the form gold
// files: number, type, issuer as the text names it, date, dates seen,
// year, subject, mentions, first mention and anomaly codes, and no
// citation the gold does not list.
func TestExtract_Forms(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(formsDir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no form fixtures in %s (%v)", formsDir, err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		t.Run(name, func(t *testing.T) {
			text, err := ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			res := Extract(text, Options{})
			if os.Getenv("CITE_FORMS_DUMP") != "" {
				b, _ := json.MarshalIndent(res, "", " ")
				t.Logf("%s", b)
			}
			b, err := os.ReadFile(strings.TrimSuffix(f, ".txt") + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var g formsGold
			if err := json.Unmarshal(b, &g); err != nil {
				t.Fatalf("%s.json: %v", name, err)
			}
			gotDoc := ""
			if res.Document != nil {
				gotDoc = res.Document.Number
			}
			if gotDoc != g.Document {
				t.Errorf("document number %q, gold %q", gotDoc, g.Document)
			}
			checkFormCitations(t, res, g.Citations)
		})
	}
}

func checkFormCitations(t *testing.T, res *Result, gold []goldCitation) {
	t.Helper()
	got := map[string]Citation{}
	for _, c := range res.Citations {
		got[goldKey(c.Kind, strOrNil(c.Number), c.FirstMention)] = c
	}
	want := map[string]bool{}
	for _, gc := range gold {
		k := goldKey(gc.Kind, gc.Number, gc.FirstMention)
		want[k] = true
		c, ok := got[k]
		if !ok {
			t.Errorf("missing %s (%s)", k, gc.FirstMention)
			continue
		}
		// The JSON contract's issuer: what the text names.
		issuer := c.Issuer
		if c.IssuerSource == "dictionary" {
			issuer = ""
		}
		var codes []string
		for _, a := range c.Anomalies {
			codes = append(codes, a.Code)
		}
		for _, d := range []struct{ field, got, want string }{
			{"type", c.Type, gc.Type},
			{"issuer", issuer, deref(gc.Issuer)},
			{"date", strp(c.Date), goldDate(gc.Date)},
			{"dates_seen", strings.Join(c.DatesSeen, "|"), strings.Join(gc.DatesSeen, "|")},
			{"year", yearStr(c.Year), yearStr(gc.Year)},
			{"subject", strp(c.Subject), strp(gc.Subject)},
			{"first_mention", c.FirstMention, gc.FirstMention},
			{"mentions", itoa(c.Mentions), itoa(gc.Mentions)},
			{"anomalies", strings.Join(codes, ","), strings.Join(gc.Anomalies, ",")},
		} {
			if d.got != d.want {
				t.Errorf("%s: %s %q, gold %q", k, d.field, d.got, d.want)
			}
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("extra citation %s", k)
		}
	}
}

func yearStr(y *int) string {
	if y == nil {
		return "<nil>"
	}
	return itoa(*y)
}
