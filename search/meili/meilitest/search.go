package meilitest

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/danvan/danvan"
)

// searchRequest is the part of a search body the server reads.
type searchRequest struct {
	Q                     string   `json:"q"`
	Filter                any      `json:"filter"`
	Limit                 *int     `json:"limit"`
	Offset                int      `json:"offset"`
	AttributesToHighlight []string `json:"attributesToHighlight"`
	HighlightPreTag       string   `json:"highlightPreTag"`
	HighlightPostTag      string   `json:"highlightPostTag"`
}

// search answers a search the simple way: a document matches when every
// query word (folded, as a word prefix) occurs in one of the searchable
// attributes; hits rank by the first attribute a word matched in, then
// by cited_by. Highlighted attributes come back in _formatted with the
// matched words wrapped in the requested tags.
func (s *Server) search(uid string, body []byte) (int, any) {
	ix := s.indexes[uid]
	if ix == nil {
		return http.StatusNotFound, apiError("index_not_found", "invalid_request", "Index `"+uid+"` not found.")
	}
	var req searchRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return http.StatusBadRequest, apiError("bad_request", "invalid_request", err.Error())
	}
	expr, _ := req.Filter.(string)
	f, err := parseFilter(expr, filterable(ix))
	if err != nil {
		return http.StatusBadRequest, apiError("invalid_search_filter", "invalid_request", err.Error())
	}
	var searchable []string
	if list, ok := ix.settings["searchableAttributes"].([]any); ok {
		for _, a := range list {
			searchable = append(searchable, a.(string))
		}
	}
	words := strings.Fields(danvan.Fold(req.Q))
	type scored struct {
		doc  map[string]any
		rank int
	}
	var hits []scored
	for _, d := range ix.docs {
		if !f.match(d) {
			continue
		}
		rank, ok := matchRank(d, searchable, words)
		if ok {
			hits = append(hits, scored{d, rank})
		}
	}
	sort.Slice(hits, func(a, b int) bool {
		if hits[a].rank != hits[b].rank {
			return hits[a].rank < hits[b].rank
		}
		ca, _ := hits[a].doc["cited_by"].(float64)
		cb, _ := hits[b].doc["cited_by"].(float64)
		if ca != cb {
			return ca > cb
		}
		da, _ := hits[a].doc["date"].(string)
		db, _ := hits[b].doc["date"].(string)
		return da > db
	})
	limit := 20
	if req.Limit != nil {
		limit = *req.Limit
	}
	page := []any{}
	for i := req.Offset; i < len(hits) && i < req.Offset+limit; i++ {
		h := map[string]any{}
		for k, v := range hits[i].doc {
			h[k] = v
		}
		formatted := map[string]any{}
		for _, a := range req.AttributesToHighlight {
			if v, ok := hits[i].doc[a].(string); ok {
				formatted[a] = highlight(v, words, req.HighlightPreTag, req.HighlightPostTag)
			}
		}
		h["_formatted"] = formatted
		page = append(page, h)
	}
	return http.StatusOK, map[string]any{"hits": page, "query": req.Q, "processingTimeMs": 1,
		"limit": limit, "offset": req.Offset, "estimatedTotalHits": len(hits)}
}

// matchRank returns the index of the best searchable attribute any word
// matched in, and whether every word matched somewhere.
func matchRank(d map[string]any, searchable []string, words []string) (int, bool) {
	if len(words) == 0 {
		return 0, true
	}
	best := len(searchable)
	for _, w := range words {
		found := false
		for i, a := range searchable {
			v, _ := d[a].(string)
			for _, dw := range strings.FieldsFunc(danvan.Fold(v), isSep) {
				if strings.HasPrefix(dw, w) {
					found = true
					best = min(best, i)
					break
				}
			}
			if found {
				break
			}
		}
		if !found {
			return 0, false
		}
	}
	return best, true
}

func isSep(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f)
}

// highlight wraps each word of s whose folded form starts with a query
// word in pre…post.
func highlight(s string, words []string, pre, post string) string {
	if pre == "" {
		pre, post = "<em>", "</em>"
	}
	var b strings.Builder
	for i, w := range strings.Split(s, " ") {
		if i > 0 {
			b.WriteByte(' ')
		}
		f := danvan.Fold(w)
		hit := false
		for _, q := range words {
			if strings.HasPrefix(strings.TrimLeft(f, "(\"'«"), q) {
				hit = true
			}
		}
		if hit {
			b.WriteString(pre + w + post)
		} else {
			b.WriteString(w)
		}
	}
	return b.String()
}
