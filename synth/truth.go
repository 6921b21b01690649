package synth

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

// coursesBlock writes the course list with its planted bad rows.
func coursesBlock(p *plan) (*block, []badRec) {
	b := newBlock(dsCourses, len(p.courses))
	for i := range p.courses {
		c := &p.courses[i]
		b.str(c.code)
		b.str(c.title)
		b.str(categoryNames[c.category])
		b.str(c.school)
		b.str(c.fa)
		b.str(strconv.FormatFloat(c.weeks, 'f', -1, 64))
		b.str(strconv.FormatBool(c.hr))
	}
	r := newRNG(p.opt.Seed, streamCourses, 1)
	bad := newBlock(dsCourses, 4)
	var pos []int
	var recs []badRec
	for _, pb := range p.globalBad {
		k := badKinds[pb.kind]
		if k.ds != dsCourses {
			continue
		}
		t := r.intn(b.rows())
		code := string(appendPadded([]byte("Z9"), pb.seq, 5))
		edits := []edit{{0, code}}
		if k.rule == "allowed" {
			edits = append(edits, edit{2, "SEMINAR"})
		} else {
			edits = append(edits, edit{5, "-3"})
		}
		bad.appendRowEdited(b, t, edits...)
		pos = append(pos, r.intn(b.rows()+1))
		recs = append(recs, badRec{key: code, kind: pb.kind})
	}
	out, at := splice(b, bad, pos)
	for i := range recs {
		recs[i].row = at[i]
	}
	return out, recs
}

// allocationsBlock writes one IMET allocation per fiscal year and country
// with IMET spending, sized so that execution (spent / allocated) falls
// between 70% and 110%, plus FMS case values for some country-years.
//
// It is long because its random draws come one after another in a fixed
// order, and that order is the generated data (a seed gives the same files
// on every machine): split, the draws would be spread over functions that
// must still be called in this order.
func allocationsBlock(p *plan, imet, fms []int64) (*block, []badRec) {
	r := newRNG(p.opt.Seed, streamAlloc, 0)
	nC := len(partnerCountries)
	order := make([]int, nC)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return partnerCountries[order[i]].Code < partnerCountries[order[j]].Code })
	b := newBlock(dsAllocations, 64)
	type key struct{ fy, c int }
	var rows []key
	for fy := p.opt.FirstFY; fy <= p.opt.LastFY; fy++ {
		for _, c := range order {
			k := (fy-p.opt.FirstFY)*nC + c
			if imet[k] > 0 {
				alloc := float64(imet[k]) / 100 / r.uniform(0.70, 1.10)
				b.int(fy)
				b.str(partnerCountries[c].Code)
				b.str("IMET")
				b.money(int64(math.Max(1000, math.Round(alloc/1000)*1000)) * 100)
				rows = append(rows, key{fy, c})
			}
			if fms[k] > 0 && r.chance(0.5) {
				alloc := float64(fms[k]) / 100 / r.uniform(0.8, 1.05)
				b.int(fy)
				b.str(partnerCountries[c].Code)
				b.str("FMS")
				b.money(int64(math.Max(1000, math.Round(alloc/1000)*1000)) * 100)
			}
		}
	}
	bad := newBlock(dsAllocations, 4)
	var pos []int
	var recs []badRec
	nFY := p.opt.LastFY - p.opt.FirstFY + 1
	perm := make([]int, len(rows))
	for i := range perm {
		perm[i] = i
	}
	for i := len(perm) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		perm[i], perm[j] = perm[j], perm[i]
	}
	nRange := 0
	for _, pb := range p.globalBad {
		k := badKinds[pb.kind]
		if k.ds != dsAllocations {
			continue
		}
		var fy int
		var code, prog, amount string
		if k.rule == "range" {
			// An OTHER-program row for a real country-year: its key is
			// unique because good rows are IMET or FMS only.
			if nRange < len(rows) {
				kk := rows[perm[nRange]]
				fy, code = kk.fy, partnerCountries[kk.c].Code
			} else {
				fy, code = p.opt.FirstFY+nRange%nFY, partnerCountries[(nRange/nFY)%nC].Code
			}
			nRange++
			prog, amount = "OTHER", "-1"
		} else {
			fy = p.opt.FirstFY + pb.seq%nFY
			prog = programNames[(pb.seq/nFY)%nPrograms]
			code = "XXX"
			amount = string(appendMoney(nil, int64(r.between(50, 900))*100000))
		}
		bad.str(strconv.Itoa(fy))
		bad.str(code)
		bad.str(prog)
		bad.str(amount)
		pos = append(pos, r.intn(b.rows()+1))
		recs = append(recs, badRec{key: strconv.Itoa(fy) + "|" + code + "|" + prog, kind: pb.kind})
	}
	out, at := splice(b, bad, pos)
	for i := range recs {
		recs[i].row = at[i]
	}
	return out, recs
}

