package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/attachments"
	"github.com/danvan/danvan/cite"
	"github.com/danvan/danvan/reports"
)

// workRoutes are the unit's work: models, reports, drafts, attachments and
// the report catalogue.
func (s *Server) workRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/catalogue", s.authed(s.needWork(s.handleCatalogue)))
	mux.HandleFunc("POST /api/catalogue", s.authed(s.needWork(s.handleImportCatalogue)))
	mux.HandleFunc("POST /api/cycles/{id}/units/{unit}/reports/{kind}", s.authed(s.needWork(s.handleSubmitReport)))
	mux.HandleFunc("GET /api/cycles/{id}/units/{unit}/reports/{kind}", s.authed(s.needWork(s.handleShowReport)))
	mux.HandleFunc("GET /api/cycles/{id}/reports/{kind}/summary", s.authed(s.needWork(s.handleReportTotals)))
	mux.HandleFunc("POST /api/reports/import", s.authed(s.needWork(s.handleImportReport)))
	mux.HandleFunc("GET /api/attachments/{aid}", s.authed(s.needWork(s.handleAttachment)))
	s.modelRoutes(mux)
	s.planRoutes(mux)
	s.draftRoutes(mux)
	s.webWorkRoutes(mux)
}

// needWork answers 503 when the work stores are not configured.
func (s *Server) needWork(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Models == nil || s.Reports == nil {
			s.writeError(w, r, danvan.Errorf(danvan.EUnavailable, "models and reports are not configured", "chưa cấu hình mô hình và báo cáo"))
			return
		}
		h(w, r)
	}
}

// FileUpload is an attached file in a JSON request; Data is base64.
type FileUpload struct {
	Name      string `json:"name"`
	MediaType string `json:"media_type,omitempty"`
	Data      []byte `json:"data"`
}

// attachable lists the formats the issue accepts for attachments.
var attachable = map[string]string{
	".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".doc": "application/msword", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".txt": "text/plain; charset=utf-8", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
}

// uploads checks files and extracts their text (package attachments); a
// file whose text cannot be read is still kept, without text.
func (s *Server) uploads(files []FileUpload) ([]danvan.Upload, error) {
	out := make([]danvan.Upload, 0, len(files))
	for i, f := range files {
		name := filepath.Base(strings.TrimSpace(f.Name))
		ext := strings.ToLower(filepath.Ext(name))
		mt, ok := attachable[ext]
		if name == "" || name == "." || !ok {
			return nil, danvan.Invalid(fmt.Sprintf("attachments[%d].name", i),
				fmt.Sprintf("%q: attach .pdf, .docx, .doc, .xlsx, .txt or an image (.png, .jpg)", f.Name),
				fmt.Sprintf("%q: chỉ đính kèm tệp .pdf, .docx, .doc, .xlsx, .txt hoặc ảnh (.png, .jpg)", f.Name))
		}
		if len(f.Data) == 0 {
			return nil, danvan.Invalid(fmt.Sprintf("attachments[%d].data", i), name+" is empty", name+" là tệp rỗng")
		}
		u := danvan.Upload{Name: name, MediaType: mt, Data: f.Data}
		if text, err := attachments.Text(name, f.Data); err == nil && danvan.ValidBody(text) {
			u.Text = text
		}
		out = append(out, u)
	}
	return out, nil
}

// catalogue returns the catalogue in force, parsed.
func (s *Server) catalogue(ctx context.Context) (*reports.Catalogue, error) {
	_, body, err := s.Reports.ActiveCatalogue(ctx)
	if err != nil {
		return nil, err
	}
	return reports.Parse(body)
}

// completeTask marks the unit's task kind submitted through the workflow
// engine. It is the one place the unit's work meets the task workflow: text
// is what the task carries today (a reference line to the structured
// content, and for plans and reports the text the registry reads
// citations from); when the claim-check submission store lands, only this
// function changes to hand over a reference instead.
func (s *Server) completeTask(ctx context.Context, u *danvan.User, cycleID, unit, kind, number, date, title, text string) (*danvan.Task, error) {
	if s.Engine == nil {
		return nil, danvan.Errorf(danvan.EUnavailable, "the workflow engine is not connected", "chưa kết nối bộ máy quy trình")
	}
	for len(title) > 500 { // the task's limit; a report title rarely reaches it
		r := []rune(title)
		title = string(r[:len(r)-1])
	}
	sub := &danvan.Submission{CycleID: cycleID, UnitCode: unit, Kind: kind, Number: number, Date: date, Title: title, Text: text}
	// Stored first, the workflow gets a reference (claim check).
	return s.submit(ctx, u, sub, nil, "")
}

