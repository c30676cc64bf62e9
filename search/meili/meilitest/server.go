package meilitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	validator "github.com/pb33f/libopenapi-validator"
	vderrors "github.com/pb33f/libopenapi-validator/errors"
)

// Server is the in-process Meilisearch. Key is the master key every
// request must carry as a bearer token.
type Server struct {
	*httptest.Server
	Key string

	t  testing.TB
	v  validator.Validator
	mu sync.Mutex
	// Requests counts requests by "METHOD /route", for tests that check
	// every call of the adapter was exercised.
	requests map[string]int
	// violations lists what the description did not allow.
	violations []string
	// Strict, when true (the default), fails the test on a violation;
	// a test that shows the validator at work turns it off and reads
	// Violations instead.
	strict   bool
	indexes  map[string]*index
	tasks    map[int]*task
	nextTask int
}

type index struct {
	primaryKey string
	settings   map[string]any
	docs       map[string]map[string]any
}

type task struct {
	uid      int
	indexUID string
	kind     string
	status   string // final status
	err      map[string]any
	polls    int
	enqueued time.Time
}

// New starts a Server validating against the description at specPath and
// closes it when t ends. It fails t when the description cannot be loaded.
func New(t testing.TB, specPath string) *Server {
	t.Helper()
	v, err := LoadSpec(specPath)
	if err != nil {
		t.Fatalf("meilitest: %v", err)
	}
	s := &Server{Key: "danvan-test-master-key", t: t, v: v, requests: map[string]int{}, strict: true,
		indexes: map[string]*index{}, tasks: map[int]*task{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// SetStrict sets whether a violation fails the test (true) or is only
// recorded (false).
func (s *Server) SetStrict(strict bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.strict = strict
}

// Violations returns what the description did not allow so far.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

// Requests returns how many requests each route received.
func (s *Server) Requests() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.requests))
	for k, n := range s.requests {
		out[k] = n
	}
	return out
}

// Docs returns the primary keys of the documents of index uid, sorted.
func (s *Server) Docs(uid string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	if ix := s.indexes[uid]; ix != nil {
		for pk := range ix.docs {
			out = append(out, pk)
		}
	}
	sort.Strings(out)
	return out
}

// Validate checks req (whose body is body) against the description and
// returns what it does not allow, one line per problem.
func (s *Server) Validate(req *http.Request, body []byte) []string {
	r := req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	ok, errs := s.v.ValidateHttpRequestSync(r)
	if ok {
		return nil
	}
	out := make([]string, 0, len(errs))
	for _, e := range errs {
		out = append(out, req.Method+" "+req.URL.RequestURI()+": "+describe(e))
	}
	return out
}

// describe is one validation error on one line, with its schema failures.
func describe(e *vderrors.ValidationError) string {
	msg := e.Message
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	for _, se := range e.SchemaValidationErrors {
		msg += " [" + se.FieldPath + ": " + se.Reason + "]"
	}
	return msg
}

func (s *Server) violation(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.violations = append(s.violations, msg)
	if s.strict {
		s.t.Errorf("meilitest: %s", msg)
	}
}

var routes = []struct {
	method string
	re     *regexp.Regexp
	name   string
}{
	{http.MethodGet, regexp.MustCompile(`^/health$`), "GET /health"},
	{http.MethodPost, regexp.MustCompile(`^/indexes$`), "POST /indexes"},
	{http.MethodDelete, regexp.MustCompile(`^/indexes/([^/]+)$`), "DELETE /indexes/{indexUid}"},
	{http.MethodPatch, regexp.MustCompile(`^/indexes/([^/]+)/settings$`), "PATCH /indexes/{indexUid}/settings"},
	{http.MethodPost, regexp.MustCompile(`^/indexes/([^/]+)/documents$`), "POST /indexes/{indexUid}/documents"},
	{http.MethodPost, regexp.MustCompile(`^/indexes/([^/]+)/documents/delete$`), "POST /indexes/{indexUid}/documents/delete"},
	{http.MethodPost, regexp.MustCompile(`^/indexes/([^/]+)/search$`), "POST /indexes/{indexUid}/search"},
	{http.MethodGet, regexp.MustCompile(`^/tasks/(\d+)$`), "GET /tasks/{taskUid}"},
}

