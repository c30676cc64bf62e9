package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"

	"github.com/danvan/danvan"
)

// UnitHistory reads what happened to a unit and checks an import before
// it is applied.
type UnitHistory interface {
	// UnitHistory returns entries about unit, newest first.
	UnitHistory(ctx context.Context, unit string, limit int) ([]danvan.AuditEntry, error)
	// CheckUnits returns the EInvalid error ImportUnits would, writing
	// nothing.
	CheckUnits(ctx context.Context, units []danvan.Unit) error
}

type unitNode struct {
	Unit     danvan.Unit
	Children []*unitNode
}

type unitChange struct {
	Unit   danvan.Unit
	Old    *danvan.Unit
	Fields []string
}

type unitsView struct {
	Roots   []*unitNode
	Count   int
	Changes []unitChange
	Same    int
	Data    string
	Unit    *danvan.Unit
	History []danvan.AuditEntry
}

func (s *Server) webUnitRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /don-vi", s.webPage(s.webUnits))
	mux.HandleFunc("POST /don-vi", s.webPage(s.webImportUnits))
	mux.HandleFunc("GET /don-vi/{code}", s.webPage(s.webUnit))
}

// unitTree builds the tree from the flat list; units whose parent is not in
// the list are roots, so nothing is hidden.
func unitTree(units []danvan.Unit) []*unitNode {
	nodes := map[string]*unitNode{}
	for _, u := range units {
		nodes[u.Code] = &unitNode{Unit: u}
	}
	var roots []*unitNode
	for _, u := range units {
		n := nodes[u.Code]
		if p, ok := nodes[u.ParentCode]; ok && u.ParentCode != u.Code {
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	return roots
}

func (s *Server) unitsPage(ctx context.Context, r *http.Request) (page, *unitsView, error) {
	v := &unitsView{}
	p := page{Title: msg(pageLang(r), "nav.units"), Data: v}
	units, err := s.Units.ListUnits(ctx)
	if err != nil {
		return p, v, err
	}
	v.Roots, v.Count = unitTree(units), len(units)
	return p, v, nil
}

func (s *Server) webUnits(ctx context.Context, _ *danvan.User, r *http.Request) (string, page, error) {
	p, _, err := s.unitsPage(ctx, r)
	return "units", p, err
}

// webImportUnits imports a unit file from the units page (administrators)
// in two steps: action=preview lists what would be created and changed
// and keeps the parsed file in the form; action=apply imports it.
func (s *Server) webImportUnits(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	p, v, err := s.unitsPage(ctx, r)
	if err != nil {
		return "units", p, err
	}
	if err := Allow(u, ActionImportUnits, ""); err != nil {
		return "units", p, err
	}
	data, err := formUpload(r, "file", "data")
	if err != nil {
		return "units", p, err
	}
	units, err := danvan.ParseUnits(data)
	if err != nil {
		return "units", p, err
	}
	if s.History != nil {
		if err := s.History.CheckUnits(ctx, units); err != nil {
			return "units", p, err
		}
	}
	existing, err := s.Units.ListUnits(ctx)
	if err != nil {
		return "units", p, err
	}
	old := map[string]danvan.Unit{}
	for _, e := range existing {
		old[e.Code] = e
	}
	var changes []unitChange
	for _, nu := range units {
		o, ok := old[nu.Code]
		if !ok {
			changes = append(changes, unitChange{Unit: nu})
			continue
		}
		var fields []string
		for name, pair := range map[string][2]string{"name": {o.Name, nu.Name}, "parent_code": {o.ParentCode, nu.ParentCode},
			"kind": {o.Kind, nu.Kind}, "email": {o.Email, nu.Email}, "head_email": {o.HeadEmail, nu.HeadEmail}} {
			if pair[0] != pair[1] {
				fields = append(fields, name)
			}
		}
		if len(fields) == 0 {
			v.Same++
			continue
		}
		sort.Strings(fields)
		oc := o
		changes = append(changes, unitChange{Unit: nu, Old: &oc, Fields: fields})
	}
	if r.FormValue("action") != "apply" {
		raw, _ := json.Marshal(units)
		v.Changes, v.Data = changes, string(raw)
		return "units", p, nil
	}
	created, updated, err := s.Units.ImportUnits(ctx, units)
	if err != nil {
		return "units", p, err
	}
	s.auditAs(ctx, u, "units.import", "", "", map[string]any{"created": created, "updated": updated, "via": "web"})
	for _, c := range changes {
		detail := map[string]any{"created": c.Old == nil, "fields": c.Fields}
		s.auditAs(ctx, u, "unit.import", "", c.Unit.Code, detail)
	}
	p, _, err = s.unitsPage(ctx, r)
	p.Flash = fmt.Sprintf(msg(pageLang(r), "units.imported"), viNum(created), viNum(updated))
	return "units", p, err
}

// webUnit shows one unit and its history.
func (s *Server) webUnit(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	p, v, err := s.unitsPage(ctx, r)
	if err != nil {
		return "unit", p, err
	}
	code := r.PathValue("code")
	if err := canRead(u, code); err != nil {
		return "unit", p, err
	}
	un, err := s.Units.FindUnit(ctx, code)
	if err != nil {
		return "unit", p, err
	}
	v.Unit = un
	p.Title = un.Name
	if s.History != nil {
		if v.History, err = s.History.UnitHistory(ctx, code, 100); err != nil {
			return "unit", p, err
		}
	}
	return "unit", p, nil
}
