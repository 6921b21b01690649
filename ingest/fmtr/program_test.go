package fmtr

import "testing"

func TestParseProgram(t *testing.T) {
	cases := []struct {
		in              string
		program, sub    string
		fy              int
		dept            string
		region, country string
	}{
		// FY2002 (2002_2003_Africa_fmtrpt.tsv).
		{"DOD Africa Region, Angola, Africa Center for Strategic Studies (ACSS), FY02", ProgRegionalCenters, "", 2002, "DOD", "Africa", "Angola"},
		{"Africa Region, Senegal, International Military Education and Training (IMET), FY02", ProgIMET, "", 2002, "", "Africa", "Senegal"},
		{"DOS Africa Region, Botswana, Enhanced International Peacekeeping Capabilities (EIPC), FY02", ProgEIPC, "", 2002, "DOS", "Africa", "Botswana"},
		{"DOD Africa Region, Nigeria, Center For Hemispheric Defense Studies(CHDS), FY02", ProgRegionalCenters, "", 2002, "DOD", "Africa", "Nigeria"},
		{"DOD Africa Region, Botswana, Non-Security Assistance, Unified Command, FY02", ProgNonSAUC, "", 2002, "DOD", "Africa", "Botswana"},
		{"DOS Africa Region, Senegal, African Contingency Operations Training and Assistance, FY02", ProgACOTA, "", 2002, "DOS", "Africa", "Senegal"},
		{"DOD Africa Region, Democratic Republic of Congo (Congo - Kinshasa), Africa Center for Strategic Studies (ACSS), FY02", ProgRegionalCenters, "", 2002, "DOD", "Africa", "Democratic Republic of Congo (Congo - Kinshasa)"},
		// FY2005 (2005_2006_All_Regions_fmtrpt.tsv).
		{"Near East Region, Egypt, Foreign Military Financing (FMF), FY05", ProgFMF, "", 2005, "", "Near East", "Egypt"},
		{"East Asia and Pacific Region, Philippines, International Military Education and Training (IMET), FY05", ProgIMET, "", 2005, "", "East Asia and Pacific", "Philippines"},
		{"DOS Western Hemisphere Region, Jamaica, International Military Education and Training (IMET), FY05", ProgIMET, "", 2005, "DOS", "Western Hemisphere", "Jamaica"},
		{"Western Hemisphere Region, Colombia, Drug Interdiction and Counter-Drug Activities, Section 1004, FY05", ProgSection1004, "", 2005, "", "Western Hemisphere", "Colombia"},
		{"DOHS Western Hemisphere Region, Honduras, Department of Homeland Security/United States Coat Guard Activities, FY05", ProgDHSUSCG, "", 2005, "DHS", "Western Hemisphere", "Honduras"},
		{"Near East Region, Iraq, Miscellaneous, DOD/DOS Non-Security Assistance, FY05", ProgNonSAMisc, "", 2005, "", "Near East", "Iraq"},
		{"DOD Europe Region, Bosnia & Herzegovina, Regional Defense Counterterrorism Fellowship Program, FY05", ProgCTFP, "", 2005, "DOD", "Europe", "Bosnia & Herzegovina"},
		// FY2009.
		{"IMET-1 - FY 2009 DoS Training", ProgIMET, "IMET-1", 2009, "DOS", "", ""},
		{"IMET-X - FY 2009 DoS Training", ProgIMET, "IMET-X", 2009, "DOS", "", ""},
		{"DOHS/USCG - FY 2009 DOHS Training", ProgDHSUSCG, "", 2009, "DHS", "", ""},
		{"Non-SA, UC, JCET - FY 2009 DoD Training", ProgNonSAUC, "", 2009, "DOD", "", ""},
		{"Misc DOD/DOS Non-SA - FY 2009 DoD Training", ProgNonSAMisc, "", 2009, "DOD", "", ""},
		{"Section 1004 - FY 2009 DoD Training", ProgSection1004, "", 2009, "DOD", "", ""},
		{"Exchange - FY 2009 DoD Training", ProgExchange, "", 2009, "DOD", "", ""},
		// FY2013.
		{"IMET-1 - Fiscal Year 2013 Department of State Training", ProgIMET, "IMET-1", 2013, "DOS", "", ""},
		{"IMET-2 - Fiscal Year 2013 Department of State Training", ProgIMET, "IMET-2", 2013, "DOS", "", ""},
		{"Regional Centers - Fiscal Year 2013 Department of Defense Training", ProgRegionalCenters, "", 2013, "DOD", "", ""},
		{"DOHS/USCG - Fiscal Year 2013 Department of Homeland Security Training", ProgDHSUSCG, "", 2013, "DHS", "", ""},
		{"Section 1206 - Fiscal Year 2013 Department of Defense Training", ProgSection1206, "", 2013, "DOD", "", ""},
		{"Misc DoD/DoS Non-SA - Fiscal Year 2013 Department of Defense Training", ProgNonSAMisc, "", 2013, "DOD", "", ""},
		{"Non-SA, UC - Fiscal Year 2013 Department of Defense Training", ProgNonSAUC, "", 2013, "DOD", "", ""},
		{"PKO - Fiscal Year 2013 Department of State Training", ProgPKO, "", 2013, "DOS", "", ""},
	}
	for _, c := range cases {
		p, sub, fy, dept, ok := ParseProgram(c.in)
		if !ok || p != c.program || sub != c.sub || fy != c.fy || dept != c.dept {
			t.Errorf("ParseProgram(%q) = %q %q %d %q %v, want %q %q %d %q", c.in, p, sub, fy, dept, ok, c.program, c.sub, c.fy, c.dept)
		}
		info, _ := parseProgram(c.in)
		if info.Region != c.region || info.Country != c.country {
			t.Errorf("parseProgram(%q): region %q country %q, want %q %q", c.in, info.Region, info.Country, c.region, c.country)
		}
	}
	for _, s := range []string{
		"", "IMET-1", "IMET-1 - FY 2009 Training", "IMET-1 - FY 2009 DoX Training", "Widgets - FY 2009 DoD Training",
		"Africa Region, Senegal, Widget Assistance, FY02", "Africa Region, Senegal, International Military Education and Training (IMET)",
		"FY 2009 Program Totals",
	} {
		if p, _, _, _, ok := ParseProgram(s); ok {
			t.Errorf("ParseProgram(%q) ok (%s)", s, p)
		}
	}
}
