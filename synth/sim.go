package synth

import (
	"math"
	"slices"
	"sort"
)

// noDay marks an empty date.
const noDay day = math.MinInt32

type service uint8

const (
	svcArmy service = iota
	svcNavy
	svcAirForce
	svcMarines
	svcCoastGuard
	svcPolice
	svcCivilian
	svcOther
)

var serviceNames = [...]string{"ARMY", "NAVY", "AIR_FORCE", "MARINES", "COAST_GUARD", "POLICE", "CIVILIAN", "OTHER"}

var serviceChoice = newChoice(
	[]service{svcArmy, svcNavy, svcAirForce, svcMarines, svcCoastGuard, svcPolice, svcOther},
	[]float64{0.6, 0.12, 0.12, 0.03, 0.03, 0.07, 0.02},
)

const (
	cohortParticipant = iota
	cohortComparison
)

const (
	prgIMET = iota
	prgFMS
	prgCTFP
	prgNATO
	prgUN
	prgOther
	nPrograms
)

var programNames = [nPrograms]string{"IMET", "FMS", "CTFP", "NATO", "UN", "OTHER"}

var (
	programChoice    = newChoice([]int{prgIMET, prgFMS, prgCTFP, prgNATO, prgUN, prgOther}, []float64{0.74, 0.09, 0.06, 0.03, 0.02, 0.06})
	programChoiceEUR = newChoice([]int{prgIMET, prgFMS, prgCTFP, prgNATO, prgUN, prgOther}, []float64{0.68, 0.08, 0.05, 0.12, 0.02, 0.05})
)

const (
	stCompleted = iota
	stWithdrawn
	stFailed
	stInProgress
	stCancelled
)

var statusNames = [...]string{"COMPLETED", "WITHDRAWN", "FAILED", "IN_PROGRESS", "CANCELLED"}

const (
	vetApproved = iota
	vetDenied
	vetPending
	vetNotRequired
	vetEmpty
)

var vetNames = [...]string{"APPROVED", "DENIED", "PENDING", "NOT_REQUIRED", ""}

const (
	evPromotion = iota
	evAssignment
	evDeployment
	evSeparation
	evRetirement
	evDeath
	evVerified
)

var eventTypeNames = [...]string{"PROMOTION", "ASSIGNMENT", "DEPLOYMENT", "SEPARATION", "RETIREMENT", "DEATH", "VERIFIED"}

// rankChoice is the rank of a participant at the start of the first main
// course: mostly captains to colonels.
var rankChoice = newChoice(
	[]rank{ofRank(1), ofRank(2), ofRank(3), ofRank(4), ofRank(5), ofRank(6), orRank(5), orRank(6), orRank(7), orRank(8), orRank(9), woRank(1), woRank(2), woRank(3), rCIV},
	[]float64{0.05, 0.16, 0.26, 0.23, 0.14, 0.015, 0.015, 0.02, 0.02, 0.015, 0.01, 0.012, 0.01, 0.008, 0.04},
)

var enrollCount = newChoice([]int{1, 2, 3}, []float64{0.58, 0.3, 0.12})

var mainCategory = newChoice(
	[]int{catPME, catTechnical, catEIMET, catMTT, catOther, catELT},
	[]float64{0.3, 0.33, 0.15, 0.12, 0.06, 0.04},
)

// faByService is where people of a service are assigned, over functionalAreas.
var faByService = func() [8]choice[int] {
	idx := make([]int, len(functionalAreas))
	for i := range idx {
		idx[i] = i
	}
	//                 LEAD LEGAL LOG  INTEL MED  MAR  AVN  RM   HR   PK   CYB  OTH
	army := []float64{0.30, 0.04, 0.13, 0.10, 0.05, 0.01, 0.04, 0.06, 0.02, 0.08, 0.04, 0.13}
	navy := []float64{0.15, 0.03, 0.08, 0.06, 0.03, 0.45, 0.05, 0.04, 0.01, 0.02, 0.03, 0.05}
	air := []float64{0.15, 0.03, 0.08, 0.06, 0.03, 0.01, 0.45, 0.04, 0.01, 0.02, 0.05, 0.07}
	police := []float64{0.30, 0.15, 0.05, 0.15, 0.02, 0.02, 0.01, 0.04, 0.06, 0.05, 0.05, 0.10}
	civ := []float64{0.20, 0.15, 0.10, 0.05, 0.03, 0.01, 0.01, 0.30, 0.04, 0.03, 0.03, 0.05}
	var out [8]choice[int]
	for s := range out {
		w := army
		switch service(s) {
		case svcNavy, svcCoastGuard:
			w = navy
		case svcAirForce:
			w = air
		case svcPolice:
			w = police
		case svcCivilian:
			w = civ
		}
		out[s] = newChoice(idx, w)
	}
	return out
}()

var faIndex = func() map[string]int8 {
	m := map[string]int8{}
	for i, f := range functionalAreas {
		m[f] = int8(i)
	}
	return m
}()

