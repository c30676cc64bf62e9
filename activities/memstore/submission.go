package memstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"time"

	"github.com/danvan/danvan"
)

func subKey(cycle, unit, kind string, seq int) string {
	return cycle + "/" + unit + "/" + kind + "/" + strconv.Itoa(seq)
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// SaveSubmission stores s as recorded once per (cycle, unit, kind, seq).
func (m *Store) SaveSubmission(ctx context.Context, s *danvan.Submission) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := subKey(s.CycleID, s.UnitCode, s.Kind, s.Seq)
	if _, ok := m.submissions[k]; !ok {
		c := *s
		c.SHA256, c.Size = sum([]byte(s.Text)), int64(len(s.Text))
		m.submissions[k] = c
	}
	return nil
}

// FindSubmissions returns a task's recorded submissions by seq, without
// their text.
func (m *Store) FindSubmissions(ctx context.Context, cycleID, unit, kind string) ([]danvan.Submission, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []danvan.Submission
	for _, s := range m.submissions {
		if s.CycleID == cycleID && s.UnitCode == unit && (kind == "" || s.Kind == kind) {
			s.Text = ""
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Kind < out[j].Kind || out[i].Kind == out[j].Kind && out[i].Seq < out[j].Seq
	})
	return out, nil
}

// CreateSubmission stores s and files as pending; EInvalid for an invalid
// submission.
func (m *Store) CreateSubmission(ctx context.Context, s *danvan.Submission, files []danvan.Upload) error {
	if err := danvan.Validate(s); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.nextID++
	s.ID, s.SHA256, s.Size, s.Files = m.nextID, sum([]byte(s.Text)), int64(len(s.Text)), nil
	for _, f := range files {
		fs := sum(f.Data)
		m.files[fs] = append([]byte(nil), f.Data...)
		s.Files = append(s.Files, danvan.File{SHA256: fs, Name: f.Name, MediaType: f.MediaType, Size: int64(len(f.Data))})
	}
	c := *s
	m.pending[s.ID] = &c
	return nil
}

// RecordSubmission records pending submission id with the next seq of its
// task; the same row again for a recorded one; ENotFound for an unknown id.
func (m *Store) RecordSubmission(ctx context.Context, id int64, at time.Time) (*danvan.Submission, error) {
	if m.RecordHook != nil {
		if err := m.RecordHook(id); err != nil {
			return nil, err
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.pending[id]
	if !ok {
		return nil, danvan.Errorf(danvan.ENotFound, "no submission %d", "không có bản nộp %d", id)
	}
	if p.Seq == 0 {
		seq := 1
		for _, s := range m.submissions {
			if s.CycleID == p.CycleID && s.UnitCode == p.UnitCode && s.Kind == p.Kind && s.Seq >= seq {
				seq = s.Seq + 1
			}
		}
		p.Seq, p.SubmittedAt = seq, at
		m.submissions[subKey(p.CycleID, p.UnitCode, p.Kind, seq)] = *p
	}
	c := *p
	return &c, nil
}

// FindSubmission returns recorded submission seq with its text; ENotFound
// when there is none.
func (m *Store) FindSubmission(ctx context.Context, cycleID, unit, kind string, seq int) (*danvan.Submission, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.submissions[subKey(cycleID, unit, kind, seq)]
	if !ok {
		return nil, danvan.Errorf(danvan.ENotFound, "no submission %s", "không có bản nộp %s", subKey(cycleID, unit, kind, seq))
	}
	return &s, nil
}

// SubmissionFile returns file n of recorded submission seq; ENotFound when
// there is none.
func (m *Store) SubmissionFile(ctx context.Context, cycleID, unit, kind string, seq, n int) (*danvan.File, []byte, error) {
	s, err := m.FindSubmission(ctx, cycleID, unit, kind, seq)
	if err != nil {
		return nil, nil, err
	}
	if n < 1 || n > len(s.Files) {
		return nil, nil, danvan.Errorf(danvan.ENotFound, "no file %d", "không có tệp %d", n)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	f := s.Files[n-1]
	return &f, append([]byte(nil), m.files[f.SHA256]...), nil
}

// SweepSubmissions drops every pending submission that was never recorded
// (memstore keeps no creation time, so cutoff is not consulted).
func (m *Store) SweepSubmissions(ctx context.Context, cutoff time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for id, p := range m.pending {
		if p.Seq == 0 {
			delete(m.pending, id)
			n++
		}
	}
	return n, nil
}

// Pending returns how many stored submissions no workflow has recorded.
func (m *Store) Pending() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, p := range m.pending {
		if p.Seq == 0 {
			n++
		}
	}
	return n
}
