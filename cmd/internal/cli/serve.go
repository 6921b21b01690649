package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/imet-project/imet/cmd/internal/schedule"
	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/web"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "serve", "[--workspace DIR] [--listen ADDR] [--public] [--token-file FILE]",
		"Serve the published snapshot in a browser: overview, explore, curves, countries, methodology,\n"+
			"lineage, data quality, runs and a read-only SQL console, each with CSV and JSON (/api/...).\n"+
			"It reads only published/imet.duckdb (reopened when a run publishes a new one) and fetches\n"+
			"nothing from the network. On loopback (the default) no token is needed; on any other\n"+
			"address every request needs the token of --token-file, or one generated and printed now.\n"+
			"--public applies the congressional disclosure control ([disclosure] min_cell) to every\n"+
			"view and turns the SQL console and lineage off. See docs/serve.md.")
	wsFlag := workspaceFlag(fs)
	listen := fs.String("listen", "127.0.0.1:8080", "the address to listen on (`HOST:PORT`; port 0 picks a free one)")
	public := fs.Bool("public", false, "apply disclosure control to every view; no SQL console, no lineage")
	tokenFile := fs.String("token-file", "", "read the access token from `FILE` (its first line)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	ws, err := openWorkspace(*wsFlag)
	if err != nil {
		return err
	}
	if !ws.exists() {
		return notWorkspace(ws.Root)
	}
	token, generated, err := serveToken(*tokenFile, *listen)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (choose another with --listen HOST:PORT)", *listen, err)
	}
	srv := web.New(web.Options{
		Snapshot: ws.Snapshot,
		Public:   *public,
		Token:    token,
		MinCell:  ws.Config.Disclosure.MinCell,
		SQL:      schemas.ConsoleLimits{Timeout: seconds(ws.Config.SQL.TimeoutSeconds), MaxRows: ws.Config.SQL.MaxRows},
		Metrics:  MetricDocs(),
		Status:   func(ctx context.Context) (*web.Status, error) { return ws.webStatus(e) },
		Logger:   e.logger,
	})
	defer srv.Close()
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	addr := "http://" + ln.Addr().String() + "/"
	switch {
	case generated:
		fmt.Fprintf(e.stdout, "Serving %s at %s?token=%s\n(the token was made for this start; --token-file FILE keeps one)\n", ws.Snapshot, addr, token)
	case token != "":
		fmt.Fprintf(e.stdout, "Serving %s at %s (token from %s: open %s?token=…)\n", ws.Snapshot, addr, *tokenFile, addr)
	default:
		fmt.Fprintf(e.stdout, "Serving %s at %s\n", ws.Snapshot, addr)
	}
	if *public {
		fmt.Fprintf(e.stdout, "Public view: cells below %d are withheld; no SQL console, no lineage.\n", ws.Config.Disclosure.MinCell)
	}
	fmt.Fprintln(e.stdout, "Ctrl-C stops it.")
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("stop serving: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// serveToken is the token requests must carry: from file, or made now for
// a listener other than loopback (generated), or none on loopback.
func serveToken(file, listen string) (token string, generated bool, err error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", false, fmt.Errorf("--token-file: %w", err)
		}
		token = strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])
		if len(token) < 16 {
			return "", false, fmt.Errorf("--token-file %s: the token on its first line is %d characters; use at least 16 (e.g. head -c 24 /dev/urandom | base64 > %s)", file, len(token), filepath.Base(file))
		}
		return token, false, nil
	}
	if web.IsLoopback(listen) {
		return "", false, nil
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", false, err
	}
	return hex.EncodeToString(b), true, nil
}

// webStatus is the run history and schedule for the runs page.
func (ws *workspace) webStatus(e *env) (*web.Status, error) {
	st := &web.Status{Lock: "free"}
	if h, held := schedule.Held(ws.lockPath()); held {
		st.Lock = fmt.Sprintf("held by pid %d (%s) since %s", h.PID, h.Job, h.Since.UTC().Format(time.RFC3339))
	}
	st.Inbox, _ = backlog(ws)
	now := time.Now()
	loc, _ := time.LoadLocation(ws.Config.Schedule.Timezone)
	for _, j := range ws.jobs(e) {
		n := web.NextRun{Job: j.Name, Spec: j.Spec}
		if j.Spec != "" && j.Spec != "off" {
			s, err := schedule.Parse(j.Spec, loc)
			if err != nil {
				return nil, err
			}
			n.At = s.Next(now)
		}
		st.Next = append(st.Next, n)
	}
	runs, err := ws.History.List()
	if err != nil {
		return nil, err
	}
	for _, r := range runs {
		st.Runs = append(st.Runs, web.Run{ID: r.ID, Job: r.Job, Trigger: r.Trigger, Status: r.Status,
			Started: r.Started, Duration: r.Duration(), Rows: r.Rows, Message: r.Message})
	}
	return st, nil
}
