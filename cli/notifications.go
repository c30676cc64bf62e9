package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/danvan/danvan"
)

// listFailedMail prints the e-mails the outbox gave up on (GET
// /api/notifications/failed): who was not reached, about what, and the
// mail server's last answer. It returns the API's error (EForbidden for a
// user who is not an administrator).
func listFailedMail(ctx context.Context, env Env, c *client, asJSON bool) error {
	var res struct {
		Failed []danvan.FailedMail `json:"failed"`
	}
	if err := c.do(ctx, "GET", "/api/notifications/failed", nil, &res); err != nil {
		return err
	}
	if asJSON {
		return printJSON(env.Stdout, res)
	}
	if len(res.Failed) == 0 {
		fmt.Fprintln(env.Stdout, "No failed e-mail. / Không có thư gửi lỗi.")
		return nil
	}
	vn := time.FixedZone("ICT", 7*3600)
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FAILED (VN)\tUNIT\tKIND\tRECIPIENT\tATTEMPTS\tNOTIFICATION\tLAST ERROR")
	for _, f := range res.Failed {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", f.FailedAt.In(vn).Format("02/01/2006 15:04"), f.UnitCode, f.Kind,
			f.Recipient, f.Attempts, f.NotificationID, f.LastError)
	}
	return tw.Flush()
}
