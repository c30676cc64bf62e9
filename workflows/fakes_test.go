package workflows_test

import (
	"context"
	"sort"
	"strconv"
	"sync"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/activities"
)

// memStore is an in-memory implementation of the danvan services the
// activities use, recording everything for assertions.
type memStore struct {
	mu            sync.Mutex
	units         map[string]danvan.Unit
	tasks         map[string]danvan.Task
	submissions   map[string]danvan.Submission
	notifications map[string]*danvan.Notification
	notifyOrder   []string
	audits        map[string]danvan.AuditEntry
	mails         []danvan.Mail
}

func newMemStore(units ...danvan.Unit) *memStore {
	m := &memStore{
		units:         map[string]danvan.Unit{},
		tasks:         map[string]danvan.Task{},
		submissions:   map[string]danvan.Submission{},
		notifications: map[string]*danvan.Notification{},
		audits:        map[string]danvan.AuditEntry{},
	}
	for _, u := range units {
		m.units[u.Code] = u
	}
	return m
}

func (m *memStore) activities() *activities.Activities {
	return &activities.Activities{Units: m, Tasks: m, Notifications: m, Audit: m, Mailer: m,
		Now: func() time.Time { return time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC) }}
}

func (m *memStore) ImportUnits(ctx context.Context, units []danvan.Unit) (int, int, error) {
	return 0, 0, nil
}

func (m *memStore) FindUnit(ctx context.Context, code string) (*danvan.Unit, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.units[code]
	if !ok {
		return nil, danvan.Errorf(danvan.ENotFound, "no unit %s", "không có %s", code)
	}
	return &u, nil
}

func (m *memStore) ListUnits(ctx context.Context) ([]danvan.Unit, error) { return nil, nil }

func (m *memStore) Subtree(ctx context.Context, root string) ([]string, error) { return nil, nil }

func (m *memStore) UpsertTask(ctx context.Context, t *danvan.Task) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := t.CycleID + "/" + t.UnitCode + "/" + t.Kind
	if old, ok := m.tasks[k]; ok && old.Version > t.Version {
		return nil
	}
	m.tasks[k] = *t
	return nil
}

func (m *memStore) task(cycle, unit, kind string) danvan.Task {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tasks[cycle+"/"+unit+"/"+kind]
}

func (m *memStore) FindTasks(ctx context.Context, f danvan.TaskFilter) ([]danvan.Task, error) {
	return nil, nil
}

func (m *memStore) SaveSubmission(ctx context.Context, s *danvan.Submission) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := s.CycleID + "/" + s.UnitCode + "/" + s.Kind + "/" + strconv.Itoa(s.Seq)
	if _, ok := m.submissions[k]; !ok {
		m.submissions[k] = *s
	}
	return nil
}

func (m *memStore) FindSubmissions(ctx context.Context, cycleID, unit, kind string) ([]danvan.Submission, error) {
	return nil, nil
}

func (m *memStore) CreateNotification(ctx context.Context, n *danvan.Notification) (bool, error) {
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

func (m *memStore) MarkEmailed(ctx context.Context, id string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, ok := m.notifications[id]
	if !ok {
		return danvan.Errorf(danvan.ENotFound, "no notification %s", "không có %s", id)
	}
	n.EmailedAt = &at
	return nil
}

func (m *memStore) FindNotifications(ctx context.Context, f danvan.NotificationFilter) ([]danvan.Notification, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []danvan.Notification
	for _, n := range m.notifications {
		if (f.CycleID == "" || n.CycleID == f.CycleID) && (f.UnitCode == "" || n.UnitCode == f.UnitCode) && (f.Kind == "" || n.Kind == f.Kind) {
			out = append(out, *n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// notified returns the notifications in creation order.
func (m *memStore) notified() []danvan.Notification {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]danvan.Notification, 0, len(m.notifyOrder))
	for _, id := range m.notifyOrder {
		out = append(out, *m.notifications[id])
	}
	return out
}

func (m *memStore) Audit(ctx context.Context, e *danvan.AuditEntry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.audits[e.Key]; !ok {
		m.audits[e.Key] = *e
	}
	return nil
}

func (m *memStore) Send(ctx context.Context, mail danvan.Mail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.mails = append(m.mails, mail)
	return nil
}

// fakeStarter records workflow starts; a second start of an ID fails as
// the server would.
type fakeStarter struct {
	mu     sync.Mutex
	starts map[string]int
}

func (f *fakeStarter) ExecuteWorkflow(ctx context.Context, o client.StartWorkflowOptions, wf any, args ...any) (client.WorkflowRun, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.starts == nil {
		f.starts = map[string]int{}
	}
	f.starts[o.ID]++
	return nil, nil
}
