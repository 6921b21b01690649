package web

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/schemas"
)

// Options are what the CLI gives the server.
type Options struct {
	Snapshot string // published/imet.duckdb of the workspace
	// Public applies the congressional disclosure control to every view
	// and turns the SQL console and lineage off.
	Public bool
	// Token, when set, must come with every request (?token=, a Bearer
	// header or the cookie set after the first visit). The CLI sets one
	// for any listener that is not loopback.
	Token   string
	MinCell int                   // k of the disclosure control ([disclosure] min_cell)
	SQL     schemas.ConsoleLimits // [sql] of imet.toml
	Metrics []reports.MetricDoc   // the registry, as products read it
	// Status reports what the pipeline knows beyond the snapshot: the run
	// history and the next scheduled runs (nil: the pages say it is not
	// available).
	Status func(ctx context.Context) (*Status, error)
	// Trace, when set, is called with every statement a page runs (the
	// page benchmark runs them again, bare, to compare).
	Trace  func(query string, args []any)
	Logger *slog.Logger
	Now    func() time.Time
}

// Status is the pipeline beside the snapshot, for the runs page.
type Status struct {
	Lock  string // who holds the writer lock, or "free"
	Inbox int    // files waiting in the inbox
	Next  []NextRun
	Runs  []Run // newest first
}

// NextRun is the next time a scheduled job runs.
type NextRun struct {
	Job, Spec string
	At        time.Time // zero: the job is off
}

// Run is one row of the run history.
type Run struct {
	ID                   string
	Job, Trigger, Status string
	Started              time.Time
	Duration             time.Duration
	Rows                 int64
	Message              string
}

// Server serves the pages over one workspace's snapshot.
type Server struct {
	opt  Options
	snap *snapshot
	mux  *http.ServeMux
	disc disclosure
}

// New makes a server; nothing is opened until the first request.
func New(opt Options) *Server {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.MinCell < 1 {
		opt.MinCell = 5
	}
	s := &Server{opt: opt, snap: &snapshot{path: opt.Snapshot, every: time.Second}, mux: http.NewServeMux()}
	s.routes()
	return s
}

// Close closes the snapshot; call it after the HTTP server has shut down.
func (s *Server) Close() error { return s.snap.close() }

// Handler is the whole site: security headers, the token, the same-origin
// rule for POST, then the pages.
func (s *Server) Handler() http.Handler {
	return s.secure(s.mux)
}

// cookieName holds the token after the first visit with ?token=.
const cookieName = "imet_token"

// secure wraps h with what every response needs.
func (s *Server) secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !sameOrigin(r) {
			const msg = "refused: a request that changes or runs something must come from this site's own pages"
			if strings.HasPrefix(r.URL.Path, "/api/") {
				writeJSON(w, http.StatusForbidden, map[string]string{"error": msg})
			} else {
				http.Error(w, msg, http.StatusForbidden)
			}
			return
		}
		if s.opt.Token != "" {
			switch s.checkToken(w, r) {
			case tokenRedirected:
				return
			case tokenMissing:
				w.Header().Set("WWW-Authenticate", `Bearer realm="imet"`)
				const msg = "401: this server needs its token: open the address 'imet serve' printed (it ends in ?token=…), or send Authorization: Bearer <token>"
				if strings.HasPrefix(r.URL.Path, "/api/") {
					writeJSON(w, http.StatusUnauthorized, map[string]string{"error": msg})
				} else {
					http.Error(w, msg, http.StatusUnauthorized)
				}
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

type tokenCheck int

const (
	tokenMissing tokenCheck = iota
	tokenGood
	tokenRedirected // the token came in the address: cookie set, sent on without it
)

// checkToken checks the token of r. When it came in the query it sets the
// cookie and, for a GET, sends the browser on to the same address without
// it, so the token stays out of the address bar and the history.
func (s *Server) checkToken(w http.ResponseWriter, r *http.Request) tokenCheck {
	want := []byte(s.opt.Token)
	eq := func(got string) bool { return subtle.ConstantTimeCompare([]byte(got), want) == 1 }
	if c, err := r.Cookie(cookieName); err == nil && eq(c.Value) {
		return tokenGood
	}
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") && eq(strings.TrimPrefix(h, "Bearer ")) {
		return tokenGood
	}
	q := r.URL.Query()
	if t := q.Get("token"); t == "" || !eq(t) {
		return tokenMissing
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: s.opt.Token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	if r.Method != http.MethodGet {
		return tokenGood
	}
	q.Del("token")
	u := *r.URL
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
	return tokenRedirected
}

// sameOrigin: a POST must say it comes from this site (Sec-Fetch-Site,
// which every current browser sends, or else Origin); a request with
// neither is not from a browser page and is let through to the token.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return true
	case "":
	default:
		return false
	}
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

// IsLoopback reports whether the listen address is on this machine only.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// db gives a handler the snapshot for the length of its request.
func (s *Server) db(ctx context.Context) (*sql.DB, time.Time, func(), error) {
	return s.snap.acquire(ctx)
}

// unavailable is an error that is the reader's situation, not a fault.
func unavailable(err error) bool { return errors.Is(err, errNoSnapshot) }
