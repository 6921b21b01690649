package synth

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"time"
)

// chunkSize is the number of people generated together with one random
// stream. It is fixed so that output depends only on Seed and Options.
const chunkSize = 2048

// Expected rows per student, used only to size the number of bad rows.
const (
	expEnrollmentsPerStudent = 1.25
	expEventsPerStudent      = 20.0
	expFlagsPerStudent       = 0.004
)

// Planted rates, recorded in the truth summary.
const (
	comparisonShare     = 0.15
	leadHazardRatio     = 1.5  // graduates vs comparison peers, time to OF-6, same country and starting rank
	promotionSpeedup    = 0.8  // graduates' time in grade, relative to peers, outside the OF-6 path
	lostShare           = 0.10 // graduates never heard of again after their course
	idlessShare         = 0.10 // career events carrying identity columns instead of student_id
	emptyEventIDShare   = 0.05 // career events without event_id (they carry a student_id)
	utilizationShare    = 0.65 // first assignment within two years after a course is in the course's functional area
	interopRateRatio    = 1.3  // graduates' rate of multinational deployments after the course
	hrFlagShare         = 0.005
	namesakeShare       = 0.003
	ghostShare          = 0.002
	deniedCompletedRate = 0.001
	badRowShare         = 0.002

	// Options.Selection: the share of comparison peers drawn from any
	// partner country alike instead of their graduate's, and the share of
	// those matched to an OF-2..OF-5 graduate who hold the rank below.
	selectionCountryShare = 0.4
	selectionRankShare    = 0.6
)

// badKind is one way a planted bad row breaks the contract.
type badKind struct {
	ds     int
	rule   string
	column string
}

var badKinds = []badKind{
	{dsStudents, "required", "student_id"},
	{dsStudents, "reference", "country_code"},
	{dsStudents, "allowed", "sex"},
	{dsStudents, "range", "birth_year"},
	{dsStudents, "type", "birth_year"},
	{dsStudents, "formula", "family_name"},
	{dsStudents, "duplicate", "student_id"},
	{dsStudents, "required", "index_date"},
	{dsEnrollments, "required", "start_date"},
	{dsEnrollments, "reference", "student_id"},
	{dsEnrollments, "reference", "course_code"},
	{dsEnrollments, "date_order", "end_date"},
	{dsEnrollments, "allowed", "status"},
	{dsEnrollments, "range", "ecl_score"},
	{dsEnrollments, "range", "cost_usd"},
	{dsEnrollments, "allowed", "rank_code_at_entry"},
	{dsEnrollments, "type", "start_date"},
	{dsEnrollments, "duplicate", "enrollment_id"},
	{dsEvents, "type", "event_date"},
	{dsEvents, "allowed", "event_type"},
	{dsEvents, "required", "rank_code"},
	{dsEvents, "allowed", "operation_type"},
	{dsEvents, "linkable", "student_id"},
	{dsEvents, "date_order", "reported_date"},
	{dsCourses, "allowed", "category"},
	{dsCourses, "range", "duration_weeks"},
	{dsFlags, "allowed", "severity"},
	{dsFlags, "required", "flag_date"},
	{dsAllocations, "range", "allocated_usd"},
	{dsAllocations, "reference", "country_code"},
	{dsHolders, "overlap", "start_date"},
	{dsHolders, "date_order", "end_date"},
	{dsHolders, "allowed", "post_level"},
}

// plannedBad is one bad row to plant: its kind and its sequence number
// within the dataset (which makes its key unique).
type plannedBad struct {
	kind int
	seq  int
}

type chunkPlan struct {
	bad       []plannedBad
	namesakes int // pairs
	ghosts    int
	denied    int // DENIED vetting yet COMPLETED
}

// plan is everything fixed before people are generated.
type plan struct {
	opt                 Options
	asOf                day
	firstStart, lastDay day // enrollment start window
	courses             []course
	cix                 *courseIndex
	countryCum          []float64
	report              []float64 // per country: probability an event is reported
	leadFactor          []float64 // per country: multiplier of the chance to reach OF-6
	nChunks             int
	chunks              []chunkPlan
	badTotal            [nDatasets]int
	ghostBase           []int // per chunk: first ghost number
	globalBad           []plannedBad
	namesakePairs       int
	ghostsTotal         int
	deniedTotal         int
}

