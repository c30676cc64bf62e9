package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/reports"
)

// ReportService implements danvan.ReportService: reports, the report
// catalogues, drafts and attachments.
type ReportService struct{ db *DB }

// NewReportService returns a ReportService on db.
func NewReportService(db *DB) *ReportService { return &ReportService{db} }

var _ danvan.ReportService = (*ReportService)(nil)

// ActiveCatalogue returns the catalogue in force. A database that has none
// yet gets the product's default, so a fresh install checks reports with
// the shipped rules.
func (s *ReportService) ActiveCatalogue(ctx context.Context) (string, []byte, error) {
	var version string
	var body []byte
	err := s.db.Pool.QueryRow(ctx, `SELECT version, body FROM report_catalogues WHERE active`).Scan(&version, &body)
	if errors.Is(err, pgx.ErrNoRows) {
		def := reports.Default()
		if _, err := s.db.Pool.Exec(ctx, `INSERT INTO report_catalogues (version, body, active, imported_by)
			VALUES ($1, $2, NOT EXISTS (SELECT 1 FROM report_catalogues WHERE active), 'danvan') ON CONFLICT (version) DO NOTHING`,
			def.Version, reports.DefaultCatalogueJSON()); err != nil {
			return "", nil, translate(err)
		}
		err = s.db.Pool.QueryRow(ctx, `SELECT version, body FROM report_catalogues WHERE active`).Scan(&version, &body)
	}
	if err != nil {
		return "", nil, translate(err)
	}
	return version, body, nil
}

// Catalogue returns the body of version; ENotFound if unknown.
func (s *ReportService) Catalogue(ctx context.Context, version string) ([]byte, error) {
	var body []byte
	err := s.db.Pool.QueryRow(ctx, `SELECT body FROM report_catalogues WHERE version = $1`, version).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("catalogue", version)
	}
	return body, translate(err)
}

// ImportCatalogue stores body as version and makes it the one in force;
// importing the same version again with the same body only reactivates
// it, with another body it is EConflict (a report may refer to it).
func (s *ReportService) ImportCatalogue(ctx context.Context, version string, body []byte, by string) error {
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		var same *bool
		if err := tx.QueryRow(ctx, `SELECT body = $2::jsonb FROM report_catalogues WHERE version = $1`, version, body).Scan(&same); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return translate(err)
		}
		if same != nil && !*same {
			return danvan.Errorf(danvan.EConflict, "catalogue version %s exists with other content; give the new one another version",
				"danh mục phiên bản %s đã có với nội dung khác; hãy đặt phiên bản mới", version)
		}
		if _, err := tx.Exec(ctx, `UPDATE report_catalogues SET active = false WHERE active`); err != nil {
			return translate(err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO report_catalogues (version, body, active, imported_by) VALUES ($1, $2, true, $3)
			ON CONFLICT (version) DO UPDATE SET active = true`, version, body, by)
		return translate(err)
	})
}

// SaveReport stores r, replacing the unit's earlier report of its kind in
// the cycle (files attached before are kept), adds files and takes over
// draft draftID, all in one transaction. EInvalid for an unknown cycle or
// unit, ENotFound for a draft that is not the unit's.
func (s *ReportService) SaveReport(ctx context.Context, r *danvan.Report, files []danvan.Upload, draftID int64) error {
	sections, _ := json.Marshal(r.Sections)
	figures, _ := json.Marshal(r.Figures)
	if r.Citations == nil {
		r.Citations = []string{}
	}
	cites, _ := json.Marshal(r.Citations)
	var date *string
	if r.Date != "" {
		date = &r.Date
	}
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO reports (cycle_id, unit_code, kind, year, number, date, title, sections, figures, citations,
				catalogue_version, submitted_by, submitted_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)
			ON CONFLICT (cycle_id, unit_code, kind) DO UPDATE SET year = excluded.year, number = excluded.number, date = excluded.date,
				title = excluded.title, sections = excluded.sections, figures = excluded.figures, citations = excluded.citations,
				catalogue_version = excluded.catalogue_version, submitted_by = excluded.submitted_by, submitted_at = excluded.submitted_at
			RETURNING id`, r.CycleID, r.UnitCode, r.Kind, r.Year, r.Number, date, r.Title, sections, figures, cites,
			r.CatalogueVersion, r.SubmittedBy, r.SubmittedAt).Scan(&r.ID)
		if err != nil {
			return translate(err)
		}
		if err := addAttachments(ctx, tx, r.UnitCode, "report_id", r.ID, files); err != nil {
			return err
		}
		if err := moveDraftFiles(ctx, tx, r.UnitCode, draftID, "report_id", r.ID); err != nil {
			return err
		}
		r.Attachments, err = listAttachments(ctx, tx, "report_id", r.ID)
		return err
	})
}

