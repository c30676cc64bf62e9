package criteria_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/criteria"
)

func TestParse_Example(t *testing.T) {
	s, err := criteria.Parse(criteria.ExampleTayNinh2022)
	require.NoError(t, err)
	require.Equal(t, "Tây Ninh", s.Province)
	require.Equal(t, 2022, s.Year)
	require.True(t, s.Example)
	require.True(t, strings.HasPrefix(s.About, "EXAMPLE"))
	require.Len(t, s.Sections, 6)
	require.Len(t, s.Criteria(), 16)
	require.Equal(t, "hoan_thanh_tot", s.GradeFor(75).Grade)
	require.Equal(t, "hoan_thanh", s.GradeFor(74.99).Grade)
	require.Equal(t, "khong_hoan_thanh", s.GradeFor(0).Grade)
	require.Equal(t, "hoan_thanh_tot", s.Below("hoan_thanh_xuat_sac").Grade)
}

func TestParse_Invalid(t *testing.T) {
	for name, tc := range map[string]struct{ body, field string }{
		"not json":       {`{`, ""},
		"unknown field":  {`{"id":"x","bogus":1}`, ""},
		"section sum":    {`{"id":"x","province":"P","year":2024,"max_total":10,"sections":[{"code":"A","max":10,"criteria":[{"code":"A1","max":4}]}],"grades":[{"grade":"a","min":5},{"grade":"b","min":0}]}`, "sections[0].max"},
		"unknown auto":   {`{"id":"x","province":"P","year":2024,"max_total":4,"sections":[{"code":"A","max":4,"criteria":[{"code":"A1","max":4,"auto":{"kind":"magic"}}]}],"grades":[{"grade":"a","min":2},{"grade":"b","min":0}]}`, "sections[0].criteria[0].auto.kind"},
		"grade order":    {`{"id":"x","province":"P","year":2024,"max_total":4,"sections":[{"code":"A","max":4,"criteria":[{"code":"A1","max":4}]}],"grades":[{"grade":"a","min":0},{"grade":"b","min":2}]}`, "grades[1].min"},
		"cap bad grade":  {`{"id":"x","province":"P","year":2024,"max_total":4,"sections":[{"code":"A","max":4,"criteria":[{"code":"A1","max":4}]}],"grades":[{"grade":"a","min":2},{"grade":"b","min":0}],"cap":{"grade":"z","max_share":0.2}}`, "cap.grade"},
		"duplicate code": {`{"id":"x","province":"P","year":2024,"max_total":8,"sections":[{"code":"A","max":8,"criteria":[{"code":"A1","max":4},{"code":"A1","max":4}]}],"grades":[{"grade":"a","min":2},{"grade":"b","min":0}]}`, "sections[0].criteria[1].code"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := criteria.Parse([]byte(tc.body))
			e := danvan.AsError(err)
			require.NotNil(t, e)
			require.Equal(t, danvan.EInvalid, e.Code)
			require.NotEmpty(t, e.MessageVI)
			if tc.field != "" {
				var fields []string
				for _, f := range e.Fields {
					fields = append(fields, f.Field)
				}
				require.Contains(t, fields, tc.field)
			}
		})
	}
}
