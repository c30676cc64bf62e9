package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
)

// textMediaType is how submission texts are stored in blobs.
const textMediaType = "text/plain; charset=utf-8"

// CreateSubmission writes s.Text and every file as blobs and a pending
// submissions row referring to them, in one transaction: either all of it
// is stored or nothing is. It sets s.ID, s.SHA256, s.Size and s.Files and
// returns EInvalid for an invalid submission or a file over MaxFileSize.
func (s *TaskService) CreateSubmission(ctx context.Context, sub *danvan.Submission, files []danvan.Upload) error {
	if err := danvan.Validate(sub); err != nil {
		return err
	}
	for i, f := range files {
		if f.Name == "" || len(f.Name) > 255 {
			return danvan.Invalid(fmt.Sprintf("files[%d].name", i), "a file needs a name of at most 255 bytes", "tệp cần có tên dài tối đa 255 byte")
		}
	}
	var date *string
	if sub.Date != "" {
		date = &sub.Date
	}
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		sum, err := PutBlob(ctx, tx, []byte(sub.Text), textMediaType, s.MaxFileSize)
		if err != nil {
			return err
		}
		var id int64
		err = tx.QueryRow(ctx, `INSERT INTO submissions (cycle_id, unit_code, kind, number, date, title, submitted_by, sha256, size, state)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'pending') RETURNING id`,
			sub.CycleID, sub.UnitCode, sub.Kind, sub.Number, date, sub.Title, sub.SubmittedBy, sum, len(sub.Text)).Scan(&id)
		if err != nil {
			return translate(err)
		}
		out := make([]danvan.File, 0, len(files))
		for i, f := range files {
			mt := f.MediaType
			if mt == "" {
				mt = "application/octet-stream"
			}
			fsum, err := PutBlob(ctx, tx, f.Data, mt, s.MaxFileSize)
			if err != nil {
				return danvan.Invalid(fmt.Sprintf("files[%d]", i), f.Name+": "+danvan.ErrorMessage(err), f.Name+": tệp quá lớn")
			}
			if _, err := tx.Exec(ctx, `INSERT INTO submission_files (submission_id, n, name, media_type, size, sha256)
				VALUES ($1,$2,$3,$4,$5,$6)`, id, i+1, f.Name, mt, len(f.Data), fsum); err != nil {
				return translate(err)
			}
			out = append(out, danvan.File{SHA256: fsum, Name: f.Name, MediaType: mt, Size: int64(len(f.Data))})
		}
		sub.ID, sub.SHA256, sub.Size, sub.Files = id, sum, int64(len(sub.Text)), out
		return nil
	})
}

// RecordSubmission marks pending submission id recorded at at with the next
// seq of its task. A recorded row is returned as it is, so a retried
// activity gets the same seq. ENotFound for an unknown id (swept: the
// workflow took longer than the sweeper's grace period).
func (s *TaskService) RecordSubmission(ctx context.Context, id int64, at time.Time) (*danvan.Submission, error) {
	var out *danvan.Submission
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		var cycle, unit, kind, state string
		err := tx.QueryRow(ctx, `SELECT cycle_id, unit_code, kind, state FROM submissions WHERE id = $1 FOR UPDATE`, id).
			Scan(&cycle, &unit, &kind, &state)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("submission", fmt.Sprint(id))
		}
		if err != nil {
			return translate(err)
		}
		if state == danvan.SubmissionPending {
			// The task's rows are locked in id order by this statement's
			// subquery only loosely; the unique index on seq settles a race,
			// and the workflow records one submission of a task at a time.
			if _, err := tx.Exec(ctx, `UPDATE submissions SET state = 'recorded', submitted_at = $2,
					seq = (SELECT coalesce(max(seq), 0) + 1 FROM submissions WHERE cycle_id = $3 AND unit_code = $4 AND kind = $5)
				WHERE id = $1`, id, at, cycle, unit, kind); err != nil {
				return translate(err)
			}
		}
		out, err = findSubmission(ctx, tx, `s.id = $1`, id)
		return err
	})
	return out, err
}

