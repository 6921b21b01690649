package fmtr

import (
	"regexp"
	"strconv"
	"strings"
)

// Normalised program codes. The report names the funding program in a
// different way in each format generation; these are the codes every
// spelling found in the reports maps to (docs/fmtr.md lists the spellings).
const (
	ProgIMET             = "IMET"              // International Military Education and Training (IMET-1, IMET-2, IMET-X in SubProgram)
	ProgFMF              = "FMF"               // Foreign Military Financing
	ProgCTFP             = "CTFP"              // Regional Defense Counterterrorism Fellowship Program
	ProgPKO              = "PKO"               // Peacekeeping Operations
	ProgGPOI             = "GPOI"              // Global Peace Operations Initiative
	ProgINL              = "INL"               // International Narcotics and Law Enforcement
	ProgSection1004      = "SECTION_1004"      // Drug Interdiction and Counter-Drug Activities, Section 1004
	ProgSection1206      = "SECTION_1206"      // Section 1206 train and equip
	ProgSection506       = "SECTION_506"       // Foreign Assistance Act Draw Down, Section 506
	ProgRegionalCenters  = "REGIONAL_CENTERS"  // DoD Regional Centers for Strategic Studies (ACSS, APCSS, CHDS, NESA, Marshall)
	ProgServiceAcademies = "SERVICE_ACADEMIES" // U.S. service academies
	ProgDHSUSCG          = "DHS_USCG"          // Department of Homeland Security / U.S. Coast Guard activities
	ProgALP              = "ALP"               // Aviation Leadership Program
	ProgPME              = "PME"               // Professional military education exchanges
	ProgExchange         = "EXCHANGE"          // Exchange (printed beside PME in FY2009 and FY2013, with its own totals)
	ProgNonSAMisc        = "NON_SA_MISC"       // Miscellaneous DoD/DoS non-security-assistance
	ProgNonSAUC          = "NON_SA_UC"         // Non-security-assistance, unified (combatant) command, incl. JCET
	ProgEIPC             = "EIPC"              // Enhanced International Peacekeeping Capabilities
	ProgACOTA            = "ACOTA"             // African Contingency Operations Training and Assistance
)

// Programs lists every normalised program code, in documentation order.
var Programs = []string{
	ProgIMET, ProgFMF, ProgCTFP, ProgPKO, ProgGPOI, ProgINL, ProgSection1004,
	ProgSection1206, ProgSection506, ProgRegionalCenters, ProgServiceAcademies,
	ProgDHSUSCG, ProgALP, ProgPME, ProgExchange, ProgNonSAMisc, ProgNonSAUC,
	ProgEIPC, ProgACOTA,
}

// Short program labels of the FY2009 and FY2013 reports ("IMET-1 - FY 2009
// DoS Training"), keyed by their folded spelling.
var shortPrograms = map[string]string{
	"fmf":                 ProgFMF,
	"ctfp":                ProgCTFP,
	"pko":                 ProgPKO,
	"gpoi":                ProgGPOI,
	"inl":                 ProgINL,
	"section 1004":        ProgSection1004,
	"section 1206":        ProgSection1206,
	"section 506":         ProgSection506,
	"regional centers":    ProgRegionalCenters,
	"service academies":   ProgServiceAcademies,
	"dohs/uscg":           ProgDHSUSCG,
	"dhs/uscg":            ProgDHSUSCG,
	"alp":                 ProgALP,
	"pme":                 ProgPME,
	"exchange":            ProgExchange,
	"misc dod/dos non-sa": ProgNonSAMisc,
	"non-sa, uc":          ProgNonSAUC,
	"non-sa, uc, jcet":    ProgNonSAUC,
	"eipc":                ProgEIPC,
	"acota":               ProgACOTA,
}

// Long program names of the FY2002 and FY2005 reports ("DOD Africa Region,
// Angola, Africa Center for Strategic Studies (ACSS), FY02"), folded.
var longPrograms = map[string]string{
	"international military education and training (imet)":                 ProgIMET,
	"foreign military financing (fmf)":                                     ProgFMF,
	"regional defense counterterrorism fellowship program":                 ProgCTFP,
	"international narcotics and law enforcement (inl)":                    ProgINL,
	"drug interdiction and counter-drug activities, section 1004":          ProgSection1004,
	"foreign assistance act draw down, section 506":                        ProgSection506,
	"dod regional centers for strategic studies":                           ProgRegionalCenters,
	"africa center for strategic studies (acss)":                           ProgRegionalCenters,
	"asia-pacific center":                                                  ProgRegionalCenters,
	"center for hemispheric defense studies (chds)":                        ProgRegionalCenters,
	"near east south asia center (nesa)":                                   ProgRegionalCenters,
	"aviation leadership program":                                          ProgALP,
	"department of homeland security/united states coat guard activities":  ProgDHSUSCG,
	"department of homeland security/united states coast guard activities": ProgDHSUSCG,
	"enhanced international peacekeeping capabilities (eipc)":              ProgEIPC,
	"miscellaneous, dod/dos non-security assistance":                       ProgNonSAMisc,
	"non-security assistance, combatant command":                           ProgNonSAUC,
	"non-security assistance, unified command":                             ProgNonSAUC,
	"pme exchanges":     ProgPME,
	"service academies": ProgServiceAcademies,
	"african contingency operations training and assistance": ProgACOTA,
	"peacekeeping operations (pko)":                          ProgPKO,
	"global peace operations initiative (gpoi)":              ProgGPOI,
}

