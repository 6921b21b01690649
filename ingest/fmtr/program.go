package fmtr

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/imet-project/imet/schemas"
)

// Normalised codes of the programs the reports name. Every spelling of a
// known program maps to its code (knownPrograms); a program name the list
// does not know is kept as itself, normalised (programCode), so a report
// year that funds training from a new program loads whole.
const (
	ProgIMET             = "IMET"              // International Military Education and Training (IMET-1, IMET-2, IMET-X in SubProgram)
	ProgFMF              = "FMF"               // Foreign Military Financing
	ProgCTFP             = "CTFP"              // Regional Defense Counterterrorism Fellowship Program
	ProgPKO              = "PKO"               // Peacekeeping Operations
	ProgGPOI             = "GPOI"              // Global Peace Operations Initiative
	ProgINL              = "INL"               // International Narcotics (Control) and Law Enforcement
	ProgSection1004      = "SECTION_1004"      // Drug Interdiction and Counter-Drug Activities, Section 1004
	ProgSection1206      = "SECTION_1206"      // Section 1206 train and equip
	ProgSection506       = "SECTION_506"       // Foreign Assistance Act Draw Down, Section 506
	ProgRegionalCenters  = "REGIONAL_CENTERS"  // DoD Regional Centers for Strategic Studies (ACSS, APCSS, CHDS, NESA, Marshall)
	ProgServiceAcademies = "SERVICE_ACADEMIES" // U.S. service academies
	ProgDHSUSCG          = "DHS_USCG"          // U.S. Coast Guard activities (Department of Transportation until 2003, then Homeland Security)
	ProgALP              = "ALP"               // Aviation Leadership Program
	ProgPME              = "PME"               // Professional military education exchanges
	ProgExchange         = "EXCHANGE"          // Exchange (printed beside PME in FY2009 and FY2013, with its own totals)
	ProgNonSAMisc        = "NON_SA_MISC"       // Miscellaneous DoD/DoS non-security-assistance
	ProgNonSAUC          = "NON_SA_UC"         // Non-security-assistance, unified (combatant) command, incl. JCET
	ProgEIPC             = "EIPC"              // Enhanced International Peacekeeping Capabilities
	ProgACOTA            = "ACOTA"             // African Contingency Operations Training and Assistance
	ProgACRI             = "ACRI"              // African Crisis Response Initiative (ACOTA's predecessor)
)

// Programs lists the codes of the known programs, in documentation order.
// A report can name others: they keep their own normalised name.
var Programs = []string{
	ProgIMET, ProgFMF, ProgCTFP, ProgPKO, ProgGPOI, ProgINL, ProgSection1004,
	ProgSection1206, ProgSection506, ProgRegionalCenters, ProgServiceAcademies,
	ProgDHSUSCG, ProgALP, ProgPME, ProgExchange, ProgNonSAMisc, ProgNonSAUC,
	ProgEIPC, ProgACOTA, ProgACRI,
}

