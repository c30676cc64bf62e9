// Package reports checks a unit's mid-year and annual reports against a
// report catalogue: the sections and figures a province asks for and the
// rules a standing agency checks (parts not above totals, the identities of
// Biểu 01/XLD, percentages in range). The catalogue is data: the product
// ships one (default_catalogue.json, the shared fixture) and a province may
// import its own. The package does no I/O beyond decoding what it is given.
package reports

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/danvan/danvan"
)

//go:embed default_catalogue.json
var defaultCatalogue []byte

// DefaultCatalogueJSON returns the catalogue the product ships with.
func DefaultCatalogueJSON() []byte { return bytes.Clone(defaultCatalogue) }

// Section is one section of a report.
type Section struct {
	Key      string `json:"key"`
	Code     string `json:"code"`
	Title    string `json:"title"`
	Required bool   `json:"required"`
}

// Figure is one figure of a report and the rules it must satisfy.
type Figure struct {
	Key     string `json:"key"`
	Section string `json:"section"`
	Name    string `json:"name"`
	Unit    string `json:"unit"`
	// Min, Max and Decimals, when given, make the figure a measurement
	// (a percentage) instead of a whole count.
	Min       *float64 `json:"min,omitempty"`
	Max       *float64 `json:"max,omitempty"`
	Decimals  *int     `json:"decimals,omitempty"`
	AtMost    []string `json:"at_most,omitempty"`
	AtLeast   []string `json:"at_least,omitempty"`
	AtMostSum []string `json:"at_most_sum,omitempty"`
	SumOf     []string `json:"sum_of,omitempty"`
}

// Identity is an equality a statistical form holds: total = sum of parts.
type Identity struct {
	Total string   `json:"total"`
	Parts []string `json:"parts"`
	Name  string   `json:"name"`
}

// Derived is a rate computed from figures, never entered.
type Derived struct {
	Key            string   `json:"key"`
	Name           string   `json:"name"`
	Unit           string   `json:"unit"`
	Numerator      string   `json:"numerator"`
	Denominator    string   `json:"denominator,omitempty"`
	DenominatorSum []string `json:"denominator_sum,omitempty"`
}

// ModelField is one field (lĩnh vực) a "Dân vận khéo" model may belong to.
type ModelField struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// DefaultModelFields are the four fields several provinces use; a
// catalogue's "model_fields" replaces them.
var DefaultModelFields = []ModelField{
	{"kinh_te", "Kinh tế"},
	{"van_hoa_xa_hoi", "Văn hóa – xã hội"},
	{"quoc_phong_an_ninh", "Quốc phòng – an ninh"},
	{"xay_dung_he_thong_chinh_tri", "Xây dựng hệ thống chính trị"},
}

// Catalogue is a version of the sections, figures and rules of a report.
type Catalogue struct {
	About       string       `json:"about,omitempty"`
	Version     string       `json:"version"`
	Sections    []Section    `json:"sections"`
	Figures     []Figure     `json:"figures"`
	Identities  []Identity   `json:"identities"`
	Derived     []Derived    `json:"derived"`
	ModelFields []ModelField `json:"model_fields,omitempty"`
	Rules       string       `json:"rules,omitempty"`

	sections map[string]*Section
	figures  map[string]*Figure
}

// Parse decodes and checks a catalogue. It returns an EInvalid *Error
// naming the first problem: unknown keys, a rule naming a figure the
// catalogue lacks, a figure placed in an unknown section, a duplicate key.
func Parse(data []byte) (*Catalogue, error) {
	var c Catalogue
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, danvan.Errorf(danvan.EInvalid, "the catalogue is not valid JSON: %v", "danh mục không phải JSON hợp lệ: %v", err)
	}
	if c.Version == "" {
		return nil, danvan.Invalid("version", "a catalogue needs a version", "danh mục cần có phiên bản (version)")
	}
	if len(c.ModelFields) == 0 {
		c.ModelFields = DefaultModelFields
	}
	c.sections, c.figures = map[string]*Section{}, map[string]*Figure{}
	for i := range c.Sections {
		s := &c.Sections[i]
		if s.Key == "" || s.Title == "" || c.sections[s.Key] != nil {
			return nil, catErr(fmt.Sprintf("sections[%d]", i), "needs a unique key and a title", "cần khóa (key) không trùng và tiêu đề")
		}
		c.sections[s.Key] = s
	}
	for i := range c.Figures {
		f := &c.Figures[i]
		if f.Key == "" || f.Name == "" || c.figures[f.Key] != nil {
			return nil, catErr(fmt.Sprintf("figures[%d]", i), "needs a unique key and a name", "cần khóa (key) không trùng và tên")
		}
		if c.sections[f.Section] == nil {
			return nil, catErr("figures."+f.Key, "names unknown section "+f.Section, "thuộc mục không có trong danh mục: "+f.Section)
		}
		c.figures[f.Key] = f
	}
	for _, f := range c.Figures {
		for _, ref := range concat(f.AtMost, f.AtLeast, f.AtMostSum, f.SumOf) {
			if c.figures[ref] == nil {
				return nil, catErr("figures."+f.Key, "a rule names unknown figure "+ref, "quy tắc nhắc tới chỉ tiêu không có: "+ref)
			}
		}
	}
	for i, id := range c.Identities {
		for _, ref := range append([]string{id.Total}, id.Parts...) {
			if c.figures[ref] == nil {
				return nil, catErr(fmt.Sprintf("identities[%d]", i), "names unknown figure "+ref, "nhắc tới chỉ tiêu không có: "+ref)
			}
		}
	}
	for _, d := range c.Derived {
		refs := append([]string{d.Numerator}, d.DenominatorSum...)
		if d.Denominator != "" {
			refs = append(refs, d.Denominator)
		}
		if c.figures[d.Key] != nil {
			return nil, catErr("derived."+d.Key, "is also an entered figure", "trùng với một chỉ tiêu nhập")
		}
		for _, ref := range refs {
			if c.figures[ref] == nil {
				return nil, catErr("derived."+d.Key, "names unknown figure "+ref, "nhắc tới chỉ tiêu không có: "+ref)
			}
		}
	}
	return &c, nil
}

// Default returns the catalogue the product ships with.
func Default() *Catalogue {
	c, err := Parse(defaultCatalogue)
	if err != nil {
		panic("reports: the embedded catalogue is invalid: " + err.Error()) // a build defect, caught by tests
	}
	return c
}

// Section returns the section with key, nil when there is none.
func (c *Catalogue) Section(key string) *Section { return c.sections[key] }

// Figure returns the figure with key, nil when there is none.
func (c *Catalogue) Figure(key string) *Figure { return c.figures[key] }

// ModelField returns the model field with key, nil when there is none.
func (c *Catalogue) ModelField(key string) *ModelField {
	for i := range c.ModelFields {
		if c.ModelFields[i].Key == key {
			return &c.ModelFields[i]
		}
	}
	return nil
}

func catErr(field, en, vi string) error {
	e := danvan.Invalid(field, en, vi)
	e.Message, e.MessageVI = "Invalid catalogue", "Danh mục không hợp lệ"
	return e
}

func concat(xs ...[]string) []string {
	var out []string
	for _, x := range xs {
		out = append(out, x...)
	}
	return out
}