var validFormats = map[string]string{"csv": "csv", "csv.gz": "csv.gz", "ndjson": "ndjson", "parquet": "parquet", "xlsx": "xlsx"}

func normalize(opt Options) (Options, error) {
	if opt.Students < 0 {
		return opt, fmt.Errorf("synth: Students must not be negative (got %d)", opt.Students)
	}
	if opt.Students == 0 {
		opt.Students = 2000
	}
	if opt.Students > 50_000_000 {
		return opt, fmt.Errorf("synth: at most 50,000,000 students (got %d)", opt.Students)
	}
	if opt.FirstFY == 0 {
		opt.FirstFY = 2008
	}
	if opt.LastFY == 0 {
		opt.LastFY = 2026
	}
	if opt.FirstFY < 1980 || opt.LastFY > 2100 || opt.LastFY < opt.FirstFY {
		return opt, fmt.Errorf("synth: fiscal years %d..%d are not a valid range", opt.FirstFY, opt.LastFY)
	}
	if opt.AsOf.IsZero() {
		opt.AsOf = time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	}
	if opt.Format == "" {
		opt.Format = "csv"
	}
	if _, ok := validFormats[opt.Format]; !ok {
		return opt, fmt.Errorf("synth: unknown format %q (want csv, csv.gz, ndjson, parquet or xlsx)", opt.Format)
	}
	if dayOf(opt.AsOf) < fyStart(opt.FirstFY)+30 {
		return opt, fmt.Errorf("synth: AsOf %s is before fiscal year %d has begun", opt.AsOf.Format("2006-01-02"), opt.FirstFY)
	}
	return opt, nil
}

func newPlan(opt Options) *plan {
	p := &plan{opt: opt}
	p.asOf = dayOf(opt.AsOf)
	p.firstStart = fyStart(opt.FirstFY)
	p.lastDay = minDay(fyEnd(opt.LastFY), p.asOf)
	p.courses = buildCourses(opt.Seed)
	p.cix = newCourseIndex(p.courses)

	w := make([]float64, len(partnerCountries))
	for i, c := range partnerCountries {
		w[i] = float64(c.Weight)
	}
	p.countryCum = cumulate(w)

	// Tracking quality is uneven: some partners report most career events,
	// some hardly any.
	cr := newRNG(opt.Seed, streamCountries, 0)
	p.report = make([]float64, len(partnerCountries))
	p.leadFactor = make([]float64, len(partnerCountries))
	for i := range partnerCountries {
		switch u := cr.float(); {
		case u < 0.2:
			p.report[i] = cr.uniform(0.15, 0.3)
		case u < 0.7:
			p.report[i] = cr.uniform(0.45, 0.75)
		default:
			p.report[i] = cr.uniform(0.82, 0.95)
		}
		p.leadFactor[i] = cr.uniform(0.7, 1.3)
	}

	n := opt.Students
	p.nChunks = (n + chunkSize - 1) / chunkSize
	p.chunks = make([]chunkPlan, p.nChunks)
	pr := newRNG(opt.Seed, streamPlan, 0)
	chunkOf := func() int { return pr.intn(n) / chunkSize }

	p.planBad(chunkOf)
	p.planPeople(chunkOf)
	return p
}

