package api

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan"
)

// dashUnitsPerPage bounds the grid rows of one dashboard page: a province
// cycle has thousands of units.
const dashUnitsPerPage = 100

// dashStatuses is the order statuses are counted and drawn in.
var dashStatuses = []string{danvan.StatusPending, danvan.StatusSubmitted, danvan.StatusReturned, danvan.StatusOverdue,
	danvan.StatusAccepted, danvan.StatusDoneLate}

type dashFilter struct{ Status, Unit, Tier, Kind string }

// query is the filter as a query string, for paging and export links.
func (f dashFilter) query() string {
	v := url.Values{}
	for k, x := range map[string]string{"status": f.Status, "unit": f.Unit, "tier": f.Tier, "kind": f.Kind} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v.Encode()
}

type dashCell struct {
	Task  *danvan.Task
	Badge string
}

type dashRow struct {
	Unit  string
	Name  string
	Cells []dashCell
}

type dashboard struct {
	Cycle     *danvan.Cycle
	Kinds     []danvan.TaskDef
	Rows      []dashRow
	Summary   []statusCount
	Filter    dashFilter
	Query     string
	Tiers     []string
	Page      int
	Pages     int
	Total     int
	Shown     int
	Chart     template.HTML
	StatusBar template.HTML
}

type statusCount struct {
	Status string
	Count  int
}

// webCycle is the cycle dashboard: a unit × task grid with filters, a
// chart of submissions against the deadlines and a status bar per kind.
func (s *Server) webCycle(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	lang := pageLang(r)
	p := page{Title: msg(lang, "nav.cycles")}
	q := r.URL.Query()
	f := dashFilter{Status: q.Get("status"), Unit: strings.TrimSpace(q.Get("unit")), Tier: q.Get("tier"), Kind: q.Get("kind")}
	c, tf, err := s.scopedCycle(ctx, u, r.PathValue("id"), f.Unit)
	if err != nil {
		return "cycles", p, err
	}
	all, err := s.Tasks.FindTasks(ctx, danvan.TaskFilter{CycleID: c.ID, UnitCode: tf.UnitCode, Kind: f.Kind})
	if err != nil {
		return "cycles", p, err
	}
	units, err := s.Units.ListUnits(ctx)
	if err != nil {
		return "cycles", p, err
	}
	byCode := map[string]danvan.Unit{}
	tierSet := map[string]bool{}
	for _, un := range units {
		byCode[un.Code] = un
		tierSet[un.Kind] = true
	}
	d := &dashboard{Cycle: c, Filter: f, Query: f.query()}
	for t := range tierSet {
		d.Tiers = append(d.Tiers, t)
	}
	sort.Strings(d.Tiers)
	for _, def := range c.Definition.Tasks {
		if f.Kind == "" || def.Kind == f.Kind {
			d.Kinds = append(d.Kinds, def)
		}
	}
	col := map[string]int{}
	for i, k := range d.Kinds {
		col[k.Kind] = i
	}
	// A task the definition does not list (a kind added later) still
	// gets a column: nothing is hidden from the dashboard.
	for _, t := range all {
		if _, ok := col[t.Kind]; !ok {
			col[t.Kind] = len(d.Kinds)
			d.Kinds = append(d.Kinds, danvan.TaskDef{Kind: t.Kind, Title: t.Title})
		}
	}
	now := s.Now()
	summary := map[string]int{}
	rows := map[string]*dashRow{}
	var order []string
	var shown []danvan.Task
	for i := range all {
		t := &all[i]
		if f.Tier != "" && byCode[t.UnitCode].Kind != f.Tier {
			continue
		}
		summary[t.Status]++
		if f.Status != "" && t.Status != f.Status {
			continue
		}
		ci, ok := col[t.Kind]
		if !ok {
			continue
		}
		shown = append(shown, *t)
		row := rows[t.UnitCode]
		if row == nil {
			row = &dashRow{Unit: t.UnitCode, Name: byCode[t.UnitCode].Name, Cells: make([]dashCell, len(d.Kinds))}
			rows[t.UnitCode] = row
			order = append(order, t.UnitCode)
		}
		row.Cells[ci] = dashCell{Task: t, Badge: badge(*t, now)}
	}
	// The column shows the deadline as resolved (moved off days off), the
	// latest when extensions differ between units.
	for i, k := range d.Kinds {
		var latest time.Time
		for _, t := range all {
			if t.Kind == k.Kind && t.Due.After(latest) {
				latest = t.Due
			}
		}
		if !latest.IsZero() {
			d.Kinds[i].Due = latest.In(vnZone).Format("2006-01-02")
		}
	}
	d.Total, d.Shown = len(all), len(shown)
	for _, st := range dashStatuses {
		d.Summary = append(d.Summary, statusCount{st, summary[st]})
	}
	pageNo, _ := strconv.Atoi(q.Get("trang"))
	d.Pages = max((len(order)+dashUnitsPerPage-1)/dashUnitsPerPage, 1)
	d.Page = min(max(pageNo, 1), d.Pages)
	for _, code := range order[min((d.Page-1)*dashUnitsPerPage, len(order)):min(d.Page*dashUnitsPerPage, len(order))] {
		d.Rows = append(d.Rows, *rows[code])
	}
	d.Chart = submissionChart(lang, c, d.Kinds, shown, now)
	d.StatusBar = statusBars(lang, d.Kinds, shown)
	p.Title = c.Definition.Title
	p.Data = d
	return "cycle", p, nil
}

