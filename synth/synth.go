// Package synth generates realistic synthetic input data for the IMET
// pipeline: partner-nation officers who attended U.S. military courses,
// comparison peers who did not, their enrollments and the career events
// reported about them afterwards, human-rights flags and allocations, in
// every format the loader reads, together with the truth the tests and the
// metrics can be checked against (planted bad rows, how id-less records
// should link, and the planted effects).
//
// Output is a pure function of Options: people are generated in chunks of a
// fixed size, each chunk with its own random stream derived from (Seed,
// chunk index), on all processors, and written in chunk order.
package synth

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"
)

// Options controls what Generate writes.
type Options struct {
	Students int       // total people (participants + comparison peers); default 2000 when 0
	Seed     int64     // same Seed + Options => byte-identical CSV/NDJSON output
	FirstFY  int       // first U.S. fiscal year of enrollments; default 2008
	LastFY   int       // last; default 2026
	AsOf     time.Time // no event, enrollment or report date after this; default 2026-09-30 UTC (never time.Now)
	Format   string    // "csv" (default), "csv.gz", "ndjson", "parquet", "xlsx"
	BadRows  bool      // plant bad rows
	// Selection plants a selection effect (off by default, so that the
	// default output stays as it was): comparison peers are no longer
	// matched to a graduate's country and rank; some come from any partner
	// country alike (participants come from the big programmes more often)
	// and some hold the rank below the graduate's (participants are picked
	// from higher ranks, who reach general rank sooner anyway). The
	// training effect (leadHazardRatio, given country and starting rank)
	// is unchanged, so an unadjusted comparison overstates it and one
	// adjusted for country and rank recovers it. The truth summary states
	// the mechanism.
	Selection bool
}

// Result tells what Generate wrote.
type Result struct {
	Files map[string]string // dataset name -> path of the file written
	Rows  map[string]int    // data rows written per dataset (including bad rows)
	Bad   map[string]int    // bad rows planted per dataset
}

// TruthDir is the folder under dir that holds the truth files; the loader
// ignores folders starting with "_".
const TruthDir = "_truth"

