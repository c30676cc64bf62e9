package perf

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Lateness is how late alarms were handled: Seen is the workflow's own
// clock when it decided to notify (the notification's created_at) minus the
// due instant; Written is when the bench saw the notification row in
// Postgres (polled every 50 ms) minus the due instant.
type Lateness struct {
	SeenP50, SeenP99       time.Duration
	WrittenP50, WrittenP99 time.Duration
	Count                  int
}

// ReminderLateness starts cycles for the given groups of units on dev,
// each group's single deadline due at its own instant (after the fan-out
// has finished), and measures when the overdue notifications are seen and
// written. Burst: one group. Spread: many groups over a minute. years
// numbers the cycles (a cycle's id is its year and owner).
func ReminderLateness(ctx context.Context, d *Dev, groups [][]string, spread time.Duration, firstYear int) (Lateness, error) {
	// Leave time for the fan-out: measured at ~50 units/s here, doubled.
	total := 0
	for _, g := range groups {
		total += len(g)
	}
	lead := 20*time.Second + time.Duration(total)*40*time.Millisecond
	t0 := time.Now().Add(lead).Truncate(time.Second)
	due := make(map[string]time.Time, len(groups))
	var ids []string
	for i, g := range groups {
		at := t0
		if len(groups) > 1 {
			at = t0.Add(spread * time.Duration(i) / time.Duration(len(groups)-1))
		}
		def := cycleDef(firstYear+i, "bench reminders", g, []string{at.Format(time.RFC3339Nano)}, nil)
		var c struct {
			ID string `json:"id"`
		}
		if err := d.Do(ctx, "POST", "/api/cycles", "", def, &c); err != nil {
			return Lateness{}, err
		}
		due[c.ID] = at
		ids = append(ids, c.ID)
	}
	// Every unit workflow must be up before the first due instant, or the
	// figure would measure the launch.
	if _, err := waitFor(ctx, time.Now(), time.Until(t0), func() (bool, error) {
		var n int
		err := d.DB.QueryRow(ctx, `SELECT count(*) FROM tasks WHERE cycle_id = ANY($1) AND version >= 1`, ids).Scan(&n)
		return n >= total, err
	}); err != nil {
		return Lateness{}, fmt.Errorf("the %d unit workflows were not all running before the first deadline: %w", total, err)
	}
	written := map[string]time.Time{}
	var seen, wrote []time.Duration
	_, err := waitFor(ctx, time.Now(), time.Until(t0)+spread+5*time.Minute, func() (bool, error) {
		rows, err := d.DB.Query(ctx, `SELECT id, cycle_id, created_at FROM notifications WHERE cycle_id = ANY($1)`, ids)
		if err != nil {
			return false, err
		}
		defer rows.Close()
		now := time.Now()
		for rows.Next() {
			var id, cycle string
			var at time.Time
			if err := rows.Scan(&id, &cycle, &at); err != nil {
				return false, err
			}
			if _, ok := written[id]; ok {
				continue
			}
			written[id] = now
			seen = append(seen, at.Sub(due[cycle]))
			wrote = append(wrote, now.Sub(due[cycle]))
		}
		return len(written) >= total, rows.Err()
	})
	if err != nil {
		return Lateness{}, fmt.Errorf("%d of %d notifications written: %w", len(written), total, err)
	}
	slices.Sort(seen)
	slices.Sort(wrote)
	return Lateness{SeenP50: percentile(seen, 50), SeenP99: percentile(seen, 99),
		WrittenP50: percentile(wrote, 50), WrittenP99: percentile(wrote, 99), Count: total}, nil
}
