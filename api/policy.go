package api

import (
	"github.com/danvan/danvan"
)

// Action is something a user asks to do; Allow decides it.
type Action string

// Actions, each decided by Allow for a role and, where it has one, a unit.
const (
	ActionRead            Action = "read"             // a unit's tasks, submissions, notices
	ActionSubmit          Action = "submit"           // hand in a unit's work
	ActionDecide          Action = "decide"           // accept, return, extend
	ActionMarkRead        Action = "mark_read"        // mark a unit's notice read
	ActionStartCycle      Action = "start_cycle"      // start a cycle
	ActionImportUnits     Action = "import_units"     // load the unit tree
	ActionImportDocuments Action = "import_documents" // add to the document registry
	ActionSearch          Action = "search"           // search and read the registry
	ActionManageUsers     Action = "manage_users"     // accounts, tokens, audit log
	ActionAdminister      Action = "administer"       // close cycles, the calendar, failed e-mail, catalogue, models' results
	ActionReadSummary     Action = "read_summary"     // the province's compiled figures
	ActionInspect         Action = "inspect"          // record findings, decide answers (members of the team)
)

// policy lists, per action, the roles allowed and whether an officer is
// limited to the units he belongs to ("own").
var policy = map[Action]struct {
	roles []string
	own   bool // officers only for their own units
}{
	ActionRead:            {[]string{danvan.RoleAdmin, danvan.RoleOfficer, danvan.RoleInspector, danvan.RoleReader}, true},
	ActionSubmit:          {[]string{danvan.RoleAdmin, danvan.RoleOfficer}, true},
	ActionDecide:          {[]string{danvan.RoleAdmin}, false},
	ActionMarkRead:        {[]string{danvan.RoleAdmin, danvan.RoleOfficer}, true},
	ActionStartCycle:      {[]string{danvan.RoleAdmin}, false},
	ActionImportUnits:     {[]string{danvan.RoleAdmin}, false},
	ActionImportDocuments: {[]string{danvan.RoleAdmin}, false},
	ActionSearch:          {[]string{danvan.RoleAdmin, danvan.RoleOfficer, danvan.RoleInspector, danvan.RoleReader}, false},
	ActionManageUsers:     {[]string{danvan.RoleAdmin}, false},
	ActionAdminister:      {[]string{danvan.RoleAdmin}, false},
	ActionReadSummary:     {[]string{danvan.RoleAdmin, danvan.RoleInspector, danvan.RoleReader}, false},
	ActionInspect:         {[]string{danvan.RoleAdmin, danvan.RoleInspector}, false},
}

// Allow is the one authorization decision: may u do action on unit's work
// ("" for actions without a unit)? It returns nil, EUnauthorized for no
// user, ENotFound for another unit's work (so an officer cannot learn what
// exists elsewhere: it reads exactly like a missing thing) and EForbidden
// for a role that may not do the action at all.
func Allow(u *danvan.User, action Action, unit string) error {
	if u == nil || u.Disabled {
		return danvan.Errorf(danvan.EUnauthorized, "sign in first", "cần đăng nhập")
	}
	p, ok := policy[action]
	if !ok {
		return danvan.Errorf(danvan.EForbidden, "unknown action %s", "thao tác không xác định %s", action)
	}
	allowed := false
	for _, r := range p.roles {
		allowed = allowed || r == u.Role
	}
	if !allowed {
		return danvan.Errorf(danvan.EForbidden, "your role (%s) may not do this", "vai trò của bạn (%s) không được làm thao tác này", u.Role)
	}
	if p.own && u.Role == danvan.RoleOfficer && unit != "" && !u.HasUnit(unit) {
		return notFoundErr()
	}
	return nil
}

// notFoundErr is the answer for another unit's thing and a missing one alike.
func notFoundErr() error { return danvan.Errorf(danvan.ENotFound, "not found", "không tìm thấy") }

// canRead is Allow(u, ActionRead, unit), where an empty unit means "a
// unit that is not the officer's" (a cycle his units are not in).
func canRead(u *danvan.User, unit string) error {
	if unit == "" && u != nil && u.Role == danvan.RoleOfficer {
		return notFoundErr()
	}
	return Allow(u, ActionRead, unit)
}
