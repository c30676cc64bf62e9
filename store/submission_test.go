package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/store"
	"github.com/danvan/danvan/store/storetest"
)

// TestTaskService_CreateSubmission: the claim check. A pending submission is
// invisible; recording it assigns the next seq of its task from the store
// (so a relaunched cycle never reuses one) and is idempotent; the content
// comes back byte for byte; the sweeper removes only old pending rows.
func TestTaskService_CreateSubmission(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t)
	c := newCycle(t, db)
	tasks := store.NewTaskService(db)

	text := strings.Repeat("\"trích dẫn\"\t\\đường dẫn\\\r\n", 1000)
	sub := danvan.Submission{CycleID: c.ID, UnitCode: "SNV", Kind: "unit_plan", Number: "1/KH", Text: text, SubmittedBy: "cb"}
	files := []danvan.Upload{{Name: "ke-hoach.docx", MediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Data: []byte("PK\x03\x04docx")}}
	require.NoError(t, tasks.CreateSubmission(ctx, &sub, files))
	require.NotZero(t, sub.ID)
	h := sha256.Sum256([]byte(text))
	require.Equal(t, hex.EncodeToString(h[:]), sub.SHA256)
	require.Equal(t, int64(len(text)), sub.Size)
	require.Len(t, sub.Files, 1)

	got, err := tasks.FindSubmissions(ctx, c.ID, "SNV", "unit_plan")
	require.NoError(t, err)
	require.Empty(t, got, "a pending submission is not visible")

	at := time.Date(2022, 4, 8, 16, 59, 0, 0, time.UTC)
	rec, err := tasks.RecordSubmission(ctx, sub.ID, at)
	require.NoError(t, err)
	require.Equal(t, 1, rec.Seq)
	require.True(t, rec.SubmittedAt.Equal(at))
	again, err := tasks.RecordSubmission(ctx, sub.ID, at.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, 1, again.Seq, "recording twice changes nothing")
	require.True(t, again.SubmittedAt.Equal(at))

	// A second submission of the same task (after a return) gets seq 2,
	// whatever the workflow's own counters say.
	sub2 := danvan.Submission{CycleID: c.ID, UnitCode: "SNV", Kind: "unit_plan", Text: text}
	require.NoError(t, tasks.CreateSubmission(ctx, &sub2, nil))
	rec2, err := tasks.RecordSubmission(ctx, sub2.ID, at.Add(24*time.Hour))
	require.NoError(t, err)
	require.Equal(t, 2, rec2.Seq)
	require.Equal(t, sub.SHA256, rec2.SHA256, "same text stored once")

	list, err := tasks.FindSubmissions(ctx, c.ID, "SNV", "unit_plan")
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.Empty(t, list[0].Text, "listing carries no bodies")
	require.Equal(t, "ke-hoach.docx", list[0].Files[0].Name)

	full, err := tasks.FindSubmission(ctx, c.ID, "SNV", "unit_plan", 1)
	require.NoError(t, err)
	require.Equal(t, text, full.Text)
	f, data, err := tasks.SubmissionFile(ctx, c.ID, "SNV", "unit_plan", 1, 1)
	require.NoError(t, err)
	require.Equal(t, "ke-hoach.docx", f.Name)
	require.Equal(t, files[0].Data, data)
	_, _, err = tasks.SubmissionFile(ctx, c.ID, "SNV", "unit_plan", 1, 2)
	require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))
	_, err = tasks.FindSubmission(ctx, c.ID, "DP", "unit_plan", 1)
	require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err), "another unit sees nothing")

	t.Run("Sweep", func(t *testing.T) {
		orphan := danvan.Submission{CycleID: c.ID, UnitCode: "SNV", Kind: "unit_plan", Text: "bị từ chối, không ai tham chiếu"}
		require.NoError(t, tasks.CreateSubmission(ctx, &orphan, []danvan.Upload{{Name: "x.bin", Data: []byte("orphan file")}}))
		n, err := tasks.SweepSubmissions(ctx, time.Now().Add(-time.Hour))
		require.NoError(t, err)
		require.Zero(t, n, "inside the grace period nothing goes")
		n, err = tasks.SweepSubmissions(ctx, time.Now().Add(time.Minute))
		require.NoError(t, err)
		require.Equal(t, 1, n)
		blobs := store.NewBlobService(db)
		_, _, err = blobs.GetBlob(ctx, orphan.SHA256)
		require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err), "its text is gone")
		_, _, err = blobs.GetBlob(ctx, orphan.Files[0].SHA256)
		require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err), "its file is gone")
		_, _, err = blobs.GetBlob(ctx, sub.SHA256)
		require.NoError(t, err, "recorded content stays")
		_, err = tasks.RecordSubmission(ctx, orphan.ID, at)
		require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))
	})
	t.Run("TooLarge", func(t *testing.T) {
		small := store.NewTaskService(db)
		small.MaxFileSize = 10
		s := danvan.Submission{CycleID: c.ID, UnitCode: "SNV", Kind: "unit_plan", Text: "ok"}
		err := small.CreateSubmission(ctx, &s, []danvan.Upload{{Name: "big.bin", Data: make([]byte, 11)}})
		require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err))
		require.Zero(t, s.ID, "nothing half-written")
	})
}
