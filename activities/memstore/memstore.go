// Package memstore is an in-memory implementation of the danvan services
// the activities use (units, tasks, notifications, audit, mail). Tests use
// it to assert what the workflows projected; benchmarks use it to measure
// Temporal alone, without Postgres. It is safe for concurrent use and keeps
// everything until the process ends.
package memstore

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/danvan/danvan"
)

// Store implements danvan.UnitService, TaskService, NotificationService,
// AuditService and Mailer in memory. Build it with New.
type Store struct {
	mu            sync.Mutex
	units         map[string]danvan.Unit
	tasks         map[string]danvan.Task
	submissions   map[string]danvan.Submission
	notifications map[string]*danvan.Notification
	notifyOrder   []string
	audits        map[string]danvan.AuditEntry
	mails         []danvan.Mail
	pending       map[int64]*danvan.Submission
	files         map[string][]byte
	nextID        int64
	// RecordHook, when set, runs before RecordSubmission records anything;
	// an error it returns is RecordSubmission's. Tests use it to make the
	// store slow or failing.
	RecordHook func(id int64) error
}

// New returns a store holding units.
func New(units ...danvan.Unit) *Store {
	m := &Store{
		units:         map[string]danvan.Unit{},
		tasks:         map[string]danvan.Task{},
		submissions:   map[string]danvan.Submission{},
		notifications: map[string]*danvan.Notification{},
		audits:        map[string]danvan.AuditEntry{},
		pending:       map[int64]*danvan.Submission{},
		files:         map[string][]byte{},
	}
	for _, u := range units {
		m.units[u.Code] = u
	}
	return m
}

// ImportUnits creates or updates units; it checks nothing (the Postgres
// store does) and never fails.
func (m *Store) ImportUnits(ctx context.Context, units []danvan.Unit) (created, updated int, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, u := range units {
		if _, ok := m.units[u.Code]; ok {
			updated++
		} else {
			created++
		}
		m.units[u.Code] = u
	}
	return created, updated, nil
}

// FindUnit returns ENotFound for an unknown code.
func (m *Store) FindUnit(ctx context.Context, code string) (*danvan.Unit, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.units[code]
	if !ok {
		return nil, danvan.Errorf(danvan.ENotFound, "no unit %s", "không có %s", code)
	}
	return &u, nil
}