// taskText is the body a task carries for structured content: the title,
// where the content lives and, when it fits, the texts themselves.
func taskText(title, ref string, texts ...string) string {
	short := title + "\nBáo cáo số liệu: " + ref
	full := short + "\n\n" + strings.Join(texts, "\n\n")
	if len(texts) > 0 && danvan.ValidBody(full) {
		return full
	}
	return short
}

// taskOutcome is the task part of an answer: the content is stored even
// when the workflow refuses the task (already accepted, no such task), and
// the person sees why.
type taskOutcome struct {
	Task  *danvan.Task  `json:"task"`
	Error *danvan.Error `json:"task_error,omitempty"`
}

func (s *Server) outcome(ctx context.Context, u *danvan.User, cycleID, unit, kind, number, date, title, text string) taskOutcome {
	t, err := s.completeTask(ctx, u, cycleID, unit, kind, number, date, title, text)
	if err != nil {
		s.Logger.Warn("task not completed", "cycle", cycleID, "unit", unit, "kind", kind, "err", err)
		return taskOutcome{Error: danvan.AsError(err)}
	}
	return taskOutcome{Task: t}
}

// actFor returns an error unless u may change unit's work: ENotFound for
// another unit (nothing leaks), EForbidden for readers and inspectors.
func actFor(u *danvan.User, unit string) error {
	if u.CanActFor(unit) {
		return nil
	}
	if err := canRead(u, unit); err != nil {
		return err
	}
	return danvan.Errorf(danvan.EForbidden, "only the unit's officer can change its work", "chỉ cán bộ của đơn vị được thay đổi nội dung này")
}

// cycleFor loads the cycle and checks that unit is in it.
func (s *Server) cycleFor(ctx context.Context, id, unit string) (*danvan.Cycle, error) {
	c, err := s.Cycles.FindCycle(ctx, id)
	if err != nil {
		return nil, err
	}
	if !contains(c.Units, unit) {
		return nil, danvan.Errorf(danvan.ENotFound, "unit %s is not in cycle %s", "đơn vị %s không thuộc chu kỳ %s", unit, id)
	}
	return c, nil
}

// notAccepted refuses to replace the content of a task the standing agency
// has accepted: what was accepted stays what was accepted.
func (s *Server) notAccepted(ctx context.Context, cycleID, unit, kind string) error {
	tasks, err := s.Tasks.FindTasks(ctx, danvan.TaskFilter{CycleID: cycleID, UnitCode: unit, Kind: kind})
	if err != nil {
		return err
	}
	for _, t := range tasks {
		if t.Status == danvan.StatusAccepted {
			return danvan.Errorf(danvan.EConflict, "the %s of %s in %s was accepted and cannot be replaced",
				"nội dung %s của %s trong %s đã được chấp nhận, không thể thay thế", kind, unit, cycleID)
		}
	}
	return nil
}

func reportKind(kind string) error {
	if kind != danvan.ReportMidyear && kind != danvan.ReportAnnual {
		return danvan.Invalid("kind", "must be midyear_report or annual_report", "phải là midyear_report (sơ kết 6 tháng) hoặc annual_report (báo cáo năm)")
	}
	return nil
}

// ReportRequest is the body of POST .../reports/{kind}: the report file,
// files to attach, and the draft it was resumed from, if any.
type ReportRequest struct {
	Report      json.RawMessage `json:"report"`
	Attachments []FileUpload    `json:"attachments,omitempty"`
	DraftID     int64           `json:"draft_id,omitempty"`
}

