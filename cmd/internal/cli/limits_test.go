package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/imet-project/imet/ingest"
)

// The commented imet.toml that init writes shows the defaults of [limits]
// as they are.
func TestDefaultTOMLShowsTheLimits(t *testing.T) {
	var c config
	if _, err := toml.Decode(defaultTOML, &c); err != nil {
		t.Fatal(err)
	}
	if c.Limits != defaultConfig().Limits {
		t.Errorf("imet.toml written by init says %+v, the defaults are %+v", c.Limits, defaultConfig().Limits)
	}
	ws := layout(t.TempDir())
	if got := ws.limits(); got != ingest.DefaultLimits {
		t.Errorf("limits %+v, want %+v", got, ingest.DefaultLimits)
	}
}

// [limits] reaches the loader: a file with more bad rows than
// max_quarantined is refused, and the summary says which limit; a file
// within it shows each line accounted for.
func TestIngestLimitsFromConfig(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatal(out)
	}
	cfg := filepath.Join(ws, "imet.toml")
	b, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, []byte(strings.Replace(string(b), "max_quarantined = 100000", "max_quarantined = 2", 1)), 0o644)
	os.WriteFile(filepath.Join(ws, "inbox", "students", "bad.csv"), []byte("student_id,country_code\nS1,XXX\nS2,XXX\nS3,XXX\n"), 0o644)
	os.WriteFile(filepath.Join(ws, "inbox", "students", "good.csv"), []byte("student_id,country_code,family_name\nS4,KEN,\"Oti\neno\"\n\nS5,KEN,A\n"), 0o644)
	code, out := run(t, "ingest", "--workspace", ws)
	if code != 1 || !strings.Contains(out, "3 of its 3 rows are bad, more than the 2 quarantined rows a file may have (imet.toml [limits] max_quarantined)") {
		t.Errorf("exit %d\n%s", code, out)
	}
	if !strings.Contains(out, "lines: good.csv: 5 lines = 1 header + 2 rows + 1 inside quoted values + 1 blank") {
		t.Errorf("no accounting of good.csv's lines\n%s", out)
	}
	os.WriteFile(cfg, []byte("[limits]\nmax_line_bytes = 10\n"), 0o644)
	if code, out := run(t, "ingest", "--workspace", ws); code != 1 || !strings.Contains(out, "max_line_bytes = 10: use at least 1024") {
		t.Errorf("exit %d\n%s", code, out)
	}
}
