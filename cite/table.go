package cite

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable writes a Result as a table people can read: the document's
// identity, then one row per citation with its anomalies underneath. It
// returns the first write error.
func WriteTable(w io.Writer, file string, r *Result) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\n", file)
	if r == nil {
		r = &Result{}
	}
	if d := r.Document; d != nil {
		fmt.Fprintf(tw, "document: %s %s, %s, %s\n", d.Type, d.Number, orDash(d.Date), orDash(d.Issuer))
	} else {
		fmt.Fprintf(tw, "document: (no header number)\n")
	}
	fmt.Fprintf(tw, "#\tNUMBER / NAME\tTYPE\tDATE\tISSUER\tMENTIONS\tSUBJECT\n")
	for i, c := range r.Citations {
		id := c.Number
		if id == "" && c.Name != nil {
			id = *c.Name
		}
		date := "-"
		if c.Date != nil {
			date = *c.Date
		} else if len(c.DatesSeen) > 0 {
			date = c.DatesSeen[0] + "?"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", i+1, id, c.Type, date, orDash(c.Issuer),
			c.Mentions, clip(nilToEmpty(c.Subject), 60))
		for _, a := range c.Anomalies {
			fmt.Fprintf(tw, "\t  ! %s\t%s\n", a.Code, a.Message)
		}
	}
	fmt.Fprintf(tw, "%d citation(s)\n\n", len(r.Citations))
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// clip shortens s to n runes, marking the cut.
func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\t", " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