func (s *Server) handleSubmitReport(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id, unit, kind := r.PathValue("id"), r.PathValue("unit"), r.PathValue("kind")
	if err := actFor(u, unit); err != nil {
		s.writeError(w, r, err)
		return
	}
	var req ReportRequest
	if err := readJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	rep, texts, err := s.saveReport(r.Context(), u, id, unit, kind, &req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ref := fmt.Sprintf("/api/cycles/%s/units/%s/reports/%s", id, unit, kind)
	out := s.outcome(r.Context(), u, id, unit, kind, rep.Number, rep.Date, rep.Title, taskText(rep.Title, ref, texts...))
	s.audit(r, "report.submit", id, unit, map[string]any{"kind": kind, "number": rep.Number, "catalogue": rep.CatalogueVersion})
	writeJSON(w, http.StatusOK, map[string]any{"report": rep, "task": out.Task, "task_error": out.Error})
}

// saveReport checks the report against the catalogue in force and stores
// it with its files in one transaction: all of it or nothing.
// It returns the report and its section texts in catalogue order.
func (s *Server) saveReport(ctx context.Context, u *danvan.User, id, unit, kind string, req *ReportRequest) (*danvan.Report, []string, error) {
	if err := reportKind(kind); err != nil {
		return nil, nil, err
	}
	c, err := s.cycleFor(ctx, id, unit)
	if err != nil {
		return nil, nil, err
	}
	if err := s.notAccepted(ctx, id, unit, kind); err != nil {
		return nil, nil, err
	}
	if req.DraftID != 0 && !ownsDrafts(u, unit) {
		return nil, nil, draftsOf(u, unit)
	}
	if len(req.Report) == 0 {
		return nil, nil, danvan.Invalid("report", "is required", "bắt buộc phải có nội dung báo cáo")
	}
	in, err := reports.ParseInput(req.Report)
	if err != nil {
		return nil, nil, err
	}
	cat, err := s.catalogue(ctx)
	if err != nil {
		return nil, nil, err
	}
	checked, err := cat.Check(in)
	if err != nil {
		return nil, nil, err
	}
	files, err := s.uploads(req.Attachments)
	if err != nil {
		return nil, nil, err
	}
	sections := make([]string, 0, len(checked.Sections))
	for _, sec := range cat.Sections {
		if t := checked.Sections[sec.Key]; t != "" {
			sections = append(sections, sec.Code+". "+sec.Title+"\n"+t)
		}
	}
	texts := append([]string{}, sections...)
	for _, f := range files {
		texts = append(texts, f.Text)
	}
	rep := &danvan.Report{CycleID: id, UnitCode: unit, Kind: kind, Year: c.Definition.Year, Number: in.Number, Date: in.Date,
		Title: in.Title, Sections: checked.Sections, Figures: checked.Figures, Citations: citations(texts),
		CatalogueVersion: cat.Version, SubmittedBy: u.Name, SubmittedAt: s.Now().UTC()}
	if err := s.Reports.SaveReport(ctx, rep, files, req.DraftID); err != nil {
		return nil, nil, err
	}
	rep.Derived = checked.Derived
	return rep, sections, nil
}

// citations returns the numbers of the documents texts cite, each once,
// in order of first mention.
func citations(texts []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, t := range texts {
		if t == "" {
			continue
		}
		for _, c := range cite.Extract(t, cite.Options{}).Citations {
			if c.Number != "" && !seen[c.Number] {
				seen[c.Number] = true
				out = append(out, c.Number)
			}
		}
	}
	return out
}

// ReportView is a stored report with its derived rates, the catalogue's
// section titles and the same-period comparison with the previous cycle.
type ReportView struct {
	*danvan.Report
	Comparison    []reports.Line    `json:"comparison"`
	PreviousCycle string            `json:"previous_cycle,omitempty"`
	SectionTitles map[string]string `json:"section_titles"`
}

func (s *Server) handleShowReport(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id, unit, kind := r.PathValue("id"), r.PathValue("unit"), r.PathValue("kind")
	if err := canRead(u, unit); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := reportKind(kind); err != nil {
		s.writeError(w, r, err)
		return
	}
	view, err := s.reportView(r.Context(), id, unit, kind)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, view)
}

