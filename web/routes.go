package web

import "net/http"

// pages lists every page, in the navigation's order.
func (s *Server) pages() []route {
	return []route{
		{path: "/", nav: "Overview", build: s.overview},
		{path: "/explore", nav: "Explore", build: s.explore},
		{path: "/curves", nav: "Curves", build: s.curves},
		{path: "/countries", nav: "Countries", build: s.countries},
		{path: "/countries/{iso3}", build: s.country},
		{path: "/methodology", nav: "Methodology", build: s.methodology},
		{path: "/lineage", nav: "Lineage", private: true, build: s.lineage},
		{path: "/quality", nav: "Data quality", build: s.quality},
		{path: "/runs", nav: "Runs", build: s.runs},
		{path: "/sql", nav: "SQL", private: true, build: s.console, api: s.apiSQLGet},
	}
}

func (s *Server) routes() {
	for _, rt := range s.pages() {
		s.handle(rt)
	}
	s.mux.Handle("GET /static/", static())
	s.mux.HandleFunc("POST /api/sql", s.apiSQL)
	s.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
}
