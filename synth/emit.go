package synth

// Link expectations written to the links truth.
const (
	expectLink = iota
	expectAmbiguous
	expectUnmatched
)

var expectNames = [...]string{"link", "ambiguous", "unmatched"}

// linkRec is one career event or flag written without a student_id.
type linkRec struct {
	ds         int
	recordID   string
	studentNum int // 0: the person is not in the students file
	variant    string
	expect     uint8
	partial    bool // judged on family and primary given name only
	hasYear    bool
	key        uint64
}

// badRec is one planted bad row; row is its 0-based index in the block.
type badRec struct {
	row  int
	key  string
	kind int
}

// Student identity keys used to judge ambiguity after all chunks are done.
const (
	keyFullYear = iota
	keyFullNoYear
	keyPartYear
	keyPartNoYear
	nKeys
)

type stats struct {
	Participants, Comparison, Graduates, Lost, NamesakePairs, GhostPeople int
	GeneralGrad, GeneralComp                                              int // reached OF-6 (latent) after index
	LeadPopGrad, LeadPopComp                                              int // OF-1..OF-5 at index
	// of those, reaching OF-6 within 3652 days of the index date if nobody
	// left the service (latent) and before leaving (as generated)
	Lead10LatentGrad, Lead10LatentComp, Lead10Grad, Lead10Comp    int
	IdlessEvents, NoIDEvents, DeniedCompleted, Flags, IdlessFlags int
}

func (s *stats) add(o *stats) {
	s.Participants += o.Participants
	s.Comparison += o.Comparison
	s.Graduates += o.Graduates
	s.Lost += o.Lost
	s.NamesakePairs += o.NamesakePairs
	s.GhostPeople += o.GhostPeople
	s.GeneralGrad += o.GeneralGrad
	s.GeneralComp += o.GeneralComp
	s.LeadPopGrad += o.LeadPopGrad
	s.LeadPopComp += o.LeadPopComp
	s.Lead10LatentGrad += o.Lead10LatentGrad
	s.Lead10LatentComp += o.Lead10LatentComp
	s.Lead10Grad += o.Lead10Grad
	s.Lead10Comp += o.Lead10Comp
	s.IdlessEvents += o.IdlessEvents
	s.NoIDEvents += o.NoIDEvents
	s.DeniedCompleted += o.DeniedCompleted
	s.Flags += o.Flags
	s.IdlessFlags += o.IdlessFlags
}

// chunkOut is what one chunk hands to the writer.
type chunkOut struct {
	idx    int
	blocks [nDatasets]*block // nil once encoded
	rows   [nDatasets]int
	enc    [nDatasets][]byte // encoded rows for text formats (compressed for csv.gz)
	raw    [nDatasets][]byte // csv.gz: the uncompressed CSV, for the checksum
	bad    [nDatasets][]badRec
	links  []linkRec
	// holders are the chunk's graduates and comparison peers, who may
	// hold a senior post in the rosters.
	holders []holderCand
	keys    [nKeys][]uint64
	imet    []int64 // cents per (fiscal year, country), IMET U.S. cost
	fms     []int64 // cents per (fiscal year, country), FMS partner cost
	st      stats
}

