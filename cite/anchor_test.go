package cite

import "testing"

// TestFirstPass_LosesNothing: parsing only the paragraphs the byte pass
// marks gives exactly what parsing every paragraph gives, on the corpus
// and on every form fixture.
func TestFirstPass_LosesNothing(t *testing.T) {
	t.Parallel()
	for name, text := range streamTexts(t) {
		if got, want := jsonOf(t, Extract(text, Options{})), jsonOf(t, extract(text, Options{}, -1)); got != want {
			t.Errorf("%s: sparse\n%s\ndense\n%s", name, got, want)
		}
	}
}

// TestHasAnchor covers the anchors and the near misses the byte pass
// must tell apart.
func TestHasAnchor(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		text string
		want bool
	}{
		{"Kế hoạch số 53/KH-UBND", true},
		{"Nghị định 04/2015/NĐ-CP", true},
		{"Chỉ thị 25-CT/TU", true},
		{"số 19^A/QĐ-UBND", true},
		{"15/2019/QĐ- UBND", true},
		{"số 132/KH-\nUBND", true},
		{"Nghị quyết 25–NQ/TW", true},
		{"theo Luật tiếp công dân", true},
		{"Nghị quyết Trung ương 7", true},
		{"BỘ LUẬT HÌNH SỰ", true},
		{"Lua\u0323\u0302t decomposed", true},
		{"ngày 23/3/2022 và năm 2022-2025", false},
		{"tỷ lệ 95/100 hộ dân, tổ 5-a", false},
		{"pháp luật và nghị quyết chung", false},
	} {
		if got := hasAnchor(c.text); got != c.want {
			t.Errorf("hasAnchor(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}
