package synth

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// nameEntry is one name with its spelling variants (transliterations); the
// first is the commonest.
type nameEntry []string

type namePool struct {
	key                                             string
	family, male, female, second, secondF, reserved []nameEntry
	twoGiven, twoFamily                             float64
	prefixM, prefixF                                string
	middleFirst                                     bool
}

// Lists a name part can come from; the canonical identity of a name is the
// (list, entry) of each part, independent of spelling.
const (
	listFamily uint8 = iota
	listMale
	listFemale
	listSecond
	listSecondF
	listReserved
)

func (p *namePool) list(l uint8) []nameEntry {
	switch l {
	case listFamily:
		return p.family
	case listMale:
		return p.male
	case listFemale:
		return p.female
	case listSecond:
		return p.second
	case listSecondF:
		return p.secondF
	default:
		return p.reserved
	}
}

func parseNames(s string) []nameEntry {
	var out []nameEntry
	for _, e := range strings.Split(s, ";") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		var ent nameEntry
		for _, v := range strings.Split(e, "/") {
			ent = append(ent, strings.TrimSpace(v))
		}
		out = append(out, ent)
	}
	return out
}

var namePools = func() map[string]*namePool {
	m := make(map[string]*namePool, len(poolSpecs))
	for k, s := range poolSpecs {
		m[k] = &namePool{
			key: k, family: parseNames(s.family), male: parseNames(s.male), female: parseNames(s.female),
			second: parseNames(s.second), secondF: parseNames(s.secondF), reserved: parseNames(s.reserved),
			twoGiven: s.twoGiven, twoFamily: s.twoFamily, prefixM: s.prefixM, prefixF: s.prefixF,
			middleFirst: s.middleFirst,
		}
	}
	return m
}()

// namePart is one name of a person: which entry, and which spelling of it the
// students file uses.
type namePart struct {
	list    uint8
	entry   uint16
	variant uint8
}

// personName holds a person's name as parts so that the generator can spell
// it differently in the career-event feed while knowing it is the same name.
type personName struct {
	fam     [2]namePart
	giv     [2]namePart // display order
	nFam    uint8
	nGiv    uint8
	primary uint8 // index in giv of the name the person is called by
	female  bool
	ascii   bool // the training system stored this name without diacritics
}

func (p *namePool) drawPart(r *rng, l uint8) namePart {
	list := p.list(l)
	e := r.intn(len(list))
	v := 0
	if n := len(list[e]); n > 1 && r.chance(0.35) {
		v = 1 + r.intn(n-1)
	}
	return namePart{l, uint16(e), uint8(v)}
}

// newName draws a name from the pool. reserved selects the family names no
// student ever has (for people who must stay unmatched).
func (p *namePool) newName(r *rng, female, reserved bool) personName {
	var n personName
	n.female = female
	famList := listFamily
	if reserved {
		famList = listReserved
	}
	n.fam[0] = p.drawPart(r, famList)
	n.nFam = 1
	if !reserved && r.chance(p.twoFamily) {
		for i := 0; i < 4; i++ { // a second, different surname
			n.fam[1] = p.drawPart(r, listFamily)
			if n.fam[1].entry != n.fam[0].entry {
				n.nFam = 2
				break
			}
		}
	}
	first := listMale
	if female {
		first = listFemale
	}
	n.giv[0] = p.drawPart(r, first)
	n.nGiv = 1
	if r.chance(p.twoGiven) {
		second := first
		switch {
		case !female && len(p.second) > 0:
			second = listSecond
		case female && len(p.secondF) > 0:
			second = listSecondF
		case female && len(p.second) > 0:
			second = 255 // patronymics are listed for men only
		}
		if second != 255 {
			for i := 0; i < 4; i++ {
				part := p.drawPart(r, second)
				if part.list != n.giv[0].list || part.entry != n.giv[0].entry {
					n.giv[1] = part
					n.nGiv = 2
					break
				}
			}
		}
	}
	if n.nGiv == 2 && p.middleFirst {
		n.giv[0], n.giv[1] = n.giv[1], n.giv[0]
		n.primary = 1
	}
	n.ascii = r.chance(0.1)
	return n
}

func (p *namePool) spell(part namePart, variant int) string {
	ent := p.list(part.list)[part.entry]
	if variant >= len(ent) {
		variant = 0
	}
	return ent[variant]
}

