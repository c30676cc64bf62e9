package registry

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/danvan/danvan"
)

// headingTypes are the document types whose heading ("BÁO CÁO", "KẾ
// HOẠCH") identifies an unnumbered text: drafts, and reports as units send
// them before the office gives them a number.
var headingTypes = []string{"Báo cáo", "Kế hoạch", "Tờ trình", "Chương trình", "Đề án", "Phương án", "Hướng dẫn",
	"Thông báo", "Biên bản", "Quyết định", "Nghị quyết", "Chỉ thị", "Công văn"}

// unnumbered fills d for a text with no number anywhere: its type from its
// heading, its title as name, and a key from a hash of the text, so the
// same text imports once and two different reports with the same title stay
// two documents. It reports false when the text has no recognisable
// heading, which leaves the caller's "give the identity" error.
func unnumbered(d *danvan.Document, text string) bool {
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines) && i < 40; i++ {
		line := danvan.Fold(strings.TrimSpace(lines[i]))
		for _, typ := range headingTypes {
			if line != danvan.Fold(typ) {
				continue
			}
			if d.Type == "" {
				d.Type = typ
			}
			if d.TypeCode == "" {
				d.TypeCode = typeCodeOfName(typ)
			}
			title := titleOf(text, typ)
			if title == "" {
				return false
			}
			if d.Subject == "" {
				d.Subject = title
			}
			d.Name = typ + " " + title
			sum := sha256.Sum256([]byte(text))
			d.Key = "text|" + hex.EncodeToString(sum[:12])
			return true
		}
	}
	return false
}
