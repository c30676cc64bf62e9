package devserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strconv"
	"syscall"
	"time"

	"go.temporal.io/api/enums/v1"
	namespacepb "go.temporal.io/api/namespace/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/durationpb"
)

// pollInterval is short because the whole wait is normally ~1-2 s and every
// extra 100 ms is felt by `danvan dev`.
const pollInterval = 50 * time.Millisecond

// chooseFrontendPort checks an explicit port is free (so the developer gets
// an actionable message instead of a server bind failure deep in fx), or
// picks a free one for port 0.
func chooseFrontendPort(ip string, port int) (int, error) {
	if port == 0 {
		p, err := freePort(ip)
		if err != nil {
			return 0, fmt.Errorf("picking a free frontend port: %w", err)
		}
		return p, nil
	}
	l, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(port)))
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return 0, fmt.Errorf("port %d in use (another Temporal server or danvan dev?): set %s to use another port", port, PortEnvHint)
		}
		return 0, fmt.Errorf("cannot listen on frontend port %d: %w", port, err)
	}
	_ = l.Close()
	return port, nil
}

// freePort asks the kernel for an unused port. The port is released before
// the server binds it, so another process could grab it in between; the CLI
// accepts the same small race.
func freePort(ip string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		return 0, err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls the frontend until it serves the namespace, then makes sure
// every wanted search attribute exists with the wanted type.
//
// temporal.Server.Start returns when the services are started, but the
// frontend can still answer Unavailable for a moment (membership, namespace
// registry load), so readiness is checked with real calls.
func waitReady(ctx context.Context, addr, namespace string, retention time.Duration, want map[string]enums.IndexedValueType) error {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return fmt.Errorf("connecting to frontend %s: %w", addr, err)
	}
	defer func() { _ = conn.Close() }()
	wf := workflowservice.NewWorkflowServiceClient(conn)
	op := operatorservice.NewOperatorServiceClient(conn)

	var lastErr error
	var desc *workflowservice.DescribeNamespaceResponse
	for {
		desc, lastErr = wf.DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: namespace})
		if lastErr == nil {
			break
		}
		if err := sleep(ctx); err != nil {
			return fmt.Errorf("frontend %s not ready for namespace %q: %w (last error: %v)", addr, namespace, err, lastErr)
		}
	}
	if retention > 0 && desc.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration() != retention {
		if _, err := wf.UpdateNamespace(ctx, &workflowservice.UpdateNamespaceRequest{Namespace: namespace,
			Config: &namespacepb.NamespaceConfig{WorkflowExecutionRetentionTtl: durationpb.New(retention)}}); err != nil {
			return fmt.Errorf("setting the retention of namespace %q to %s: %w", namespace, retention, err)
		}
	}

	return EnsureSearchAttributes(ctx, op, namespace, want)
}

// EnsureSearchAttributes adds the attributes of want that namespace lacks
// and waits until all of them are visible, so workflows can upsert them
// at once. `danvan dev` calls it on its embedded server and `danvan serve`
// and `danvan worker` on an external cluster. It returns an error for an
// attribute that exists with another type, one the server refuses, or
// when ctx ends first.
func EnsureSearchAttributes(ctx context.Context, op operatorservice.OperatorServiceClient, namespace string, want map[string]enums.IndexedValueType) error {
	var lastErr error
	for {
		missing, err := missingSearchAttributes(ctx, op, namespace, want)
		if err == nil && len(missing) == 0 {
			return nil
		}
		if err == nil {
			_, err = op.AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
				Namespace:        namespace,
				SearchAttributes: missing,
			})
			// AlreadyExists: another caller (or a retry of ours) won.
			var exists *serviceerror.AlreadyExists
			if errors.As(err, &exists) {
				err = nil
			}
			var invalid *serviceerror.InvalidArgument
			if errors.As(err, &invalid) {
				// Too many attributes of one type, reserved name, ...:
				// retrying cannot help.
				return fmt.Errorf("adding search attributes %v: %w", keys(missing), err)
			}
		}
		var conflict *typeConflictError
		if errors.As(err, &conflict) {
			return err
		}
		lastErr = err
		// Loop again even on success: the namespace registry picks up the
		// new aliases on its next refresh (2 s), and callers must be able to
		// use the attributes as soon as Start returns.
		if err := sleep(ctx); err != nil {
			return fmt.Errorf("search attributes %v not registered in namespace %q: %w (last error: %v)", keys(want), namespace, err, lastErr)
		}
	}
}

// typeConflictError reports a search attribute that exists with another
// type; Temporal cannot change a type in place, so Start fails loudly.
type typeConflictError struct {
	name      string
	have, got enums.IndexedValueType
}

func (e *typeConflictError) Error() string {
	return fmt.Sprintf("search attribute %q exists with type %s, want %s (use a new data dir or rename the attribute)", e.name, e.have, e.got)
}

func missingSearchAttributes(ctx context.Context, op operatorservice.OperatorServiceClient, namespace string, want map[string]enums.IndexedValueType) (map[string]enums.IndexedValueType, error) {
	if len(want) == 0 {
		return nil, nil
	}
	resp, err := op.ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return nil, err
	}
	have := resp.GetCustomAttributes()
	missing := map[string]enums.IndexedValueType{}
	for name, typ := range want {
		got, ok := have[name]
		switch {
		case !ok:
			missing[name] = typ
		case got != typ:
			return nil, &typeConflictError{name: name, have: got, got: typ}
		}
	}
	return missing, nil
}

func sleep(ctx context.Context) error {
	t := time.NewTimer(pollInterval)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func keys(m map[string]enums.IndexedValueType) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
