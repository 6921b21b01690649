package synth

import (
	"strconv"
)

// plantBad adds the chunk's planned bad rows to its blocks. Each bad row is
// a copy of a valid row (or a fresh valid row) with exactly one problem and
// a key of its own, so it collides with nothing and nothing refers to it.
func (g *gen) plantBad(blocks [nDatasets]*block, people []*person, out *chunkOut) {
	r, p := g.r, g.p
	var badBlk [nDatasets]*block
	var pos [nDatasets][]int
	var recs [nDatasets][]badRec
	for _, pb := range p.chunks[g.idx].bad {
		k := badKinds[pb.kind]
		good := blocks[k.ds]
		if badBlk[k.ds] == nil {
			badBlk[k.ds] = newBlock(k.ds, 4)
		}
		bb := badBlk[k.ds]
		ng := good.rows()
		at := r.intn(ng + 1)
		var key string
		ok := true
		switch k.ds {
		case dsStudents:
			key, ok = g.badStudent(bb, good, &at, k, pb.seq, people)
		case dsEnrollments:
			key, ok = g.badEnrollment(bb, good, &at, k, pb.seq)
		case dsEvents:
			key, ok = g.badEvent(bb, good, k, pb.seq)
		case dsFlags:
			key, ok = g.badFlag(bb, k, pb.seq, people)
		}
		if !ok {
			continue // no row to copy in a tiny chunk
		}
		pos[k.ds] = append(pos[k.ds], at)
		recs[k.ds] = append(recs[k.ds], badRec{key: key, kind: pb.kind})
	}
	for ds := range blocks {
		if blocks[ds] == nil {
			continue
		}
		merged, at := splice(blocks[ds], badBlk[ds], pos[ds])
		out.blocks[ds] = merged
		for i := range recs[ds] {
			recs[ds][i].row = at[i]
		}
		out.bad[ds] = recs[ds]
	}
}

func cellString(b *block, row, col int) string { return string(b.cell(row, col)) }

func (g *gen) badStudent(bb, good *block, at *int, k badKind, seq int, people []*person) (string, bool) {
	r, p := g.r, g.p
	if k.rule == "duplicate" {
		if good.rows() == 0 {
			return "", false
		}
		*at = 1 + r.intn(good.rows())
		t := r.intn(*at)
		bb.appendRow(good, t)
		return cellString(good, t, cStuID), true
	}
	// A fresh, otherwise valid student nobody refers to.
	ps := people[r.intn(len(people))]
	pc := &partnerCountries[ps.country]
	pool := namePools[pc.Pool]
	name := pool.newName(r, false, false)
	fam, giv := pool.render(&name)
	id := studentID(p.badNumber(dsStudents, seq))
	row := []string{id, pc.Code, fam, giv, strconv.Itoa(r.between(1965, 1995)), "M", "ARMY", "PARTICIPANT", "", ""}
	switch {
	case k.rule == "required" && k.column == "student_id":
		row[cStuID] = ""
		id = ""
	case k.rule == "reference":
		row[cStuCountry] = "XXX"
	case k.rule == "allowed":
		row[cStuSex] = "Q"
	case k.rule == "range":
		row[cStuBirth] = "1890"
	case k.rule == "type":
		row[cStuBirth] = "19x0"
	case k.rule == "formula":
		row[cStuFamily] = `=HYPERLINK("http://x","Smith")`
	case k.rule == "required" && k.column == "index_date":
		row[cStuCohort] = "COMPARISON"
		row[cStuRank] = "OF-3"
	}
	for _, c := range row {
		bb.str(c)
	}
	return id, true
}

