package synth

import (
	"math"
	"math/bits"
)

// rng is xoshiro256** seeded through splitmix64. The generator owns its
// random source rather than using math/rand/v2 so that the byte-identical
// output promised for a seed cannot change with a Go release: the standard
// library reserves the right to change how IntN, NormFloat64 and friends
// consume the stream.
type rng struct {
	s0, s1, s2, s3 uint64
}

// Stream names keep the independent random streams of one run apart.
const (
	streamChunk uint64 = iota + 1
	streamPlan
	streamCourses
	streamCountries
	streamAlloc
	streamRosters
)

func splitmix(x *uint64) uint64 {
	*x += 0x9e3779b97f4a7c15
	z := *x
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// newRNG derives an independent stream from the run seed, a stream name and
// an index (the chunk number for people), so a chunk's output depends only
// on (Seed, chunk index) and never on goroutine scheduling.
func newRNG(seed int64, stream, index uint64) *rng {
	x := uint64(seed) ^ 0x5851f42d4c957f2d
	x ^= splitmix(&x) + stream*0xd1342543de82ef95
	x ^= index * 0x2545f4914f6cdd1d
	r := &rng{splitmix(&x), splitmix(&x), splitmix(&x), splitmix(&x)}
	if r.s0|r.s1|r.s2|r.s3 == 0 {
		r.s0 = 1
	}
	return r
}

func (r *rng) u64() uint64 {
	res := bits.RotateLeft64(r.s1*5, 7) * 9
	t := r.s1 << 17
	r.s2 ^= r.s0
	r.s3 ^= r.s1
	r.s1 ^= r.s2
	r.s0 ^= r.s3
	r.s2 ^= t
	r.s3 = bits.RotateLeft64(r.s3, 45)
	return res
}

// float returns a uniform value in [0, 1).
func (r *rng) float() float64 { return float64(r.u64()>>11) * (1.0 / (1 << 53)) }

// intn returns a uniform value in [0, n); n must be > 0.
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.u64(), uint64(n))
	return int(hi)
}

// between returns a uniform integer in [lo, hi].
func (r *rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.intn(hi-lo+1)
}

// uniform returns a uniform value in [lo, hi).
func (r *rng) uniform(lo, hi float64) float64 { return lo + (hi-lo)*r.float() }

// chance is true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

// norm returns a standard normal deviate (Box-Muller; one value per call
// keeps the stream simple to reason about).
func (r *rng) norm() float64 {
	u := 1 - r.float() // (0, 1]
	v := r.float()
	return math.Sqrt(-2*math.Log(u)) * math.Cos(2*math.Pi*v)
}

// exp returns an exponential deviate with the given mean.
func (r *rng) exp(mean float64) float64 { return -math.Log(1-r.float()) * mean }

// pick returns a uniform element of a non-empty slice.
func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }

// weighted draws an index from cumulative weights (cum[i] = sum of weights
// 0..i, last element the total).
func (r *rng) weighted(cum []float64) int {
	x := r.float() * cum[len(cum)-1]
	lo, hi := 0, len(cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if cum[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// cumulate turns weights into the cumulative form weighted expects.
func cumulate(w []float64) []float64 {
	c := make([]float64, len(w))
	s := 0.0
	for i, x := range w {
		s += x
		c[i] = s
	}
	return c
}

// choice is a small weighted choice among labelled options.
type choice[T any] struct {
	vals []T
	cum  []float64
}

func newChoice[T any](vals []T, weights []float64) choice[T] {
	if len(vals) != len(weights) {
		panic("synth: choice lengths differ")
	}
	return choice[T]{vals, cumulate(weights)}
}

func (c choice[T]) draw(r *rng) T { return c.vals[r.weighted(c.cum)] }
