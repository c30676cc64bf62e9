package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
)

// UnitService implements danvan.UnitService.
type UnitService struct{ db *DB }

// NewUnitService returns a UnitService on db.
func NewUnitService(db *DB) *UnitService { return &UnitService{db} }

var _ danvan.UnitService = (*UnitService)(nil)

// ImportUnits validates every row, then writes all of them in one
// transaction. It returns an EInvalid *Error naming each bad row (duplicate
// codes, unknown parents, loops, bad fields) and writes nothing then.
func (s *UnitService) ImportUnits(ctx context.Context, units []danvan.Unit) (created, updated int, err error) {
	if len(units) == 0 {
		return 0, 0, danvan.Invalid("units", "the file has no units", "tệp không có đơn vị nào")
	}
	existing, err := s.ListUnits(ctx)
	if err != nil {
		return 0, 0, err
	}
	if err := checkTree(existing, units); err != nil {
		return 0, 0, err
	}
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		created, updated = 0, 0
		for _, u := range units {
			// Keep the old shape: record the previous row when it changes.
			if _, err := tx.Exec(ctx, `INSERT INTO unit_history (code, name, parent_code, kind)
				SELECT code, name, parent_code, kind FROM units
				WHERE code = $1 AND (name, coalesce(parent_code,''), kind) IS DISTINCT FROM ($2, $3, $4)`,
				u.Code, u.Name, u.ParentCode, u.Kind); err != nil {
				return translate(err)
			}
			var inserted bool
			err := tx.QueryRow(ctx, `INSERT INTO units (code, name, parent_code, kind, email, head_email)
				VALUES ($1, $2, nullif($3, ''), $4, $5, $6)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, parent_code = excluded.parent_code,
					kind = excluded.kind, email = excluded.email, head_email = excluded.head_email, updated_at = now()
				RETURNING (xmax = 0)`, u.Code, u.Name, u.ParentCode, u.Kind, u.Email, u.HeadEmail).Scan(&inserted)
			if err != nil {
				return translate(err)
			}
			if inserted {
				created++
			} else {
				updated++
			}
		}
		return nil
	})
	return created, updated, err
}

// checkTree validates the rows and the tree they make with the units already
// stored: codes unique, parents exist, no loops.
func checkTree(existing, rows []danvan.Unit) error {
	out := &danvan.Error{Code: danvan.EInvalid, Message: "The unit list has errors; nothing was imported",
		MessageVI: "Danh sách đơn vị có lỗi; chưa nhập đơn vị nào"}
	add := func(row int, field, en, vi string) {
		f := fmt.Sprintf("row %d %s", row, field)
		fv := fmt.Sprintf("dòng %d %s", row, field)
		out.Fields = append(out.Fields, danvan.FieldError{Field: f, Rule: "tree", Message: f + ": " + en, MessageVI: fv + ": " + vi})
	}
	parent := map[string]string{}
	for _, u := range existing {
		parent[u.Code] = u.ParentCode
	}
	seen := map[string]int{}
	for i, u := range rows {
		row := i + 1
		if err := danvan.Validate(&u); err != nil {
			for _, fe := range danvan.AsError(err).Fields {
				add(row, fe.Field, fe.Message, fe.MessageVI)
			}
		}
		if prev, dup := seen[u.Code]; dup && u.Code != "" {
			add(row, "code", fmt.Sprintf("code %q repeats row %d", u.Code, prev), fmt.Sprintf("mã %q trùng dòng %d", u.Code, prev))
		}
		seen[u.Code] = row
		parent[u.Code] = u.ParentCode
	}
	for i, u := range rows {
		if u.ParentCode == "" {
			continue
		}
		if _, ok := parent[u.ParentCode]; !ok {
			add(i+1, "parent_code", fmt.Sprintf("parent %q does not exist", u.ParentCode), fmt.Sprintf("đơn vị cấp trên %q không tồn tại", u.ParentCode))
			continue
		}
		// Walk up; a walk longer than the number of units is a loop.
		c, steps := u.Code, 0
		for c != "" && steps <= len(parent) {
			c, steps = parent[c], steps+1
		}
		if c != "" {
			add(i+1, "parent_code", fmt.Sprintf("unit %q is its own ancestor (loop)", u.Code), fmt.Sprintf("đơn vị %q tạo vòng lặp cấp trên", u.Code))
		}
	}
	if len(out.Fields) > 0 {
		return out
	}
	return nil
}

// FindUnit returns ENotFound when no unit has code.
func (s *UnitService) FindUnit(ctx context.Context, code string) (*danvan.Unit, error) {
	var u danvan.Unit
	err := s.db.Pool.QueryRow(ctx, `SELECT code, name, coalesce(parent_code,''), kind, email, head_email FROM units WHERE code = $1`, code).
		Scan(&u.Code, &u.Name, &u.ParentCode, &u.Kind, &u.Email, &u.HeadEmail)
	if err == pgx.ErrNoRows {
		return nil, notFound("unit", code)
	}
	return &u, translate(err)
}

// ListUnits returns all units ordered by code.
func (s *UnitService) ListUnits(ctx context.Context) ([]danvan.Unit, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT code, name, coalesce(parent_code,''), kind, email, head_email FROM units ORDER BY code`)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (danvan.Unit, error) {
		var u danvan.Unit
		err := r.Scan(&u.Code, &u.Name, &u.ParentCode, &u.Kind, &u.Email, &u.HeadEmail)
		return u, err
	})
	return out, translate(err)
}

// Subtree returns root and every unit below it, root first; ENotFound when
// root does not exist.
func (s *UnitService) Subtree(ctx context.Context, root string) ([]string, error) {
	rows, err := s.db.Pool.Query(ctx, `WITH RECURSIVE t(code, depth) AS (
			SELECT code, 0 FROM units WHERE code = $1
			UNION SELECT u.code, t.depth + 1 FROM units u JOIN t ON u.parent_code = t.code WHERE t.depth < 100)
		SELECT code FROM t ORDER BY depth, code`, root)
	if err != nil {
		return nil, translate(err)
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, translate(err)
	}
	if len(codes) == 0 {
		return nil, notFound("unit", root)
	}
	return codes, nil
}
