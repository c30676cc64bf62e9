package wordml_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan/summary/wordml"
)

func TestDateInWords(t *testing.T) {
	// The decree's own examples: day < 10 and months 1, 2 zero-padded.
	require.Equal(t, "Hà Nội, ngày 05 tháng 01 năm 2020", wordml.DateInWords("Hà Nội", time.Date(2020, 1, 5, 0, 0, 0, 0, time.UTC)))
	require.Equal(t, "ngày 29 tháng 6 năm 2019", wordml.DateInWords("", time.Date(2019, 6, 29, 0, 0, 0, 0, time.UTC)))
	require.Equal(t, "Quảng Ngãi, ngày 14 tháng 02 năm 2026", wordml.DateInWords("Quảng Ngãi", time.Date(2026, 2, 14, 0, 0, 0, 0, time.UTC)))
	require.Equal(t, "ngày 01 tháng 12 năm 2026", wordml.DateInWords("", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)))
}

func TestNumberLine(t *testing.T) {
	require.Equal(t, "Số: 05/BC-SNV", wordml.NumberLine("5", "BC-SNV"))
	require.Equal(t, "Số: 123/BC-SNV", wordml.NumberLine("123", "BC-SNV"))
	require.Equal(t, "Số:        /BC-SNV", wordml.NumberLine("", "BC-SNV"))
}

func TestEscape(t *testing.T) {
	require.Equal(t, "a &amp; b &lt;c&gt; &quot;d&quot;", wordml.Escape(`a & b <c> "d"`))
	require.Equal(t, "xy", wordml.Escape("x\x00\x07y"), "characters XML cannot hold are dropped")
	require.Equal(t, "Đức Phổ", wordml.Escape("Đức Phổ"))
}

func TestAddTable_BadRow(t *testing.T) {
	d := &wordml.Doc{}
	err := d.AddTable(wordml.Table{Widths: []int{100, 100}, Rows: [][]wordml.Cell{{wordml.C("a", 12, false, wordml.Left)}}})
	require.Error(t, err)
	require.NoError(t, d.AddTable(wordml.Table{Widths: []int{100, 100}, Rows: [][]wordml.Cell{{{Span: 2}}}}))
	b, err := d.Bytes()
	require.NoError(t, err)
	require.Equal(t, "PK", string(b[:2]))
}
