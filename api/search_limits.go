package api

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/danvan/danvan"
)

// Search query bounds: a person's query is a few words; a long one costs
// the search backend time for every word (a 20,000-word query took 19 s).
const (
	maxQueryRunes = 300
	maxQueryWords = 40
	searchTimeout = 5 * time.Second
)

// checkQuery returns EInvalid on the field "q" for a query over the bounds.
func checkQuery(q string) error {
	if utf8.RuneCountInString(q) > maxQueryRunes || len(strings.Fields(q)) > maxQueryWords {
		return danvan.Invalid("q", "must have at most 300 characters and 40 words", "từ khóa tìm kiếm tối đa 300 ký tự và 40 từ")
	}
	return nil
}

// boundedSearch runs Documents.SearchDocuments under searchTimeout; a
// search that runs out of time is EUnavailable with a message to narrow it.
func (s *Server) boundedSearch(ctx context.Context, dq DocumentQuery) (*DocumentResults, error) {
	if err := checkQuery(dq.Q); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()
	res, err := s.Documents.SearchDocuments(ctx, dq)
	if err != nil && (errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil) {
		s.Logger.Warn("search timed out", "q_runes", utf8.RuneCountInString(dq.Q), "err", err)
		return nil, danvan.Errorf(danvan.EUnavailable, "the search took too long; use fewer or more specific words",
			"tìm kiếm quá lâu; hãy dùng ít từ hơn hoặc cụ thể hơn")
	}
	return res, err
}
