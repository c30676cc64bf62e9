package api

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/registry"
)

func (s *Server) documentRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/documents", s.authed(s.handleSearchDocuments))
	mux.HandleFunc("GET /api/documents/{id...}", s.authed(s.handleShowDocument))
	mux.HandleFunc("POST /api/documents", s.authed(s.handleImportDocuments))
}

// maxImportFiles bounds one upload.
const maxImportFiles = 50

// handleImportDocuments registers uploaded .txt/.docx files (multipart
// field "file", repeatable) in the registry. Administrators only: an
// imported text becomes the registry's copy of that document.
func (s *Server) handleImportDocuments(w http.ResponseWriter, r *http.Request) {
	rep, err := s.importUploads(r, userFrom(r.Context()))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// importUploads reads the multipart form of a document upload (files and
// an optional identity for files whose header has no number) and imports.
func (s *Server) importUploads(r *http.Request, u *danvan.User) (*registry.ImportReport, error) {
	if err := Allow(u, ActionImportDocuments, ""); err != nil {
		return nil, err
	}
	if s.Documents == nil {
		return nil, danvan.Errorf(danvan.EUnavailable, "document search is not configured", "chưa cấu hình tra cứu văn bản")
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
	if err := r.ParseMultipartForm(maxBody); err != nil {
		return nil, danvan.Errorf(danvan.EInvalid, "send the files as multipart/form-data field \"file\": %v",
			"hãy gửi tệp dạng multipart/form-data, trường \"file\": %v", err)
	}
	files := r.MultipartForm.File["file"]
	if len(files) == 0 || len(files) > maxImportFiles {
		return nil, danvan.Invalid("file", fmt.Sprintf("send 1 to %d files", maxImportFiles), fmt.Sprintf("gửi từ 1 đến %d tệp", maxImportFiles))
	}
	var id *registry.Identity
	if v := (registry.Identity{Number: strings.TrimSpace(r.FormValue("number")), Date: r.FormValue("date"),
		Type: r.FormValue("type"), Issuer: strings.TrimSpace(r.FormValue("issuer"))}); v != (registry.Identity{}) {
		id = &v
	}
	inputs := make([]registry.ImportInput, 0, len(files))
	for _, fh := range files {
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return nil, err
		}
		in := registry.ImportInput{Name: filepath.Base(fh.Filename), Override: id}
		if s.ReadText == nil {
			return nil, danvan.Errorf(danvan.EUnavailable, "file reading is not configured", "chưa hỗ trợ đọc tệp")
		}
		if in.Text, err = s.ReadText(in.Name, data); err != nil {
			return nil, danvan.Errorf(danvan.EInvalid, "cannot read %s: %v", "không đọc được tệp %s: %v", in.Name, err)
		}
		inputs = append(inputs, in)
	}
	rep, err := s.Documents.ImportDocuments(r.Context(), inputs)
	if err == nil {
		s.auditAs(r.Context(), u, "documents.import", "", "", map[string]int{"imported": rep.Imported, "failed": rep.Failed})
	}
	return rep, err
}

func (s *Server) handleSearchDocuments(w http.ResponseWriter, r *http.Request) {
	if s.Documents == nil {
		s.writeError(w, r, danvan.Errorf(danvan.EUnavailable, "document search is not configured", "chưa cấu hình tra cứu văn bản"))
		return
	}
	q := r.URL.Query()
	dq := DocumentQuery{Q: q.Get("q"), Type: q.Get("type"), Issuer: q.Get("issuer")}
	var err error
	for _, p := range []struct {
		name string
		dst  *int
	}{{"from", &dq.From}, {"to", &dq.To}, {"limit", &dq.Limit}, {"offset", &dq.Offset}} {
		if v := q.Get(p.name); v != "" {
			if *p.dst, err = strconv.Atoi(v); err != nil || *p.dst < 0 {
				s.writeError(w, r, danvan.Invalid(p.name, "must be a whole number", "phải là số nguyên"))
				return
			}
		}
	}
	res, err := s.boundedSearch(r.Context(), dq)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) handleShowDocument(w http.ResponseWriter, r *http.Request) {
	if s.Documents == nil {
		s.writeError(w, r, danvan.Errorf(danvan.EUnavailable, "document search is not configured", "chưa cấu hình tra cứu văn bản"))
		return
	}
	doc, err := s.Documents.ShowDocument(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, doc)
}