func (s *Server) reportView(ctx context.Context, id, unit, kind string) (*ReportView, error) {
	rep, err := s.Reports.FindReport(ctx, id, unit, kind)
	if err != nil {
		return nil, err
	}
	// A report is read with the catalogue it was checked against.
	body, err := s.Reports.Catalogue(ctx, rep.CatalogueVersion)
	if err != nil {
		return nil, err
	}
	cat, err := reports.Parse(body)
	if err != nil {
		return nil, err
	}
	rep.Derived = cat.Derive(rep.Figures)
	view := &ReportView{Report: rep, SectionTitles: map[string]string{}}
	for _, sec := range cat.Sections {
		view.SectionTitles[sec.Key] = sec.Code + ". " + sec.Title
	}
	var prevFig, prevDer map[string]float64
	prev, err := s.Reports.PreviousReport(ctx, unit, kind, rep.Year)
	switch danvan.ErrorCode(err) {
	case "":
		prevFig, prevDer, view.PreviousCycle = prev.Figures, cat.Derive(prev.Figures), prev.CycleID
	case danvan.ENotFound:
	default:
		return nil, err
	}
	view.Comparison = cat.Compare(rep.Figures, rep.Derived, prevFig, prevDer)
	if view.Comparison == nil {
		view.Comparison = []reports.Line{}
	}
	return view, nil
}

func (s *Server) handleCatalogue(w http.ResponseWriter, r *http.Request) {
	version := r.URL.Query().Get("version")
	var body []byte
	var err error
	if version == "" {
		_, body, err = s.Reports.ActiveCatalogue(r.Context())
	} else {
		body, err = s.Reports.Catalogue(r.Context(), version)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(body)
}

// handleImportCatalogue replaces the catalogue in force (administrators):
// the body is a catalogue file like the shipped default.
func (s *Server) handleImportCatalogue(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	if err := Allow(u, ActionAdminister, ""); err != nil {
		s.writeError(w, r, err)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cat, err := reports.Parse(body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.Reports.ImportCatalogue(r.Context(), cat.Version, body, u.Name); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "catalogue.import", "", "", map[string]string{"version": cat.Version})
	writeJSON(w, http.StatusOK, map[string]any{"version": cat.Version, "sections": len(cat.Sections), "figures": len(cat.Figures),
		"identities": len(cat.Identities), "derived": len(cat.Derived), "model_fields": len(cat.ModelFields)})
}

// handleImportReport reads an uploaded Word report (?name=bao-cao.docx,
// body = the file) into sections by their headings and proposes the
// figures it recognises; nothing is stored: the person confirms first.
func (s *Server) handleImportReport(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if ext := strings.ToLower(filepath.Ext(name)); ext != ".docx" && ext != ".txt" {
		s.writeError(w, r, danvan.Invalid("name", "upload a .docx (or .txt) report and give its file name", "hãy tải lên báo cáo .docx (hoặc .txt) và cho biết tên tệp"))
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if s.ReadText == nil {
		s.writeError(w, r, danvan.Errorf(danvan.EUnavailable, "reading files is not configured", "chưa cấu hình đọc tệp"))
		return
	}
	text, err := s.ReadText(name, data)
	if err != nil {
		s.writeError(w, r, danvan.Invalid("file", err.Error(), "không đọc được tệp: "+err.Error()))
		return
	}
	cat, err := s.catalogue(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, cat.ImportText(text))
}

// handleAttachment downloads a file to anyone who may see its unit's work.
func (s *Server) handleAttachment(w http.ResponseWriter, r *http.Request) {
	aid, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil {
		s.writeError(w, r, danvan.Errorf(danvan.ENotFound, "not found", "không tìm thấy"))
		return
	}
	a, unit, data, err := s.Reports.FindAttachment(r.Context(), aid)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	u := userFrom(r.Context())
	if err := canRead(u, unit); err != nil || (a.InDraft && !ownsDrafts(u, unit)) {
		s.writeError(w, r, danvan.Errorf(danvan.ENotFound, "not found", "không tìm thấy"))
		return
	}
	w.Header().Set("Content-Type", a.MediaType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(data)
}
