package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// docCommand is one imet command found in the documentation.
type docCommand struct {
	file string
	line int
	args []string
}

var fence = regexp.MustCompile("^\\s*```")

// docCommands finds every imet command in the sh blocks of README.md and
// docs/*.md.
func docCommands(t *testing.T, root string) []docCommand {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	files = append(files, filepath.Join(root, "README.md"))
	var out []docCommand
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		inSh, n := false, 0
		for sc.Scan() {
			n++
			line := sc.Text()
			if fence.MatchString(line) {
				inSh = !inSh && strings.Contains(line, "sh")
				continue
			}
			if !inSh {
				continue
			}
			words := shellWords(strings.TrimSpace(line))
			var args []string
			switch {
			case len(words) > 0 && (words[0] == "imet" || words[0] == "./imet"):
				args = words[1:]
			case len(words) > 2 && words[0] == "go" && words[1] == "run" && words[2] == "./cmd/imet":
				args = words[3:]
			default:
				continue
			}
			out = append(out, docCommand{file: filepath.Base(f), line: n, args: args})
		}
		fh.Close()
	}
	return out
}

// shellWords splits a command line as sh would for these simple cases:
// quotes group, a # outside quotes starts a comment.
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == '#' && !inWord:
			return words
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// Every imet command in the documentation runs, against a demo workspace,
// and succeeds: the docs cannot rot. Workspace folders named in the docs
// are this test's; the daemon runs for two seconds; the prompt reads an
// empty input.
func TestDocsCommandsRun(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs every documented command")
	}
	repo, _ := filepath.Abs("../../..")
	cmds := docCommands(t, repo)
	if len(cmds) < 25 {
		t.Fatalf("only %d commands found in the docs", len(cmds))
	}
	work := t.TempDir()
	os.Symlink(filepath.Join(repo, "ingest"), filepath.Join(work, "ingest")) // docs load the shipped FMTR sample
	// The workspace the docs' commands run on is made by the README's own
	// bare 'imet demo' (in a child process whose temporary folder is the
	// test's), small and quick: the demo makes its folder and says where.
	// It counts as run, and so does the docs' 'imet demo --workspace
	// demo-ws', which differs only in naming the folder (the demo tests
	// run that form).
	ran := map[string]bool{"demo": true}
	for _, c := range cmds {
		if len(c.args) > 0 && c.args[0] == "demo" && slices.Contains(c.args, "demo-ws") && !ran["setup"] {
			ran[strings.Join(c.args, "\x00")], ran["setup"] = true, true
		}
	}
	tmp := t.TempDir()
	setup := child(t, "demo", "--students", "300")
	setup.Env = append(setup.Env, "TMPDIR="+tmp)
	demoOut, err := setup.CombinedOutput()
	if err != nil {
		t.Fatalf("imet demo: %v\n%s", err, demoOut)
	}
	m := regexp.MustCompile(`(?m)^imet demo: workspace (\S+)$`).FindSubmatch(demoOut)
	if m == nil {
		t.Fatalf("imet demo does not say where its workspace is:\n%s", demoOut)
	}
	ws := string(m[1])
	if !strings.HasPrefix(ws, tmp+string(filepath.Separator)) {
		t.Fatalf("imet demo made its workspace at %s, outside $TMPDIR", ws)
	}
	// the demo's suggested queries run on the snapshot
	for _, q := range demoQueries {
		if code, out := run(t, "sql", "--workspace", ws, q); code != 0 {
			t.Errorf("the demo suggests %q: %s", q, out)
		}
	}
	workspaces := map[string]bool{"/srv/imet": true, "~/imet-work": true, "demo-ws": true}
	for _, c := range cmds {
		// a command documented in several places runs once
		if key := strings.Join(c.args, "\x00"); ran[key] {
			continue
		} else {
			ran[key] = true
		}
		args := append([]string{}, c.args...)
		for i := 0; i+1 < len(args); i++ {
			if args[i] == "--workspace" && workspaces[args[i+1]] {
				args[i+1] = ws
			}
		}
		if len(args) > 0 && args[0] == "demo" {
			// small and quick (the docs' own size is the demo tests'
			// business); a fresh folder unless the docs name one
			if i := slices.Index(args, "--students"); i >= 0 && i+1 < len(args) {
				args[i+1] = "300"
			} else {
				args = append(args, "--students", "300")
			}
			if !contains(args, "--workspace") {
				args = append(args, "--workspace", filepath.Join(t.TempDir(), "ws"))
			}
		}
		// Each command is a process of its own, in the folder the docs
		// assume and with the workspace in $IMET_WORKSPACE, as a user runs
		// it; the test itself changes neither, so it runs beside others.
		cmd := child(t, args...)
		cmd.Dir = work
		cmd.Env = append(cmd.Env, "IMET_WORKSPACE="+ws)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		var err error
		if len(args) > 0 && args[0] == "serve" {
			err = serveOnce(cmd, args, &out)
		} else if len(args) > 0 && args[0] == "schedule" && !contains(args, "--once") {
			if err = cmd.Start(); err == nil {
				time.Sleep(2 * time.Second) // the daemon runs a while, then is stopped as a service manager stops it
				cmd.Process.Signal(syscall.SIGTERM)
				err = cmd.Wait()
			}
		} else {
			err = cmd.Run()
		}
		if err != nil {
			t.Errorf("%s:%d: imet %s: %v\n%s", c.file, c.line, strings.Join(c.args, " "), err, out.String())
		}
	}
	delete(ran, "setup")
	t.Logf("%d documented commands ran (%d different)", len(cmds), len(ran))
}

// serveOnce runs a documented 'imet serve' on a free loopback port, asks
// it for its overview and the JSON of it, and stops it as Ctrl-C does.
func serveOnce(cmd *exec.Cmd, args []string, out *strings.Builder) error {
	if i := slices.Index(args, "--listen"); i >= 0 && i+1 < len(args) {
		args[i+1] = "127.0.0.1:0"
	} else {
		args = append(args, "--listen", "127.0.0.1:0")
	}
	if i := slices.Index(args, "--token-file"); i >= 0 {
		args = slices.Delete(args, i, i+2) // a file of the docs' reader; a generated token is printed instead
	}
	// child passes the arguments in IMET_TEST_ARGS; the last one counts.
	b, err := json.Marshal(args)
	if err != nil {
		return err
	}
	cmd.Env = append(cmd.Env, "IMET_TEST_ARGS="+string(b))
	cmd.Stdout = nil // read through the pipe below; stderr still goes to out
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait()
	defer cmd.Process.Signal(syscall.SIGINT)
	sc := bufio.NewScanner(pipe)
	for sc.Scan() {
		line := sc.Text()
		out.WriteString(line + "\n")
		_, rest, ok := strings.Cut(line, " at http://")
		if !ok {
			continue
		}
		go io.Copy(io.Discard, pipe)
		base, _, _ := strings.Cut("http://"+strings.Fields(rest)[0], "?")
		u, err := url.Parse("http://" + strings.Fields(rest)[0])
		if err != nil {
			return err
		}
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar, Timeout: time.Minute}
		for _, path := range []string{u.RequestURI(), "/api/overview"} {
			resp, err := client.Get(strings.TrimSuffix(base, "/") + path)
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("GET %s: %s", path, resp.Status)
			}
		}
		return nil
	}
	return fmt.Errorf("imet serve printed no address")
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
