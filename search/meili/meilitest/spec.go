// Package meilitest is an in-process Meilisearch held to Meilisearch's own
// OpenAPI description (v1.15.2): every request it receives is validated
// against the document (path, method, parameters, body schema, security)
// before it is served, and every answer it gives is validated too. A
// request the document does not allow fails the test that made it. It
// keeps documents, settings and tasks in memory and answers searches with
// a small matcher, enough to run the adapter's whole life cycle; it is
// not a search engine.
package meilitest

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// Erratum is one correction applied to the description before use, for a
// place where it disagrees with what Meilisearch v1.15.2 does and what
// its own client requires. Each is checked to still be needed: when the
// description is fixed, LoadSpec fails until the erratum is removed.
type Erratum struct {
	Why   string
	apply func(spec map[string]any) error
}

func op(spec map[string]any, path, method string) (map[string]any, error) {
	paths, _ := spec["paths"].(map[string]any)
	item, _ := paths[path].(map[string]any)
	o, _ := item[method].(map[string]any)
	if o == nil {
		return nil, fmt.Errorf("%s %s is not in the description", method, path)
	}
	return o, nil
}

// enqueuedIs202 adds a 202 answer equal to the documented 200 one: the
// server answers 202 Accepted with a summarized task, and the official
// client refuses anything else.
func enqueuedIs202(path, method string) Erratum {
	return Erratum{Why: method + " " + path + ": Meilisearch answers 202 with a summarized task, the description says 200",
		apply: func(spec map[string]any) error {
			o, err := op(spec, path, method)
			if err != nil {
				return err
			}
			rs := o["responses"].(map[string]any)
			if _, ok := rs["202"]; ok {
				return fmt.Errorf("%s %s already documents 202: remove the erratum", method, path)
			}
			rs["202"] = rs["200"]
			return nil
		}}
}

// errorAnswers documents the error answers Meilisearch gives (400 for an
// invalid filter or setting, 404 for a missing index) with the
// description's own ResponseError schema, on operations that list only
// 401 among errors.
func errorAnswers(path, method string, codes ...string) Erratum {
	return Erratum{Why: method + " " + path + ": error answers " + fmt.Sprint(codes) + " are not documented",
		apply: func(spec map[string]any) error {
			o, err := op(spec, path, method)
			if err != nil {
				return err
			}
			rs := o["responses"].(map[string]any)
			for _, c := range codes {
				if _, ok := rs[c]; ok {
					return fmt.Errorf("%s %s already documents %s: remove it from the erratum", method, path, c)
				}
				rs[c] = map[string]any{"description": "Error", "content": map[string]any{"application/json": map[string]any{
					"schema": map[string]any{"$ref": "#/components/schemas/ResponseError"}}}}
			}
			return nil
		}}
}

// Errata are the corrections LoadSpec applies.
var Errata = []Erratum{
	{Why: "POST /indexes/{indexUid}/documents: csvDelimiter is marked required, but Meilisearch refuses it on JSON bodies",
		apply: func(spec map[string]any) error {
			o, err := op(spec, "/indexes/{indexUid}/documents", "post")
			if err != nil {
				return err
			}
			for _, p := range o["parameters"].([]any) {
				pm := p.(map[string]any)
				if pm["name"] == "csvDelimiter" {
					if pm["required"] != true {
						return fmt.Errorf("csvDelimiter is no longer required: remove the erratum")
					}
					pm["required"] = false
					return nil
				}
			}
			return fmt.Errorf("csvDelimiter is not a parameter any more: remove the erratum")
		}},
	{Why: "SearchQuery: properties and required list are in snake_case (hits_per_page) and all marked required; " +
		"Meilisearch reads camelCase (hitsPerPage), defaults every one and refuses unknown fields",
		apply: func(spec map[string]any) error {
			schemas := spec["components"].(map[string]any)["schemas"].(map[string]any)
			q, _ := schemas["SearchQuery"].(map[string]any)
			props, _ := q["properties"].(map[string]any)
			if _, ok := props["hits_per_page"]; !ok {
				return fmt.Errorf("SearchQuery has no snake_case hits_per_page any more: remove the erratum")
			}
			camel := map[string]any{}
			for k, v := range props {
				camel[camelCase(k)] = v
			}
			q["properties"] = camel
			delete(q, "required")
			q["additionalProperties"] = false
			return nil
		}},
	enqueuedIs202("/indexes", "post"),
	enqueuedIs202("/indexes/{indexUid}/settings", "patch"),
	enqueuedIs202("/indexes/{indexUid}/documents", "post"),
	errorAnswers("/indexes/{indexUid}/search", "post", "400"),
	errorAnswers("/indexes/{indexUid}/settings", "patch", "400", "404"),
	errorAnswers("/indexes/{indexUid}/documents", "post", "400", "404"),
	errorAnswers("/indexes/{indexUid}/documents/delete", "post", "400", "404"),
	errorAnswers("/indexes/{indexUid}", "delete", "404"),
}

// LoadSpec reads the OpenAPI description at path, applies Errata and
// returns a validator for it. It fails when the file cannot be read or
// parsed, when an erratum no longer applies, or when the validator cannot
// be built.
func LoadSpec(path string) (validator.Validator, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var spec map[string]any
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, e := range Errata {
		if err := e.apply(spec); err != nil {
			return nil, fmt.Errorf("erratum %q: %w", e.Why, err)
		}
	}
	fixed, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	doc, err := libopenapi.NewDocument(fixed)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s: %v", path, errs)
	}
	return v, nil
}

// camelCase turns hits_per_page into hitsPerPage.
func camelCase(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}