// generateChunk makes the people of chunk idx and their rows.
//
// It is long because its random draws come one after another in a fixed
// order, and that order is the generated data (a seed gives the same files
// on every machine): split, the draws would be spread over functions that
// must still be called in this order.
func generateChunk(p *plan, idx int) *chunkOut {
	g := &gen{p: p, r: newRNG(p.opt.Seed, streamChunk, uint64(idx)), idx: idx}
	r := g.r
	cp := &p.chunks[idx]
	first := idx * chunkSize
	n := min(chunkSize, p.opt.Students-first)
	out := &chunkOut{idx: idx}
	nFY := p.opt.LastFY - p.opt.FirstFY + 1
	out.imet = make([]int64, nFY*len(partnerCountries))
	out.fms = make([]int64, nFY*len(partnerCountries))

	nComp := 0
	for i := 0; i < n; i++ {
		if r.chance(comparisonShare) {
			nComp++
		}
	}
	if n < 4 {
		nComp = 0
	}
	nPart := n - nComp

	// Namesakes: a later participant takes an earlier one's country, birth
	// year and name. Pairs are disjoint.
	pairOf := map[int]int{}
	used := map[int]bool{}
	for i := 0; i < cp.namesakes && nPart >= 4; i++ {
		for tries := 0; tries < 20; tries++ {
			b := 1 + r.intn(nPart-1)
			a := r.intn(b)
			if used[a] || used[b] {
				continue
			}
			used[a], used[b] = true, true
			pairOf[b] = a
			break
		}
	}
	people := make([]*person, 0, n)
	var grads []*person
	for i := 0; i < nPart; i++ {
		var forced *person
		if a, ok := pairOf[i]; ok {
			forced = people[a]
		}
		ps := g.participant(forced)
		people = append(people, ps)
		if ps.graduate {
			grads = append(grads, ps)
		}
	}
	out.st.NamesakePairs = len(pairOf)
	for i := 0; i < nComp; i++ {
		if len(grads) == 0 {
			people = append(people, g.participant(nil))
			continue
		}
		people = append(people, g.comparison(grads[r.intn(len(grads))]))
	}
	// The file is not sorted by cohort.
	for i := len(people) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		people[i], people[j] = people[j], people[i]
	}
	for i, ps := range people {
		ps.num = first + i + 1
		if h, ok := holderCandOf(ps); ok {
			out.holders = append(out.holders, h)
		}
		g.report(ps)
		g.hrFlags(ps)
		switch {
		case ps.cohort == cohortComparison:
			out.st.Comparison++
		default:
			out.st.Participants++
		}
		if ps.graduate {
			out.st.Graduates++
			if ps.lost {
				out.st.Lost++
			}
		}
		if k := ps.indexRank.ofLevel(); k >= 1 && k <= 5 && (ps.graduate || ps.cohort == cohortComparison) {
			latent := ps.latentGeneral != noDay && ps.latentGeneral <= ps.index+3652
			reached := ps.generalDay != noDay && ps.generalDay <= ps.index+3652
			if ps.graduate {
				out.st.LeadPopGrad++
				out.st.Lead10LatentGrad += b2i(latent)
				out.st.Lead10Grad += b2i(reached)
			} else {
				out.st.LeadPopComp++
				out.st.Lead10LatentComp += b2i(latent)
				out.st.Lead10Comp += b2i(reached)
			}
			if ps.generalDay != noDay && ps.generalDay <= p.asOf {
				if ps.graduate {
					out.st.GeneralGrad++
				} else {
					out.st.GeneralComp++
				}
			}
		}
	}

	// A handful of enrollments completed although vetting denied them: the
	// alarm VET_DENIED_ATTENDED must find them.
	type ref struct{ p, e int }
	var cands []ref
	for i, ps := range people {
		for j := range ps.enrollments {
			e := &ps.enrollments[j]
			if e.status == stCompleted && e.program == prgIMET && e.vet != vetDenied {
				cands = append(cands, ref{i, j})
			}
		}
	}
	for k := 0; k < cp.denied && len(cands) > 0; k++ {
		j := r.intn(len(cands))
		c := cands[j]
		cands[j] = cands[len(cands)-1]
		cands = cands[:len(cands)-1]
		e := &people[c.p].enrollments[c.e]
		e.vet = vetDenied
		e.vetDate = e.start - day(r.between(5, 60))
		out.st.DeniedCompleted++
	}

	// People who are not in the students file but whom the event feed names.
	ghosts := make([]*person, cp.ghosts)
	for i := range ghosts {
		ghosts[i] = g.ghost(p.ghostNumber(idx, i))
	}
	out.st.GhostPeople = len(ghosts)

	// Rows.
	stu := newBlock(dsStudents, n)
	enr := newBlock(dsEnrollments, n*2)
	evb := newBlock(dsEvents, n*22)
	flb := newBlock(dsFlags, 8)
	for k := range out.keys {
		out.keys[k] = make([]uint64, 0, n)
	}
	ghostAt := make([]int, len(ghosts))
	for i := range ghostAt {
		ghostAt[i] = r.intn(len(people) + 1)
	}
	emitGhosts := func(pos int) {
		for i, gp := range ghosts {
			if ghostAt[i] == pos {
				g.emitEvents(evb, gp, out)
			}
		}
	}
	for i, ps := range people {
		g.emitStudent(stu, ps, out)
		g.emitEnrollments(enr, ps, out)
		emitGhosts(i)
		g.emitEvents(evb, ps, out)
		g.emitFlags(flb, ps, out)
	}
	emitGhosts(len(people))

	blocks := [nDatasets]*block{dsStudents: stu, dsEnrollments: enr, dsEvents: evb, dsFlags: flb}
	g.plantBad(blocks, people, out)
	return out
}

