package web

// Pages still to build; each says so rather than showing nothing.
func (s *Server) notYet(title string) (*Page, error) {
	return &Page{Title: title, Notes: []string{"not built yet"}}, nil
}

func (s *Server) overview(r *request) (*Page, error)  { return s.notYet("Overview") }
func (s *Server) explore(r *request) (*Page, error)   { return s.notYet("Explore") }
func (s *Server) curves(r *request) (*Page, error)    { return s.notYet("Curves") }
func (s *Server) countries(r *request) (*Page, error) { return s.notYet("Countries") }
func (s *Server) country(r *request) (*Page, error)   { return s.notYet("Country") }
