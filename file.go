package danvan

import (
	"context"
	"time"
)

// DefaultMaxFileSize is the largest file a submission may carry unless the
// deployment sets another limit (DANVAN_MAX_FILE_SIZE).
const DefaultMaxFileSize = 50 << 20

// File is one stored file: uploaded with a submission, a model, a report or
// an inspection answer. Its bytes live once per distinct content (keyed by
// SHA256); a File row names them with the name and type the uploader gave.
type File struct {
	SHA256    string    `json:"sha256"`
	Name      string    `json:"name"`
	MediaType string    `json:"media_type"`
	Size      int64     `json:"size"`
	CreatedAt time.Time `json:"created_at,omitzero"`
}

// BlobService keeps content-addressed bytes: submission texts, uploaded
// files, structured forms. Writing the same bytes twice stores them once.
type BlobService interface {
	// PutBlob stores data and returns its lower-case hex SHA-256. It
	// returns EInvalid when data is larger than the configured limit.
	PutBlob(ctx context.Context, data []byte, mediaType string) (string, error)
	// GetBlob returns the bytes stored under sha256 and their media type;
	// ENotFound when there are none.
	GetBlob(ctx context.Context, sha256 string) ([]byte, string, error)
}