// planBad places the planted bad rows: at least 3 of every kind, about
// 0.2% of the rows overall, each dataset's in a chunk drawn by chunkOf (the
// files written whole keep theirs in globalBad).
func (p *plan) planBad(chunkOf func() int) {
	n := p.opt.Students
	opt := p.opt
	expected := [nDatasets]float64{
		dsCourses:     float64(len(p.courses)),
		dsStudents:    float64(n),
		dsEnrollments: float64(n) * expEnrollmentsPerStudent,
		dsEvents:      float64(n) * expEventsPerStudent,
		dsFlags:       float64(n) * expFlagsPerStudent,
		dsAllocations: float64(opt.LastFY-opt.FirstFY+1) * math.Min(float64(len(partnerCountries)), float64(n)/8) * 1.4,
	}
	var kindsPer [nDatasets]int
	for _, k := range badKinds {
		kindsPer[k.ds]++
	}
	seq := [nDatasets]int{}
	for ki, k := range badKinds {
		count := int(math.Ceil(expected[k.ds] * badRowShare / float64(kindsPer[k.ds])))
		if count < 3 {
			count = 3
		}
		for j := 0; j < count; j++ {
			b := plannedBad{kind: ki, seq: seq[k.ds]}
			seq[k.ds]++
			switch k.ds {
			case dsCourses, dsAllocations, dsHolders:
				p.globalBad = append(p.globalBad, b)
			default:
				c := chunkOf()
				p.chunks[c].bad = append(p.chunks[c].bad, b)
			}
		}
	}
	p.badTotal = seq
}

// planPeople places the namesake pairs, the people nobody loaded (ghosts)
// and the completed enrollments of denied vetting in chunks drawn by
// chunkOf, after the bad rows (the order of the draws is the plan).
func (p *plan) planPeople(chunkOf func() int) {
	n := p.opt.Students
	p.namesakePairs = int(math.Round(float64(n) * namesakeShare / 2))
	if p.namesakePairs < 1 && n >= 100 {
		p.namesakePairs = 1
	}
	for i := 0; i < p.namesakePairs; i++ {
		p.chunks[chunkOf()].namesakes++
	}
	p.ghostsTotal = int(math.Max(3, math.Round(float64(n)*ghostShare)))
	p.ghostBase = make([]int, p.nChunks)
	for i := 0; i < p.ghostsTotal; i++ {
		p.chunks[chunkOf()].ghosts++
	}
	base := 0
	for c := range p.chunks {
		p.ghostBase[c] = base
		base += p.chunks[c].ghosts
	}
	p.deniedTotal = int(math.Max(3, math.Round(float64(n)*expEnrollmentsPerStudent*deniedCompletedRate)))
	for i := 0; i < p.deniedTotal; i++ {
		p.chunks[chunkOf()].denied++
	}
}

func (p *plan) drawCountry(r *rng) int { return r.weighted(p.countryCum) }

// Identifier spaces. Good people are numbered 1..Students; bad rows and
// people absent from the students file get numbers above that, so no key
// can collide and no good row can refer to a bad one.
func (p *plan) badNumber(ds, seq int) int { return p.opt.Students + 1 + seq }

// missingStudentNumber is a student number that no students row has, good
// or bad.
func (p *plan) missingStudentNumber(seq int) int {
	return p.opt.Students + p.badTotal[dsStudents] + 1000 + seq
}

func (p *plan) ghostNumber(chunk, i int) int {
	return p.opt.Students + p.badTotal[dsEvents] + 1 + p.ghostBase[chunk] + i
}

func appendPadded(dst []byte, n, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], int64(n), 10)
	for i := len(s); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

func studentID(num int) string {
	var buf [16]byte
	return string(appendPadded(append(buf[:0], 'S'), num, 8))
}

func enrollmentID(num, seq int) string {
	var buf [20]byte
	b := appendPadded(append(buf[:0], "ENR"...), num, 8)
	return string(appendPadded(b, seq, 2))
}

// scramble maps x in [0, m) to [0, m) one to one. Event and flag ids are
// scrambled so that an id never gives away the student it belongs to (the
// linking tests would otherwise be trivial).
func scramble(x, m, a, c uint64) uint64 {
	hi, lo := bits.Mul64(x%m, a)
	lo, carry := bits.Add64(lo, c, 0)
	hi += carry
	_, rem := bits.Div64(hi%m, lo, m)
	return rem
}

func eventID(num, seq int) string {
	x := scramble(uint64(num)*1000+uint64(seq), 1e11, 25214903917, 7919)
	var buf [16]byte
	return string(appendPadded(append(buf[:0], 'E'), int(x), 11))
}

func flagID(num, seq int) string {
	x := scramble(uint64(num)*10+uint64(seq), 1e9, 48271003, 104729)
	var buf [16]byte
	return string(appendPadded(append(buf[:0], 'F'), int(x), 9))
}