// knownPrograms: the spellings of each known program, the short labels of
// the FY2006– reports and the long names of the FY2001–FY2005 reports. They
// are compared by programKey (letters and digits only, lower case), and a
// long name is also tried without its parenthesised abbreviation, so
// "Enhanced International Peacekeeping Capabilities (EPIC)" (FY2001's
// misprint) is EIPC. A missing spelling costs a warning, never a row.
var knownPrograms = map[string][]string{
	ProgIMET: {"International Military Education and Training"},
	ProgFMF:  {"FMF", "Foreign Military Financing"},
	ProgCTFP: {"CTFP", "Regional Defense Counterterrorism Fellowship Program"},
	ProgPKO:  {"PKO", "Peacekeeping Operations"},
	ProgGPOI: {"GPOI", "Global Peace Operations Initiative"},
	// INCLE (FY2017) is the appropriation of the same State Department program.
	ProgINL:         {"INL", "INCLE", "International Narcotics and Law Enforcement", "International Narcotics Control and Law Enforcement"},
	ProgSection1004: {"Drug Interdiction and Counter-Drug Activities, Section 1004"},
	ProgSection506:  {"Foreign Assistance Act Draw Down, Section 506"},
	ProgRegionalCenters: {"Regional Centers", "DoD Regional Centers for Strategic Studies",
		// FY2001/FY2002 name the centre itself.
		"Africa Center for Strategic Studies", "Asia-Pacific Center", "Center For Hemispheric Defense Studies",
		"Near East South Asia Center", "Marshall Center"},
	ProgServiceAcademies: {"Service Academies"},
	ProgDHSUSCG: {"DOHS/USCG", "DHS/USCG", "DOHS/USCG Activities", "DoT/USCG Activities",
		"Department of Homeland Security/United States Coast Guard Activities",
		"Department of Homeland Security/United States Coat Guard Activities"},
	ProgALP:      {"ALP", "Aviation Leadership Program"},
	ProgPME:      {"PME", "PME Exchanges"},
	ProgExchange: {"Exchange", "Exchange Training"},
	ProgNonSAMisc: {"Misc DoD/DoS Non-SA", "Miscellaneous, DOD/DOS Non-Security Assistance",
		"Miscellaneous, DOS/DOD, Non-Security Assistance"},
	ProgNonSAUC: {"Non-SA, UC", "Non-SA, UC, JCET", "Non-SA, Combatant Command", "Non-Security Assistance, Unified Command",
		"Non-Security Assistance, Combatant Command"},
	ProgEIPC:  {"EIPC", "Enhanced International Peacekeeping Capabilities"},
	ProgACOTA: {"ACOTA", "African Contingency Operations Training and Assistance"},
	ProgACRI:  {"ACRI", "African Crisis Response Initiative"},
}

var programByKey = func() map[string]string {
	m := map[string]string{}
	for code, names := range knownPrograms {
		for _, n := range names {
			m[programKey(n)] = code
		}
	}
	return m
}()

var departments = map[string]string{
	"dos": "DOS", "department of state": "DOS",
	"dod": "DOD", "department of defense": "DOD",
	"dohs": "DHS", "dhs": "DHS", "department of homeland security": "DHS",
	"dot": "DOT", "department of transportation": "DOT",
}

// Program-string generations (docs/fmtr.md, "Programs").
const (
	GenRegion     = "region"      // FY2001–FY2005: "[DoS ]Africa Region, Angola, <program>, FY01"
	GenFY         = "fy"          // FY2006–FY2009: "<program> - FY 2009 DoS Training"
	GenFiscalYear = "fiscal-year" // FY2013–: "<program> - Fiscal Year 2013 Department of State Training"
	GenBare       = "bare"        // a program name alone ("Democracy Building", FY2006): the year is the report's
)

var (
	// "<name> - FY 2009 <dept> Training", "<name> - Fiscal Year 2013 <dept> Training";
	// the department (and the word Training) may be missing, the dash may
	// be an en or em dash.
	yearProgram = regexp.MustCompile(`(?i)^(.+?)\s+[-\x{2013}\x{2014}]\s+(FY|Fiscal\s+Year)\s*(\d{4})(?:\s+(.+?))??(?:\s+Training)?$`)
	// "[<dept> ]<region> Region, <country>, <program>, FY01"; the region
	// may be missing ("<country>, <program>, FY03").
	regionProgram = regexp.MustCompile(`(?i)^(?:(D[Oo][A-Za-z]{1,3})\s+)?(.+?)\s*,\s*FY\s?(\d{4}|\d{2})$`)
	regionHead    = regexp.MustCompile(`(?i)^([^,]+?)\s+Region\s*,\s*(.+)$`)
	// A program name printed alone: words, no year grammar around it.
	bareProgram  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9&/.'() -]{1,79}$`)
	yearWords    = regexp.MustCompile(`(?i)\b(?:FY|Fiscal\s+Year)\b`)
	programNote  = regexp.MustCompile(`(?i)\s*\(\s*note\s*\d+\s*\)`)
	parenthesis  = regexp.MustCompile(`\s*\(([^()]*)\)`)
	imetLabel    = regexp.MustCompile(`(?i)^IMET(?:[\s-]+(.+))?$`)
	sectionLabel = regexp.MustCompile(`(?i)^section\s+(\d{3,4}(?:\s*/\s*\d{3,4})*)$`)
	nonAlnum     = regexp.MustCompile(`[^A-Za-z0-9]+`)
	abbreviation = regexp.MustCompile(`^[A-Z][A-Z0-9/&-]{1,11}$`)
)