// ghost is a person the feed reports on who is in no students row. The
// family name comes from the pool's reserved list, which no student has.
func (g *gen) ghost(num int) *person {
	r, p := g.r, g.p
	ps := &person{num: num, cohort: -1, generalDay: noDay}
	ps.country = p.drawCountry(r)
	ps.sex = 'M'
	if r.chance(0.1) {
		ps.sex = 'F'
	}
	ps.name = namePools[partnerCountries[ps.country].Pool].newName(r, ps.sex == 'F', true)
	ps.birthYear = r.between(1962, 1995)
	ps.svc = svcArmy
	k := r.between(1, 4)
	lo := maxDay(p.firstStart, mkday(2008, 1, 1))
	for i := 0; i < k; i++ {
		d := lo + day(r.intn(int(p.asOf-lo)))
		e := event{date: d, op: -1, fa: -1, idless: true, source: int8(sourceChoiceIdless.draw(r))}
		rk := ofRank(r.between(3, 7))
		switch r.intn(3) {
		case 0:
			e.typ, e.rank, e.hasRank = evPromotion, rk, true
		case 1:
			e.typ = evAssignment
			e.level = levelFor(r, rk)
			e.title = pick(r, titlesFor(-1, e.level))
		default:
			e.typ = evVerified
		}
		e.reported = d + day(r.between(1, 200))
		if e.reported > p.asOf {
			e.reported = noDay
		}
		ps.events = append(ps.events, e)
	}
	return ps
}

func (g *gen) emitStudent(b *block, ps *person, out *chunkOut) {
	pc := &partnerCountries[ps.country]
	pool := namePools[pc.Pool]
	b.code(studentID(ps.num))
	b.code(pc.Code)
	fam, giv := pool.render(&ps.name)
	b.str(fam)
	b.str(giv)
	b.int(ps.birthYear)
	b.buf = append(b.buf, ps.sex)
	b.end()
	b.code(serviceNames[ps.svc])
	if ps.cohort == cohortComparison {
		b.code("COMPARISON")
		b.date(ps.index)
		b.code(ps.indexRank.code())
	} else {
		if ps.cohortBlank {
			b.empty()
		} else {
			b.code("PARTICIPANT")
		}
		b.empty()
		b.empty()
	}
	out.keys[keyFullYear] = append(out.keys[keyFullYear], ps.name.key(ps.country, ps.birthYear, false))
	out.keys[keyFullNoYear] = append(out.keys[keyFullNoYear], ps.name.key(ps.country, 0, false))
	out.keys[keyPartYear] = append(out.keys[keyPartYear], ps.name.key(ps.country, ps.birthYear, true))
	out.keys[keyPartNoYear] = append(out.keys[keyPartNoYear], ps.name.key(ps.country, 0, true))
}

func (g *gen) emitEnrollments(b *block, ps *person, out *chunkOut) {
	r, p := g.r, g.p
	pc := &partnerCountries[ps.country]
	sid := studentID(ps.num)
	for i := range ps.enrollments {
		e := &ps.enrollments[i]
		cs := &p.courses[e.course]
		b.code(enrollmentID(ps.num, i+1))
		b.code(sid)
		b.code(cs.code)
		if e.programBlank {
			b.empty()
		} else {
			b.code(programNames[e.program])
		}
		fy := e.start.fiscalYear()
		if e.fyBlank {
			b.empty()
		} else {
			b.int(fy)
		}
		b.date(e.start)
		b.date(e.end)
		b.code(statusNames[e.status])
		if r.chance(0.9) {
			b.str(rankTitle(r, pc.Lang, ps.svc, e.rank))
		} else {
			b.empty()
		}
		if r.chance(0.97) {
			b.code(e.rank.code())
		} else {
			b.empty()
		}
		if e.ecl >= 0 {
			b.int(e.ecl)
		} else {
			b.empty()
		}
		b.money(e.cost)
		if e.partner >= 0 {
			b.money(e.partner)
		} else {
			b.empty()
		}
		b.code(vetNames[e.vet])
		b.date(e.vetDate)
		k := (fy-p.opt.FirstFY)*len(partnerCountries) + ps.country
		if k >= 0 && k < len(out.imet) {
			switch e.program {
			case prgIMET:
				out.imet[k] += e.cost
			case prgFMS:
				if e.partner > 0 {
					out.fms[k] += e.partner
				}
			}
		}
	}
}