// SaveSubmission stores sub with its text as recorded under sub.Seq, once
// per (cycle, unit, kind, seq): the path of workflows recorded before the
// claim check, whose Update still carried the text. A second call with the
// same text changes nothing; with another text it returns EConflict.
func (s *TaskService) SaveSubmission(ctx context.Context, sub *danvan.Submission) error {
	if err := danvan.Validate(sub); err != nil {
		return err
	}
	if sub.Seq < 1 {
		return danvan.Invalid("seq", "must be 1 or more", "phải từ 1 trở lên")
	}
	var date *string
	if sub.Date != "" {
		date = &sub.Date
	}
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		sum, err := PutBlob(ctx, tx, []byte(sub.Text), textMediaType, s.MaxFileSize)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO submissions (cycle_id, unit_code, kind, seq, number, date, title, submitted_by,
				submitted_at, sha256, size, state)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,'recorded') ON CONFLICT DO NOTHING`,
			sub.CycleID, sub.UnitCode, sub.Kind, sub.Seq, sub.Number, date, sub.Title, sub.SubmittedBy, sub.SubmittedAt, sum, len(sub.Text))
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() == 1 {
			return nil
		}
		var same bool
		err = tx.QueryRow(ctx, `SELECT sha256 = $5 FROM submissions WHERE cycle_id=$1 AND unit_code=$2 AND kind=$3 AND seq=$4`,
			sub.CycleID, sub.UnitCode, sub.Kind, sub.Seq, sum).Scan(&same)
		if err != nil {
			return translate(err)
		}
		if !same {
			return danvan.Errorf(danvan.EConflict, "submission %d of %s/%s/%s exists with other content",
				"bản nộp %d của %s/%s/%s đã tồn tại với nội dung khác", sub.Seq, sub.CycleID, sub.UnitCode, sub.Kind)
		}
		return nil
	})
}

// FindSubmissions returns a task's recorded submissions (all tasks of the
// unit when kind is empty) oldest first, without their text.
func (s *TaskService) FindSubmissions(ctx context.Context, cycleID, unit, kind string) ([]danvan.Submission, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT `+submissionColumns+`, false FROM submissions s
		WHERE s.state = 'recorded' AND s.cycle_id = $1 AND s.unit_code = $2 AND ($3 = '' OR s.kind = $3) ORDER BY s.kind, s.seq`,
		cycleID, unit, kind)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, scanSubmission)
	if err != nil {
		return nil, fmt.Errorf("submissions: %w", translate(err))
	}
	if err := loadFiles(ctx, s.db.Pool, out); err != nil {
		return nil, err
	}
	return out, nil
}

// FindSubmission returns recorded submission seq of a task with its text
// and files; ENotFound when there is none.
func (s *TaskService) FindSubmission(ctx context.Context, cycleID, unit, kind string, seq int) (*danvan.Submission, error) {
	sub, err := findSubmission(ctx, s.db.Pool, `s.state = 'recorded' AND s.cycle_id = $1 AND s.unit_code = $2 AND s.kind = $3 AND s.seq = $4`,
		cycleID, unit, kind, seq)
	if danvan.ErrorCode(err) == danvan.ENotFound {
		return nil, notFound("submission", fmt.Sprintf("%s/%s/%s/%d", cycleID, unit, kind, seq))
	}
	return sub, err
}

// SubmissionFile returns file n of recorded submission seq and its bytes;
// ENotFound when there is none.
func (s *TaskService) SubmissionFile(ctx context.Context, cycleID, unit, kind string, seq, n int) (*danvan.File, []byte, error) {
	var f danvan.File
	var data []byte
	err := s.db.Pool.QueryRow(ctx, `SELECT f.name, f.media_type, f.size, f.sha256, b.data
		FROM submissions s JOIN submission_files f ON f.submission_id = s.id JOIN blobs b ON b.sha256 = f.sha256
		WHERE s.state = 'recorded' AND s.cycle_id = $1 AND s.unit_code = $2 AND s.kind = $3 AND s.seq = $4 AND f.n = $5`,
		cycleID, unit, kind, seq, n).Scan(&f.Name, &f.MediaType, &f.Size, &f.SHA256, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, notFound("file", fmt.Sprintf("%s/%s/%s/%d/%d", cycleID, unit, kind, seq, n))
	}
	if err != nil {
		return nil, nil, translate(err)
	}
	return &f, data, nil
}

