package cite

import "testing"

func TestExtract_Anomalies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, number, code string
	}{
		{"impossible date", "Quyết định số 31/QĐ-VP ngày 31/4/2019 của Chánh Văn phòng.", "31/QĐ-VP", AnomalyImpossibleDate},
		{"conflicting dates", "Quy định số 12-QĐ/TU ngày 27/12/2019; Quy định số 12-QĐ/TU ngày 27/02/2019.", "12-QĐ/TU", AnomalyConflictingDates},
		{"year mismatch", "Nghị định số 04/2013/NĐ-CP ngày 09/01/2015 của Chính phủ.", "04/2013/NĐ-CP", AnomalyYearMismatch},
		{"with and without year", "Quyết định số 48/QĐ-UBND ngày 5/3/2021; Quyết định số 48/2021/QĐ-UBND.", "48/2021/QĐ-UBND", AnomalyYearSegment},
		{"malformed", "theo Kế hoạch số 1229-KH-VP ngày 1/6/2022.", "1229-KH-VP", AnomalyMalformedNumber},
		{"after document", "Số: 10/BC-UBND\n\nSơn La, ngày 01 tháng 01 năm 2022\n\nKế hoạch số 5/KH-UBND ngày 20/3/2022.", "5/KH-UBND", AnomalyDateAfterDocument},
		{"shared number", "Kế hoạch số 06/KH-VPUB ngày 20/01/2021; Kế hoạch số 06/KH-VPUB ngày 12/01/2020.", "06/KH-VPUB", AnomalyDuplicateNumber},
		{"issuer", "Quy định số 12-QĐ/TU ngày 27/12/2019 của Ban Thường vụ Tỉnh ủy; Quy định số 12-QĐ/TU của Tỉnh ủy.", "12-QĐ/TU", AnomalyInconsistentIssuer},
		{"type", "Quyết định số 53/KH-UBND ngày 23/3/2022.", "53/KH-UBND", AnomalyTypeMismatch},
		{"sequence", "Kế hoạch số 21/KH-UBND ngày 28/01/2022, Kế hoạch số 28/KH-UBND ngày 21/02/2021 và Kế hoạch số 30/KH-UBND ngày 23/02/2022.", "28/KH-UBND", AnomalyOutOfSequence},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := Extract(tc.text, Options{})
			c := find(t, r, tc.number)
			requireTrue(t, hasAnomaly(c, tc.code), c.Anomalies)
			for _, a := range c.Anomalies {
				requireTrue(t, a.Message != "", a)
			}
		})
	}
}

func TestExtract_ImpossibleDateGivesNullDate(t *testing.T) {
	t.Parallel()
	c := Extract("Quyết định số 31/QĐ-VP ngày 31/4/2019.", Options{}).Citations[0]
	requireTrue(t, c.Date == nil, c.Date)
	requireEqual(t, []string{"31/4/2019"}, c.DatesSeen)
	requireEqual(t, 2019, *c.Year)
	requireEqual(t, "2019-04-31", c.MentionList[0].Date)
	requireEqual(t, false, c.MentionList[0].DateValid)
}

func TestExtract_SameYearDifferentDatesMerge(t *testing.T) {
	t.Parallel()
	r := Extract("Kế hoạch số 06/KH-VPUB ngày 20/01/2021 và Kế hoạch số 06/KH-VPUB ngày 12/01/2021 của Văn phòng UBND tỉnh", Options{})
	requireEqual(t, 1, len(r.Citations))
	c := r.Citations[0]
	requireEqual(t, 2, c.Mentions)
	requireEqual(t, "2021-01-20", deref(c.Date))
	requireTrue(t, hasAnomaly(c, AnomalyConflictingDates), c.Anomalies)
}

func TestExtract_NoFalseAnomalies(t *testing.T) {
	t.Parallel()
	// Plan 25 of 2020 sits between 22 and 28 of 2021: numbers restart each
	// year, so that alone is no anomaly.
	r := Extract("Kế hoạch số 25/KH-VPUB ngày 31/5/2020; Kế hoạch số 22/KH-VPUB ngày 01/02/2021; Kế hoạch số 28/KH-VPUB ngày 25/02/2021.", Options{})
	for _, c := range r.Citations {
		requireEqual(t, 0, len(c.Anomalies), c.Number, c.Anomalies)
	}
}