var departments = map[string]string{
	"dos": "DOS", "department of state": "DOS",
	"dod": "DOD", "department of defense": "DOD",
	"dohs": "DHS", "dhs": "DHS", "department of homeland security": "DHS",
}

var (
	// FY2009 / FY2013: "<label> - FY 2009 <dept> Training",
	// "<label> - Fiscal Year 2013 <dept> Training".
	modernProgram = regexp.MustCompile(`(?i)^(.+?)\s+-\s+(?:FY|Fiscal\s+Year)\s*(\d{4})\s+(.+?)\s+Training$`)
	// FY2002 / FY2005: "[DOS |DOD |DOHS ]<region> Region, <country>, <program>, FY02".
	oldProgram    = regexp.MustCompile(`(?i)^(?:(DOS|DOD|DOHS|DHS)\s+)?(.+?),\s*FY\s?(\d{2}|\d{4})$`)
	imetLabel     = regexp.MustCompile(`(?i)^IMET(?:\s*-\s*([0-9A-Z]+))?$`)
	sectionLabel  = regexp.MustCompile(`(?i)^section\s+(\d{3,4})$`)
	spaceRun      = regexp.MustCompile(`\s+`)
	spaceBeforeOp = regexp.MustCompile(`(\S)\(`)
)

// fold lower-cases s, puts a space before "(" and collapses white space.
func fold(s string) string {
	s = spaceBeforeOp.ReplaceAllString(strings.TrimSpace(s), "$1 (")
	return strings.ToLower(spaceRun.ReplaceAllString(s, " "))
}

// ParseProgram reads the program column of a report row, in any of the
// format generations of the reports:
//
//	FY2002: "DOD Africa Region, Angola, Africa Center for Strategic Studies (ACSS), FY02"
//	FY2005: "Near East Region, Egypt, Foreign Military Financing (FMF), FY05"
//	FY2009: "IMET-1 - FY 2009 DoS Training"
//	FY2013: "IMET-1 - Fiscal Year 2013 Department of State Training"
//
// It returns the normalised program code (see Programs), the sub-program as
// printed (IMET-1, IMET-2, IMET-X; "" otherwise), the fiscal year and the
// department (DOS, DOD, DHS; "" when the string names none). ok is false when
// the string is not one of these shapes or names a program not in the list.
// The FY2002/FY2005 strings also name a region and a country: they are not
// returned (the row's country column is the country).
func ParseProgram(s string) (program, sub string, fy int, dept string, ok bool) {
	p, ok := parseProgram(s)
	return p.Program, p.Sub, p.FY, p.Dept, ok
}

type programInfo struct {
	Program, Sub, Dept string
	FY                 int
	Region, Country    string // FY2002/FY2005 strings only
}

func parseProgram(s string) (programInfo, bool) {
	s = strings.TrimSpace(spaceRun.ReplaceAllString(s, " "))
	if m := modernProgram.FindStringSubmatch(s); m != nil {
		dept, ok := departments[fold(m[3])]
		if !ok {
			return programInfo{}, false
		}
		fy, _ := strconv.Atoi(m[2])
		label := strings.TrimSpace(m[1])
		p := programInfo{Dept: dept, FY: fy}
		if im := imetLabel.FindStringSubmatch(label); im != nil {
			p.Program = ProgIMET
			if im[1] != "" {
				p.Sub = "IMET-" + strings.ToUpper(im[1])
			}
			return p, true
		}
		if code, ok := shortPrograms[fold(label)]; ok {
			p.Program = code
			return p, true
		}
		if sm := sectionLabel.FindStringSubmatch(label); sm != nil {
			p.Program = "SECTION_" + sm[1]
			return p, true
		}
		return programInfo{}, false
	}
	if m := oldProgram.FindStringSubmatch(s); m != nil {
		p := programInfo{}
		if m[1] != "" {
			p.Dept = departments[strings.ToLower(m[1])]
		}
		fy, _ := strconv.Atoi(m[3])
		if len(m[3]) == 2 {
			if fy >= 90 {
				fy += 1900
			} else {
				fy += 2000
			}
		}
		p.FY = fy
		rest := fold(m[2])
		// The longest program name the rest ends with; what precedes it is
		// "<region> Region, <country>".
		best := ""
		for name := range longPrograms {
			if (rest == name || strings.HasSuffix(rest, ", "+name)) && len(name) > len(best) {
				best = name
			}
		}
		if best == "" {
			return programInfo{}, false
		}
		p.Program = longPrograms[best]
		// Recover region and country from the original spelling.
		orig := strings.TrimSpace(m[2])
		head := ""
		if len(rest) > len(best) {
			head = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(orig[:len(orig)-approxLen(orig, best)]), ","))
		}
		if i := strings.Index(strings.ToLower(head), " region, "); i >= 0 {
			p.Region, p.Country = head[:i], strings.TrimSpace(head[i+len(" region, "):])
		} else {
			p.Country = head
		}
		return p, true
	}
	return programInfo{}, false
}

// approxLen returns how many bytes at the end of orig spell the folded
// program name name (folding may have added spaces before "(").
func approxLen(orig, name string) int {
	for n := max(len(name)-8, 1); n <= len(orig); n++ {
		if fold(orig[len(orig)-n:]) == name {
			return n
		}
	}
	return 0
}
