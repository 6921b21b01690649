package synth

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Rosters (dataset post_holders): who held each partner country's senior
// posts over the years, from a source independent of the training records.
// Some holders are graduates, written with their student_id, with their
// name as the students file spells it, or with a transliterated name, so
// that linking by id, by exact name and by a fuzzy name with review are all
// exercised; some are comparison peers (who never attended, so are no
// graduates); the rest are people the students file does not have (their
// family names come from the reserved list no student has). Each country has
// a planted penetration share: of its holdings in office on AsOf, that share
// (rounded) is held by graduates who graduated before taking up the post.

// holderCand is a graduate or comparison peer who may hold a post.
type holderCand struct {
	num        int
	country    int
	comparison bool
	index      day
	birthYear  int
	name       personName
}

// Caps on the candidates kept per country (enough for the biggest roster).
const (
	maxGradCands = 400
	maxCompCands = 60
)

// candidates keeps, in chunk order, a country's first graduates and
// comparison peers: rosters are a pure function of the options.
type candidates struct {
	grads, comps [][]holderCand
}

func newCandidates() *candidates {
	return &candidates{grads: make([][]holderCand, len(partnerCountries)), comps: make([][]holderCand, len(partnerCountries))}
}

func (c *candidates) add(hs []holderCand) {
	for _, h := range hs {
		if h.comparison {
			if len(c.comps[h.country]) < maxCompCands {
				c.comps[h.country] = append(c.comps[h.country], h)
			}
		} else if len(c.grads[h.country]) < maxGradCands {
			c.grads[h.country] = append(c.grads[h.country], h)
		}
	}
}

// holderCandOf is the candidate a chunk reports for a person, if any.
func holderCandOf(ps *person) (holderCand, bool) {
	comp := ps.cohort == cohortComparison
	if !comp && !ps.graduate {
		return holderCand{}, false
	}
	return holderCand{num: ps.num, country: ps.country, comparison: comp, index: ps.index, birthYear: ps.birthYear, name: ps.name}, true
}

// holdingTruth is one generated holding as the truth file states it.
type holdingTruth struct {
	id, country, level, identity string
	start, end                   day
	studentNum                   int
	comparison, graduate, office bool
}

// countryShare is a country's planted penetration and what it came to.
type countryShare struct {
	code              string
	planted           float64
	inOffice, gradsIn int
}

type post struct{ level, title string }

func countryPosts(nGrads int) []post {
	ps := []post{{"CHOD", "Chief of Defence"}, {"MINISTER", "Minister of Defence"},
		{"SERVICE_CHIEF", "Chief of the Army Staff"}, {"SERVICE_CHIEF", "Chief of the Naval Staff"}, {"SERVICE_CHIEF", "Chief of the Air Staff"}}
	for i := range min(max(nGrads/8, 2), 40) {
		ps = append(ps, post{"GENERAL_OFFICER", fmt.Sprintf("General Officer Command %02d", i+1)})
	}
	return ps
}

// term is one holding of a post before its holder is chosen.
type term struct {
	post       post
	start, end day // end noDay: in office on AsOf
}

// rosterTerms lays each post's holdings end to end (one hands over on the
// day the next starts) from about 15 years before AsOf.
func rosterTerms(r *rng, posts []post, asOf day) []term {
	var out []term
	for _, pt := range posts {
		d := asOf.addYears(-r.uniform(13, 17))
		for {
			end := d.addYears(r.uniform(2, 5))
			if end > asOf {
				out = append(out, term{pt, d, noDay})
				break
			}
			out = append(out, term{pt, d, end})
			d = end
		}
	}
	return out
}