// judgeLinks decides, once every student is known, whether each id-less
// record can be linked: ambiguous when another student of the same country
// (and birth year, when the record gives one) has the same name, counting
// transliterations as the same name.
func judgeLinks(links []linkRec, keys *[nKeys][]uint64) (ambiguous int) {
	for k := range keys {
		s := keys[k]
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	}
	count := func(s []uint64, x uint64) int {
		lo := sort.Search(len(s), func(i int) bool { return s[i] >= x })
		hi := sort.Search(len(s), func(i int) bool { return s[i] > x })
		return hi - lo
	}
	for i := range links {
		l := &links[i]
		if l.studentNum == 0 {
			l.expect = expectUnmatched
			continue
		}
		var k int
		switch {
		case l.partial && l.hasYear:
			k = keyPartYear
		case l.partial:
			k = keyPartNoYear
		case l.hasYear:
			k = keyFullYear
		default:
			k = keyFullNoYear
		}
		if count(keys[k], l.key) > 1 {
			l.expect = expectAmbiguous
			ambiguous++
		} else {
			l.expect = expectLink
		}
	}
	return ambiguous
}

// writeFileAtomic writes name.tmp and renames it.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path+".tmp", data, 0o644); err != nil {
		os.Remove(path + ".tmp")
		return err
	}
	return os.Rename(path+".tmp", path)
}

func appendCSVField(dst []byte, s string) []byte {
	if needsQuote([]byte(s)) {
		dst = append(dst, '"')
		for i := 0; i < len(s); i++ {
			if s[i] == '"' {
				dst = append(dst, '"')
			}
			dst = append(dst, s[i])
		}
		return append(dst, '"')
	}
	return append(dst, s...)
}

type globalBad struct {
	ds   int
	row  int // 1-based data row
	key  string
	kind int
}

func badRowsCSV(bads []globalBad) []byte {
	sort.SliceStable(bads, func(i, j int) bool {
		if bads[i].ds != bads[j].ds {
			return bads[i].ds < bads[j].ds
		}
		return bads[i].row < bads[j].row
	})
	out := []byte("dataset,row,key,rule,column\n")
	for _, b := range bads {
		k := badKinds[b.kind]
		out = append(out, datasetNames[b.ds]...)
		out = append(out, ',')
		out = strconv.AppendInt(out, int64(b.row), 10)
		out = append(out, ',')
		out = appendCSVField(out, b.key)
		out = append(out, ',')
		out = append(out, k.rule...)
		out = append(out, ',')
		out = append(out, k.column...)
		out = append(out, '\n')
	}
	return out
}

func linksCSV(links []linkRec) []byte {
	out := make([]byte, 0, 64*len(links)+64)
	out = append(out, "dataset,record_id,student_id,variant,expect\n"...)
	for _, l := range links {
		out = append(out, datasetNames[l.ds]...)
		out = append(out, ',')
		out = append(out, l.recordID...)
		out = append(out, ',')
		if l.studentNum > 0 {
			out = append(out, studentID(l.studentNum)...)
		}
		out = append(out, ',')
		out = append(out, l.variant...)
		out = append(out, ',')
		out = append(out, expectNames[l.expect]...)
		out = append(out, '\n')
	}
	return out
}