// render spells the name as the students file has it.
func (p *namePool) render(n *personName) (family, given string) {
	return p.renderWith(n, -1, 0, n.ascii)
}

// renderWith spells the name, optionally with part `alt` (0..1 family,
// 2..3 given) in spelling `altVariant`.
func (p *namePool) renderWith(n *personName, alt, altVariant int, ascii bool) (family, given string) {
	var b strings.Builder
	if n.female && p.prefixF != "" {
		b.WriteString(p.prefixF)
		b.WriteByte(' ')
	} else if !n.female && p.prefixM != "" {
		b.WriteString(p.prefixM)
		b.WriteByte(' ')
	}
	for i := 0; i < int(n.nFam); i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		v := int(n.fam[i].variant)
		if alt == i {
			v = altVariant
		}
		b.WriteString(p.spell(n.fam[i], v))
	}
	family = b.String()
	b.Reset()
	for i := 0; i < int(n.nGiv); i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		v := int(n.giv[i].variant)
		if alt == 2+i {
			v = altVariant
		}
		b.WriteString(p.spell(n.giv[i], v))
	}
	given = b.String()
	if ascii {
		family, given = stripDiacritics(family), stripDiacritics(given)
	}
	return
}

var foldFrom = "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹĐđØøŁłıĦħ"
var foldTo = "AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzOoUuAaIiOoUuUuUuUuUuAaAaGgKkOoOojGgNnAaAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYyAaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMmMmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwyAaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYyDdOoLliHh"

var foldMap = func() map[rune]rune {
	from, to := []rune(foldFrom), []rune(foldTo)
	if len(from) != len(to) {
		panic("synth: fold table misaligned")
	}
	m := make(map[rune]rune, len(from))
	for i, r := range from {
		m[r] = to[i]
	}
	return m
}()

// stripDiacritics removes accents the way an ASCII-only system or a careless
// clerk does ("Núñez" -> "Nunez", "Đorđe" -> "Dorde").
func stripDiacritics(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if f, ok := foldMap[r]; ok {
			r = f
		}
		b.WriteRune(r)
	}
	return b.String()
}

func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// Name variants written to the links truth.
const (
	varExact     = "exact"
	varCase      = "case"
	varDiacritic = "diacritics"
	varTranslit  = "translit"
	varHyphen    = "hyphen"
	varDropGiven = "drop_given"
	varAbbrev    = "abbrev"
)

var (
	variantNames   = []string{varExact, varCase, varDiacritic, varTranslit, varHyphen, varDropGiven, varAbbrev}
	variantWeights = []float64{0.08, 0.12, 0.2, 0.2, 0.15, 0.12, 0.13}
)

