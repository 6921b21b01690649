package fmtr

import "testing"

// Each generation's program-string grammar on real strings of the report
// files (file named in the comment above each group).
func TestParseProgram(t *testing.T) {
	cases := []struct {
		in              string
		program, sub    string
		fy              int
		dept            string
		known           bool
		gen             string
		region, country string
	}{
		// FY2001 (2001_2002_*_fmtrpt.tsv): "(Note n)" and centre names.
		{"DoS Africa Region, Angola, Africa Center for Strategic Studies, FY01", ProgRegionalCenters, "", 2001, "DOS", true, GenRegion, "Africa", "Angola"},
		{"DoS Africa Region, Botswana, Non-Security Assistance, Unified Command (Note 4), FY01", ProgNonSAUC, "", 2001, "DOS", true, GenRegion, "Africa", "Botswana"},
		{"DoS Western Hemisphere Region, Colombia, Section 1004 (Note 1), FY01", ProgSection1004, "", 2001, "DOS", true, GenRegion, "Western Hemisphere", "Colombia"},
		{"DoS Europe Region, Albania, Miscellaneous, DOS/DOD, Non-Security Assistance (Note 3), FY01", ProgNonSAMisc, "", 2001, "DOS", true, GenRegion, "Europe", "Albania"},
		{"DoS Africa Region, Botswana, Enhanced International Peacekeeping Capabilities (EPIC), FY01", ProgEIPC, "", 2001, "DOS", true, GenRegion, "Africa", "Botswana"},
		{"DoS Africa Region, Benin, African Crisis Response Initiative, FY01", ProgACRI, "", 2001, "DOS", true, GenRegion, "Africa", "Benin"},
		{"DoS Western Hemisphere Region, Bahamas, DoT/USCG Activities, FY01", ProgDHSUSCG, "", 2001, "DOS", true, GenRegion, "Western Hemisphere", "Bahamas"},
		{"DoS Near East Region, Israel, Credit (Repayable), FY01", "CREDIT", "", 2001, "DOS", false, GenRegion, "Near East", "Israel"},
		{"DoS Europe Region, Turkey, IMET 2-Year Funding Authority (Title VI Emergency Supplemental Appropriation), FY01", ProgIMET, "IMET-2-YEAR-FUNDING-AUTHORITY", 2001, "DOS", false, GenRegion, "Europe", "Turkey"},
		{"DoS NIS Region, Ukraine, Marshall Center, FY01", ProgRegionalCenters, "", 2001, "DOS", true, GenRegion, "NIS", "Ukraine"},
		// An inverted country name with its own comma.
		{"DoS East Asia and Pacific Region, Korea, Republic of, International Military Education and Training (IMET), FY01", ProgIMET, "", 2001, "DOS", true, GenRegion, "East Asia and Pacific", "Korea, Republic of"},
		// FY2002 (2002_2003_Africa_fmtrpt.tsv).
		{"DOD Africa Region, Angola, Africa Center for Strategic Studies (ACSS), FY02", ProgRegionalCenters, "", 2002, "DOD", true, GenRegion, "Africa", "Angola"},
		{"Africa Region, Senegal, International Military Education and Training (IMET), FY02", ProgIMET, "", 2002, "", true, GenRegion, "Africa", "Senegal"},
		{"DOS Africa Region, Botswana, Enhanced International Peacekeeping Capabilities (EIPC), FY02", ProgEIPC, "", 2002, "DOS", true, GenRegion, "Africa", "Botswana"},
		{"DOD Africa Region, Nigeria, Center For Hemispheric Defense Studies(CHDS), FY02", ProgRegionalCenters, "", 2002, "DOD", true, GenRegion, "Africa", "Nigeria"},
		{"DOD Africa Region, Botswana, Non-Security Assistance, Unified Command, FY02", ProgNonSAUC, "", 2002, "DOD", true, GenRegion, "Africa", "Botswana"},
		{"DOS Africa Region, Senegal, African Contingency Operations Training and Assistance, FY02", ProgACOTA, "", 2002, "DOS", true, GenRegion, "Africa", "Senegal"},
		{"DOD Africa Region, Democratic Republic of Congo (Congo - Kinshasa), Africa Center for Strategic Studies (ACSS), FY02", ProgRegionalCenters, "", 2002, "DOD", true, GenRegion, "Africa", "Democratic Republic of Congo (Congo - Kinshasa)"},
		// FY2005 (2005_2006_All_Regions_fmtrpt.tsv).
		{"Near East Region, Egypt, Foreign Military Financing (FMF), FY05", ProgFMF, "", 2005, "", true, GenRegion, "Near East", "Egypt"},
		{"DOS Western Hemisphere Region, Jamaica, International Military Education and Training (IMET), FY05", ProgIMET, "", 2005, "DOS", true, GenRegion, "Western Hemisphere", "Jamaica"},
		{"Western Hemisphere Region, Colombia, Drug Interdiction and Counter-Drug Activities, Section 1004, FY05", ProgSection1004, "", 2005, "", true, GenRegion, "Western Hemisphere", "Colombia"},
		{"DOHS Western Hemisphere Region, Honduras, Department of Homeland Security/United States Coat Guard Activities, FY05", ProgDHSUSCG, "", 2005, "DHS", true, GenRegion, "Western Hemisphere", "Honduras"},
		{"Near East Region, Iraq, Miscellaneous, DOD/DOS Non-Security Assistance, FY05", ProgNonSAMisc, "", 2005, "", true, GenRegion, "Near East", "Iraq"},
		{"DOD Europe Region, Bosnia & Herzegovina, Regional Defense Counterterrorism Fellowship Program, FY05", ProgCTFP, "", 2005, "DOD", true, GenRegion, "Europe", "Bosnia & Herzegovina"},
		// FY2006 (2006_2007_*_fmtrpt.tsv): "IMET" without sub-program, bare names.
		{"IMET - FY 2006 DoS Training", ProgIMET, "", 2006, "DOS", true, GenFY, "", ""},
		{"IMET Multi-Year - FY 2006 DoS Training", ProgIMET, "IMET-MULTI-YEAR", 2006, "DOS", false, GenFY, "", ""},
		{"Non-SA, Combatant Command - FY 2006 DoD Training", ProgNonSAUC, "", 2006, "DOD", true, GenFY, "", ""},
		{"DOHS/USCG Activities - FY 2006 DOHS Training", ProgDHSUSCG, "", 2006, "DHS", true, GenFY, "", ""},
		{"Section 1206 - FY 2006 DoD Training", ProgSection1206, "", 2006, "DOD", true, GenFY, "", ""},
		{"Democracy Building", "DEMOCRACY_BUILDING", "", 0, "", false, GenBare, "", ""},
		{"PSP2006 AF-PK", "PSP2006_AF_PK", "", 0, "", false, GenBare, "", ""},
		// FY2009.
		{"IMET-1 - FY 2009 DoS Training", ProgIMET, "IMET-1", 2009, "DOS", true, GenFY, "", ""},
		{"IMET-X - FY 2009 DoS Training", ProgIMET, "IMET-X", 2009, "DOS", true, GenFY, "", ""},
		{"DOHS/USCG - FY 2009 DOHS Training", ProgDHSUSCG, "", 2009, "DHS", true, GenFY, "", ""},
		{"Non-SA, UC, JCET - FY 2009 DoD Training", ProgNonSAUC, "", 2009, "DOD", true, GenFY, "", ""},
		{"Misc DOD/DOS Non-SA - FY 2009 DoD Training", ProgNonSAMisc, "", 2009, "DOD", true, GenFY, "", ""},
		{"Exchange - FY 2009 DoD Training", ProgExchange, "", 2009, "DOD", true, GenFY, "", ""},
		// A department the lists do not know is kept, a missing one is "".
		{"IMET-1 - FY 2009 DoX Training", ProgIMET, "IMET-1", 2009, "DOX", true, GenFY, "", ""},
		{"IMET-1 - FY 2009 Training", ProgIMET, "IMET-1", 2009, "", true, GenFY, "", ""},
		// Variations of print a report year not shared may have.
		{"IMET-1 \u2013 FY 2010 DoS Training", ProgIMET, "IMET-1", 2010, "DOS", true, GenFY, "", ""},
		{"IMET-1 - FY2010 DoS", ProgIMET, "IMET-1", 2010, "DOS", true, GenFY, "", ""},
		{"FMF - Fiscal Year 2015 Department of State (DoS) Training", ProgFMF, "", 2015, "DOS", true, GenFiscalYear, "", ""},
		{"DOS Angola, International Military Education and Training (IMET), FY03", ProgIMET, "", 2003, "DOS", true, GenRegion, "", "Angola"},
		// FY2013.
		{"IMET-1 - Fiscal Year 2013 Department of State Training", ProgIMET, "IMET-1", 2013, "DOS", true, GenFiscalYear, "", ""},
		{"Regional Centers - Fiscal Year 2013 Department of Defense Training", ProgRegionalCenters, "", 2013, "DOD", true, GenFiscalYear, "", ""},
		{"DOHS/USCG - Fiscal Year 2013 Department of Homeland Security Training", ProgDHSUSCG, "", 2013, "DHS", true, GenFiscalYear, "", ""},
		{"Misc DoD/DoS Non-SA - Fiscal Year 2013 Department of Defense Training", ProgNonSAMisc, "", 2013, "DOD", true, GenFiscalYear, "", ""},
		{"PKO - Fiscal Year 2013 Department of State Training", ProgPKO, "", 2013, "DOS", true, GenFiscalYear, "", ""},
		// FY2017 (2017_2018_*_fmtrpt.tsv): programs no earlier report names.
		{"CTPF - Fiscal Year 2017 Department of Defense Training", "CTPF", "", 2017, "DOD", false, GenFiscalYear, "", ""},
		{"INCLE - Fiscal Year 2017 Department of State Training", ProgINL, "", 2017, "DOS", true, GenFiscalYear, "", ""},
		{"ASFF - Fiscal Year 2017 Department of Defense Training", "ASFF", "", 2017, "DOD", false, GenFiscalYear, "", ""},
		{"Section 1206/2282 - Fiscal Year 2017 Department of Defense Training", "SECTION_1206_2282", "", 2017, "DOD", false, GenFiscalYear, "", ""},
		{"Section 2282 - Fiscal Year 2017 Department of Defense Training", "SECTION_2282", "", 2017, "DOD", false, GenFiscalYear, "", ""},
		{"FMF Repay - Fiscal Year 2017 Department of State Training", "FMF_REPAY", "", 2017, "DOS", false, GenFiscalYear, "", ""},
		{"Widgets - FY 2009 DoD Training", "WIDGETS", "", 2009, "DOD", false, GenFY, "", ""},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			p, sub, fy, dept, known, ok := ParseProgram(c.in)
			if !ok || p != c.program || sub != c.sub || fy != c.fy || dept != c.dept || known != c.known {
				t.Errorf("ParseProgram(%q) = %q %q %d %q known=%v ok=%v, want %q %q %d %q known=%v", c.in, p, sub, fy, dept, known, ok, c.program, c.sub, c.fy, c.dept, c.known)
			}
			info, _ := parseProgram(c.in, c.country)
			if info.Region != c.region || info.Country != c.country || info.Generation != c.gen {
				t.Errorf("parseProgram(%q): region %q country %q generation %s, want %q %q %s", c.in, info.Region, info.Country, info.Generation, c.region, c.country, c.gen)
			}
		})
	}
	// Without the country column, the longest comma-ended prefix naming a
	// country is the country.
	if info, _ := parseProgram("DoS East Asia and Pacific Region, Korea, Republic of, International Military Education and Training (IMET), FY01", ""); info.Country != "Korea, Republic of" || info.Program != ProgIMET {
		t.Errorf("without the country column: %+v", info)
	}
	for _, s := range []string{
		"", "Africa Region, Senegal, International Military Education and Training (IMET)",
		"FY 2009 Program Totals", "Fiscal Year 2013 Program Totals", "IMET - something - else",
	} {
		if p, _, _, _, _, ok := ParseProgram(s); ok {
			t.Errorf("ParseProgram(%q) ok (%s)", s, p)
		}
	}
}