// summary is the truth summary: what was asked, what was written and what
// was planted.
type summary struct {
	Generator string                    `json:"generator"`
	Options   summaryOptions            `json:"options"`
	Rows      map[string]int            `json:"rows"`
	BadRows   map[string]int            `json:"bad_rows"`
	BadByRule map[string]map[string]int `json:"bad_rows_by_rule"`
	Planted   map[string]any            `json:"planted"`
	Counts    map[string]int            `json:"counts"`
	Countries []summaryCountry          `json:"countries"`
	Credit    string                    `json:"credit"`
}

type summaryOptions struct {
	Students int    `json:"students"`
	Seed     int64  `json:"seed"`
	FirstFY  int    `json:"first_fy"`
	LastFY   int    `json:"last_fy"`
	AsOf     string `json:"as_of"`
	Format   string `json:"format"`
	BadRows  bool   `json:"bad_rows"`
	// Selection: Options.Selection (see planted.selection).
	Selection bool `json:"selection"`
}

type summaryCountry struct {
	Code                 string  `json:"code"`
	Weight               int     `json:"fmtr_imet_rows"`
	ReportingProbability float64 `json:"reporting_probability"`
	LeadFactor           float64 `json:"lead_factor"`
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func buildSummary(p *plan, res *Result, bads []globalBad, st *stats, links []linkRec, ambiguous int) ([]byte, error) {
	s := summary{
		Generator: "github.com/imet-project/imet/synth, input contract version 1",
		Options: summaryOptions{
			Students: p.opt.Students, Seed: p.opt.Seed, FirstFY: p.opt.FirstFY, LastFY: p.opt.LastFY,
			AsOf: p.asOf.String(), Format: p.opt.Format, BadRows: p.opt.BadRows, Selection: p.opt.Selection,
		},
		Rows:      res.Rows,
		BadRows:   res.Bad,
		BadByRule: map[string]map[string]int{},
		Credit:    "Country weights: Foreign Military Training Report data, Security Force Monitor (MIT licence)",
	}
	for _, b := range bads {
		name := datasetNames[b.ds]
		if s.BadByRule[name] == nil {
			s.BadByRule[name] = map[string]int{}
		}
		s.BadByRule[name][badKinds[b.kind].rule]++
	}
	s.Planted = planted(p, st, links, ambiguous)
	s.Counts = map[string]int{
		"participants": st.Participants, "comparison": st.Comparison, "graduates": st.Graduates,
		"lost_graduates": st.Lost, "idless_events": st.IdlessEvents, "events_without_id": st.NoIDEvents,
		"flags": st.Flags, "idless_flags": st.IdlessFlags,
	}
	for i, c := range partnerCountries {
		s.Countries = append(s.Countries, summaryCountry{c.Code, c.Weight, round4(p.report[i]), round4(p.leadFactor[i])})
	}
	sort.Slice(s.Countries, func(i, j int) bool { return s.Countries[i].Code < s.Countries[j].Code })
	out, err := json.MarshalIndent(s, "", "  ")
	return append(out, '\n'), err
}

// planted is the summary's planted effects and the counts the generator
// drew, for the tests that recover them.
func planted(p *plan, st *stats, links []linkRec, ambiguous int) map[string]any {
	var idlessLink, idlessUnmatched int
	variants := map[string]int{}
	for _, l := range links {
		switch l.expect {
		case expectLink:
			idlessLink++
		case expectUnmatched:
			idlessUnmatched++
		}
		variants[l.variant]++
	}
	return map[string]any{
		"lead_rank_hazard_ratio":      leadHazardRatio,
		"lead_rank_hazard_ratio_note": "graduates vs comparison peers of the same country and starting rank (OF-1..OF-5 at index): S_grad(t) = S_peer(t)^1.5 for the time from index to OF-6; exits are drawn independently of it. A Cox model stratified by country only pools starting ranks and can land a little below 1.5.",
		"lead_rank_baseline_ever_by_index_rank": map[string]float64{
			"OF-1": leadEver[1], "OF-2": leadEver[2], "OF-3": leadEver[3], "OF-4": leadEver[4], "OF-5": leadEver[5],
		},
		"promotion_time_in_grade_factor":      promotionSpeedup,
		"promotion_note":                      "graduates who do not reach OF-6 wait 0.8 times as long in grade; those who do are promoted through the intermediate ranks before their (earlier) OF-6 date",
		"comparison_share":                    comparisonShare,
		"lost_to_follow_up_share":             lostShare,
		"idless_event_share":                  idlessShare,
		"empty_event_id_share":                emptyEventIDShare,
		"utilization_share":                   utilizationShare,
		"utilization_note":                    "an assignment 20-240 days after a completed course whose functional area is not LEADERSHIP/OTHER/empty is in the course's area with this probability; other assignments in the two years can match by chance",
		"interop_multinational_rate_ratio":    interopRateRatio,
		"hr_flag_share_of_graduates":          hrFlagShare,
		"women_share_fy2008":                  0.05,
		"women_share_fy2026":                  0.15,
		"report_lag_over_365_share_drawn":     0.12,
		"reported_date_empty_share":           0.05,
		"namesake_pairs":                      st.NamesakePairs,
		"unmatched_people":                    st.GhostPeople,
		"denied_completed_enrollments":        st.DeniedCompleted,
		"idless_records_expect_link":          idlessLink,
		"idless_records_expect_ambiguous":     ambiguous,
		"idless_records_expect_unmatched":     idlessUnmatched,
		"idless_variants":                     variants,
		"latent_lead_rank_share_graduates":    share(st.GeneralGrad, st.LeadPopGrad),
		"latent_lead_rank_share_comparison":   share(st.GeneralComp, st.LeadPopComp),
		"latent_lead_rank_note":               "share of the OF-1..OF-5 population who truly reached OF-6 by AsOf, before under-reporting",
		"country_reporting_probability_range": []float64{0.15, 0.95},
		"lead_rank_10y": map[string]any{
			"graduates_if_nobody_left":  share(st.Lead10LatentGrad, st.LeadPopGrad),
			"graduates_before_exit":     share(st.Lead10Grad, st.LeadPopGrad),
			"comparison_if_nobody_left": share(st.Lead10LatentComp, st.LeadPopComp),
			"comparison_before_exit":    share(st.Lead10Comp, st.LeadPopComp),
			"note":                      "exits compete: of the OF-1..OF-5 population, the share whose drawn time to OF-6 is within 3652 days of the index date (if_nobody_left: what 1 − Kaplan-Meier estimates when exits are independent of promotion) and the share who reach it within 3652 days before leaving the service (before_exit: what the Aalen-Johansen LEAD_RANK_CIF_10Y estimates); the difference is what the exits take away. Over every generated person, followed or not by AsOf.",
		},
		"selection": selectionTruth(p.opt.Selection),
	}
}

func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return round4(float64(a) / float64(b))
}

// selectionTruth states the selection mechanism of Options.Selection.
func selectionTruth(on bool) map[string]any {
	if !on {
		return map[string]any{"enabled": false,
			"note": "comparison peers are matched to a graduate: same country, same rank at index; no selection on either"}
	}
	return map[string]any{
		"enabled":                          true,
		"comparison_country_uniform_share": selectionCountryShare,
		"comparison_rank_one_lower_share":  selectionRankShare,
		"note":                             "each comparison peer is drawn for a random graduate; with probability comparison_country_uniform_share it comes from any partner country alike instead of the graduate's (participants come from the big programmes more often), and, when the graduate held OF-2..OF-5 at index, with probability comparison_rank_one_lower_share it holds the rank below (participants are picked from higher ranks, whose baseline chance of OF-6 is higher and sooner). The training effect is unchanged: lead_rank_hazard_ratio given country and starting rank. A comparison that does not adjust for rank overstates it; one weighted for country and rank (LEAD_RANK_HR_IPW) recovers it, up to the non-collapsibility of a hazard ratio pooled over ranks.",
	}
}