// rostersBlock writes every country's roster and returns its truth.
func rostersBlock(p *plan, cands *candidates) (*block, []badRec, []holdingTruth, []countryShare) {
	r := newRNG(p.opt.Seed, streamRosters, 0)
	b := newBlock(dsHolders, 256)
	var truth []holdingTruth
	var shares []countryShare
	for c := range partnerCountries {
		grads, comps := cands.grads[c], cands.comps[c]
		if len(grads) == 0 {
			continue
		}
		share := countryShare{code: partnerCountries[c].Code, planted: math.Round(r.uniform(0.15, 0.6)*100) / 100}
		terms := rosterTerms(r, countryPosts(len(grads)), p.asOf)
		// In office on AsOf: exactly the planted share (rounded) is wanted
		// a graduate's; earlier holdings by chance.
		var current []int
		for i, t := range terms {
			if t.end == noDay {
				current = append(current, i)
			}
		}
		want := make([]bool, len(terms))
		for i, t := range terms {
			want[i] = t.end != noDay && r.chance(share.planted)
		}
		k := int(math.Round(share.planted * float64(len(current))))
		for i := len(current) - 1; i > 0; i-- {
			j := r.intn(i + 1)
			current[i], current[j] = current[j], current[i]
		}
		for _, i := range current[:k] {
			want[i] = true
		}
		used := map[int]bool{}
		for i, t := range terms {
			h := holdingTruth{id: fmt.Sprintf("PH-%s-%04d", share.code, i+1), country: share.code, level: t.post.level,
				start: t.start, end: t.end, office: t.end == noDay}
			var who *holderCand
			if want[i] {
				who = pickCand(r, grads, used, t.start)
			} else if r.chance(0.1) {
				who = pickCand(r, comps, used, noDay)
			}
			emitHolding(b, r, p, c, t, who, &h)
			if h.office {
				share.inOffice++
				share.gradsIn += b2i(h.graduate)
			}
			truth = append(truth, h)
		}
		shares = append(shares, share)
	}
	return b, badHoldings(p, r, b, shares), truth, shares
}

// badHoldings appends the planted bad holdings after the roster (so that an
// overlapping holding is the later-loaded one): a second chief of defence
// while the first is in office, a holding that ends before it starts, an
// unknown post level.
func badHoldings(p *plan, r *rng, b *block, shares []countryShare) []badRec {
	var recs []badRec
	if len(shares) == 0 {
		return nil
	}
	for _, pb := range p.globalBad {
		k := badKinds[pb.kind]
		if k.ds != dsHolders {
			continue
		}
		c := countryIndex(shares[pb.seq%len(shares)].code)
		pc := &partnerCountries[c]
		pool := namePools[pc.Pool]
		n := pool.newName(r, false, true)
		fam, giv := pool.render(&n)
		id := fmt.Sprintf("PH-%s-B%03d", pc.Code, pb.seq)
		level, title, start, end := "GENERAL_OFFICER", "General Officer Command 01", p.asOf.addYears(-3), p.asOf.addYears(-2)
		switch k.rule {
		case "overlap":
			level, title, start, end = "CHOD", "Chief of Defence", p.asOf-200, noDay
		case "date_order":
			end = start - day(r.between(1, 400))
		case "allowed":
			level = "ADMIRAL"
		}
		recs = append(recs, badRec{row: b.rows(), key: id, kind: pb.kind})
		b.code(id)
		b.empty()
		b.code(pc.Code)
		b.str(fam)
		b.str(giv)
		b.int(p.asOf.year() - r.between(48, 64))
		b.code(level)
		b.str(title)
		b.date(start)
		b.date(end)
		b.str("official gazette")
	}
	return recs
}

func countryIndex(code string) int {
	for i := range partnerCountries {
		if partnerCountries[i].Code == code {
			return i
		}
	}
	panic("synth: no partner country " + code)
}

// pickCand draws an unused candidate with an index date before the day
// (any, when before is noDay); nil when there is none.
func pickCand(r *rng, cs []holderCand, used map[int]bool, before day) *holderCand {
	var ok []int
	for i := range cs {
		if !used[cs[i].num] && (before == noDay || cs[i].index < before) {
			ok = append(ok, i)
		}
	}
	if len(ok) == 0 {
		return nil
	}
	c := &cs[ok[r.intn(len(ok))]]
	used[c.num] = true
	return c
}

