package cite

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

//go:embed dictionary/default.json
var defaultDictionaryJSON []byte

// Dictionary is the data that turns codes into names: type codes
// (Nghị định 30/2020 Phụ lục III plus NĐ, TT, KL, CTrPH…), issuer codes, a
// list of well-known law names, and per-province overrides. It is data so
// that a province can ship its own without a code change.
type Dictionary struct {
	Name string `json:"name"`
	// Types maps a type code ("KH") to its name ("Kế hoạch").
	Types map[string]string `json:"types"`
	// Aliases maps a code as sometimes typed ("QD") to its canonical form.
	Aliases map[string]string `json:"aliases"`
	// Issuers maps an issuer code ("SNV") to the body ("Sở Nội vụ").
	Issuers map[string]string `json:"issuers"`
	// Laws lists law names to recognise when cited by name alone.
	Laws []string `json:"laws"`
	// Provinces holds overrides keyed by province name ("Sơn La").
	Provinces map[string]Overlay `json:"provinces"`

	once    sync.Once
	types   map[string]string // upper-cased code → canonical code
	issuers map[string]string // upper-cased code → canonical code
	laws    []string          // sorted longest first
}

// Overlay is a province's changes to a Dictionary.
type Overlay struct {
	Types   map[string]string `json:"types"`
	Issuers map[string]string `json:"issuers"`
}

var (
	defaultOnce sync.Once
	defaultDict *Dictionary
)

// DefaultDictionary returns the embedded national dictionary. It panics
// only if the embedded JSON is broken, which the tests rule out.
func DefaultDictionary() *Dictionary {
	defaultOnce.Do(func() {
		d, err := LoadDictionary(strings.NewReader(string(defaultDictionaryJSON)))
		if err != nil {
			panic("cite: embedded dictionary: " + err.Error())
		}
		defaultDict = d
	})
	return defaultDict
}

// LoadDictionary reads a dictionary in the JSON shape of
// dictionary/default.json. It returns an error when the JSON is malformed
// or has no types and no issuers.
func LoadDictionary(r io.Reader) (*Dictionary, error) {
	var d Dictionary
	dec := json.NewDecoder(r)
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("cite: read dictionary: %w", err)
	}
	if len(d.Types) == 0 && len(d.Issuers) == 0 {
		return nil, fmt.Errorf("cite: dictionary %q has no types and no issuers", d.Name)
	}
	d.index()
	return &d, nil
}

// ForProvince returns a copy with the named province's overlay applied, or
// d itself when the dictionary has no overlay for that province.
func (d *Dictionary) ForProvince(province string) *Dictionary {
	o, ok := d.Provinces[province]
	if !ok {
		for k, v := range d.Provinces {
			if strings.EqualFold(k, province) {
				o, ok = v, true
			}
		}
	}
	if !ok {
		return d
	}
	c := &Dictionary{Name: d.Name + "/" + province, Aliases: d.Aliases, Laws: d.Laws,
		Types: map[string]string{}, Issuers: map[string]string{}}
	for k, v := range d.Types {
		c.Types[k] = v
	}
	for k, v := range o.Types {
		c.Types[k] = v
	}
	for k, v := range d.Issuers {
		c.Issuers[k] = v
	}
	for k, v := range o.Issuers {
		c.Issuers[k] = v
	}
	c.index()
	return c
}

func (d *Dictionary) index() {
	d.once.Do(func() {
		d.types = map[string]string{}
		d.issuers = map[string]string{}
		for k := range d.Types {
			d.types[strings.ToUpper(k)] = k
		}
		for k := range d.Issuers {
			d.issuers[strings.ToUpper(k)] = k
		}
		for a, k := range d.Aliases {
			if _, ok := d.Types[k]; ok {
				d.types[strings.ToUpper(a)] = k
			}
			if _, ok := d.Issuers[k]; ok {
				d.issuers[strings.ToUpper(a)] = k
			}
		}
		d.laws = append([]string(nil), d.Laws...)
		sort.Slice(d.laws, func(i, j int) bool { return len(d.laws[i]) > len(d.laws[j]) })
	})
}

// typeCode returns the canonical type code for code, or "".
func (d *Dictionary) typeCode(code string) string {
	d.index()
	return d.types[strings.ToUpper(code)]
}

// TypeName returns the document type name for a type code ("KH" →
// "Kế hoạch"), or "" when the code is unknown.
func (d *Dictionary) TypeName(code string) string {
	if c := d.typeCode(code); c != "" {
		return d.Types[c]
	}
	return ""
}

// issuerCode returns the canonical issuer code for code, or "".
func (d *Dictionary) issuerCode(code string) string {
	d.index()
	if c := d.issuers[strings.ToUpper(code)]; c != "" {
		return c
	}
	// Laws carry the legislature's term: QH15, UBTVQH14.
	u := strings.TrimRight(strings.ToUpper(code), "0123456789")
	if u != strings.ToUpper(code) {
		return d.issuers[u]
	}
	return ""
}

// IssuerName returns the body for an issuer code, joining joint issuers
// ("BDVTU-BCSĐUBND") with " - "; it returns "" when any part is unknown.
func (d *Dictionary) IssuerName(code string) string {
	if code == "" {
		return ""
	}
	parts := strings.Split(code, "-")
	names := make([]string, 0, len(parts))
	for _, p := range parts {
		c := d.issuerCode(p)
		if c == "" {
			return ""
		}
		names = append(names, d.Issuers[c])
	}
	return strings.Join(names, " - ")
}
