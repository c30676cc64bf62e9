package meili

import (
	"context"
	"errors"
	"net/http"

	"github.com/meilisearch/meilisearch-go"

	"github.com/danvan/danvan"
)

// wait waits for the task a write enqueued and returns nil only when it
// succeeded: Meilisearch answers 202 for writes that later fail.
func (ix *Index) wait(ctx context.Context, info *meilisearch.TaskInfo, err error) error {
	if err != nil {
		return translate(err)
	}
	task, err := ix.client.WaitForTaskWithContext(ctx, info.TaskUID, ix.poll)
	if err != nil {
		return translate(err)
	}
	if task.Status == meilisearch.TaskStatusSucceeded {
		return nil
	}
	ix.logger.Warn("meilisearch task did not succeed", "task", task.UID, "type", task.Type, "status", task.Status,
		"code", task.Error.Code, "message", task.Error.Message)
	return &taskError{code: task.Error.Code, err: danvan.Errorf(taskCode(task.Error.Code, task.Error.Type),
		"meilisearch task %d (%s) %s: %s", "tác vụ meilisearch %d (%s) %s: %s",
		task.UID, task.Type, task.Status, task.Error.Message)}
}

// taskError keeps the Meilisearch error code next to the domain error so
// Setup can accept "index_already_exists" without reading messages.
type taskError struct {
	code string
	err  *danvan.Error
}

func (e *taskError) Error() string { return e.err.Error() }
func (e *taskError) Unwrap() error { return e.err }

func isCode(err error, code string) bool {
	var te *taskError
	return errors.As(err, &te) && te.code == code
}

// taskCode maps a failed task's error to a domain code: the caller's data
// was refused (invalid), the index is missing (not found), else internal.
func taskCode(code, typ string) string {
	switch {
	case code == "index_not_found":
		return danvan.ENotFound
	case code == "index_already_exists":
		return danvan.EConflict
	case typ == "invalid_request":
		return danvan.EInvalid
	case typ == "auth":
		return danvan.EUnauthorized
	}
	return danvan.EInternal
}

// translate is the one place Meilisearch client errors become domain
// errors.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var me *meilisearch.Error
	if !errors.As(err, &me) {
		return danvan.Errorf(danvan.EUnavailable, "meilisearch: %v", "meilisearch: %v", err)
	}
	switch me.ErrCode {
	case meilisearch.MeilisearchCommunicationError, meilisearch.MeilisearchTimeoutError, meilisearch.MeilisearchMaxRetriesExceeded:
		return danvan.Errorf(danvan.EUnavailable, "cannot reach meilisearch: %v", "không kết nối được meilisearch: %v", me.OriginError)
	}
	msg := me.MeilisearchApiError.Message
	if msg == "" {
		msg = me.Error()
	}
	code := danvan.EInternal
	switch me.StatusCode {
	case http.StatusBadRequest:
		code = danvan.EInvalid
	case http.StatusNotFound:
		code = danvan.ENotFound
	case http.StatusUnauthorized, http.StatusForbidden:
		code = danvan.EUnauthorized
	case http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusGatewayTimeout:
		code = danvan.EUnavailable
	}
	return &taskError{code: me.MeilisearchApiError.Code, err: danvan.Errorf(code, "meilisearch: %s", "meilisearch: %s", msg)}
}