// ListUnits returns the units ordered by code.
func (m *Store) ListUnits(ctx context.Context) ([]danvan.Unit, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]danvan.Unit, 0, len(m.units))
	for _, u := range m.units {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// Subtree returns root and the units below it; ENotFound for an unknown root.
func (m *Store) Subtree(ctx context.Context, root string) ([]string, error) {
	units, _ := m.ListUnits(ctx)
	if _, err := m.FindUnit(ctx, root); err != nil {
		return nil, err
	}
	out, in := []string{root}, map[string]bool{root: true}
	for grew := true; grew; {
		grew = false
		for _, u := range units {
			if !in[u.Code] && in[u.ParentCode] {
				in[u.Code], grew = true, true
				out = append(out, u.Code)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// UpsertTask keeps the row with the highest Version.
func (m *Store) UpsertTask(ctx context.Context, t *danvan.Task) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := t.CycleID + "/" + t.UnitCode + "/" + t.Kind
	if old, ok := m.tasks[k]; ok && old.Version > t.Version {
		return nil
	}
	m.tasks[k] = *t
	return nil
}

// Task returns the projected task, zero if none.
func (m *Store) Task(cycle, unit, kind string) danvan.Task {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tasks[cycle+"/"+unit+"/"+kind]
}

// FindTasks returns the matching tasks ordered by cycle, unit and due.
func (m *Store) FindTasks(ctx context.Context, f danvan.TaskFilter) ([]danvan.Task, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []danvan.Task
	for _, t := range m.tasks {
		if (f.CycleID == "" || t.CycleID == f.CycleID) && (f.UnitCode == "" || t.UnitCode == f.UnitCode) &&
			(f.Kind == "" || t.Kind == f.Kind) && (f.Status == "" || t.Status == f.Status) {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.CycleID != b.CycleID {
			return a.CycleID < b.CycleID
		} else if a.UnitCode != b.UnitCode {
			return a.UnitCode < b.UnitCode
		}
		return a.Due.Before(b.Due)
	})
	return out, nil
}

// CreateNotification returns created=false for a known ID.
func (m *Store) CreateNotification(ctx context.Context, n *danvan.Notification) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.notifications[n.ID]; ok {
		return false, nil
	}
	c := *n
	m.notifications[n.ID] = &c
	m.notifyOrder = append(m.notifyOrder, n.ID)
	return true, nil
}

// FindNotification returns ENotFound for an unknown ID.
func (m *Store) FindNotification(ctx context.Context, id string) (*danvan.Notification, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, ok := m.notifications[id]
	if !ok {
		return nil, danvan.Errorf(danvan.ENotFound, "no notification %s", "không có %s", id)
	}
	c := *n
	return &c, nil
}

// MarkRead returns ENotFound for an unknown ID.
func (m *Store) MarkRead(ctx context.Context, id string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, ok := m.notifications[id]
	if !ok {
		return danvan.Errorf(danvan.ENotFound, "no notification %s", "không có %s", id)
	}
	if n.ReadAt == nil {
		n.ReadAt = &at
	}
	return nil
}

// MarkEmailed returns ENotFound for an unknown ID.
func (m *Store) MarkEmailed(ctx context.Context, id string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, ok := m.notifications[id]
	if !ok {
		return danvan.Errorf(danvan.ENotFound, "no notification %s", "không có %s", id)
	}
	n.EmailedAt = &at
	return nil
}

// FindNotifications returns the matching notifications newest first.
func (m *Store) FindNotifications(ctx context.Context, f danvan.NotificationFilter) ([]danvan.Notification, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []danvan.Notification
	for _, n := range m.notifications {
		if (f.CycleID == "" || n.CycleID == f.CycleID) && (f.UnitCode == "" || n.UnitCode == f.UnitCode) && (f.Kind == "" || n.Kind == f.Kind) && (!f.Unread || n.ReadAt == nil) {
			out = append(out, *n)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// CreateNotifications stores ns once by ID and, when ns[0] is new and
// mailTo is not empty, records its e-mail in Mails at once: the in-memory
// store has no outbox, queueing and delivery are one step. It never fails.
func (m *Store) CreateNotifications(ctx context.Context, ns []*danvan.Notification, mailTo []string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(ns) == 0 {
		return false, nil
	}
	if _, ok := m.notifications[ns[0].ID]; ok {
		return false, nil
	}
	for _, n := range ns {
		if _, ok := m.notifications[n.ID]; ok {
			continue
		}
		c := *n
		m.notifications[n.ID] = &c
		m.notifyOrder = append(m.notifyOrder, n.ID)
	}
	if len(mailTo) > 0 {
		n := ns[0]
		m.mails = append(m.mails, danvan.Mail{To: append([]string(nil), mailTo...), Subject: n.Subject, Body: n.Body, ID: n.ID})
	}
	return true, nil
}

// FindFailedMail returns nothing: mail recorded by this store is never
// refused. It never fails.
func (m *Store) FindFailedMail(ctx context.Context, limit int) ([]danvan.FailedMail, error) {
	return nil, nil
}

// Notified returns the notifications in creation order.
func (m *Store) Notified() []danvan.Notification {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]danvan.Notification, 0, len(m.notifyOrder))
	for _, id := range m.notifyOrder {
		out = append(out, *m.notifications[id])
	}
	return out
}

// Audit keeps the first entry per key.
func (m *Store) Audit(ctx context.Context, e *danvan.AuditEntry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.audits[e.Key]; !ok {
		m.audits[e.Key] = *e
	}
	return nil
}

// Send records the mail; it never fails.
func (m *Store) Send(ctx context.Context, mail danvan.Mail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.mails = append(m.mails, mail)
	return nil
}

// Mails returns the mails sent, in order.
func (m *Store) Mails() []danvan.Mail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]danvan.Mail(nil), m.mails...)
}

// Submissions returns the stored submissions keyed by
// "cycle/unit/kind/seq".
func (m *Store) Submissions() map[string]danvan.Submission {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]danvan.Submission, len(m.submissions))
	for k, v := range m.submissions {
		out[k] = v
	}
	return out
}

// Audits returns the audit entries keyed by their key.
func (m *Store) Audits() map[string]danvan.AuditEntry {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]danvan.AuditEntry, len(m.audits))
	for k, v := range m.audits {
		out[k] = v
	}
	return out
}
