package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/danvan/danvan"
)

// formUpload returns the uploaded file named field, or the text field
// fallback when no file was sent. It returns EInvalid when neither is there.
func formUpload(r *http.Request, field, fallback string) ([]byte, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
	if err := r.ParseMultipartForm(maxBody); err != nil && err != http.ErrNotMultipart {
		return nil, danvan.Errorf(danvan.EInvalid, "the form could not be read: %v", "không đọc được biểu mẫu: %v", err)
	}
	if f, _, err := r.FormFile(field); err == nil {
		defer f.Close()
		return io.ReadAll(f)
	}
	if v := strings.TrimSpace(r.FormValue(fallback)); v != "" {
		return []byte(v), nil
	}
	return nil, danvan.Invalid(field, "choose a file", "hãy chọn tệp")
}

// webStartCycle starts a cycle from a definition uploaded or pasted on the
// cycles page (administrators).
func (s *Server) webStartCycle(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	err := Allow(u, ActionStartCycle, "")
	var data []byte
	if err == nil {
		data, err = formUpload(r, "file", "definition")
	}
	var c *danvan.Cycle
	if err == nil {
		var def danvan.CycleDefinition
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if derr := dec.Decode(&def); derr != nil {
			err = danvan.Errorf(danvan.EInvalid, "the cycle definition is not valid JSON: %v", "định nghĩa chu kỳ không phải JSON hợp lệ: %v", derr)
		} else {
			c, err = s.StartCycle(ctx, &def, u.Name)
		}
	}
	name, p, lerr := s.webCycles(ctx, u, r)
	if err != nil {
		return name, p, err
	}
	s.auditAs(ctx, u, "cycle.start", c.ID, "", map[string]any{"units": len(c.Units), "via": "web"})
	p.Flash = fmt.Sprintf("Đã khởi động chu kỳ %s cho %d đơn vị.", c.ID, len(c.Units))
	return name, p, lerr
}
