package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"

	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/danvan/danvan"
)

// Submissions are stored before their workflow hears of them (claim check):
// the handlers here write the text and files as a pending submission, then
// send the unit workflow a reference. A refused Update leaves the pending
// row unreferenced and invisible; the sweeper removes it.

// maxSubmitBody bounds a submit request: the text (JSON-escaped it may
// double) and several files of up to the file limit, in one multipart
// body.
const maxSubmitBody = 4*danvan.DefaultMaxFileSize + 1<<20

// maxKey bounds an Idempotency-Key.
const maxKey = 200

// IdempotencyHeader is the header that makes a command idempotent.
const IdempotencyHeader = "Idempotency-Key"

// formKeyField is the hidden field carrying a web form's one-time key.
const formKeyField = "idempotency_key"

// submitRequest is the JSON body of POST .../submit: what a unit may say
// about its submission. Server-owned fields (seq, time, who) are not here.
type submitRequest struct {
	Number string `json:"number"`
	Date   string `json:"date"`
	Title  string `json:"title"`
	Text   string `json:"text"`
}

// checkKey returns key if it is a usable idempotency key, else an EInvalid
// error naming field.
func checkKey(field, key string) (string, error) {
	if key == "" {
		return "", nil
	}
	ok := len(key) <= maxKey
	for i := 0; ok && i < len(key); i++ {
		c := key[i]
		ok = c > ' ' && c < 0x7f
	}
	if !ok {
		return "", danvan.Invalid(field, "must be 1 to 200 printable ASCII characters without spaces",
			"phải gồm 1 đến 200 ký tự ASCII in được, không có dấu cách")
	}
	return key, nil
}

// newFormKey returns a fresh one-time key for a web form.
func newFormKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}

// readSubmission reads a submit request, JSON or multipart/form-data
// (fields number, date, title, text; the file "file", whose text is read
// when no text is given, and any number of "attach" files; all files are
// stored). It returns EInvalid for a body it cannot read.
func (s *Server) readSubmission(r *http.Request, sub *danvan.Submission) ([]danvan.Upload, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, maxSubmitBody)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" && mt != "application/x-www-form-urlencoded" {
		var req submitRequest
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return nil, danvan.Errorf(danvan.EInvalid, "the request body is not valid JSON for this call: %v",
				"nội dung yêu cầu không phải JSON hợp lệ: %v", err)
		}
		sub.Number, sub.Date, sub.Title, sub.Text = req.Number, req.Date, req.Title, req.Text
		return nil, nil
	}
	var err error
	if mt == "multipart/form-data" {
		err = r.ParseMultipartForm(32 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return nil, danvan.Errorf(danvan.EInvalid, "the form could not be read: %v", "không đọc được biểu mẫu: %v", err)
	}
	sub.Number = strings.TrimSpace(r.FormValue("number"))
	sub.Date = r.FormValue("date")
	sub.Title = strings.TrimSpace(r.FormValue("title"))
	sub.Text = r.FormValue("text")
	var uploads []danvan.Upload
	if r.MultipartForm == nil {
		return nil, nil
	}
	for _, field := range []string{"file", "attach"} {
		for _, h := range r.MultipartForm.File[field] {
			u, err := readUpload(h)
			if err != nil {
				return nil, err
			}
			if field == "file" && strings.TrimSpace(sub.Text) == "" {
				if s.ReadText == nil {
					return nil, danvan.Errorf(danvan.EInvalid, "reading text from files is not available; send the text", "chưa hỗ trợ đọc nội dung từ tệp; hãy gửi nội dung")
				}
				text, err := s.ReadText(u.Name, u.Data)
				if err != nil {
					return nil, danvan.Errorf(danvan.EInvalid, "cannot read %s: %v", "không đọc được tệp %s: %v", u.Name, err)
				}
				sub.Text = text
			}
			uploads = append(uploads, u)
		}
	}
	return uploads, nil
}

