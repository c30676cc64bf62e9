package engine

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"

	"github.com/danvan/danvan"
)

func TestTranslate(t *testing.T) {
	t.Parallel()
	require.NoError(t, translate(nil, "x"))

	withDetails := temporal.NewApplicationErrorWithOptions("bad", danvan.EInvalid, temporal.ApplicationErrorOptions{
		NonRetryable: true,
		Details:      []any{danvan.Errorf(danvan.EInvalid, "text: is required", "text: bắt buộc phải nhập")},
	})
	e := danvan.AsError(translate(withDetails, "unit A"))
	require.Equal(t, danvan.EInvalid, e.Code)
	require.Equal(t, "text: bắt buộc phải nhập", e.MessageVI, "the validator's Vietnamese message reaches the user")

	plain := temporal.NewApplicationError("task closed", danvan.EConflict)
	require.Equal(t, danvan.EConflict, danvan.ErrorCode(translate(plain, "unit A")))

	require.Equal(t, danvan.EConflict, danvan.ErrorCode(translate(serviceerror.NewWorkflowExecutionAlreadyStarted("x", "", ""), "cycle 2022-SNV")))
	nf := danvan.AsError(translate(serviceerror.NewNotFound("gone"), "unit A in cycle 2022-SNV"))
	require.Equal(t, danvan.ENotFound, nf.Code)
	require.Contains(t, nf.Message, "unit A in cycle 2022-SNV")

	un := translate(serviceerror.NewUnavailable("dial tcp 10.0.0.1:7233"), "x")
	require.Equal(t, danvan.EUnavailable, danvan.ErrorCode(un))
	require.NotContains(t, danvan.AsError(un).Message, "10.0.0.1", "addresses stay out of what users read")

	other := translate(errors.New("boom"), "x")
	require.Equal(t, danvan.EInternal, danvan.ErrorCode(other))
}
