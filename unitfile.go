package danvan

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// unitColumns is the CSV header units files must carry, in any order.
var unitColumns = []string{"code", "name", "parent_code", "kind", "email", "head_email"}

// ParseUnits reads a unit list as CSV (header code,name,parent_code,kind,
// email,head_email) or as a JSON array of units, whichever data is. It
// returns an EInvalid *Error that names the line for malformed input.
func ParseUnits(data []byte) ([]Unit, error) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(trimmed) == 0 {
		return nil, Invalid("file", "is empty", "tệp rỗng")
	}
	if trimmed[0] == '[' {
		var units []Unit
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&units); err != nil {
			return nil, Errorf(EInvalid, "the JSON unit list is malformed: %v", "danh sách đơn vị JSON sai định dạng: %v", err)
		}
		return units, nil
	}
	return parseUnitsCSV(trimmed)
}

func parseUnitsCSV(data []byte) ([]Unit, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		return nil, Errorf(EInvalid, "cannot read the CSV header: %v", "không đọc được dòng tiêu đề CSV: %v", err)
	}
	idx := map[string]int{}
	for i, h := range header {
		idx[strings.ToLower(strings.TrimSpace(h))] = i
	}
	var missing []string
	for _, c := range unitColumns[:4] {
		if _, ok := idx[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, Errorf(EInvalid, "the CSV header lacks columns %s (expected %s)", "dòng tiêu đề CSV thiếu cột %s (cần %s)",
			strings.Join(missing, ", "), strings.Join(unitColumns, ","))
	}
	get := func(rec []string, col string) string {
		if i, ok := idx[col]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var units []Unit
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, Errorf(EInvalid, "CSV line %d: %v", "dòng CSV %d: %v", line, err)
		}
		units = append(units, Unit{Code: get(rec, "code"), Name: get(rec, "name"), ParentCode: get(rec, "parent_code"),
			Kind: get(rec, "kind"), Email: get(rec, "email"), HeadEmail: get(rec, "head_email")})
	}
	if len(units) == 0 {
		return nil, Invalid("file", fmt.Sprintf("has a header but no units"), "có tiêu đề nhưng không có đơn vị nào")
	}
	return units, nil
}