const reportColumns = `id, cycle_id, unit_code, kind, year, number, coalesce(to_char(date, 'YYYY-MM-DD'), ''), title,
	sections, figures, citations, catalogue_version, submitted_by, submitted_at`

func (s *ReportService) scanReport(ctx context.Context, row pgx.Row, what string) (*danvan.Report, error) {
	r, err := decodeReport(row, what)
	if err != nil {
		return nil, err
	}
	r.Attachments, err = listAttachments(ctx, s.db.Pool, "report_id", r.ID)
	return r, err
}

func decodeReport(row pgx.Row, what string) (*danvan.Report, error) {
	var r danvan.Report
	var sections, figures, cites []byte
	err := row.Scan(&r.ID, &r.CycleID, &r.UnitCode, &r.Kind, &r.Year, &r.Number, &r.Date, &r.Title,
		&sections, &figures, &cites, &r.CatalogueVersion, &r.SubmittedBy, &r.SubmittedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("report", what)
	} else if err != nil {
		return nil, translate(err)
	}
	for _, x := range []struct {
		b []byte
		v any
	}{{sections, &r.Sections}, {figures, &r.Figures}, {cites, &r.Citations}} {
		dec := json.NewDecoder(bytes.NewReader(x.b))
		if err := dec.Decode(x.v); err != nil {
			return nil, err
		}
	}
	r.Attachments = []danvan.Attachment{}
	return &r, nil
}

// FindReports returns every unit's report of kind in the cycle, by unit
// code, without their files.
func (s *ReportService) FindReports(ctx context.Context, cycleID, kind string) ([]danvan.Report, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT `+reportColumns+` FROM reports WHERE cycle_id = $1 AND kind = $2 ORDER BY unit_code`, cycleID, kind)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []danvan.Report{}
	for rows.Next() {
		r, err := decodeReport(rows, cycleID+"/"+kind)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, translate(rows.Err())
}

// FindReport returns ENotFound when the unit has no report of kind in the
// cycle.
func (s *ReportService) FindReport(ctx context.Context, cycleID, unit, kind string) (*danvan.Report, error) {
	return s.scanReport(ctx, s.db.Pool.QueryRow(ctx, `SELECT `+reportColumns+` FROM reports
		WHERE cycle_id = $1 AND unit_code = $2 AND kind = $3`, cycleID, unit, kind), cycleID+"/"+unit+"/"+kind)
}

// PreviousReport returns the unit's report of kind in the latest year
// before year; ENotFound when there is none.
func (s *ReportService) PreviousReport(ctx context.Context, unit, kind string, year int) (*danvan.Report, error) {
	return s.scanReport(ctx, s.db.Pool.QueryRow(ctx, `SELECT `+reportColumns+` FROM reports
		WHERE unit_code = $1 AND kind = $2 AND year < $3 ORDER BY year DESC, submitted_at DESC LIMIT 1`, unit, kind, year), unit+"/"+kind)
}

// DB returns the database the service runs on.
func (s *ReportService) DB() *DB { return s.db }
