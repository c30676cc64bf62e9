package cite

import (
	"fmt"
	"reflect"
	"testing"
)

// Plain-testing stand-ins for testify's require: testify cannot be
// imported until go.mod lists its dependencies (go mod tidy), which this
// package may not change.

func fmtSscanf(s string, y, m, d *int) (int, error) {
	return fmt.Sscanf(s, "%d-%d-%d", y, m, d)
}

func requireEqual(t *testing.T, want, got any, msg ...any) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("%s\nwant: %#v\n got: %#v", fmt.Sprint(msg...), want, got)
	}
}

func requireTrue(t *testing.T, ok bool, msg ...any) {
	t.Helper()
	if !ok {
		t.Fatal(msg...)
	}
}

// find returns the citation with number (or name) n, failing the test if
// it is missing.
func find(t *testing.T, r *Result, n string) Citation {
	t.Helper()
	for _, c := range r.Citations {
		if c.Number == n || (c.Name != nil && *c.Name == n) || c.FirstMention == n {
			return c
		}
	}
	var have []string
	for _, c := range r.Citations {
		have = append(have, c.Number+"|"+c.FirstMention)
	}
	t.Fatalf("no citation %q; have %q", n, have)
	return Citation{}
}

func hasAnomaly(c Citation, code string) bool {
	for _, a := range c.Anomalies {
		if a.Code == code {
			return true
		}
	}
	return false
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