func (g *gen) emitEvents(b *block, ps *person, out *chunkOut) {
	r := g.r
	pc := &partnerCountries[ps.country]
	pool := namePools[pc.Pool]
	sid := ""
	if ps.cohort >= 0 {
		sid = studentID(ps.num)
	}
	for i := range ps.events {
		e := &ps.events[i]
		id := ""
		if !e.noID {
			id = eventID(ps.num, i)
		}
		b.code(id)
		if e.idless {
			b.empty()
			b.code(pc.Code)
			rec := linkRec{ds: dsEvents, recordID: id, studentNum: ps.num}
			var fam, giv string
			if ps.cohort < 0 {
				fam, giv = pool.render(&ps.name)
				rec.studentNum, rec.variant, rec.expect = 0, "none", expectUnmatched
			} else {
				fam, giv, rec.variant, rec.partial = pool.variantName(r, &ps.name)
			}
			b.str(fam)
			b.str(giv)
			year := identityYear(b, r, &rec, ps.birthYear)
			rec.key = ps.name.key(ps.country, year, rec.partial)
			out.links = append(out.links, rec)
			out.st.IdlessEvents++
		} else {
			if e.noID {
				out.st.NoIDEvents++
			}
			b.code(sid)
			b.empty()
			b.empty()
			b.empty()
			b.empty()
		}
		b.date(e.date)
		b.code(eventTypeNames[e.typ])
		if e.hasRank {
			b.code(e.rank.code())
		} else {
			b.empty()
		}
		b.str(titleTable[e.title])
		b.code(levelNames[e.level])
		if e.fa >= 0 {
			b.code(functionalAreas[e.fa])
		} else {
			b.empty()
		}
		if e.op >= 0 {
			b.str(operations[e.op].name)
			b.code(opTypeNames[operations[e.op].typ])
		} else {
			b.empty()
			b.empty()
		}
		b.code(sourceNames[e.source])
		b.date(e.reported)
	}
}

func (g *gen) emitFlags(b *block, ps *person, out *chunkOut) {
	r := g.r
	pc := &partnerCountries[ps.country]
	pool := namePools[pc.Pool]
	for i := range ps.flags {
		f := &ps.flags[i]
		id := flagID(ps.num, i)
		b.code(id)
		if f.idless {
			b.empty()
			b.code(pc.Code)
			fam, giv, variant, partial := pool.variantName(r, &ps.name)
			b.str(fam)
			b.str(giv)
			rec := linkRec{ds: dsFlags, recordID: id, studentNum: ps.num, variant: variant, partial: partial}
			year := identityYear(b, r, &rec, ps.birthYear)
			rec.key = ps.name.key(ps.country, year, partial)
			out.links = append(out.links, rec)
			out.st.IdlessFlags++
		} else {
			b.code(studentID(ps.num))
			b.empty()
			b.empty()
			b.empty()
			b.empty()
		}
		b.date(f.date)
		b.code(severityNames[f.severity])
		b.code(flagStatusNames[f.status])
		b.str(f.source)
		out.st.Flags++
	}
}

// parseDay reads an ISO date cell; ok is false for anything else.
func parseDay(s []byte) (day, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	num := func(b []byte) int {
		n := 0
		for _, c := range b {
			n = n*10 + int(c-'0')
		}
		return n
	}
	return mkday(num(s[:4]), num(s[5:7]), num(s[8:])), true
}

// identityYear writes the birth year of an id-less row, given in 85% of them,
// and returns it (0 when left out).
func identityYear(b *block, r *rng, rec *linkRec, birthYear int) int {
	rec.hasYear = r.chance(0.85)
	if !rec.hasYear {
		b.empty()
		return 0
	}
	b.int(birthYear)
	return birthYear
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