type enrollment struct {
	course       int
	program      int
	programBlank bool
	start, end   day
	planned      day
	status       int
	fyBlank      bool
	rank         rank
	ecl          int   // -1 = not tested
	cost         int64 // cents
	partner      int64 // cents, -1 = empty
	vet          int
	vetDate      day
}

type event struct {
	date     day
	typ      int8
	rank     rank
	hasRank  bool
	level    int8
	fa       int8  // -1 = none
	title    int16 // index in titleTable, 0 = none
	op       int16 // -1 = none
	source   int8
	reported day
	idless   bool // written with identity columns instead of student_id
	noID     bool // written without event_id
}

type flag struct {
	date     day
	severity int8
	status   int8
	source   string
	idless   bool
}

type rankStep struct {
	d day
	r rank
}

type person struct {
	num         int
	cohort      int
	cohortBlank bool
	country     int
	name        personName
	birthYear   int
	sex         byte
	svc         service
	index       day  // graduation (participants) or index_date (comparison)
	indexRank   rank // rank held at index
	graduate    bool
	lost        bool
	namesake    bool
	enrollments []enrollment
	indexEnroll int
	steps       []rankStep
	commission  day
	birth       day
	exit        day
	exitType    int8
	events      []event
	flags       []flag
	hazardRatio float64 // of reaching OF-6, relative to the baseline
	generalDay  day     // date OF-6 is reached, noDay if never
	// latentGeneral is the date OF-6 would be reached if the person never
	// left the service (noDay if never): generalDay before exits compete.
	latentGeneral day
}

// gen generates the people of one chunk.
type gen struct {
	p       *plan
	r       *rng
	idx     int
	scratch []event
}

func (g *gen) sexFor(year int) byte {
	// Women's participation rises over the program's years.
	f := 0.05 + 0.10*math.Max(0, math.Min(1, float64(year-2008)/18))
	switch u := g.r.float(); {
	case u < f:
		return 'F'
	case u < f+0.002:
		return 'X'
	case u < f+0.006:
		return 'U'
	}
	return 'M'
}

func (g *gen) drawService(r0 rank) service {
	if r0 == rCIV {
		switch u := g.r.float(); {
		case u < 0.8:
			return svcCivilian
		case u < 0.9:
			return svcPolice
		default:
			return svcOther
		}
	}
	return serviceChoice.draw(g.r)
}

func (g *gen) newName(ps *person, pool *namePool) {
	female := ps.sex == 'F' || (ps.sex == 'X' || ps.sex == 'U') && g.r.chance(0.3)
	ps.name = pool.newName(g.r, female, false)
}

// bumpRank estimates the rank some years later, used only to choose courses
// before the person's rank history is drawn.
func bumpRank(r rank, years float64) rank {
	steps := rank(years / 5)
	switch {
	case r == rCIV:
		return r
	case r.isOfficer():
		return min(r+steps, ofRank(9))
	case r.isWarrant():
		return min(r+steps, woRank(5))
	default:
		return min(r+steps, orRank(9))
	}
}