// Generate writes dir/<dataset>/<dataset>.<ext> for every dataset and the
// truth in dir/_truth/. Every file is written as name.tmp and renamed when
// complete.
func Generate(ctx context.Context, dir string, opt Options) (Result, error) {
	opt, err := normalize(opt)
	if err != nil {
		return Result{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Result{}, err
	}
	p := newPlan(opt)
	if !opt.BadRows {
		for c := range p.chunks {
			p.chunks[c].bad = nil
		}
		p.globalBad = nil
	}
	res := Result{Files: map[string]string{}, Rows: map[string]int{}, Bad: map[string]int{}}

	f := &files{format: opt.Format}
	defer f.abort()
	for ds := range f.sinks {
		path := datasetPath(dir, ds, opt.Format)
		if f.sinks[ds], err = openSink(path, ds, opt.Format); err != nil {
			return Result{}, fmt.Errorf("synth: %s: %w", path, err)
		}
		res.Files[datasetNames[ds]] = path
	}

	cb, crecs := coursesBlock(p)
	if err := f.writeOne(dsCourses, cb, crecs); err != nil {
		return Result{}, err
	}

	g := newGathered(opt)
	err = runChunks(ctx, p, func(out *chunkOut) error {
		for _, ds := range []int{dsStudents, dsEnrollments, dsEvents, dsFlags} {
			if err := f.write(ds, out, out.bad[ds]); err != nil {
				return err
			}
		}
		g.add(out)
		out.release()
		return nil
	})
	if err != nil {
		return Result{}, err
	}

	ab, arecs := allocationsBlock(p, g.imet, g.fms)
	if err := f.writeOne(dsAllocations, ab, arecs); err != nil {
		return Result{}, err
	}
	hb, hrecs, holdings, shares := rostersBlock(p, g.cands)
	if err := f.writeOne(dsHolders, hb, hrecs); err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if err := f.close(&res); err != nil {
		return Result{}, err
	}

	if err := writeTruth(filepath.Join(dir, TruthDir), p, &res, f.bads, &g.st, g.links, judgeLinks(g.links, &g.keys), holdings, shares); err != nil {
		return Result{}, err
	}
	return res, nil
}

// files are the sinks of a run's datasets, with the rows written to each
// and where the planted bad rows landed.
type files struct {
	format string
	sinks  [nDatasets]sink
	rows   [nDatasets]int
	bads   []globalBad
}

// write hands a block to its sink and records where its bad rows landed.
func (f *files) write(ds int, out *chunkOut, recs []badRec) error {
	if err := f.sinks[ds].write(out.blocks[ds], out.rows[ds], out.enc[ds], out.raw[ds]); err != nil {
		return fmt.Errorf("synth: writing %s: %w", datasetNames[ds], err)
	}
	for _, r := range recs {
		f.bads = append(f.bads, globalBad{ds: ds, row: f.rows[ds] + r.row + 1, key: r.key, kind: r.kind})
	}
	f.rows[ds] += out.rows[ds]
	return nil
}

// writeOne writes a block made by the calling goroutine (courses,
// allocations, rosters).
func (f *files) writeOne(ds int, b *block, recs []badRec) error {
	out := &chunkOut{}
	out.blocks[ds] = b
	out.rows[ds] = b.rows()
	encodeChunk(out, f.format)
	defer out.release()
	return f.write(ds, out, recs)
}

// close completes every file and counts its rows and bad rows into res.
func (f *files) close(res *Result) error {
	for ds := range f.sinks {
		s := f.sinks[ds]
		f.sinks[ds] = nil
		if err := s.close(); err != nil {
			return fmt.Errorf("synth: closing %s: %w", datasetNames[ds], err)
		}
		res.Rows[datasetNames[ds]] = f.rows[ds]
		res.Bad[datasetNames[ds]] = 0
	}
	for _, b := range f.bads {
		res.Bad[datasetNames[b.ds]]++
	}
	return nil
}

// abort removes the files not completed (after an error).
func (f *files) abort() {
	for _, s := range f.sinks {
		if s != nil {
			s.abort()
		}
	}
}

// gathered is what the chunks add up to, for the files written after them
// (allocations, rosters) and the truth.
type gathered struct {
	imet, fms []int64 // cents per (fiscal year, country)
	links     []linkRec
	keys      [nKeys][]uint64
	st        stats
	cands     *candidates
}

func newGathered(opt Options) *gathered {
	nFY := opt.LastFY - opt.FirstFY + 1
	g := &gathered{
		imet:  make([]int64, nFY*len(partnerCountries)),
		fms:   make([]int64, nFY*len(partnerCountries)),
		links: make([]linkRec, 0, int(float64(opt.Students)*expEventsPerStudent*idlessShare*1.1)+64),
		cands: newCandidates(),
	}
	for k := range g.keys {
		g.keys[k] = make([]uint64, 0, opt.Students)
	}
	return g
}

// add takes a chunk's sums, links, candidates, keys and counts, in chunk
// order.
func (g *gathered) add(out *chunkOut) {
	for i, v := range out.imet {
		g.imet[i] += v
	}
	for i, v := range out.fms {
		g.fms[i] += v
	}
	g.links = append(g.links, out.links...)
	g.cands.add(out.holders)
	for k := range g.keys {
		g.keys[k] = append(g.keys[k], out.keys[k]...)
	}
	g.st.add(&out.st)
}

// writeTruth writes what the generator planted into truth (dir/_truth):
// the bad rows, the expected links, the post holders, the penetration
// shares and the summary.
func writeTruth(truth string, p *plan, res *Result, bads []globalBad, st *stats, links []linkRec, ambiguous int, holdings []holdingTruth, shares []countryShare) error {
	if err := writeFileAtomic(filepath.Join(truth, "bad_rows.csv"), badRowsCSV(bads)); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(truth, "links.csv"), linksCSV(links)); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(truth, "post_holders.csv"), holdersTruthCSV(holdings)); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(truth, "penetration.csv"), penetrationCSV(shares)); err != nil {
		return err
	}
	sum, err := buildSummary(p, res, bads, st, links, ambiguous)
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(truth, "summary.json"), sum)
}

// runChunks generates chunks on GOMAXPROCS goroutines and hands them to
// consume strictly in chunk order. At most a few chunks are in flight, which
// bounds memory whatever the number of students.
func runChunks(ctx context.Context, p *plan, consume func(*chunkOut) error) error {
	workers := runtime.GOMAXPROCS(0)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]chan *chunkOut, p.nChunks)
	for i := range results {
		results[i] = make(chan *chunkOut, 1)
	}
	tokens := make(chan struct{}, 2*workers+1)
	jobs := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(jobs)
		for i := 0; i < p.nChunks; i++ {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				out := generateChunk(p, i)
				encodeChunk(out, p.opt.Format)
				results[i] <- out
			}
		}()
	}
	var err error
	for i := 0; i < p.nChunks && err == nil; i++ {
		select {
		case out := <-results[i]:
			err = consume(out)
			results[i] = nil
			<-tokens
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	cancel()
	wg.Wait()
	return err
}