// programKey folds a program name for lookup: letters and digits, lower case.
func programKey(s string) string { return strings.ToLower(nonAlnum.ReplaceAllString(s, "")) }

// ParseProgram reads the program column of a report row, in any of the
// generations of the reports:
//
//	FY2001–FY2005: "DoS Africa Region, Angola, Africa Center for Strategic Studies, FY01"
//	FY2006–FY2009: "IMET-1 - FY 2009 DoS Training"
//	FY2013–:       "IMET-1 - Fiscal Year 2013 Department of State Training"
//	bare name:     "Democracy Building" (FY2006; fy is 0: the year is the report's)
//
// It returns the program code (a known program's code, see Programs, or an
// unknown name normalised: "ASFF", "DEMOCRACY_BUILDING"), the sub-program
// (IMET-1, IMET-2, IMET-X; "" otherwise), the fiscal year and the department
// (DOS, DOD, DHS, DOT, or an unknown one upper-cased; "" when the string
// names none). known is false for a program name not in the list. ok is
// false only for a string in none of these shapes.
func ParseProgram(s string) (program, sub string, fy int, dept string, known, ok bool) {
	p, ok := parseProgram(s, "")
	return p.Program, p.Sub, p.FY, p.Dept, p.Known, ok
}

type programInfo struct {
	Program, Sub, Dept string
	FY                 int
	Name               string // the program's name as printed, notes removed
	Known              bool   // Name is a known program's spelling
	Generation         string // GenRegion, GenFY, GenFiscalYear, GenBare
	Region, Country    string // GenRegion strings only
}

// parseProgram reads a program string; country is the row's country column
// (or ""), which tells where a GenRegion string's country ends. A report
// prints the same program string on every row of a group, and matching
// the grammar's expressions took half of a file's parse, so each answer is
// remembered (the memo is emptied when it holds more than programMemoMax
// strings: a long-running daemon reads many files).
func parseProgram(s, country string) (programInfo, bool) {
	k := [2]string{s, country}
	programMemo.Lock()
	r, ok := programMemo.m[k]
	programMemo.Unlock()
	if ok {
		return r.info, r.ok
	}
	info, found := readProgram(s, country)
	programMemo.Lock()
	if len(programMemo.m) >= programMemoMax {
		clear(programMemo.m)
	}
	programMemo.m[k] = programAnswer{info, found}
	programMemo.Unlock()
	return info, found
}

type programAnswer struct {
	info programInfo
	ok   bool
}

const programMemoMax = 50_000

var programMemo = struct {
	sync.Mutex
	m map[[2]string]programAnswer
}{m: map[[2]string]programAnswer{}}

// readProgram is parseProgram without the memo.
func readProgram(s, country string) (programInfo, bool) {
	s = tidy(s)
	var p programInfo
	switch m := yearProgram.FindStringSubmatch(s); {
	case m != nil:
		p.Generation = GenFY
		if !strings.EqualFold(m[2], "FY") {
			p.Generation = GenFiscalYear
		}
		p.FY, _ = strconv.Atoi(m[3])
		p.Dept = department(m[4])
		p.Name = m[1]
	default:
		m := regionProgram.FindStringSubmatch(s)
		switch {
		case m != nil:
			p.Generation = GenRegion
			p.Dept = department(m[1])
			p.FY = fullYear(m[3])
			body := m[2]
			if h := regionHead.FindStringSubmatch(body); h != nil {
				p.Region, body = h[1], h[2]
			}
			p.Country, p.Name = splitCountry(body, country)
			if p.Name == "" {
				return programInfo{}, false
			}
		case bareProgram.MatchString(s) && !strings.Contains(s, " - ") && !yearWords.MatchString(s):
			p.Generation, p.Name = GenBare, s
		default:
			return programInfo{}, false
		}
	}
	p.Name = tidy(programNote.ReplaceAllString(p.Name, ""))
	p.Program, p.Sub, p.Known = programCode(p.Name)
	return p, p.Program != ""
}

