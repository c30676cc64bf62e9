package meilitest

import (
	"fmt"
	"strconv"
	"strings"
)

// filter is a parsed Meilisearch filter expression: the subset the
// adapter writes (=, !=, <, <=, >, >=, IN […], AND, OR, NOT, parentheses)
// with Meilisearch's own refusals (syntax errors, attributes that are not
// filterable).
type filter struct {
	op       string // "and", "or", "not", "cmp", "in", "all"
	kids     []*filter
	attr     string
	cmp      string
	values   []string
	numbered bool
}

func (f *filter) match(d map[string]any) bool {
	switch f.op {
	case "all":
		return true
	case "and":
		for _, k := range f.kids {
			if !k.match(d) {
				return false
			}
		}
		return true
	case "or":
		for _, k := range f.kids {
			if k.match(d) {
				return true
			}
		}
		return false
	case "not":
		return !f.kids[0].match(d)
	case "in":
		for _, v := range f.values {
			if equal(d[f.attr], v) {
				return true
			}
		}
		return false
	}
	got := d[f.attr]
	switch f.cmp {
	case "=":
		return equal(got, f.values[0])
	case "!=":
		return !equal(got, f.values[0])
	}
	n, ok := got.(float64)
	want, err := strconv.ParseFloat(f.values[0], 64)
	if !ok || err != nil {
		return false
	}
	switch f.cmp {
	case "<":
		return n < want
	case "<=":
		return n <= want
	case ">":
		return n > want
	}
	return n >= want
}

func equal(got any, want string) bool {
	switch g := got.(type) {
	case string:
		return strings.EqualFold(g, want)
	case float64:
		w, err := strconv.ParseFloat(want, 64)
		return err == nil && g == w
	}
	return false
}

// parseFilter parses s; allowed names the filterable attributes. It fails
// the way Meilisearch does on a malformed expression or an attribute that
// is not filterable.
func parseFilter(s string, allowed map[string]bool) (*filter, error) {
	if strings.TrimSpace(s) == "" {
		return &filter{op: "all"}, nil
	}
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, allowed: allowed}
	f, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i != len(p.toks) {
		return nil, fmt.Errorf("Found unexpected characters at the end of the filter: `%s`.", p.toks[p.i].text)
	}
	return f, nil
}

type token struct {
	text   string
	quoted bool
}

func tokenize(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case c == '(' || c == ')' || c == '[' || c == ']' || c == ',':
			out = append(out, token{text: string(c)})
			i++
		case c == '"':
			j := i + 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' {
					j++
				}
			}
			if j >= len(s) {
				return nil, fmt.Errorf("Expression `%s` is missing a closing quote.", s[i:])
			}
			v, err := strconv.Unquote(s[i : j+1])
			if err != nil {
				return nil, fmt.Errorf("Invalid string `%s`.", s[i:j+1])
			}
			out = append(out, token{text: v, quoted: true})
			i = j + 1
		case strings.ContainsRune("=!<>", rune(c)):
			j := i + 1
			if j < len(s) && s[j] == '=' {
				j++
			}
			out = append(out, token{text: s[i:j]})
			i = j
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n()[],=!<>\"", rune(s[j])) {
				j++
			}
			out = append(out, token{text: s[i:j]})
			i = j
		}
	}
	return out, nil
}

type parser struct {
	toks    []token
	i       int
	allowed map[string]bool
}

func (p *parser) peek(word string) bool {
	return p.i < len(p.toks) && !p.toks[p.i].quoted && strings.EqualFold(p.toks[p.i].text, word)
}

func (p *parser) next() (token, error) {
	if p.i >= len(p.toks) {
		return token{}, fmt.Errorf("Was expecting a value but instead got nothing.")
	}
	p.i++
	return p.toks[p.i-1], nil
}

func (p *parser) or() (*filter, error) {
	f, err := p.and()
	if err != nil {
		return nil, err
	}
	out := &filter{op: "or", kids: []*filter{f}}
	for p.peek("OR") {
		p.i++
		k, err := p.and()
		if err != nil {
			return nil, err
		}
		out.kids = append(out.kids, k)
	}
	if len(out.kids) == 1 {
		return f, nil
	}
	return out, nil
}

func (p *parser) and() (*filter, error) {
	f, err := p.not()
	if err != nil {
		return nil, err
	}
	out := &filter{op: "and", kids: []*filter{f}}
	for p.peek("AND") {
		p.i++
		k, err := p.not()
		if err != nil {
			return nil, err
		}
		out.kids = append(out.kids, k)
	}
	if len(out.kids) == 1 {
		return f, nil
	}
	return out, nil
}

func (p *parser) not() (*filter, error) {
	if p.peek("NOT") {
		p.i++
		k, err := p.not()
		if err != nil {
			return nil, err
		}
		return &filter{op: "not", kids: []*filter{k}}, nil
	}
	if p.peek("(") {
		p.i++
		f, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.peek(")") {
			return nil, fmt.Errorf("Expression is missing a closing `)`.")
		}
		p.i++
		return f, nil
	}
	attr, err := p.next()
	if err != nil {
		return nil, err
	}
	if attr.quoted || attr.text == "" || strings.ContainsAny(attr.text, "()[],") {
		return nil, fmt.Errorf("Was expecting an attribute but found `%s`.", attr.text)
	}
	if !p.allowed[attr.text] {
		return nil, fmt.Errorf("Attribute `%s` is not filterable.", attr.text)
	}
	if p.peek("IN") {
		p.i++
		if !p.peek("[") {
			return nil, fmt.Errorf("Expected `[` after `IN` keyword.")
		}
		p.i++
		f := &filter{op: "in", attr: attr.text}
		for {
			v, err := p.next()
			if err != nil {
				return nil, err
			}
			f.values = append(f.values, v.text)
			if p.peek("]") {
				p.i++
				return f, nil
			}
			if !p.peek(",") {
				return nil, fmt.Errorf("Expected matching `]` after the list of values.")
			}
			p.i++
		}
	}
	op, err := p.next()
	if err != nil {
		return nil, err
	}
	switch op.text {
	case "=", "!=", "<", "<=", ">", ">=":
	default:
		return nil, fmt.Errorf("Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN` at `%s`.", attr.text)
	}
	v, err := p.next()
	if err != nil {
		return nil, err
	}
	if !v.quoted && (v.text == "" || strings.ContainsAny(v.text, "()[],")) {
		return nil, fmt.Errorf("Was expecting a value but found `%s`.", v.text)
	}
	return &filter{op: "cmp", attr: attr.text, cmp: op.text, values: []string{v.text}}, nil
}