// SweepSubmissions deletes pending submissions created before cutoff, then
// the blobs only they referred to. A blob another table still refers to
// (a foreign key this package does not know) is left in place. A pending
// row being recorded at this moment is locked and skipped.
func (s *TaskService) SweepSubmissions(ctx context.Context, cutoff time.Time) (int, error) {
	var n int
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, sha256 FROM submissions WHERE state = 'pending' AND created_at < $1
			FOR UPDATE SKIP LOCKED`, cutoff)
		if err != nil {
			return translate(err)
		}
		var ids []int64
		sums := map[string]bool{}
		var id int64
		var sum string
		if _, err := pgx.ForEachRow(rows, []any{&id, &sum}, func() error {
			ids, sums[sum] = append(ids, id), true
			return nil
		}); err != nil {
			return translate(err)
		}
		if len(ids) == 0 {
			return nil
		}
		rows, err = tx.Query(ctx, `SELECT sha256 FROM submission_files WHERE submission_id = ANY($1)`, ids)
		if err != nil {
			return translate(err)
		}
		if _, err := pgx.ForEachRow(rows, []any{&sum}, func() error { sums[sum] = true; return nil }); err != nil {
			return translate(err)
		}
		tag, err := tx.Exec(ctx, `DELETE FROM submissions WHERE id = ANY($1)`, ids)
		if err != nil {
			return translate(err)
		}
		n = int(tag.RowsAffected())
		for sum := range sums {
			if _, err := tx.Exec(ctx, `SAVEPOINT blob`); err != nil {
				return translate(err)
			}
			_, err := tx.Exec(ctx, `DELETE FROM blobs WHERE sha256 = $1
				AND NOT EXISTS (SELECT 1 FROM submissions WHERE sha256 = $1)
				AND NOT EXISTS (SELECT 1 FROM submission_files WHERE sha256 = $1)`, sum)
			if err != nil {
				if _, rerr := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT blob`); rerr != nil {
					return translate(rerr)
				}
				continue
			}
			if _, err := tx.Exec(ctx, `RELEASE SAVEPOINT blob`); err != nil {
				return translate(err)
			}
		}
		return nil
	})
	return n, err
}

// submissionColumns are what scanSubmission reads, from submissions AS s;
// the caller appends the text (or false) as the last column.
const submissionColumns = `s.id, s.cycle_id, s.unit_code, s.kind, coalesce(s.seq, 0), s.number,
	coalesce(to_char(s.date, 'YYYY-MM-DD'), ''), s.title, s.submitted_by, coalesce(s.submitted_at, 'epoch'::timestamptz),
	s.sha256, s.size`

func scanSubmission(r pgx.CollectableRow) (danvan.Submission, error) {
	var s danvan.Submission
	var text any
	err := r.Scan(&s.ID, &s.CycleID, &s.UnitCode, &s.Kind, &s.Seq, &s.Number, &s.Date, &s.Title, &s.SubmittedBy,
		&s.SubmittedAt, &s.SHA256, &s.Size, &text)
	if t, ok := text.(string); ok {
		s.Text = t
	}
	if s.SubmittedAt.Equal(time.Unix(0, 0)) {
		s.SubmittedAt = time.Time{}
	}
	return s, err
}

// findSubmission returns the one submission matching where (on submissions
// AS s) with its text; ENotFound when none does.
func findSubmission(ctx context.Context, q DBTX, where string, args ...any) (*danvan.Submission, error) {
	rows, err := q.Query(ctx, `SELECT `+submissionColumns+`, convert_from(b.data, 'UTF8')
		FROM submissions s JOIN blobs b ON b.sha256 = s.sha256 WHERE `+where, args...)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, scanSubmission)
	if err != nil {
		return nil, translate(err)
	}
	if len(out) == 0 {
		return nil, notFound("submission", fmt.Sprint(args...))
	}
	if err := loadFiles(ctx, q, out); err != nil {
		return nil, err
	}
	return &out[0], nil
}

// loadFiles fills the Files of subs (each with its ID) in one query.
func loadFiles(ctx context.Context, q DBTX, subs []danvan.Submission) error {
	if len(subs) == 0 {
		return nil
	}
	ids := make([]int64, len(subs))
	at := map[int64]int{}
	for i, s := range subs {
		ids[i], at[s.ID] = s.ID, i
	}
	rows, err := q.Query(ctx, `SELECT submission_id, name, media_type, size, sha256 FROM submission_files
		WHERE submission_id = ANY($1) ORDER BY submission_id, n`, ids)
	if err != nil {
		return translate(err)
	}
	var id int64
	var f danvan.File
	_, err = pgx.ForEachRow(rows, []any{&id, &f.Name, &f.MediaType, &f.Size, &f.SHA256}, func() error {
		i := at[id]
		subs[i].Files = append(subs[i].Files, f)
		return nil
	})
	return translate(err)
}

// Sweeper defaults: a pending submission older than SweepGrace was refused
// by its workflow or abandoned (its Update never got through); an Update
// is answered within seconds, and the grace is much longer than
// RecordSubmission's time limit so a slow one is never swept from under it.
const (
	SweepGrace = time.Hour
	SweepEvery = 10 * time.Minute
)

// RunSweeper calls SweepSubmissions every `every` for rows older than grace
// until ctx ends, logging what it removed and any failure (the next round
// tries again). It returns when ctx is done.
func (s *TaskService) RunSweeper(ctx context.Context, every, grace time.Duration, logger *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := s.SweepSubmissions(ctx, time.Now().Add(-grace))
		switch {
		case err != nil && ctx.Err() == nil:
			logger.Error("sweeping unreferenced submissions", "error", err)
		case n > 0:
			logger.Info("swept unreferenced submissions", "removed", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
