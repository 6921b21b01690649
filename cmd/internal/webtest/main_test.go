package webtest

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imet-project/imet/cmd/internal/cli"
	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/schemas/schemastest"
	"github.com/imet-project/imet/web"
)

// demoWS is a workspace made by 'imet demo' once for the package's tests
// (a synthetic program of 1,500 people and the real FY2013 and FY2017
// FMTR).
var demoWS string

func TestMain(m *testing.M) {
	schemastest.OneThread()
	dir, err := os.MkdirTemp("", "imet-webtest-")
	if err != nil {
		panic(err)
	}
	demoWS = filepath.Join(dir, "demo")
	// 1,500 people, a third of the README's demo, except for the docs'
	// screenshots (-update), which show what 'imet demo' shows.
	flag.Parse()
	args := []string{"demo", "--workspace", demoWS, "--students", "1500"}
	if *update {
		args = args[:3]
	}
	var out bytes.Buffer
	if code := cli.Main(context.Background(), args, &out, &out); code != 0 {
		fmt.Fprintf(os.Stderr, "imet demo failed (exit %d):\n%s", code, out.String())
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// newServer serves the demo workspace's snapshot through web.New in an
// httptest server; edit changes the options first.
func newServer(t testing.TB, edit func(*web.Options)) *httptest.Server {
	t.Helper()
	opt := web.Options{
		Snapshot: filepath.Join(demoWS, "published", "imet.duckdb"),
		MinCell:  5,
		SQL:      schemas.ConsoleLimits{Timeout: 30 * time.Second, MaxRows: 100000},
		Metrics:  cli.MetricDocs(),
	}
	if edit != nil {
		edit(&opt)
	}
	s := web.New(opt)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		ts.Close()
		s.Close()
	})
	return ts
}

// get fetches path from ts and returns the status and body.
func get(t testing.TB, ts *httptest.Server, path string) (int, string) {
	t.Helper()
	resp, err := ts.Client().Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// serveCLI runs 'imet serve' on ws in this process, as a user would, and
// returns its base address (http://127.0.0.1:PORT/, with ?token=… when it
// printed one); it stops when the test ends.
func serveCLI(t testing.TB, ws string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := cli.Main(ctx, append([]string{"serve", "--workspace", ws, "--listen", "127.0.0.1:0"}, args...), pw, pw)
		pw.Close()
		done <- code
	}()
	var said bytes.Buffer // what it printed after its address, for a failure
	copied := make(chan struct{})
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			<-copied
			t.Errorf("imet serve exited %d; it said:\n%s", code, said.String())
		}
	})
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := sc.Text()
		if _, rest, ok := strings.Cut(line, " at http://"); ok {
			addr := "http://" + strings.Fields(rest)[0]
			go func() {
				io.Copy(&said, pr)
				close(copied)
			}()
			return addr
		}
	}
	close(copied)
	t.Fatalf("imet serve printed no address")
	return ""
}

func TestServeHeadersAndMethodology(t *testing.T) {
	ts := newServer(t, nil)
	resp, err := ts.Client().Get(ts.URL + "/methodology")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	for h, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
	} {
		if got := resp.Header.Get(h); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to hold %q", h, got, want)
		}
	}
	b, _ := io.ReadAll(resp.Body)
	for _, m := range cli.MetricDocs() {
		if !strings.Contains(string(b), m.ID) {
			t.Errorf("the methodology page does not list %s", m.ID)
		}
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d", resp.StatusCode)
	}
}