// serve validates the request, answers it and validates the answer.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if problems := s.Validate(r, body); len(problems) > 0 {
		for _, p := range problems {
			s.violation("request not allowed by the description: %s", p)
		}
		s.answer(w, r, http.StatusBadRequest, apiError("bad_request", "invalid_request",
			"request not allowed by the OpenAPI description: "+strings.Join(problems, "; ")), false)
		return
	}
	if r.URL.Path != "/health" && r.Header.Get("Authorization") != "Bearer "+s.Key {
		s.answer(w, r, http.StatusUnauthorized, apiError("invalid_api_key", "auth", "The provided API key is invalid."), true)
		return
	}
	for _, rt := range routes {
		m := rt.re.FindStringSubmatch(r.URL.Path)
		if m == nil || r.Method != rt.method {
			continue
		}
		s.requests[rt.name]++
		arg := ""
		if len(m) > 1 {
			arg = m[1]
		}
		status, out := s.handle(rt.name, arg, r, body)
		s.answer(w, r, status, out, true)
		return
	}
	s.violation("%s %s: the description allows it but the test server does not serve it", r.Method, r.URL.Path)
	s.answer(w, r, http.StatusNotImplemented, apiError("bad_request", "system", "not served by meilitest"), false)
}

// answer writes out as JSON and, when check, validates the answer against
// the description.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, status int, out any, check bool) {
	b, err := json.Marshal(out)
	if err != nil {
		s.t.Errorf("meilitest: %v", err)
		return
	}
	if check {
		resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(bytes.NewReader(b)), Request: r}
		if ok, errs := s.v.ValidateHttpResponse(r, resp); !ok {
			for _, e := range errs {
				s.violation("answer to %s %s (%d) not allowed by the description: %s", r.Method, r.URL.Path, status, describe(e))
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func apiError(code, typ, msg string) map[string]any {
	return map[string]any{"message": msg, "code": code, "type": typ,
		"link": "https://docs.meilisearch.com/errors#" + code}
}

// enqueue records a task that ends with status (and err when failed) and
// returns its summarized view.
func (s *Server) enqueue(indexUID, kind string, err map[string]any) (int, any) {
	s.nextTask++
	tk := &task{uid: s.nextTask, indexUID: indexUID, kind: kind, status: "succeeded", err: err, enqueued: time.Now().UTC()}
	if err != nil {
		tk.status = "failed"
	}
	s.tasks[tk.uid] = tk
	return http.StatusAccepted, map[string]any{"taskUid": tk.uid, "indexUid": indexUID, "status": "enqueued",
		"type": kind, "enqueuedAt": tk.enqueued.Format(time.RFC3339Nano)}
}

func (s *Server) handle(route, arg string, r *http.Request, body []byte) (int, any) {
	switch route {
	case "GET /health":
		return http.StatusOK, map[string]any{"status": "available"}
	case "POST /indexes":
		var req struct {
			UID        string `json:"uid"`
			PrimaryKey string `json:"primaryKey"`
		}
		_ = json.Unmarshal(body, &req)
		if _, ok := s.indexes[req.UID]; ok {
			return s.enqueue(req.UID, "indexCreation", apiError("index_already_exists", "invalid_request",
				fmt.Sprintf("Index `%s` already exists.", req.UID)))
		}
		s.indexes[req.UID] = &index{primaryKey: req.PrimaryKey, settings: map[string]any{}, docs: map[string]map[string]any{}}
		return s.enqueue(req.UID, "indexCreation", nil)
	case "DELETE /indexes/{indexUid}":
		if _, ok := s.indexes[arg]; !ok {
			return http.StatusNotFound, apiError("index_not_found", "invalid_request", fmt.Sprintf("Index `%s` not found.", arg))
		}
		delete(s.indexes, arg)
		return s.enqueue(arg, "indexDeletion", nil)
	case "PATCH /indexes/{indexUid}/settings":
		ix := s.indexes[arg]
		if ix == nil { // Meilisearch creates the index
			ix = &index{settings: map[string]any{}, docs: map[string]map[string]any{}}
			s.indexes[arg] = ix
		}
		var set map[string]any
		_ = json.Unmarshal(body, &set)
		for k, v := range set {
			ix.settings[k] = v
		}
		return s.enqueue(arg, "settingsUpdate", nil)
	case "POST /indexes/{indexUid}/documents":
		return s.addDocuments(arg, r, body)
	case "POST /indexes/{indexUid}/documents/delete":
		return s.deleteByFilter(arg, body)
	case "POST /indexes/{indexUid}/search":
		return s.search(arg, body)
	case "GET /tasks/{taskUid}":
		uid, _ := strconv.Atoi(arg)
		tk := s.tasks[uid]
		if tk == nil {
			return http.StatusNotFound, apiError("task_not_found", "invalid_request", fmt.Sprintf("Task `%d` not found.", uid))
		}
		tk.polls++
		status := tk.status
		if tk.polls == 1 {
			status = "processing" // the adapter must poll until the task ends
		}
		view := map[string]any{"uid": tk.uid, "batchUid": tk.uid, "indexUid": tk.indexUID, "status": status, "type": tk.kind,
			"canceledBy": nil, "details": nil, "error": nil, "duration": nil,
			"enqueuedAt": tk.enqueued.Format(time.RFC3339Nano), "startedAt": tk.enqueued.Format(time.RFC3339Nano)}
		if status != "processing" {
			view["duration"] = "PT0.001S"
			view["finishedAt"] = tk.enqueued.Format(time.RFC3339Nano)
			if tk.err != nil {
				view["error"] = tk.err
			}
		}
		return http.StatusOK, view
	}
	return http.StatusNotImplemented, apiError("bad_request", "system", route)
}

func (s *Server) addDocuments(uid string, r *http.Request, body []byte) (int, any) {
	ix := s.indexes[uid]
	if ix == nil {
		ix = &index{settings: map[string]any{}, docs: map[string]map[string]any{}}
		s.indexes[uid] = ix
	}
	if pk := r.URL.Query().Get("primaryKey"); pk != "" && ix.primaryKey == "" {
		ix.primaryKey = pk
	}
	var docs []map[string]any
	if err := json.Unmarshal(body, &docs); err != nil {
		return http.StatusBadRequest, apiError("malformed_payload", "invalid_request", err.Error())
	}
	valid := regexp.MustCompile(`^[a-zA-Z0-9_-]{1,511}$`)
	for _, d := range docs {
		id, _ := d[ix.primaryKey].(string)
		if !valid.MatchString(id) {
			// The whole batch fails, asynchronously, as Meilisearch does.
			return s.enqueue(uid, "documentAdditionOrUpdate", apiError("invalid_document_id", "invalid_request",
				fmt.Sprintf("Document identifier `%v` is invalid.", d[ix.primaryKey])))
		}
	}
	for _, d := range docs {
		ix.docs[d[ix.primaryKey].(string)] = d
	}
	return s.enqueue(uid, "documentAdditionOrUpdate", nil)
}

func (s *Server) deleteByFilter(uid string, body []byte) (int, any) {
	ix := s.indexes[uid]
	if ix == nil {
		return http.StatusNotFound, apiError("index_not_found", "invalid_request", fmt.Sprintf("Index `%s` not found.", uid))
	}
	var req struct {
		Filter string `json:"filter"`
	}
	_ = json.Unmarshal(body, &req)
	f, err := parseFilter(req.Filter, filterable(ix))
	if err != nil {
		return http.StatusBadRequest, apiError("invalid_document_filter", "invalid_request", err.Error())
	}
	for pk, d := range ix.docs {
		if f.match(d) {
			delete(ix.docs, pk)
		}
	}
	return s.enqueue(uid, "documentDeletion", nil)
}

func filterable(ix *index) map[string]bool {
	out := map[string]bool{}
	list, _ := ix.settings["filterableAttributes"].([]any)
	for _, a := range list {
		if s, ok := a.(string); ok {
			out[s] = true
		}
	}
	return out
}