// participant generates a person who attended U.S. courses. forced, when set,
// is an earlier participant whose identity this one shares (a namesake).
//
// It is long because its random draws come one after another in a fixed
// order, and that order is the generated data (a seed gives the same files
// on every machine): split, the draws would be spread over functions that
// must still be called in this order.
func (g *gen) participant(forced *person) *person {
	r, p := g.r, g.p
	ps := &person{cohort: cohortParticipant, indexEnroll: -1, generalDay: noDay}
	if forced != nil {
		ps.country = forced.country
	} else {
		ps.country = p.drawCountry(r)
	}
	pc := &partnerCountries[ps.country]
	r0 := rankChoice.draw(r)
	ps.svc = g.drawService(r0)
	ps.cohortBlank = r.chance(0.08)

	// Enrollment schedule.
	span := int(p.lastDay - p.firstStart)
	t := p.firstStart + day(r.intn(span+1))
	if forced != nil {
		// A namesake shares the birth year, so make the careers alike:
		// same rank, courses within a few years of each other.
		r0 = forced.indexRank
		t = forced.enrollments[0].start + day(r.between(-700, 700))
		t = maxDay(p.firstStart, minDay(t, p.lastDay))
	}
	n := enrollCount.draw(r)
	anglo := pc.Lang == "en" || pc.Lang == "gb"
	pELT := 0.25
	if anglo {
		pELT = 0.05
	}
	var firstMain day = noDay
	if r.chance(pELT) {
		if c := p.cix.pick(r, catELT, r0); c >= 0 {
			e := g.newEnrollment(ps, c, t, r0)
			ps.enrollments = append(ps.enrollments, e)
			t = e.planned + day(r.between(5, 35))
			if n == 1 && r.chance(0.7) {
				n = 2
			}
			n--
		}
	}
	prevEnd := noDay
	for k := 0; k < n; k++ {
		start := t
		if prevEnd != noDay {
			start = prevEnd.addYears(r.uniform(0.4, 6))
		}
		if start > p.lastDay {
			break
		}
		rAt := r0
		if firstMain != noDay {
			rAt = bumpRank(r0, firstMain.yearsUntil(start))
		}
		c := -1
		for try := 0; try < 6 && c < 0; try++ {
			c = p.cix.pick(r, mainCategory.draw(r), rAt)
		}
		if c < 0 {
			c = p.cix.pick(r, catELT, rAt)
		}
		if c < 0 {
			c = p.cix.pick(r, catOther, rAt)
		}
		if c < 0 {
			break
		}
		if p.courses[c].resident {
			// Resident war and staff colleges start in the summer.
			y := start.year()
			s := mkday(y, 6, 20) + day(r.intn(61))
			if s < start {
				s = mkday(y+1, 6, 20) + day(r.intn(61))
			}
			start = s
			if start > p.lastDay {
				break
			}
		}
		if firstMain == noDay {
			firstMain = start
		}
		e := g.newEnrollment(ps, c, start, rAt)
		ps.enrollments = append(ps.enrollments, e)
		prevEnd = e.planned
	}
	if len(ps.enrollments) == 0 {
		// The window left no room for a main course: an English course
		// or an orientation visit then.
		c := p.cix.pick(r, catELT, r0)
		if c < 0 {
			c = p.cix.pick(r, catOther, r0)
		}
		if c < 0 {
			c = 0
		}
		ps.enrollments = append(ps.enrollments, g.newEnrollment(ps, c, minDay(t, p.lastDay), r0))
	}

	// Graduation: the first completed IMET course.
	anchor := 0
	for i := range ps.enrollments {
		e := &ps.enrollments[i]
		if e.status == stCompleted && e.program == prgIMET && e.end <= p.asOf {
			ps.indexEnroll = i
			anchor = i
			ps.graduate = true
			break
		}
	}
	ae := &ps.enrollments[anchor]
	if ps.graduate {
		ps.index = ae.end
		if r.chance(lostShare) {
			ps.lost = true
			ps.enrollments = ps.enrollments[:anchor+1]
		}
	} else if ae.end != noDay {
		ps.index = ae.end
	} else {
		ps.index = minDay(ae.planned, p.asOf)
	}
	ps.indexRank = ae.rank
	ps.sex = g.sexFor(ps.enrollments[0].start.fiscalYear())
	g.newName(ps, namePools[pc.Pool])

	hr, speed := 1.0, 1.0
	if ps.graduate {
		hr, speed = leadHazardRatio, promotionSpeedup
	}
	g.career(ps, ps.enrollments[0].start, ae.start, hr, speed)
	for i := range ps.enrollments {
		e := &ps.enrollments[i]
		e.rank = ps.rankAt(e.start)
	}
	if forced != nil {
		ps.name = forced.name
		ps.sex = forced.sex
		ps.birthYear = forced.birthYear
		ps.namesake, forced.namesake = true, true
	}
	return ps
}

// newEnrollment draws one enrollment of ps in course c, starting on day
// start at rank rk: its program, English score, status, dates, cost and
// vetting.
//
// It is long because its random draws come one after another in a fixed
// order, and that order is the generated data (a seed gives the same files
// on every machine): split, the draws would be spread over functions that
// must still be called in this order.
func (g *gen) newEnrollment(ps *person, c int, start day, rk rank) enrollment {
	r, p := g.r, g.p
	cs := &p.courses[c]
	pc := &partnerCountries[ps.country]
	e := enrollment{course: c, start: start, rank: rk, end: noDay, vetDate: noDay, partner: -1}
	dur := day(math.Max(1, math.Round(cs.weeks*7)-2))
	e.planned = start + dur
	switch {
	case cs.category == catELT && r.chance(0.95):
		e.program = prgIMET
	case pc.Region == "EUR":
		e.program = programChoiceEUR.draw(r)
	default:
		e.program = programChoice.draw(r)
	}
	e.programBlank = e.program == prgIMET && r.chance(0.03)
	e.fyBlank = r.chance(0.07)

	// English Comprehension Level: low before English training, higher for
	// English-speaking partners.
	switch {
	case r.chance(0.04):
		e.ecl = -1
	case cs.category == catELT:
		e.ecl = clampInt(int(math.Round(64+9*r.norm())), 50, 95)
	case pc.Lang == "en" || pc.Lang == "gb":
		e.ecl = clampInt(int(math.Round(88+6*r.norm())), 50, 100)
	default:
		e.ecl = clampInt(int(math.Round(80+8*r.norm())), 50, 100)
	}

	frac := 1.0
	switch {
	case r.chance(0.012):
		e.status = stCancelled
		frac = 0
	case e.planned > p.asOf:
		e.status = stInProgress
	default:
		pw, pf := 0.015, 0.01
		if cs.category != catELT && e.ecl >= 0 {
			if e.ecl < 70 {
				pw, pf = 0.08, 0.12
			} else if e.ecl < 80 {
				pw, pf = 0.03, 0.03
			}
		}
		switch u := r.float(); {
		case u < pw:
			e.status = stWithdrawn
			frac = r.uniform(0.1, 0.8)
			e.end = start + day(frac*float64(dur))
		case u < pw+pf:
			e.status = stFailed
			frac = r.uniform(0.5, 1)
			e.end = start + day(frac*float64(dur))
		default:
			e.status = stCompleted
			e.end = e.planned
		}
	}

	// Human-rights (Leahy) vetting: mostly approved in time, some late, a
	// few pending or missing; a denial normally cancels the attendance.
	pNR := 0.03
	if e.program != prgIMET {
		pNR = 0.2
	}
	if r.chance(pNR) {
		e.vet = vetNotRequired
	} else {
		switch u := r.float(); {
		case u < 0.005:
			e.vet = vetDenied
			e.vetDate = start - day(r.between(5, 60))
			e.status = stCancelled
			e.end = noDay
			frac = 0
		case u < 0.03:
			e.vet = vetPending
		case u < 0.05:
			e.vet = vetEmpty
		case u < 0.12:
			e.vet = vetApproved
			e.vetDate = start + day(r.between(1, 45))
			if e.vetDate > p.asOf {
				e.vet, e.vetDate = vetPending, noDay
			}
		default:
			e.vet = vetApproved
			e.vetDate = start - day(r.between(7, 150))
		}
	}

	// U.S. cost: tuition plus travel and living allowance, in current dollars.
	infl := math.Pow(1.025, float64(start.fiscalYear()-2008))
	tuition := cs.weekly * cs.weeks * infl * math.Max(0.6, 1+0.08*r.norm())
	travel := 0.0
	if cs.category != catMTT {
		travel = r.uniform(2500, 6500) * infl
	}
	total := int64(math.Round((tuition*frac + travel*math.Min(1, frac*10)) * 100))
	if e.program == prgFMS {
		// Bought by the partner: nothing on the U.S. side.
		e.cost = 0
		if total > 0 {
			e.partner = total
		}
	} else {
		e.cost = total
		if total > 0 && r.chance(0.2) {
			e.partner = int64(float64(total) * r.uniform(0.03, 0.25))
		}
	}
	return e
}