// emitHolding writes one roster row: the holder identified by id (40%),
// by the name the students file has (35%) or by another spelling of it
// (25%); a holder who is no student by a name no student has.
func emitHolding(b *block, r *rng, p *plan, c int, t term, who *holderCand, h *holdingTruth) {
	pc := &partnerCountries[c]
	pool := namePools[pc.Pool]
	b.code(h.id)
	var fam, giv string
	birth := 0
	switch {
	case who == nil:
		n := pool.newName(r, r.chance(0.05), true)
		fam, giv = pool.render(&n)
		birth = p.asOf.year() - r.between(48, 64)
		h.identity = "none"
		b.empty()
	default:
		h.studentNum, h.comparison = who.num, who.comparison
		h.graduate = !who.comparison && who.index < t.start
		birth = who.birthYear
		switch x := r.float(); {
		case x < 0.4:
			h.identity = "id"
			fam, giv = pool.render(&who.name)
			b.code(studentID(who.num))
		case x < 0.75:
			h.identity = "exact"
			fam, giv = pool.render(&who.name)
			b.empty()
		default:
			h.identity = "translit"
			fam, giv = otherSpelling(r, pool, &who.name)
			b.empty()
		}
	}
	b.code(pc.Code)
	b.str(fam)
	b.str(giv)
	b.int(birth)
	b.code(t.post.level)
	b.str(t.post.title)
	b.date(t.start)
	b.date(t.end)
	if r.chance(0.6) {
		b.str("official gazette")
	} else {
		b.str("official biography")
	}
}

// otherSpelling spells a name with one of its transliterable parts in
// another spelling, or, when no part has one, as another source might.
func otherSpelling(r *rng, pool *namePool, n *personName) (family, given string) {
	var parts []int
	for i := 0; i < int(n.nFam); i++ {
		if len(pool.list(n.fam[i].list)[n.fam[i].entry]) > 1 {
			parts = append(parts, i)
		}
	}
	for i := 0; i < int(n.nGiv); i++ {
		if len(pool.list(n.giv[i].list)[n.giv[i].entry]) > 1 {
			parts = append(parts, 2+i)
		}
	}
	if len(parts) == 0 {
		fam, giv := pool.render(n)
		for range 8 {
			if family, given, _, _ = pool.variantName(r, n); family != fam || given != giv {
				return family, given
			}
		}
		return strings.ToUpper(fam), giv
	}
	alt := parts[r.intn(len(parts))]
	part := n.fam[0]
	switch {
	case alt < 2:
		part = n.fam[alt]
	default:
		part = n.giv[alt-2]
	}
	nv := len(pool.list(part.list)[part.entry])
	v := (int(part.variant) + 1 + r.intn(nv-1)) % nv
	return pool.renderWith(n, alt, v, n.ascii)
}

// holdersTruthCSV is _truth/post_holders.csv: every holding, who held it
// and how the roster names the holder.
func holdersTruthCSV(hs []holdingTruth) []byte {
	out := []byte("holding_id,country_code,post_level,start_date,end_date,student_id,cohort,identity,graduate,in_office\n")
	for _, h := range hs {
		sid, cohort := "", "NONE"
		if h.studentNum > 0 {
			sid, cohort = studentID(h.studentNum), "PARTICIPANT"
			if h.comparison {
				cohort = "COMPARISON"
			}
		}
		end := ""
		if h.end != noDay {
			end = h.end.String()
		}
		out = fmt.Appendf(out, "%s,%s,%s,%s,%s,%s,%s,%s,%t,%t\n", h.id, h.country, h.level, h.start, end, sid, cohort, h.identity, h.graduate, h.office)
	}
	return out
}

// penetrationCSV is _truth/penetration.csv: each country's planted share
// and, of its holdings in office on AsOf, how many a graduate holds.
func penetrationCSV(ss []countryShare) []byte {
	out := []byte("country_code,planted_share,in_office,graduate_holdings,share\n")
	for _, s := range ss {
		share := ""
		if s.inOffice > 0 {
			share = strconv.FormatFloat(float64(s.gradsIn)/float64(s.inOffice), 'f', 6, 64)
		}
		out = fmt.Appendf(out, "%s,%.2f,%d,%d,%s\n", s.code, s.planted, s.inOffice, s.gradsIn, share)
	}
	return out
}
