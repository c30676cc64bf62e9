package registry

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/cite"
)

// stmt is a validity statement by numbers: cited, by ("" none named,
// "self" the citing document), kind.
type stmt struct{ cited, by, kind string }

func validityOf(t *testing.T, text string, canAct bool) []stmt {
	t.Helper()
	res := cite.Extract(text, cite.Options{})
	keys := make([]string, len(res.Citations))
	for i, c := range res.Citations {
		keys[i] = c.Number
	}
	var out []stmt
	for _, v := range findValidity(text, res.Citations, keys, canAct) {
		by := v.ByKey
		if by == "" && v.BySayer {
			by = "self"
		}
		require.NotEmpty(t, v.Sentence)
		require.Contains(t, text, v.Sentence[:min(len(v.Sentence), 20)], "the sentence is quoted from the text")
		out = append(out, stmt{v.CitedKey, by, v.Kind})
	}
	return out
}

func TestFindValidity(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		text   string
		canAct bool
		want   []stmt
	}{
		{"ReplacesBySelf", "Điều 3. Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết định số 12/2019/QĐ-UBND ngày 05/3/2019 của UBND tỉnh.",
			true, []stmt{{"12/2019/QĐ-UBND", "self", danvan.ValReplaced}}},
		{"ReplacesOtherWording", "Quy chế này thay thế cho Quyết định số 7/2017/QĐ-UBND ngày 01/6/2017 của Ủy ban nhân dân tỉnh về việc ban hành quy chế.",
			true, []stmt{{"7/2017/QĐ-UBND", "self", danvan.ValReplaced}}},
		{"RepealsList", "Điều 2. Bãi bỏ Quyết định số 15/2018/QĐ-UBND ngày 10/5/2018 và Quyết định số 16/2018/QĐ-UBND ngày 11/5/2018 của UBND tỉnh.",
			true, []stmt{{"15/2018/QĐ-UBND", "self", danvan.ValRepealed}, {"16/2018/QĐ-UBND", "self", danvan.ValRepealed}}},
		{"ReplacedByNamed", "Qua rà soát, Kế hoạch số 5/KH-UBND ngày 10/01/2021 đã được thay thế bằng Kế hoạch số 9/KH-UBND ngày 20/02/2021.",
			false, []stmt{{"5/KH-UBND", "9/KH-UBND", danvan.ValReplaced}}},
		{"ExpiredReported", "Đến nay Nghị định số 04/2015/NĐ-CP ngày 09/01/2015 của Chính phủ đã hết hiệu lực thi hành.",
			false, []stmt{{"04/2015/NĐ-CP", "", danvan.ValExpired}}},
		{"NowIs", "Thực hiện Quyết định số 12/QĐ-UBND ngày 03/02/2020 (nay là Quyết định số 34/QĐ-UBND ngày 02/3/2021) của UBND tỉnh, đơn vị đã triển khai.",
			false, []stmt{{"12/QĐ-UBND", "34/QĐ-UBND", danvan.ValNowIs}}},
		{"Amends", "Điều 1. Sửa đổi, bổ sung một số điều của Quy định ban hành kèm theo Quyết định số 20/2020/QĐ-UBND ngày 15/7/2020 của UBND tỉnh.",
			true, []stmt{{"20/2020/QĐ-UBND", "self", danvan.ValAmended}}},
		{"AmendedByNamedDocument", "Căn cứ Quyết định số 3/2022/QĐ-UBND ngày 04/01/2022 sửa đổi, bổ sung Quyết định số 20/2020/QĐ-UBND ngày 15/7/2020 của UBND tỉnh;",
			true, []stmt{{"20/2020/QĐ-UBND", "3/2022/QĐ-UBND", danvan.ValAmended}}},
		{"BasisIsNoStatement", "Căn cứ Quyết định số 33/QĐ-UBND ngày 01/02/2022 của UBND tỉnh;\nThực hiện Kế hoạch số 53/KH-UBND ngày 23/3/2022 của UBND tỉnh về dân vận.",
			true, nil},
		{"PhraseInAnotherSentence", "Tỉnh đã bãi bỏ nhiều thủ tục hành chính. Thực hiện Kế hoạch số 53/KH-UBND ngày 23/3/2022 của UBND tỉnh.",
			true, nil},
		{"PhraseTooFar", "Việc thay thế trang thiết bị, sửa chữa trụ sở làm việc của các phòng, ban chuyên môn và các đơn vị sự nghiệp trực thuộc được thực hiện theo Kế hoạch số 53/KH-UBND ngày 23/3/2022.",
			true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, validityOf(t, tc.text, tc.canAct))
		})
	}
}

func TestSentenceAt(t *testing.T) {
	t.Parallel()
	s := "Một. Hai có số 1/KH-UBND; ba.\nBốn"
	a, b := sentenceAt(s, 15, 24)
	require.Equal(t, " Hai có số 1/KH-UBND;", s[a:b], "from after the full stop to the semicolon")
}
