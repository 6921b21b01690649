package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestGlobalHelpAndVersion(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"--help", "-h", "help"} {
		if code, out := run(t, arg); code != 0 || !strings.Contains(out, "Commands:") || strings.Contains(out, "flag: help requested") {
			t.Errorf("imet %s: exit %d\n%s", arg, code, out)
		}
	}
	for _, arg := range []string{"--version", "-version"} {
		if code, out := run(t, arg); code != 0 || out != "imet "+Version+"\n" {
			t.Errorf("imet %s: exit %d\n%q", arg, code, out)
		}
	}
	if code, out := run(t, "--nosuch"); code != 2 || !strings.Contains(out, "Usage: imet") {
		t.Errorf("imet --nosuch: exit %d\n%s", code, out)
	}
}

// subcommands of the commands that take one, as their --help lists them.
var subcommands = map[string][]string{"export": {"metrics", "congress", "fmtr", "lake"}, "report": {"quarterly"}}

// Every flag a command defines is in its usage line.
func TestUsageLineListsEveryFlag(t *testing.T) {
	t.Parallel()
	flagLine := regexp.MustCompile(`^\s+-(\S+)`)
	checked := 0
	for _, c := range commands() {
		variants := [][]string{{c.name}}
		if subs, ok := subcommands[c.name]; ok {
			_, out := run(t, c.name, "--help")
			variants = nil
			for _, s := range subs {
				if !strings.Contains(out, s) {
					t.Errorf("imet %s --help does not list %s", c.name, s)
				}
				variants = append(variants, []string{c.name, s})
			}
		}
		for _, v := range variants {
			code, out := run(t, append(v, "--help")...)
			name := strings.Join(v, " ")
			if code != 0 {
				t.Errorf("imet %s --help: exit %d\n%s", name, code, out)
				continue
			}
			// the usage line, which may go on over indented lines
			usage, _, _ := strings.Cut(out, "\n\n")
			lines := strings.Split(out, "\n")
			if !strings.HasPrefix(usage, "Usage: imet "+name) {
				t.Errorf("imet %s --help starts %q", name, usage)
				continue
			}
			inFlags := false
			for _, l := range lines[1:] {
				if l == "Flags:" {
					inFlags = true
					continue
				}
				m := flagLine.FindStringSubmatch(l)
				if !inFlags || m == nil {
					continue
				}
				checked++
				if !regexp.MustCompile(`--` + regexp.QuoteMeta(m[1]) + `([ \]=|]|$)`).MatchString(usage) {
					t.Errorf("imet %s: the usage line lacks --%s:\n%s", name, m[1], usage)
				}
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d flags checked", checked)
	}
}

func TestMetricsTakesAWorkspace(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatal(out)
	}
	if code, out := run(t, "metrics", "list", "--workspace", ws, "--format", "csv"); code != 0 || !strings.Contains(out, "LEAD_RANK") {
		t.Errorf("metrics --workspace: exit %d\n%s", code, out)
	}
	os.WriteFile(filepath.Join(ws, "imet.toml"), []byte("[metrics]\nlead_rank = \"OF-1\"\n"), 0o644)
	if code, out := run(t, "metrics", "list", "--workspace", ws); code != 1 || !strings.Contains(out, "lead_rank") {
		t.Errorf("metrics with a bad imet.toml: exit %d\n%s", code, out)
	}
}

func TestQuarantineRuleMustBeKnown(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatal(out)
	}
	code, out := run(t, "quarantine", "--workspace", ws, "--rule", "nosuch")
	if code != 2 || !strings.Contains(out, `--rule "nosuch"`) || !strings.Contains(out, "required") || !strings.Contains(out, "date_order") || !strings.Contains(out, "malformed") {
		t.Errorf("--rule nosuch: exit %d\n%s", code, out)
	}
	if code, out := run(t, "quarantine", "--workspace", ws, "--rule", "date_order"); code != 0 {
		t.Errorf("--rule date_order: exit %d\n%s", code, out)
	}
}

func TestRunsOutsideAWorkspace(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	want := "not an imet workspace: " + dir + " (run `imet init`)"
	for _, cmd := range []string{"runs", "status"} {
		if code, out := run(t, cmd, "--workspace", dir); code != 1 || !strings.Contains(out, want) {
			t.Errorf("imet %s outside a workspace: exit %d\n%s", cmd, code, out)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("imet runs wrote into a folder that is not a workspace: %v", entries)
	}
}