// submissionChart draws, as inline SVG, how many of tasks were submitted
// by each day against the deadlines of kinds (dashed lines). It needs no
// script and no other host.
func submissionChart(lang string, c *danvan.Cycle, kinds []danvan.TaskDef, tasks []danvan.Task, now time.Time) template.HTML {
	const w, h, left, bottom, top, right = 640, 220, 44, 34, 14, 14
	day := func(t time.Time) time.Time {
		y, m, d := t.In(vnZone).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, vnZone)
	}
	start, end := day(c.StartedAt), day(now)
	var subs []time.Time
	var dues []time.Time
	for _, t := range tasks {
		if t.SubmittedAt != nil {
			subs = append(subs, day(*t.SubmittedAt))
		}
	}
	dueOf := map[string]time.Time{}
	for _, t := range tasks {
		if cur, ok := dueOf[t.Kind]; !ok || t.Due.After(cur) {
			dueOf[t.Kind] = t.Due
		}
	}
	for _, k := range kinds {
		if due, ok := dueOf[k.Kind]; ok {
			dues = append(dues, day(due))
		}
	}
	for _, t := range append(append([]time.Time{}, subs...), dues...) {
		if t.After(end) {
			end = t
		}
		if t.Before(start) {
			start = t
		}
	}
	span := max(int(end.Sub(start).Hours()/24), 1)
	total := max(len(tasks), 1)
	x := func(t time.Time) float64 {
		return left + float64(w-left-right)*t.Sub(start).Hours()/24/float64(span)
	}
	y := func(n int) float64 { return float64(h-bottom) - float64(h-bottom-top)*float64(n)/float64(total) }
	sort.Slice(subs, func(i, j int) bool { return subs[i].Before(subs[j]) })
	var b strings.Builder
	title := msg(lang, "dash.chart")
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="chart-t chart-d">`, w, h, w, h)
	fmt.Fprintf(&b, `<title id="chart-t">%s</title><desc id="chart-d">%s</desc>`, html.EscapeString(title),
		html.EscapeString(fmt.Sprintf(msg(lang, "dash.chartdesc"), len(subs), len(tasks))))
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/><line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>`,
		left, h-bottom, w-right, h-bottom, left, top, left, h-bottom)
	fmt.Fprintf(&b, `<text x="4" y="%.0f">%s</text><text x="4" y="%.0f">0</text>`, y(total)+4, viNum(len(tasks)), y(0))
	fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text><text x="%d" y="%d" text-anchor="end">%s</text>`,
		left, h-bottom+16, start.Format("02/01/2006"), w-right, h-bottom+16, end.Format("02/01/2006"))
	for i, due := range dues {
		fmt.Fprintf(&b, `<line class="dl" x1="%.1f" y1="%d" x2="%.1f" y2="%d"/><text x="%.1f" y="%d" text-anchor="middle">%s</text>`,
			x(due), top, x(due), h-bottom, x(due), h-4-(i%2)*10, html.EscapeString(due.Format("02/01")))
	}
	pts := []string{fmt.Sprintf("%.1f,%.1f", x(start), y(0))}
	for i, t := range subs {
		if i+1 < len(subs) && subs[i+1].Equal(t) {
			continue
		}
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(t), y(i+1)))
	}
	pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(end), y(len(subs))))
	fmt.Fprintf(&b, `<polyline class="line" points="%s"/></svg>`, strings.Join(pts, " "))
	return template.HTML(b.String()) //nolint:gosec // every text above is escaped
}

// statusBars draws one stacked bar per task kind, each segment labelled in
// text as well as colour.
func statusBars(lang string, kinds []danvan.TaskDef, tasks []danvan.Task) template.HTML {
	const w, rowH, labelW = 640, 30, 170
	count := map[string]map[string]int{}
	for _, t := range tasks {
		if count[t.Kind] == nil {
			count[t.Kind] = map[string]int{}
		}
		count[t.Kind][t.Status]++
	}
	h := rowH*len(kinds) + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="bars-t"><title id="bars-t">%s</title>`,
		w, h, w, h, html.EscapeString(msg(lang, "dash.bars")))
	for i, k := range kinds {
		yy := 4 + i*rowH
		fmt.Fprintf(&b, `<text x="0" y="%d">%s</text>`, yy+16, html.EscapeString(kindLabel(lang, k.Kind)))
		n := 0
		for _, st := range dashStatuses {
			n += count[k.Kind][st]
		}
		xx := float64(labelW)
		for _, st := range dashStatuses {
			c := count[k.Kind][st]
			if c == 0 || n == 0 {
				continue
			}
			ww := float64(w-labelW-4) * float64(c) / float64(n)
			fmt.Fprintf(&b, `<rect class="s-%s" x="%.1f" y="%d" width="%.1f" height="22"><title>%s: %s</title></rect>`,
				st, xx, yy, ww, html.EscapeString(msg(lang, "status."+st)), viNum(c))
			xx += ww
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // every text above is escaped
}
