package web

// Pages still to build; each says so rather than showing nothing.
func (s *Server) notYet(title string) (*Page, error) {
	return &Page{Title: title, Notes: []string{"not built yet"}}, nil
}

func (s *Server) lineage(r *request) (*Page, error) { return s.notYet("Lineage") }
func (s *Server) quality(r *request) (*Page, error) { return s.notYet("Data quality") }
func (s *Server) runs(r *request) (*Page, error)    { return s.notYet("Runs") }