// department reads a department as printed ("DoS", "Department of
// Defense", "Department of Defense (DoD)"); an unknown one is kept
// upper-cased.
func department(s string) string {
	s = tidy(s)
	if s == "" {
		return ""
	}
	for _, k := range []string{s, tidy(parenthesis.ReplaceAllString(s, ""))} {
		if d, ok := departments[strings.ToLower(k)]; ok {
			return d
		}
	}
	return strings.ToUpper(s)
}

// fullYear: "01" → 2001, "99" → 1999, "2005" → 2005.
func fullYear(s string) int {
	y, _ := strconv.Atoi(s)
	if len(s) == 2 {
		if y >= 90 {
			return y + 1900
		}
		return y + 2000
	}
	return y
}

// splitCountry splits "<country>, <program>" of a GenRegion string. Both
// may hold commas ("Korea, Republic of", "Miscellaneous, DOS/DOD, …"): the
// country is the row's country column when the text starts with it, else the
// longest comma-ended prefix that names a country, else the text before the
// first comma.
func splitCountry(s, country string) (string, string) {
	if c := tidy(country); c != "" && len(s) > len(c) && strings.EqualFold(s[:len(c)], c) {
		if rest := strings.TrimLeft(s[len(c):], " "); strings.HasPrefix(rest, ",") {
			return c, strings.TrimSpace(rest[1:])
		}
	}
	cut := -1
	for i := len(s) - 1; i > 0; i-- {
		if s[i] == ',' {
			if code, _ := schemas.ResolveCountry(s[:i]); code != "" {
				cut = i
				break
			}
		}
	}
	if cut < 0 {
		cut = strings.Index(s, ",")
	}
	if cut < 0 {
		return "", s
	}
	return strings.TrimSpace(s[:cut]), strings.TrimSpace(s[cut+1:])
}

// programCode maps a program name to its code and sub-program. A known
// spelling gives its code; "IMET<qualifier>" is IMET with the qualifier as
// sub-program; "Section NNNN[/NNNN]" is SECTION_NNNN[_NNNN]; any other name
// is kept as itself: its parenthesised abbreviation when it has one
// ("… (ABC)" → ABC), else the name upper-cased with runs of other
// characters as "_".
func programCode(name string) (code, sub string, known bool) {
	if name == "" {
		return "", "", false
	}
	bare := tidy(parenthesis.ReplaceAllString(name, ""))
	for _, k := range []string{name, bare} {
		if c, ok := programByKey[programKey(k)]; ok {
			return c, "", true
		}
	}
	if m := imetLabel.FindStringSubmatch(bare); m != nil {
		if m[1] == "" {
			return ProgIMET, "", true
		}
		q := strings.Trim(nonAlnum.ReplaceAllString(strings.ToUpper(m[1]), "-"), "-")
		return ProgIMET, "IMET-" + q, len(q) <= 2 // IMET-1, IMET-2, IMET-X; longer qualifiers are new
	}
	if m := sectionLabel.FindStringSubmatch(bare); m != nil {
		nums := strings.Join(strings.FieldsFunc(m[1], func(r rune) bool { return r == '/' || r == ' ' }), "_")
		c := "SECTION_" + nums
		return c, "", c == ProgSection1004 || c == ProgSection1206 || c == ProgSection506
	}
	if ms := parenthesis.FindAllStringSubmatch(name, -1); len(ms) > 0 {
		if a := strings.TrimSpace(ms[len(ms)-1][1]); abbreviation.MatchString(a) {
			if c, ok := programByKey[programKey(a)]; ok {
				return c, "", true
			}
			return normCode(a), "", false
		}
	}
	return normCode(bare), "", false
}

// normCode: "Democracy Building" → DEMOCRACY_BUILDING, "FMF Repay" → FMF_REPAY.
func normCode(s string) string {
	return strings.Trim(nonAlnum.ReplaceAllString(strings.ToUpper(s), "_"), "_")
}
