package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/term"
)

// Version is the tool's version, printed by `imet version` and recorded
// with every run.
var Version = "0.1.0-dev"

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"demo", "the whole pipeline on a synthetic program and the real FY2013 FMTR, with its products", runDemo},
		{"init", "create a workspace", runInit},
		{"generate", "write synthetic input files", runGenerate},
		{"ingest", "load the inbox (or the given files) into the warehouse", runIngest},
		{"transform", "compute every metric into metric_values for a period end", runTransform},
		{"metrics", "list the metrics imet computes, with their definitions", runMetrics},
		{"explain", "which people, enrollments and events made one published number, and from which files", runExplain},
		{"report", "write the quarterly evaluator report (HTML and PDF)", runReport},
		{"export", "write metric_values, the congressional summary, the FMTR summary or the lake as files", runExport},
		{"run", "ingest, transform, check and publish once, now (what the scheduler runs)", runRun},
		{"schedule", "the daemon: run the jobs of imet.toml on their schedules", runSchedule},
		{"runs", "the run history", runRuns},
		{"status", "the daemon, the writer lock, the snapshot and the inbox backlog", runStatus},
		{"quarantine", "list bad rows and why they were set aside", runQuarantine},
		{"sql", "read-only SQL on the published snapshot (a prompt without a query)", runSQL},
		{"serve", "the published snapshot in a browser: dashboards, countries, lineage, SQL (read-only)", runServe},
		{"schema", "print the data dictionary (Markdown)", runSchema},
		{"version", "print the version", runVersion},
	}
}

// env is what every command gets: output streams and a logger.
type env struct {
	stdout, stderr io.Writer
	logger         *slog.Logger
	logFormat      string
}

// exitError carries a specific exit code; its message may be empty when
// the command already said everything.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// usageError is a mistake in how the command was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// Main runs imet with args (without the program name) and returns the exit
// code: 0 success, 1 failure, 2 usage error.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr}
	// Global flags may come before the command.
	global := flag.NewFlagSet("imet", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	logFormat := global.String("log-format", "", "text or json")
	logLevel := global.String("log-level", "", "debug, info, warn or error (default warn; info with --log-format json)")
	version := global.Bool("version", false, "print the version")
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
			return 0
		}
		fmt.Fprintln(stderr, "imet:", err)
		usage(stderr)
		return 2
	}
	if *version {
		fmt.Fprintf(stdout, "imet %s\n", Version)
		return 0
	}
	args = global.Args()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			args = []string{args[1], "--help"}
		} else {
			usage(stdout)
			return 0
		}
	}
	e.logFormat = *logFormat
	e.logger = newLogger(stderr, *logFormat)
	if *logLevel != "" {
		var level slog.Level
		if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
			fmt.Fprintf(stderr, "imet: --log-level %q: use debug, info, warn or error\n", *logLevel)
			return 2
		}
		e.logger = newLoggerAt(stderr, *logFormat, level)
	}
	ctx = withNotices(ctx, stderr)
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		var ue *usageError
		var ee *exitError
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &ue):
			fmt.Fprintf(stderr, "imet %s: %s\nRun 'imet %s --help' for usage.\n", c.name, ue.msg, c.name)
			return 2
		case errors.As(err, &ee):
			if ee.msg != "" {
				fmt.Fprintf(stderr, "imet %s: %s\n", c.name, ee.msg)
			}
			return ee.code
		case errors.Is(err, context.Canceled):
			fmt.Fprintf(stderr, "imet %s: interrupted; nothing half-done was kept\n", c.name)
			return 1
		default:
			fmt.Fprintf(stderr, "imet %s: %v\n%s", c.name, err, hint(err))
			return 1
		}
	}
	fmt.Fprintf(stderr, "imet: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "imet %s: outcome tracking for the International Military Education and Training program\n\nUsage: imet [--log-format text|json] [--log-level LEVEL] [--version] COMMAND [flags]\n\nCommands:\n", Version)
	cs := commands()
	for _, c := range cs {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nEvery command takes --help. The workspace is --workspace DIR, else $IMET_WORKSPACE, else the current folder.\n")
}

// hint is what to do about an error whose words come from DuckDB, in
// imet's terms ("" when there is nothing to add).
func hint(err error) string {
	if strings.Contains(err.Error(), "Out of Memory Error") {
		return "DuckDB used all the memory and spilled all the disk that imet.toml gives it ([duckdb] memory_limit and max_temp_size): raise one of them (or free disk space) and run the command again; nothing half-done was kept.\n"
	}
	return ""
}

func newLogger(w io.Writer, format string) *slog.Logger {
	level := slog.LevelWarn
	if format == "json" {
		level = slog.LevelInfo
	}
	return newLoggerAt(w, format, level)
}

func newLoggerAt(w io.Writer, format string, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// flags makes a command's flag set with its usage text.
func flags(e *env, name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage: imet %s\n\n%s\n\nFlags:\n", usageLine(name, args, fs), about)
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(e.stderr)
	}
	return fs
}

// usageLine is a command's usage: its arguments as written, then every flag
// of fs they do not mention, so that the line lists all the flags even when
// one is added without touching it.
func usageLine(name, args string, fs *flag.FlagSet) string {
	line := strings.TrimSpace(name + " " + args)
	fs.VisitAll(func(f *flag.Flag) {
		if regexp.MustCompile(`--` + regexp.QuoteMeta(f.Name) + `([ \]=|]|$)`).MatchString(args) {
			return
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			line += " [--" + f.Name + "]"
			return
		}
		placeholder, _ := flag.UnquoteUsage(f)
		switch placeholder {
		case "string", "value", "":
			placeholder = strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		case "int", "uint", "float", "duration":
			placeholder = "N"
		}
		line += " [--" + f.Name + " " + placeholder + "]"
	})
	return line
}

// parse parses flags, also when they follow positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, checkFlags(fs)
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// checkFlags holds the rules that every command's flags of the same name
// follow: counts and batch numbers are not negative.
func checkFlags(fs *flag.FlagSet) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "vintage", "limit":
			if err == nil && strings.HasPrefix(f.Value.String(), "-") {
				err = &usageError{fmt.Sprintf("--%s %s: give a number from 0 up (0: %s)", f.Name, f.Value, map[string]string{"vintage": "all batches", "limit": "no limit"}[f.Name])}
			}
		}
	})
	return err
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func oneOf(name, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	sort.Strings(allowed)
	return &usageError{fmt.Sprintf("--%s %q: use one of %s", name, v, strings.Join(allowed, ", "))}
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "version", "", "Print the version of imet.")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "imet %s\n", Version)
	return nil
}
