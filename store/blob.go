package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan"
)

// BlobService implements danvan.BlobService on the blobs table.
type BlobService struct {
	db *DB
	// MaxSize caps one blob; 0 means danvan.DefaultMaxFileSize.
	MaxSize int64
}

// NewBlobService returns a BlobService on db with the default size limit.
func NewBlobService(db *DB) *BlobService { return &BlobService{db: db} }

var _ danvan.BlobService = (*BlobService)(nil)

// PutBlob stores data once per content and returns its SHA-256 in hex. It
// returns EInvalid for data over MaxSize.
func (s *BlobService) PutBlob(ctx context.Context, data []byte, mediaType string) (string, error) {
	return PutBlob(ctx, s.db.Pool, data, mediaType, s.MaxSize)
}

// GetBlob returns the bytes under sum and their media type; ENotFound when
// none are stored.
func (s *BlobService) GetBlob(ctx context.Context, sum string) ([]byte, string, error) {
	var data []byte
	var mt string
	err := s.db.Pool.QueryRow(ctx, `SELECT data, media_type FROM blobs WHERE sha256 = $1`, sum).Scan(&data, &mt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, "", notFound("file", sum)
	}
	if err != nil {
		return nil, "", translate(err)
	}
	return data, mt, nil
}

// PutBlob is BlobService.PutBlob on any handle, so a caller can store bytes
// in the same transaction as the row that refers to them. max 0 means
// danvan.DefaultMaxFileSize.
func PutBlob(ctx context.Context, q DBTX, data []byte, mediaType string, max int64) (string, error) {
	if max <= 0 {
		max = danvan.DefaultMaxFileSize
	}
	if int64(len(data)) > max {
		return "", danvan.Errorf(danvan.EInvalid, "the file is %d bytes; at most %d are allowed",
			"tệp có %d byte; chỉ cho phép tối đa %d byte", len(data), max)
	}
	if mediaType == "" {
		mediaType = "application/octet-stream"
	}
	h := sha256.Sum256(data)
	sum := hex.EncodeToString(h[:])
	_, err := q.Exec(ctx, `INSERT INTO blobs (sha256, size, media_type, data) VALUES ($1, $2, $3, $4)
		ON CONFLICT (sha256) DO NOTHING`, sum, len(data), mediaType, data)
	if err != nil {
		return "", translate(err)
	}
	return sum, nil
}