// variantName spells a person's name the way another source (a news report,
// a ministry list) might. It reports what it did and whether the variant
// keeps only the person's primary given name (then ambiguity is judged on the
// family and primary given name alone). The variant is drawn among those
// that change this particular name.
//
// It is long because its random draws come one after another in a fixed
// order, and that order is the generated data (a seed gives the same files
// on every machine): split, the draws would be spread over functions that
// must still be called in this order.
func (p *namePool) variantName(r *rng, n *personName) (family, given, variant string, partial bool) {
	family, given = p.render(n)
	var applies [7]bool
	applies[0], applies[1] = true, true
	var plain [2]string // the name with diacritics, when the file has it without
	if hasNonASCII(family) || hasNonASCII(given) {
		applies[2] = stripDiacritics(family) != family || stripDiacritics(given) != given
	} else if n.ascii {
		plain[0], plain[1] = p.renderWith(n, -1, 0, false)
		applies[2] = plain[0] != family || plain[1] != given
	}
	var cand [4]int // name parts with transliterations: 0..1 family, 2..3 given
	k := 0
	for i := 0; i < int(n.nFam); i++ {
		if len(p.list(n.fam[i].list)[n.fam[i].entry]) > 1 {
			cand[k] = i
			k++
		}
	}
	for i := 0; i < int(n.nGiv); i++ {
		if len(p.list(n.giv[i].list)[n.giv[i].entry]) > 1 {
			cand[k] = 2 + i
			k++
		}
	}
	applies[3] = k > 0
	famSep := p.prefixM == "" && strings.ContainsAny(family, " -")
	givSep := strings.ContainsAny(given, " -")
	applies[4] = famSep || givSep
	applies[5] = n.nGiv == 2
	applies[6] = n.nGiv == 2
	total := 0.0
	for i, ok := range applies {
		if ok {
			total += variantWeights[i]
		}
	}
	x := r.float() * total
	v := 0
	for i, ok := range applies {
		if ok {
			if x < variantWeights[i] {
				v = i
				break
			}
			x -= variantWeights[i]
		}
	}
	switch variantNames[v] {
	case varCase:
		switch x := r.float(); {
		case x < 0.65:
			return strings.ToUpper(family), given, varCase, false
		case x < 0.85:
			return strings.ToUpper(family), strings.ToUpper(given), varCase, false
		default:
			return strings.ToLower(family), strings.ToLower(given), varCase, false
		}
	case varDiacritic:
		if n.ascii {
			return plain[0], plain[1], varDiacritic, false
		}
		return stripDiacritics(family), stripDiacritics(given), varDiacritic, false
	case varTranslit:
		c := cand[r.intn(k)]
		part := n.fam[c&1]
		if c >= 2 {
			part = n.giv[c-2]
		}
		nv := len(p.list(part.list)[part.entry])
		alt := (int(part.variant) + 1 + r.intn(nv-1)) % nv
		f, g := p.renderWith(n, c, alt, n.ascii)
		if f != family || g != given {
			return f, g, varTranslit, false
		}
	case varHyphen:
		if famSep && (!givSep || r.chance(0.5)) {
			f, _ := hyphenVariant(r, family, false, n.nFam == 2)
			return f, given, varHyphen, false
		}
		g, _ := hyphenVariant(r, given, false, n.nGiv == 2)
		return family, g, varHyphen, false
	case varDropGiven:
		g := p.spell(n.giv[n.primary], int(n.giv[n.primary].variant))
		if n.ascii {
			g = stripDiacritics(g)
		}
		return family, g, varDropGiven, true
	case varAbbrev:
		other := 1 - n.primary
		pg := p.spell(n.giv[n.primary], int(n.giv[n.primary].variant))
		og := p.spell(n.giv[other], int(n.giv[other].variant))
		ini, _ := utf8.DecodeRuneInString(og)
		abbr := string(unicode.ToUpper(ini)) + "."
		g := pg + " " + abbr
		if other == 0 {
			g = abbr + " " + pg
		}
		if n.ascii {
			g = stripDiacritics(g)
		}
		return family, g, varAbbrev, true
	}
	return family, given, varExact, false
}

// hyphenVariant changes how the parts of a compound name are joined:
// "Abdul Rahman" -> "Abdul-Rahman" or "Abdulrahman", "Al-Khatib" ->
// "Al Khatib", "García López" -> "García-López". Two separate surnames are
// never run together, and a Malay "bin" is left alone.
func hyphenVariant(r *rng, s string, prefixed, twoParts bool) (string, bool) {
	if prefixed {
		return s, false
	}
	if i := strings.IndexByte(s, '-'); i > 0 {
		if r.chance(0.5) {
			return s[:i] + " " + s[i+1:], true
		}
		return s[:i] + lowerFirst(s[i+1:]), true
	}
	if i := strings.IndexByte(s, ' '); i > 0 {
		if twoParts || r.chance(0.5) {
			return s[:i] + "-" + s[i+1:], true
		}
		return s[:i] + lowerFirst(s[i+1:]), true
	}
	return s, false
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// identity keys: FNV-1a over the canonical parts, so the same name spelled
// differently has the same key.
func (n *personName) key(country int, birthYear int, partial bool) uint64 {
	h := uint64(14695981039346656037)
	mix := func(x uint64) {
		for i := 0; i < 8; i++ {
			h ^= x & 0xff
			h *= 1099511628211
			x >>= 8
		}
	}
	mix(uint64(country)<<32 | uint64(uint32(birthYear)))
	for i := 0; i < int(n.nFam); i++ {
		mix(uint64(n.fam[i].list)<<16 | uint64(n.fam[i].entry))
	}
	if partial {
		mix(1<<40 | uint64(n.giv[n.primary].list)<<16 | uint64(n.giv[n.primary].entry))
	} else {
		for i := 0; i < int(n.nGiv); i++ {
			mix(2<<40 | uint64(n.giv[i].list)<<16 | uint64(n.giv[i].entry))
		}
	}
	return h
}
