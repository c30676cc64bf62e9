package search_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan/search"
)

func TestParseQuery(t *testing.T) {
	t.Parallel()
	p := search.ParseQuery("Chỉ thị số 33/CT-TTg")
	require.Equal(t, []string{"chi", "thi", "33", "ct", "ttg"}, p.Words)
	require.Equal(t, []string{"33/ct-ttg"}, p.Numbers)
	require.Equal(t, []string{"33"}, p.NumberHeads)
	require.Contains(t, p.TypeFolds, "ct")

	p = search.ParseQuery("chuong trinh phoi hop 12 25-NQ/TW")
	require.Equal(t, []string{"ctrph"}, p.TypeFolds[:1])
	require.Equal(t, []string{"12", "25"}, p.NumberHeads)
	require.Equal(t, []string{"25-nq/tw"}, p.Numbers)

	require.Equal(t, []string{"qd"}, search.TypeFolds("Quyết định"))
	require.Nil(t, search.TypeFolds("xyz"))
}

func TestHighlight(t *testing.T) {
	t.Parallel()
	require.Equal(t, "<mark>Chỉ</mark> <mark>thị</mark> 33/CT-TTg &amp; thiết",
		search.Highlight("Chỉ thị 33/CT-TTg & thiết", []string{"chi", "thi"}))
	require.Equal(t, "<mark>33</mark>/CT-TTg", search.Highlight("33/CT-TTg", []string{"33"}))
	require.Equal(t, "<mark>Đảng</mark> ủy", search.Highlight("Đảng ủy", []string{"dang"}))
	// Decomposed input (combining marks) still matches and keeps its bytes.
	require.Equal(t, "<mark>Chi\u0309</mark>", search.Highlight("Chi\u0309", []string{"chi"}))

	text := "Mở đầu dài dòng. " + "Nội dung chính về tiếp công dân tại trụ sở. Kết thúc."
	s := search.Snippet("Kế hoạch 1/KH", text, []string{"tiep", "cong", "dan"}, 40)
	require.Contains(t, s, "Kế hoạch 1/KH … …")
	require.Contains(t, s, "<mark>tiếp</mark> <mark>công</mark> <mark>dân</mark>")
}
