package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/criteria"
)

// CriteriaService stores criteria sets, versioned per province and year,
// and the set each cycle uses.
type CriteriaService struct{ db *DB }

// NewCriteriaService returns a CriteriaService on db.
func NewCriteriaService(db *DB) *CriteriaService { return &CriteriaService{db} }

// ImportSet stores s as the next version of its province and year and
// returns it with Version set. Importing the same content as the newest
// version changes nothing and returns that version. It returns EInvalid
// for a set that does not pass Check.
func (s *CriteriaService) ImportSet(ctx context.Context, set *criteria.Set, by string) (*criteria.Set, error) {
	if err := set.Check(); err != nil {
		return nil, err
	}
	out := *set
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		// Serialise imports of one key so two at once get two versions.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, fmt.Sprintf("criteria/%s/%d", set.Province, set.Year)); err != nil {
			return translate(err)
		}
		var last int
		var lastBody []byte
		err := tx.QueryRow(ctx, `SELECT version, body FROM criteria_sets WHERE province=$1 AND year=$2 ORDER BY version DESC LIMIT 1`,
			set.Province, set.Year).Scan(&last, &lastBody)
		if err != nil && err != pgx.ErrNoRows {
			return translate(err)
		}
		if last > 0 {
			var prev criteria.Set
			if json.Unmarshal(lastBody, &prev) == nil {
				prev.Version = 0
				a, _ := json.Marshal(prev)
				cur := *set
				cur.Version = 0
				b, _ := json.Marshal(cur)
				if string(a) == string(b) {
					out.Version = last
					return nil
				}
			}
		}
		out.Version = last + 1
		body, err := json.Marshal(out)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO criteria_sets (province, year, version, set_id, example, body, imported_by) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
			out.Province, out.Year, out.Version, out.ID, out.Example, body, by)
		return translate(err)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListSets returns every version of every set, newest first per key.
func (s *CriteriaService) ListSets(ctx context.Context) ([]criteria.Set, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT body FROM criteria_sets ORDER BY province, year DESC, version DESC`)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (criteria.Set, error) {
		var b []byte
		var set criteria.Set
		if err := r.Scan(&b); err != nil {
			return set, err
		}
		return set, json.Unmarshal(b, &set)
	})
	return out, translate(err)
}

// FindSet returns set id at version (0 = newest); ENotFound when unknown.
func (s *CriteriaService) FindSet(ctx context.Context, id string, version int) (*criteria.Set, error) {
	var b []byte
	err := s.db.Pool.QueryRow(ctx, `SELECT body FROM criteria_sets WHERE set_id=$1 AND ($2 = 0 OR version = $2) ORDER BY version DESC LIMIT 1`,
		id, version).Scan(&b)
	if err == pgx.ErrNoRows {
		return nil, notFound("criteria set", fmt.Sprintf("%s v%d", id, version))
	} else if err != nil {
		return nil, translate(err)
	}
	var set criteria.Set
	return &set, json.Unmarshal(b, &set)
}

// UseSet makes cycleID use set id at version (0 = newest), replacing an
// earlier choice, and returns the set. ENotFound for an unknown set or
// cycle.
func (s *CriteriaService) UseSet(ctx context.Context, cycleID, id string, version int) (*criteria.Set, error) {
	set, err := s.FindSet(ctx, id, version)
	if err != nil {
		return nil, err
	}
	_, err = s.db.Pool.Exec(ctx, `INSERT INTO cycle_criteria (cycle_id, province, year, version) VALUES ($1,$2,$3,$4)
		ON CONFLICT (cycle_id) DO UPDATE SET province=excluded.province, year=excluded.year, version=excluded.version`,
		cycleID, set.Province, set.Year, set.Version)
	if danvan.ErrorCode(translate(err)) == danvan.EInvalid {
		return nil, notFound("cycle", cycleID)
	}
	return set, translate(err)
}

// CycleSet returns the set cycleID uses, nil (no error) when none is
// chosen.
func (s *CriteriaService) CycleSet(ctx context.Context, cycleID string) (*criteria.Set, error) {
	var b []byte
	err := s.db.Pool.QueryRow(ctx, `SELECT cs.body FROM cycle_criteria cc JOIN criteria_sets cs
		ON cs.province = cc.province AND cs.year = cc.year AND cs.version = cc.version WHERE cc.cycle_id = $1`, cycleID).Scan(&b)
	if err == pgx.ErrNoRows {
		return nil, nil
	} else if err != nil {
		return nil, translate(err)
	}
	var set criteria.Set
	return &set, json.Unmarshal(b, &set)
}