func clampInt(x, lo, hi int) int {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// comparison generates a peer who never attended, matched to participant m:
// same country, followed from m's graduation, holding m's rank then.
func (g *gen) comparison(m *person) *person {
	r := g.r
	ps := &person{cohort: cohortComparison, indexEnroll: -1, generalDay: noDay}
	ps.country = m.country
	ps.index = m.index
	ps.indexRank = m.indexRank
	if g.p.opt.Selection {
		if r.chance(selectionCountryShare) {
			ps.country = r.intn(len(partnerCountries))
		}
		if k := m.indexRank.ofLevel(); k >= 2 && k <= 5 && r.chance(selectionRankShare) {
			ps.indexRank = m.indexRank - 1
		}
	}
	if r.chance(0.7) {
		ps.svc = m.svc
	} else {
		ps.svc = g.drawService(m.indexRank)
	}
	if m.indexRank == rCIV {
		ps.svc = m.svc
	}
	ps.sex = g.sexFor(ps.index.fiscalYear())
	g.newName(ps, namePools[partnerCountries[ps.country].Pool])
	anchor := ps.index - day(r.between(0, 120))
	g.career(ps, anchor, anchor, 1, 1)
	return ps
}

// Time in grade (years) before the next promotion, by rank.
var tigYears = func() [rOFX + 1]float64 {
	var t [rOFX + 1]float64
	t[rCIV] = 5
	for i := 1; i <= 9; i++ {
		t[orRank(i)] = 4
	}
	t[orRank(1)], t[orRank(2)], t[orRank(3)] = 1.5, 1.5, 2
	for i := 1; i <= 5; i++ {
		t[woRank(i)] = 4.5
	}
	copy(t[ofRank(1):], []float64{3, 6, 5.5, 5.5, 5, 3, 3, 3, 3, 3})
	return t
}()

// Chance of a further promotion outside the general-officer path.
var nextPromotion = func() [rOFX + 1]float64 {
	var p [rOFX + 1]float64
	for i := 1; i <= 8; i++ {
		p[orRank(i)] = 0.7
	}
	for i := 1; i <= 4; i++ {
		p[woRank(i)] = 0.6
	}
	copy(p[ofRank(1):], []float64{0.95, 0.85, 0.7, 0.5, 0, 0.45, 0.4, 0.3, 0.03, 0})
	return p
}()

// The time from index to OF-6 for an officer of rank OF-k at index follows,
// for the baseline (comparison peers), S0(t) = 1 - p_k * F_k(t) with F_k a
// Weibull distribution shifted by m_k years; graduates have S0(t)^HR, i.e.
// proportional hazards with ratio HR within country and starting rank.
var (
	leadEver  = [6]float64{0, 0.06, 0.09, 0.14, 0.22, 0.32}
	leadShift = [6]float64{0, 15, 11.5, 7.5, 3.5, 1}
	leadScale = [6]float64{0, 6, 5.5, 5, 4.5, 3.5}
)

const leadShape = 1.6

func (g *gen) drawLeadTime(k int, hr, factor float64) float64 {
	p := math.Min(0.8, leadEver[k]*factor)
	v := math.Pow(g.r.float(), 1/hr)
	if v <= 1-p {
		return math.Inf(1)
	}
	f := (1 - v) / p
	return leadShift[k] + leadScale[k]*math.Pow(-math.Log(1-f), 1/leadShape)
}

func (g *gen) lognorm(s float64) float64 { return math.Exp(s * g.r.norm()) }

// career draws the rank history around the index date, birth year, exit and
// the latent career events. anchor is the start of the course (or index) at
// which the person holds indexRank; firstEntry the start of the first course.
//
// It is long because its random draws come one after another in a fixed
// order, and that order is the generated data (a seed gives the same files
// on every machine): split, the draws would be spread over functions that
// must still be called in this order.
func (g *gen) career(ps *person, firstEntry, anchor day, hr, speed float64) {
	r, p := g.r, g.p
	R := ps.indexRank
	ps.hazardRatio = hr
	ps.latentGeneral = noDay

	// Backward: when each earlier rank was reached.
	var back []rankStep
	attained := anchor - day(r.uniform(0.15, 0.85)*tigYears[R]*daysPerYear)
	back = append(back, rankStep{attained, R})
	var commission day
	switch {
	case R == rCIV:
		commission = anchor.addYears(-r.uniform(2, 20))
		back[0].d = commission
	case R.isOfficer():
		d := attained
		for cur := R; cur > rOF1; cur-- {
			d = d.addYears(-tigYears[cur-1] * g.lognorm(0.2))
			back = append(back, rankStep{d, cur - 1})
		}
		commission = d
	case R.isWarrant():
		d := attained
		for cur := R; cur > rWO1; cur-- {
			d = d.addYears(-tigYears[cur-1] * g.lognorm(0.2))
			back = append(back, rankStep{d, cur - 1})
		}
		commission = d.addYears(-r.uniform(6, 10))
	default:
		d := attained
		for cur := R; cur > orRank(3); cur-- {
			d = d.addYears(-tigYears[cur-1] * g.lognorm(0.2))
			back = append(back, rankStep{d, cur - 1})
		}
		commission = d.addYears(-3)
	}
	ps.commission = commission
	ps.steps = ps.steps[:0]
	for i := len(back) - 1; i >= 0; i-- {
		ps.steps = append(ps.steps, back[i])
	}

	// Birth: commissioned in their early twenties, aged 25-50 at the course.
	var age float64
	switch {
	case R.isOfficer():
		age = r.uniform(21.5, 25)
	case R == rCIV:
		age = r.uniform(23, 33)
	default:
		age = r.uniform(18, 22)
	}
	birth := commission.addYears(-age)
	if a := birth.yearsUntil(firstEntry); a < 25 {
		birth = firstEntry.addYears(-r.uniform(25, 26.5))
	} else if a := birth.yearsUntil(anchor); a > 50 {
		birth = anchor.addYears(-r.uniform(48.5, 50))
	}
	ps.birth = birth
	ps.birthYear = birth.year()

	// Forward from the index date.
	idx := ps.index
	country := ps.country
	t := idx
	cur := R
	if k := R.ofLevel(); k >= 1 && k <= 5 {
		t6 := g.drawLeadTime(k, hr, p.leadFactor[country])
		if !math.IsInf(t6, 1) {
			// Intermediate promotions fall between index and OF-6.
			gap := 6 - k
			for i := 1; i < gap; i++ {
				frac := (float64(i) - 0.5 + 0.8*(r.float()-0.5)) / float64(gap)
				ps.steps = append(ps.steps, rankStep{idx.addYears(math.Max(0.3, t6*frac)), cur + rank(i)})
			}
			d6 := idx.addYears(t6)
			ps.steps = append(ps.steps, rankStep{d6, rOF6})
			ps.generalDay, ps.latentGeneral = d6, d6
			cur, t = rOF6, d6
		} else {
			// Never a general: ordinary promotions up to colonel at most.
			inGrade := attained.yearsUntil(idx)
			for cur < ofRank(5) && r.chance(nextPromotion[cur]) {
				wait := tigYears[cur] * g.lognorm(0.25) * speed
				if t == idx {
					wait = math.Max(0.3, wait-inGrade)
				}
				t = t.addYears(wait)
				cur++
				ps.steps = append(ps.steps, rankStep{t, cur})
			}
		}
	}
	if cur >= rOF6 {
		if R >= rOF6 {
			t = idx
		}
		for cur < rOFX && r.chance(nextPromotion[cur]) {
			t = t.addYears(r.uniform(2, 4))
			cur++
			ps.steps = append(ps.steps, rankStep{t, cur})
		}
	} else if !R.isOfficer() && R != rCIV {
		inGrade := attained.yearsUntil(idx)
		top := orRank(9)
		if R.isWarrant() {
			top = woRank(5)
		}
		for cur < top && r.chance(nextPromotion[cur]) {
			wait := tigYears[cur] * g.lognorm(0.25) * speed
			if t == idx {
				wait = math.Max(0.3, wait-inGrade)
			}
			t = t.addYears(wait)
			cur++
			ps.steps = append(ps.steps, rankStep{t, cur})
		}
	}

	// Exit: retirement at about 30 years of service or age 55 (later for
	// generals), early separation, rarely death. Drawn independently of
	// the promotion history so that censoring is not informative.
	var ret day
	switch {
	case R.isOfficer():
		ret = minDay(commission.addYears(r.uniform(28, 32)), birth.addYears(r.uniform(53, 57)))
	case R == rCIV:
		ret = birth.addYears(r.uniform(58, 65))
	default:
		ret = minDay(commission.addYears(r.uniform(20, 30)), birth.addYears(r.uniform(50, 55)))
	}
	ret = maxDay(ret, idx.addYears(r.uniform(1, 4)))
	if ps.generalDay != noDay && ps.generalDay < ret || R >= rOF6 {
		gen := minDay(commission.addYears(r.uniform(33, 38)), birth.addYears(r.uniform(57, 61)))
		ret = maxDay(ret, gen)
		if ps.generalDay != noDay {
			ret = maxDay(ret, ps.generalDay.addYears(r.uniform(1, 3)))
		}
	}
	hSep := 0.03
	switch {
	case R == rCIV:
		hSep = 0.04
	case R >= rOF6:
		hSep = 0.006
	case R >= ofRank(4):
		hSep = 0.012
	case R.isOfficer():
		hSep = 0.02
	}
	sep := idx.addYears(r.exp(1 / hSep))
	death := idx.addYears(r.exp(1 / 0.0012))
	ps.exit, ps.exitType = ret, evRetirement
	if sep < ps.exit {
		ps.exit, ps.exitType = sep, evSeparation
	}
	if death < ps.exit {
		ps.exit, ps.exitType = death, evDeath
	}
	sort.SliceStable(ps.steps, func(i, j int) bool {
		if ps.steps[i].d != ps.steps[j].d {
			return ps.steps[i].d < ps.steps[j].d
		}
		return ps.steps[i].r < ps.steps[j].r
	})
	// Promotions after exit did not happen.
	for len(ps.steps) > 1 && ps.steps[len(ps.steps)-1].d >= ps.exit {
		ps.steps = ps.steps[:len(ps.steps)-1]
	}
	if ps.generalDay != noDay && ps.generalDay >= ps.exit {
		ps.generalDay = noDay
	}
	g.latentEvents(ps)
}

func eventBefore(a, b *event) bool {
	return a.date < b.date || a.date == b.date && a.typ < b.typ
}

// sortEvents orders events by date and type, stably. The events come as a
// handful of runs that are each already in order (promotions, periodic
// assignments, deployments, check-ins), so a natural merge sort does it in a
// few linear passes.
func (g *gen) sortEvents(evs []event) []event {
	for {
		runs := 1
		for i := 1; i < len(evs); i++ {
			if eventBefore(&evs[i], &evs[i-1]) {
				runs++
			}
		}
		if runs == 1 {
			return evs
		}
		tmp := slices.Grow(g.scratch[:0], len(evs))[:len(evs)]
		out := 0
		for lo := 0; lo < len(evs); {
			mid := lo + 1
			for mid < len(evs) && !eventBefore(&evs[mid], &evs[mid-1]) {
				mid++
			}
			hi := mid
			if mid < len(evs) {
				hi = mid + 1
				for hi < len(evs) && !eventBefore(&evs[hi], &evs[hi-1]) {
					hi++
				}
			}
			i, j := lo, mid
			for i < mid && j < hi {
				if eventBefore(&evs[j], &evs[i]) {
					tmp[out] = evs[j]
					j++
				} else {
					tmp[out] = evs[i]
					i++
				}
				out++
			}
			out += copy(tmp[out:], evs[i:mid])
			out += copy(tmp[out:], evs[j:hi])
			lo = hi
		}
		copy(evs, tmp)
		g.scratch = tmp
	}
}

// rankAt is the rank held on date d.
func (ps *person) rankAt(d day) rank {
	k := sort.Search(len(ps.steps), func(i int) bool { return ps.steps[i].d > d })
	if k == 0 {
		return ps.steps[0].r
	}
	return ps.steps[k-1].r
}

func levelFor(r *rng, rk rank) int8 {
	u := r.float()
	switch {
	case rk == rCIV:
		if u < 0.6 {
			return lvlMid
		} else if u < 0.95 {
			return lvlSenior
		}
		return lvlStrategic
	case !rk.isOfficer():
		return lvlJunior
	}
	switch rk.ofLevel() {
	case 1, 2:
		return lvlJunior
	case 3:
		if u < 0.3 {
			return lvlJunior
		}
		return lvlMid
	case 4:
		if u < 0.85 {
			return lvlMid
		}
		return lvlSenior
	case 5:
		if u < 0.45 {
			return lvlMid
		}
		return lvlSenior
	case 6:
		if u < 0.9 {
			return lvlSenior
		}
		return lvlStrategic
	case 7:
		if u < 0.7 {
			return lvlSenior
		}
		return lvlStrategic
	default:
		if u < 0.3 {
			return lvlSenior
		}
		return lvlStrategic
	}
}

func (g *gen) assignment(ps *person, d day, fa int8) event {
	r := g.r
	rk := ps.rankAt(d)
	e := event{date: d, typ: evAssignment, op: -1, fa: -1}
	e.level = levelFor(r, rk)
	if fa < 0 {
		fa = int8(faByService[ps.svc].draw(r))
	}
	e.title = pick(r, titlesFor(fa, e.level))
	if r.chance(0.9) {
		e.fa = fa
	}
	if r.chance(0.03) {
		e.level = lvlNone
	}
	if r.chance(0.02) {
		e.title = 0
	}
	if r.chance(0.55) {
		e.rank, e.hasRank = rk, true
	}
	return e
}

// opsBy lists operations by (region, type).
var opsBy = func() map[string][nOpTypes][]int16 {
	m := map[string][nOpTypes][]int16{}
	for _, reg := range []string{"AF", "EAP", "EUR", "NEA", "SCA", "WHA"} {
		var a [nOpTypes][]int16
		for i, o := range operations {
			if o.regions == "" || containsWord(o.regions, reg) {
				a[o.typ] = append(a[o.typ], int16(i))
			}
		}
		m[reg] = a
	}
	return m
}()

func containsWord(list, w string) bool {
	for i := 0; i+len(w) <= len(list); i++ {
		if list[i:i+len(w)] == w && (i == 0 || list[i-1] == ' ') && (i+len(w) == len(list) || list[i+len(w)] == ' ') {
			return true
		}
	}
	return false
}

var multinationalType = map[string]choice[int]{
	"AF":  newChoice([]int{opUN, opAU, opCoalition}, []float64{0.6, 0.35, 0.05}),
	"WHA": newChoice([]int{opUN, opCoalition, opNATO}, []float64{0.8, 0.15, 0.05}),
	"EUR": newChoice([]int{opNATO, opUN, opCoalition}, []float64{0.45, 0.25, 0.3}),
	"NEA": newChoice([]int{opUN, opCoalition, opNATO}, []float64{0.5, 0.4, 0.1}),
	"SCA": newChoice([]int{opUN, opCoalition, opNATO}, []float64{0.8, 0.1, 0.1}),
	"EAP": newChoice([]int{opUN, opCoalition, opNATO}, []float64{0.7, 0.2, 0.1}),
}

func (g *gen) deployment(ps *person, d day, national bool) (event, bool) {
	r := g.r
	reg := partnerCountries[ps.country].Region
	typ := opNational
	if !national {
		typ = multinationalType[reg].draw(r)
	}
	y := d.year()
	var cand [16]int16
	for tries := 0; tries < 2; tries++ {
		n := 0
		for _, i := range opsBy[reg][typ] {
			if o := &operations[i]; o.from <= y && o.to >= y && n < len(cand) {
				cand[n] = i
				n++
			}
		}
		if n > 0 {
			rk := ps.rankAt(d)
			e := event{date: d, typ: evDeployment, op: cand[r.intn(n)], fa: -1}
			if r.chance(0.25) {
				e.rank, e.hasRank = rk, true
			}
			if r.chance(0.3) {
				e.title = pick(r, titlesFor(faIndex["PEACEKEEPING"], lvlJunior+int8(min(2, max(0, int(levelFor(r, rk))-1)))))
				e.fa = faIndex["PEACEKEEPING"]
			}
			return e, true
		}
		typ = opUN
	}
	return event{}, false
}

// latentEvents draws everything that happened in the person's career within
// the observation window; reporting decides later what the feed shows.
//
// It is long because its random draws come one after another in a fixed
// order, and that order is the generated data (a seed gives the same files
// on every machine): split, the draws would be spread over functions that
// must still be called in this order.
func (g *gen) latentEvents(ps *person) {
	r, p := g.r, g.p
	start := maxDay(ps.commission, ps.index.addYears(-12))
	end := minDay(ps.exit, p.asOf)
	evs := ps.events[:0]
	if n := int(start.yearsUntil(end)*4.5) + 12; cap(evs) < n {
		evs = make([]event, 0, n)
	}

	for i, s := range ps.steps {
		if s.d < start || s.d > end || i == 0 && s.r != rOF1 {
			continue
		}
		evs = append(evs, event{date: s.d, typ: evPromotion, rank: s.r, hasRank: true, op: -1, fa: -1})
		if r.chance(0.5) {
			if d := s.d + day(r.between(0, 150)); d <= end {
				evs = append(evs, g.assignment(ps, d, -1))
			}
		}
	}
	for t := start.addYears(r.uniform(0, 1.5)); t <= end; t = t.addYears(r.uniform(0.6, 1.6)) {
		evs = append(evs, g.assignment(ps, t, -1))
	}
	// After a course most graduates take a post that uses it.
	for i := range ps.enrollments {
		e := &ps.enrollments[i]
		if e.status != stCompleted {
			continue
		}
		d := e.end + day(r.between(20, 240))
		if d > end || d < start || !r.chance(0.85) {
			continue
		}
		fa := int8(-1)
		cf := p.courses[e.course].fa
		if cf != "" && cf != "LEADERSHIP" && cf != "OTHER" && r.chance(utilizationShare) {
			fa = faIndex[cf]
		}
		evs = append(evs, g.assignment(ps, d, fa))
	}
	// Deployments: a Poisson process, national and multinational; graduates
	// join multinational operations more often after their course.
	rate := 0.15
	rk := ps.indexRank
	switch {
	case rk == rCIV:
		rate = 0
	case rk >= rOF6:
		rate = 0.02
	case rk == ofRank(5):
		rate = 0.05
	}
	if rate > 0 {
		nat := nationalShare[partnerCountries[ps.country].Region]
		boost := 1.0
		if ps.graduate {
			boost = interopRateRatio
		}
		for t := start.addYears(r.exp(1 / (rate * nat))); t <= end; t = t.addYears(r.exp(1 / (rate * nat))) {
			if e, ok := g.deployment(ps, t, true); ok {
				evs = append(evs, e)
			}
		}
		mrate := rate * (1 - nat) * boost
		for t := start.addYears(r.exp(1 / mrate)); t <= end; t = t.addYears(r.exp(1 / mrate)) {
			if (t <= ps.index || !ps.graduate) && !r.chance(1/boost) {
				continue // thinning: the boost applies after the course only
			}
			if e, ok := g.deployment(ps, t, false); ok {
				evs = append(evs, e)
			}
		}
	}
	// Security cooperation offices check in on alumni about once a year.
	for t := ps.index.addYears(r.uniform(0.2, 0.8)); t <= end; t = t.addYears(r.uniform(0.25, 0.6)) {
		e := event{date: t, typ: evVerified, op: -1, fa: -1}
		if r.chance(0.4) {
			e.rank, e.hasRank = ps.rankAt(t), true
		}
		evs = append(evs, e)
	}
	if ps.exit <= p.asOf {
		e := event{date: ps.exit, typ: ps.exitType, op: -1, fa: -1}
		if r.chance(0.5) {
			e.rank, e.hasRank = ps.rankAt(ps.exit-1), true
		}
		evs = append(evs, e)
	}
	evs = g.sortEvents(evs)
	// One event of a kind per day: a re-sent row without event_id must be
	// the same event, so no two distinct events may look alike.
	out := evs[:0]
	for i, e := range evs {
		if i > 0 && e.date == evs[i-1].date && e.typ == evs[i-1].typ {
			continue
		}
		out = append(out, e)
	}
	ps.events = out
}

// report keeps the events the feed actually carries: reporting is uneven by
// country, lost graduates are never heard of again, and an event reported
// after AsOf is not known yet.
func (g *gen) report(ps *person) {
	r, p := g.r, g.p
	q := p.report[ps.country]
	idlessP := idlessShare / (1 - emptyEventIDShare)
	if ps.namesake {
		idlessP = 0.35
	}
	out := ps.events[:0]
	for _, e := range ps.events {
		if ps.lost && e.date > ps.index {
			continue
		}
		qe := q
		if e.date < ps.index {
			qe *= 0.5 // earlier career: only what the student's file says
		}
		if !r.chance(qe) {
			continue
		}
		var lag int
		switch u := r.float(); {
		case u < 0.5:
			lag = 1 + int(r.exp(20))
		case u < 0.88:
			lag = r.between(30, 365)
		default:
			lag = r.between(366, 1100)
		}
		e.reported = e.date + day(lag)
		if e.reported > p.asOf {
			continue
		}
		if r.chance(0.05) {
			e.reported = noDay
		}
		if r.chance(idlessP) {
			e.idless = true
			e.source = int8(sourceChoiceIdless.draw(r))
		} else {
			e.noID = r.chance(emptyEventIDShare)
			e.source = int8(sourceChoice.draw(r))
			if e.typ == evVerified && r.chance(0.8) {
				e.source = 0 // SCO
			}
		}
		out = append(out, e)
	}
	if ps.namesake && len(out) > 0 {
		has := false
		for _, e := range out {
			has = has || e.idless
		}
		if !has {
			i := r.intn(len(out))
			out[i].idless, out[i].noID = true, false
		}
	}
	ps.events = out
}

var (
	severityChoice   = newChoice([]int8{0, 1, 2}, []float64{0.45, 0.35, 0.2})
	flagStatusChoice = newChoice([]int8{0, 1, 2}, []float64{0.4, 0.3, 0.3})
	severityNames    = [...]string{"LOW", "MEDIUM", "HIGH"}
	flagStatusNames  = [...]string{"ALLEGED", "SUBSTANTIATED", "CLEARED"}
)

func (g *gen) hrFlags(ps *person) {
	r, p := g.r, g.p
	if !ps.graduate || !r.chance(hrFlagShare) {
		return
	}
	n := 1
	if r.chance(0.1) {
		n = 2
	}
	end := minDay(ps.exit, p.asOf)
	for i := 0; i < n; i++ {
		var d day
		if r.chance(0.8) && end > ps.index {
			d = ps.index + day(r.intn(int(end-ps.index))+1)
		} else {
			d = ps.index - day(r.between(30, 1800))
		}
		ps.flags = append(ps.flags, flag{
			date: d, severity: severityChoice.draw(r), status: flagStatusChoice.draw(r),
			source: pick(r, flagSources), idless: r.chance(0.35),
		})
	}
}