func (g *gen) badEnrollment(bb, good *block, at *int, k badKind, seq int) (string, bool) {
	r, p := g.r, g.p
	n := good.rows()
	if n == 0 {
		return "", false
	}
	if k.rule == "duplicate" {
		*at = 1 + r.intn(n)
		t := r.intn(*at)
		bb.appendRow(good, t)
		return cellString(good, t, cEnrID), true
	}
	t := r.intn(n)
	if k.rule == "date_order" {
		// needs a row with an end date
		for i := 0; i < n && len(good.cell(t, cEnrEnd)) == 0; i++ {
			t = (t + 1) % n
		}
		if len(good.cell(t, cEnrEnd)) == 0 {
			return "", false
		}
	}
	id := enrollmentID(p.badNumber(dsEnrollments, seq), 1)
	edits := []edit{{cEnrID, id}}
	switch k.column {
	case "start_date":
		if k.rule == "required" {
			edits = append(edits, edit{cEnrStart, ""})
		} else if seq%2 == 0 {
			edits = append(edits, edit{cEnrStart, "2019-02-30"})
		} else {
			edits = append(edits, edit{cEnrStart, "13/45/2019"})
		}
	case "student_id":
		edits = append(edits, edit{cEnrStudent, studentID(p.missingStudentNumber(seq))})
	case "course_code":
		edits = append(edits, edit{cEnrCourse, string(appendPadded([]byte("Q9"), seq, 5))})
	case "end_date":
		s, _ := parseDay(good.cell(t, cEnrStart))
		edits = append(edits, edit{cEnrEnd, (s - day(r.between(1, 60))).String()})
	case "status":
		edits = append(edits, edit{cEnrStatus, "DONE"})
	case "ecl_score":
		edits = append(edits, edit{cEnrECL, "140"})
	case "cost_usd":
		edits = append(edits, edit{cEnrCost, "-500.00"})
	case "rank_code_at_entry":
		edits = append(edits, edit{cEnrRank, "OF-12"})
	}
	bb.appendRowEdited(good, t, edits...)
	return id, true
}

// findEvent looks for a row with a student_id and, if typ is set, of that
// event type, starting at a random row.
func (g *gen) findEvent(good *block, typ string) int {
	n := good.rows()
	if n == 0 {
		return -1
	}
	t := g.r.intn(n)
	fallback := -1
	for i := 0; i < n; i++ {
		row := (t + i) % n
		if len(good.cell(row, cEvStudent)) == 0 {
			continue
		}
		if typ == "" || string(good.cell(row, cEvType)) == typ {
			return row
		}
		if fallback < 0 && string(good.cell(row, cEvType)) != "DEPLOYMENT" {
			fallback = row
		}
	}
	return fallback
}

func (g *gen) badEvent(bb, good *block, k badKind, seq int) (string, bool) {
	r, p := g.r, g.p
	var t int
	switch k.column {
	case "rank_code":
		t = g.findEvent(good, "PROMOTION")
	case "operation_type":
		t = g.findEvent(good, "DEPLOYMENT")
	default:
		t = g.findEvent(good, "")
	}
	if t < 0 {
		return "", false
	}
	id := eventID(p.badNumber(dsEvents, seq), 999)
	edits := []edit{{cEvID, id}}
	switch k.column {
	case "event_date":
		edits = append(edits, edit{cEvDate, "2019-13-01"})
	case "event_type":
		edits = append(edits, edit{cEvType, "PROMOTED"})
	case "rank_code":
		if string(good.cell(t, cEvType)) != "PROMOTION" {
			edits = append(edits, edit{cEvType, "PROMOTION"})
		}
		edits = append(edits, edit{cEvRank, ""})
	case "operation_type":
		if string(good.cell(t, cEvType)) != "DEPLOYMENT" {
			edits = append(edits, edit{cEvType, "DEPLOYMENT"}, edit{cEvOpName, "MONUSCO"})
		}
		edits = append(edits, edit{cEvOpType, "UNX"})
	case "student_id":
		edits = append(edits, edit{cEvStudent, ""}, edit{cEvCountry, ""}, edit{cEvFamily, ""},
			edit{cEvGiven, ""}, edit{cEvBirth, ""})
	case "reported_date":
		d, _ := parseDay(good.cell(t, cEvDate))
		edits = append(edits, edit{cEvReported, (d - day(r.between(1, 200))).String()})
	}
	bb.appendRowEdited(good, t, edits...)
	return id, true
}

func (g *gen) badFlag(bb *block, k badKind, seq int, people []*person) (string, bool) {
	r, p := g.r, g.p
	if len(people) == 0 {
		return "", false
	}
	ps := people[r.intn(len(people))]
	id := flagID(p.badNumber(dsFlags, seq), 9)
	row := []string{id, studentID(ps.num), "", "", "", "", ps.index.String(), "MEDIUM", "ALLEGED", pick(r, flagSources)}
	switch k.column {
	case "severity":
		row[cFlSeverity] = "EXTREME"
	case "flag_date":
		row[cFlDate] = ""
	}
	for _, c := range row {
		bb.str(c)
	}
	return id, true
}