func readUpload(h *multipart.FileHeader) (danvan.Upload, error) {
	f, err := h.Open()
	if err != nil {
		return danvan.Upload{}, danvan.Errorf(danvan.EInvalid, "cannot read the file %s: %v", "không đọc được tệp %s: %v", h.Filename, err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return danvan.Upload{}, danvan.Errorf(danvan.EInvalid, "cannot read the file %s: %v", "không đọc được tệp %s: %v", h.Filename, err)
	}
	mt := h.Header.Get("Content-Type")
	if mt == "" {
		mt = mime.TypeByExtension(filepath.Ext(h.Filename))
	}
	return danvan.Upload{Name: filepath.Base(h.Filename), MediaType: mt, Data: data}, nil
}

// submit stores sub and its files, then hands the reference to the unit
// workflow with key. The caller has checked that u may act for the unit.
func (s *Server) submit(ctx context.Context, u *danvan.User, sub *danvan.Submission, uploads []danvan.Upload, key string) (*danvan.Task, error) {
	sub.SubmittedBy, sub.SubmittedAt = u.Name, s.Now().UTC()
	if err := danvan.Validate(sub); err != nil {
		return nil, err
	}
	if err := s.Tasks.CreateSubmission(ctx, sub, uploads); err != nil {
		return nil, err
	}
	return s.Engine.Submit(ctx, sub, key)
}

// auditOnce is auditAs with a key: a command repeated with the same
// idempotency key writes one audit row.
func (s *Server) auditOnce(ctx context.Context, u *danvan.User, action, cycle, unit, key string, detail any) {
	if key == "" || s.Audit == nil {
		s.auditAs(ctx, u, action, cycle, unit, detail)
		return
	}
	raw, _ := json.Marshal(detail)
	e := &danvan.AuditEntry{Key: "api/" + action + "/" + cycle + "/" + unit + "/key/" + key, At: s.Now(),
		Actor: u.Name, Action: action, CycleID: cycle, Unit: unit, Detail: raw}
	if err := s.Audit.Audit(ctx, e); err != nil {
		s.Logger.Error("audit failed", "action", action, "err", err)
	}
}

// findSubmission reads the path of the content routes and checks that u
// may read the unit; ENotFound otherwise (as for the task route).
func (s *Server) findSubmission(r *http.Request) (id, unit, kind string, seq int, err error) {
	id, unit, kind = r.PathValue("id"), r.PathValue("unit"), r.PathValue("kind")
	if err := canRead(userFrom(r.Context()), unit); err != nil {
		return "", "", "", 0, err
	}
	seq, err = strconv.Atoi(r.PathValue("seq"))
	if err != nil || seq < 1 {
		return "", "", "", 0, danvan.Invalid("seq", "must be a positive number", "phải là số dương")
	}
	return id, unit, kind, seq, nil
}

// handleSubmissionContent answers GET .../submissions/{seq}/content with
// the exact text as stored.
func (s *Server) handleSubmissionContent(w http.ResponseWriter, r *http.Request) {
	id, unit, kind, seq, err := s.findSubmission(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	sub, err := s.Tasks.FindSubmission(r.Context(), id, unit, kind, seq)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(sub.Text)))
	w.Header().Set("X-Content-SHA256", sub.SHA256)
	_, _ = io.WriteString(w, sub.Text)
}

// handleSubmissionFile answers GET .../submissions/{seq}/files/{n} with the
// file's bytes, media type and name.
func (s *Server) handleSubmissionFile(w http.ResponseWriter, r *http.Request) {
	id, unit, kind, seq, err := s.findSubmission(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		s.writeError(w, r, danvan.Invalid("n", "must be a positive number", "phải là số dương"))
		return
	}
	f, data, err := s.Tasks.SubmissionFile(r.Context(), id, unit, kind, seq, n)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", f.MediaType)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("X-Content-SHA256", f.SHA256)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	_, _ = w.Write(data)
}
