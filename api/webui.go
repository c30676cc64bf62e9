package api

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/calendar"
	"github.com/danvan/danvan/summary"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// vnZone is Vietnam time: every date and time the UI shows or reads is in it.
var vnZone = time.FixedZone("ICT", 7*3600)

// Languages of the UI. Vietnamese is the default; English is a switch kept
// in the danvan_lang cookie.
const (
	langVI = "vi"
	langEN = "en"
)

// pageSets holds the templates parsed once per language, so a template
// says {{T "key"}} anywhere (inside range and with too) and gets its
// language's text without threading the language through every dot.
var pageSets = map[string]*template.Template{
	langVI: parsePages(langVI),
	langEN: parsePages(langEN),
}

func parsePages(lang string) *template.Template {
	funcs := template.FuncMap{
		"T":      func(key string) string { return msg(lang, key) },
		"lang":   func() string { return lang },
		"status": func(s string) string { return msg(lang, "status."+s) },
		"kind":   func(k string) string { return kindLabel(lang, k) },
		"notifyKind": func(k string) string {
			return msg(lang, "notify."+k)
		},
		"viDate": viDate,
		"viTime": viTime,
		"viNum":  viNum,
		"inc":    func(i int) int { return i + 1 },
		"dec":    func(i int) int { return i - 1 },
		"relVI":  func(r string) string { return msg(lang, "rel."+r) },
		"clip": func(s string, n int) string {
			if r := []rune(s); len(r) > n {
				return string(r[:n]) + "…"
			}
			return s
		},
		"roleVI": func(r string) string { return msg(lang, "role."+r) },
		// The accounts, unit-work and agency pages' helpers.
		"statusVI": func(s string) string { return msg(lang, "status."+s) },
		"kindVI":   func(k string) string { return msg(lang, "notify."+k) },
		"actionVI": func(s string) string { return actionVI[s] },
		"blockVI":  func(b string) string { return summary.TierLabel[b] },
		"list":     func(xs ...string) []string { return xs },
		// Placeholders so templates parse; render binds them per request.
		"csrfField": func() template.HTML { return "" },
		"csrfToken": func() string { return "" },
		"cspNonce":  func() string { return "" },
		"pct": func(n, total int) int {
			if total == 0 {
				return 0
			}
			return n * 100 / total
		},
	}
	return template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html"))
}

// kindLabel names a task kind; a kind a cycle defined itself shows as is.
func kindLabel(lang, k string) string {
	if v, ok := catalogue[lang]["kind."+k]; ok {
		return v
	}
	return k
}

// viDate shows an ISO date (or the date of a time) as dd/mm/yyyy; anything
// else is shown unchanged.
func viDate(v any) string {
	switch t := v.(type) {
	case string:
		if d, err := time.Parse("2006-01-02", t); err == nil {
			return d.Format("02/01/2006")
		}
		return t
	case time.Time:
		if !t.IsZero() {
			return t.In(vnZone).Format("02/01/2006")
		}
	case *time.Time:
		if t != nil {
			return t.In(vnZone).Format("02/01/2006")
		}
	}
	return ""
}

// viTime shows an instant in Vietnam time as "15:04 02/01/2006".
func viTime(v any) string {
	switch t := v.(type) {
	case time.Time:
		if !t.IsZero() {
			return t.In(vnZone).Format("15:04 02/01/2006")
		}
	case *time.Time:
		if t != nil {
			return t.In(vnZone).Format("15:04 02/01/2006")
		}
	}
	return ""
}

// viNum writes an integer with Vietnamese thousands separators (12.345).
func viNum(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// parseViDate reads a date a person typed as dd/mm/yyyy (or d/m/yyyy, or
// ISO) and returns it as YYYY-MM-DD, the form the domain validates. An
// empty input gives "". It returns an EInvalid error naming field otherwise.
func parseViDate(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		return "", danvan.Invalid(field, "write the date as dd/mm/yyyy", "ngày phải viết theo dạng ngày/tháng/năm (dd/mm/yyyy)")
	}
	return d.String(), nil
}

// pageLang is the language of the request: ?lang= wins (and is remembered
// in a cookie by the caller), then the cookie, then Vietnamese.
func pageLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == langEN || l == langVI {
		return l
	}
	if c, err := r.Cookie("danvan_lang"); err == nil && c.Value == langEN {
		return langEN
	}
	return langVI
}

// staticHandler serves the embedded assets. They change only with the
// binary, so a day of caching is safe and helps slow links.
func staticHandler() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}
