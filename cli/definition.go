package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/danvan/danvan"
)

// readDefinition reads a cycle definition from a JSON or YAML file (by its
// extension), rejecting unknown fields so a misspelt key is an error rather
// than a silently missing setting. It returns an EInvalid *danvan.Error
// that names the file.
func readDefinition(path string) (*danvan.CycleDefinition, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	bad := func(err error) error {
		return danvan.Errorf(danvan.EInvalid, "%s is not a valid cycle definition: %v", "%s không phải định nghĩa chu kỳ hợp lệ: %v", path, err)
	}
	if ext := strings.ToLower(filepath.Ext(path)); ext == ".yaml" || ext == ".yml" {
		var v any
		if err := yaml.Unmarshal(data, &v); err != nil {
			return nil, bad(err)
		}
		if data, err = json.Marshal(jsonable(v)); err != nil {
			return nil, bad(err)
		}
	}
	var def danvan.CycleDefinition
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&def); err != nil {
		return nil, bad(err)
	}
	return &def, nil
}

// jsonable turns what YAML decodes into what JSON can encode: maps with
// string keys, and dates written unquoted (due: 2022-04-08) back into the
// date text the definition expects.
func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonable(e)
		}
		return x
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = jsonable(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = jsonable(e)
		}
		return x
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 && x.Location() == time.UTC {
			return x.Format("2006-01-02")
		}
		return x.Format(time.RFC3339)
	}
	return v
}
