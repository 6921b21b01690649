package synth

import (
	"math"
	"strconv"
	"strings"
)

// Course categories and functional areas as the contract names them.
const (
	catPME = iota
	catTechnical
	catELT
	catEIMET
	catMTT
	catOther
	nCategories
)

var categoryNames = [nCategories]string{"PME", "TECHNICAL", "ELT", "EIMET", "MTT", "OTHER"}

var functionalAreas = []string{"LEADERSHIP", "LEGAL", "LOGISTICS", "INTELLIGENCE", "MEDICAL", "MARITIME", "AVIATION",
	"RESOURCE_MANAGEMENT", "HUMAN_RIGHTS", "PEACEKEEPING", "CYBER", "OTHER"}

type course struct {
	code     string
	title    string
	school   string
	category int
	fa       string // "" = not recorded
	weeks    float64
	hr       bool
	lo, hi   rank // eligible ranks (inclusive, in rank order)
	civ      bool // civilians attend
	weight   float64
	weekly   float64 // U.S. tuition per week, FY2008 dollars
	resident bool    // long resident course: starts in summer
}

// courseTemplate is a course as the catalogue below writes it: "lo-hi" ranks
// like "OF3-OF4", "OR5-OR9", "WO1-OF3"; "+civ" lets civilians attend.
type courseTemplate struct {
	cat    int
	fa     string
	school string
	title  string
	weeks  float64
	ranks  string
	weight float64
}

const (
	schAWC    = "U.S. Army War College"
	schCGSC   = "U.S. Army Command and General Staff College"
	schNWC    = "Naval War College"
	schNPS    = "Naval Postgraduate School"
	schAirWC  = "Air War College"
	schACSC   = "Air Command and Staff College"
	schSOS    = "Squadron Officer School"
	schMCWAR  = "Marine Corps War College"
	schMCCSC  = "Marine Corps Command and Staff College"
	schEWS    = "Expeditionary Warfare School"
	schNDU    = "National Defense University"
	schCISA   = "College of International Security Affairs"
	schMCoE   = "Maneuver Center of Excellence"
	schFires  = "Fires Center of Excellence"
	schEngr   = "U.S. Army Engineer School"
	schSignal = "U.S. Army Signal School"
	schALU    = "Army Logistics University"
	schMI     = "U.S. Army Intelligence Center of Excellence"
	schMed    = "U.S. Army Medical Center of Excellence"
	schAvn    = "U.S. Army Aviation Center of Excellence"
	schSMA    = "U.S. Army Sergeants Major Academy"
	schMP     = "U.S. Army Military Police School"
	schWHIN   = "Western Hemisphere Institute for Security Cooperation (WHINSEC)"
	schSWCS   = "U.S. Army John F. Kennedy Special Warfare Center and School"
	schPKSOI  = "U.S. Army Peacekeeping and Stability Operations Institute"
	schCyber  = "U.S. Army Cyber School"
	schIADC   = "Inter-American Defense College"
	schIAAFA  = "Inter-American Air Forces Academy"
	schNAVSC  = "Naval Small Craft Instruction and Technical Training School"
	schSWOS   = "Surface Warfare Officers School"
	schNASC   = "Naval Aviation Schools Command"
	schNLEC   = "Naval Leadership and Ethics Center"
	schUSCG   = "U.S. Coast Guard Training Center Yorktown"
	schDLI    = "Defense Language Institute English Language Center"
	schDIILS  = "Defense Institute of International Legal Studies"
	schDRMI   = "Defense Resources Management Institute"
	schCCMR   = "Center for Civil-Military Relations"
	schDIMO   = "Defense Institute for Medical Operations"
	schDSCU   = "Defense Security Cooperation University"
	schAFSOS  = "Air Force Special Operations School"
	schAETC   = "Air Education and Training Command"
	schMCIS   = "Marine Corps Intelligence Schools"
	schUSCGA  = "U.S. Coast Guard Academy"
	schEODS   = "Naval School Explosive Ordnance Disposal"
)

// courseCatalogue is modelled on the courses international students attend
// (Security Cooperation Training courses listed in the MASL).
var courseCatalogue = []courseTemplate{
	// Professional military education.
	{catPME, "LEADERSHIP", schAWC, "International Fellows Program, Resident Course", 44, "OF4-OF5", 2},
	{catPME, "LEADERSHIP", schAWC, "Defense Strategy Course", 10, "OF4-OF5", 0.6},
	{catPME, "LEADERSHIP", schCGSC, "Command and General Staff Officer Course (International Officer)", 44, "OF3-OF4", 5},
	{catPME, "LEADERSHIP", schCGSC, "International Officer Preparatory Course", 6, "OF3-OF4", 2},
	{catPME, "LEADERSHIP", schCGSC, "School of Advanced Military Studies, Advanced Military Studies Program", 48, "OF3-OF4", 0.5},
	{catPME, "LEADERSHIP", schNWC, "Naval Command College", 44, "OF4-OF5", 2},
	{catPME, "MARITIME", schNWC, "Naval Staff College", 44, "OF3-OF4", 3},
	{catPME, "LEADERSHIP", schAirWC, "Air War College, Resident International Officer", 44, "OF4-OF5", 2},
	{catPME, "AVIATION", schACSC, "Air Command and Staff College, International Officer", 40, "OF3-OF4", 3},
	{catPME, "LEADERSHIP", schSOS, "Squadron Officer School", 7, "OF2-OF3", 3},
	{catPME, "LEADERSHIP", schMCWAR, "Marine Corps War College", 44, "OF5-OF5", 1},
	{catPME, "LEADERSHIP", schMCCSC, "Command and Staff College, International Military Student", 44, "OF3-OF4", 2},
	{catPME, "LEADERSHIP", schEWS, "Expeditionary Warfare School", 36, "OF2-OF3", 2},
	{catPME, "LEADERSHIP", schNDU, "National War College, International Fellow", 44, "OF5-OF6+civ", 1},
	{catPME, "RESOURCE_MANAGEMENT", schNDU, "Eisenhower School for National Security and Resource Strategy, International Fellow", 44, "OF5-OF5+civ", 1},
	{catPME, "LEADERSHIP", schNDU, "CAPSTONE International Program", 2, "OF6-OF7", 0.4},
	{catPME, "OTHER", schCISA, "Master of Arts in Strategic Security Studies (Counterterrorism Fellowship)", 44, "OF3-OF5+civ", 2},
	{catPME, "LEADERSHIP", schMCoE, "Maneuver Captains Career Course", 22, "OF2-OF3", 6},
	{catPME, "LEADERSHIP", schFires, "Field Artillery Captains Career Course", 22, "OF2-OF3", 3},
	{catPME, "LEADERSHIP", schEngr, "Engineer Captains Career Course", 22, "OF2-OF3", 3},
	{catPME, "LOGISTICS", schALU, "Logistics Captains Career Course", 22, "OF2-OF3", 3},
	{catPME, "INTELLIGENCE", schMI, "Military Intelligence Captains Career Course", 24, "OF2-OF3", 3},
	{catPME, "CYBER", schSignal, "Signal Captains Career Course", 20, "OF2-OF3", 2},
	{catPME, "MEDICAL", schMed, "Army Medical Department Captains Career Course", 20, "OF2-OF3", 2},
	{catPME, "LEADERSHIP", schMP, "Military Police Captains Career Course", 20, "OF2-OF3", 1.5},
	{catPME, "LEADERSHIP", schMCoE, "Infantry Basic Officer Leader Course", 17, "OF1-OF1", 4},
	{catPME, "LEADERSHIP", schMCoE, "Armor Basic Officer Leader Course", 19, "OF1-OF1", 2},
	{catPME, "LEADERSHIP", schFires, "Field Artillery Basic Officer Leader Course", 20, "OF1-OF1", 2},
	{catPME, "LEADERSHIP", schEngr, "Engineer Basic Officer Leader Course", 18, "OF1-OF1", 2},
	{catPME, "CYBER", schSignal, "Signal Basic Officer Leader Course", 17, "OF1-OF1", 1.5},
	{catPME, "LOGISTICS", schALU, "Quartermaster Basic Officer Leader Course", 14, "OF1-OF1", 1.5},
	{catPME, "INTELLIGENCE", schMI, "Military Intelligence Basic Officer Leader Course", 16, "OF1-OF1", 1.5},
	{catPME, "LEADERSHIP", schSMA, "Sergeants Major Course", 43, "OR8-OR9", 2},
	{catPME, "LEADERSHIP", schSMA, "Battle Staff Noncommissioned Officer Course", 6, "OR6-OR8", 2},
	{catPME, "LEADERSHIP", schSMA, "Master Leader Course", 3, "OR7-OR8", 1},
	{catPME, "LEADERSHIP", schWHIN, "Command and General Staff Officer Course (Spanish)", 49, "OF3-OF4", 4},
	{catPME, "LEADERSHIP", schWHIN, "Captains Career Course (Spanish)", 23, "OF2-OF3", 3},
	{catPME, "LEADERSHIP", schWHIN, "Noncommissioned Officer Professional Development Course", 9, "OR5-OR8", 2},
	{catPME, "LEADERSHIP", schIADC, "Master of Science in Inter-American Defense and Security", 44, "OF5-OF5+civ", 2},
	{catPME, "LEADERSHIP", schIAAFA, "Squadron Officer Course (Spanish)", 8, "OF2-OF3", 2},
	{catPME, "LEADERSHIP", schNLEC, "Division Officer Leadership Course", 2, "OF1-OF2", 1.5},
	{catPME, "MARITIME", schUSCGA, "International Maritime Officers Course", 10, "OF1-OF3", 2},
	{catPME, "LEADERSHIP", schUSCGA, "International Chief Petty Officer Academy", 6, "OR7-OR9", 1},

	// Technical training.
	{catTechnical, "INTELLIGENCE", schNPS, "Master of Science in Defense Analysis", 72, "OF2-OF4", 2},
	{catTechnical, "RESOURCE_MANAGEMENT", schNPS, "Master of Science in Operations Research", 96, "OF2-OF4", 1},
	{catTechnical, "CYBER", schNPS, "Master of Science in Cyber Systems and Operations", 72, "OF2-OF4", 1},
	{catTechnical, "OTHER", schNPS, "Master of Science in Systems Engineering", 96, "OF2-OF4", 1},
	{catTechnical, "RESOURCE_MANAGEMENT", schNPS, "Master of Business Administration, Defense Management", 72, "OF2-OF4+civ", 1},
	{catTechnical, "MARITIME", schNPS, "Master of Science in Applied Physics (Undersea Warfare)", 96, "OF2-OF4", 0.5},
	{catTechnical, "LEADERSHIP", schNPS, "Master of Arts in Security Studies (Civil-Military Relations)", 72, "OF2-OF4+civ", 1},
	{catTechnical, "MARITIME", schNAVSC, "Patrol Craft Officer, Riverine", 10, "OF1-OF3", 3},
	{catTechnical, "MARITIME", schNAVSC, "Outboard Motor Maintenance", 9, "OR3-OR7", 2},
	{catTechnical, "MARITIME", schNAVSC, "Small Craft Weapons Maintenance", 9, "OR3-OR7", 1.5},
	{catTechnical, "MARITIME", schNAVSC, "Riverine Operations Instructor", 8, "OR5-OF3", 2},
	{catTechnical, "CYBER", schNAVSC, "Tactical Communications", 8, "OR4-OF2", 1.5},
	{catTechnical, "MARITIME", schNAVSC, "Maritime Interdiction Operations", 6, "OR5-OF3", 2},
	{catTechnical, "MARITIME", schUSCG, "Boarding Officer", 5, "OR5-OF3", 3},
	{catTechnical, "MARITIME", schUSCG, "Search and Rescue Planning", 4, "OR6-OF4", 2},
	{catTechnical, "MARITIME", schUSCG, "Port Security and Facility Inspection", 4, "OR6-OF4+civ", 1.5},
	{catTechnical, "LEADERSHIP", schUSCG, "Crisis Command and Control", 2, "OF3-OF5+civ", 1},
	{catTechnical, "LEGAL", schUSCG, "Maritime Law Enforcement Instructor", 4, "OR6-OF3", 1.5},
	{catTechnical, "MARITIME", schSWOS, "Surface Warfare Officer Basic, International", 10, "OF1-OF2", 2},
	{catTechnical, "MARITIME", schSWOS, "Engineering Officer of the Watch", 8, "OF1-OF3", 1},
	{catTechnical, "MARITIME", schSWOS, "Department Head Course, International", 12, "OF3-OF3", 1},
	{catTechnical, "AVIATION", schNASC, "Aviation Safety Officer", 6, "OF2-OF4", 1.5},
	{catTechnical, "AVIATION", schNASC, "Naval Flight Officer Primary Training", 24, "OF1-OF2", 1},
	{catTechnical, "AVIATION", schAvn, "UH-60 Black Hawk Aviator Qualification", 12, "WO1-OF3", 2},
	{catTechnical, "AVIATION", schAvn, "Aviation Maintenance Officer", 10, "WO1-OF3", 1.5},
	{catTechnical, "AVIATION", schAvn, "Initial Entry Rotary Wing Aviator", 32, "WO1-OF2", 1.5},
	{catTechnical, "AVIATION", schAvn, "Army Aviation Safety Officer", 6, "WO1-OF4", 1},
	{catTechnical, "AVIATION", schIAAFA, "Aircraft Maintenance Officer (Spanish)", 9, "OF1-OF3", 2},
	{catTechnical, "AVIATION", schIAAFA, "Helicopter Maintenance (Spanish)", 10, "OR3-WO5", 2},
	{catTechnical, "AVIATION", schIAAFA, "Aircrew Flight Equipment (Spanish)", 7, "OR3-OR7", 1},
	{catTechnical, "AVIATION", schAETC, "Specialized Undergraduate Pilot Training", 52, "OF1-OF2", 1.5},
	{catTechnical, "AVIATION", schAETC, "C-130 Aircraft Commander Upgrade", 12, "OF2-OF4", 1},
	{catTechnical, "AVIATION", schAETC, "Air Traffic Control Officer", 10, "OF1-OF3", 1},
	{catTechnical, "MEDICAL", schAETC, "Aerospace Medicine Primary", 8, "OF2-OF4", 0.8},
	{catTechnical, "INTELLIGENCE", schMI, "Intelligence Officer Course (International)", 12, "OF1-OF4", 2.5},
	{catTechnical, "INTELLIGENCE", schMI, "Counterintelligence Agent Course", 10, "OR5-OF3", 1.5},
	{catTechnical, "INTELLIGENCE", schMI, "Geospatial Intelligence Analyst", 8, "OR3-OR7", 1},
	{catTechnical, "INTELLIGENCE", schMCIS, "Marine Air-Ground Task Force Intelligence Officer", 10, "OF1-OF3", 1},
	{catTechnical, "LOGISTICS", schALU, "Logistics Executive Development Course", 6, "OF3-OF5+civ", 1.5},
	{catTechnical, "LOGISTICS", schALU, "Support Operations Course", 6, "OF2-OF4", 1.5},
	{catTechnical, "LOGISTICS", schALU, "Theater Logistics Planning", 4, "OF3-OF5", 1},
	{catTechnical, "RESOURCE_MANAGEMENT", schALU, "International Defense Acquisition Management", 3, "OF3-OF5+civ", 1},
	{catTechnical, "LOGISTICS", schALU, "Supply Chain Management for Security Cooperation", 4, "OR6-OF4+civ", 1},
	{catTechnical, "MEDICAL", schMed, "Combat Casualty Care Course", 2, "OF1-OF5", 2},
	{catTechnical, "MEDICAL", schMed, "Medical Strategic Leadership Program", 2, "OF4-OF6", 0.8},
	{catTechnical, "MEDICAL", schMed, "Preventive Medicine Officer", 8, "OF2-OF4", 1},
	{catTechnical, "MEDICAL", schMed, "Army Medical Department Basic Officer Leader Course", 14, "OF1-OF2", 1.5},
	{catTechnical, "MEDICAL", schMed, "Combat Medic Specialist", 16, "OR3-OR6", 1.5},
	{catTechnical, "CYBER", schCyber, "Cyber Operations Officer Course", 14, "OF1-OF3", 1.5},
	{catTechnical, "CYBER", schCyber, "Cyber Network Defender", 10, "OR4-WO3", 1.5},
	{catTechnical, "CYBER", schCyber, "Information Assurance Security Officer", 2, "OR5-OF4+civ", 1},
	{catTechnical, "CYBER", schCyber, "Defensive Cyber Operations Planner", 4, "OF2-OF4", 1},
	{catTechnical, "OTHER", schEODS, "Explosive Ordnance Disposal Officer", 20, "OF1-OF3", 1},
	{catTechnical, "PEACEKEEPING", schEngr, "Humanitarian Demining Instructor", 6, "OR5-OF3", 1.5},
	{catTechnical, "OTHER", schEngr, "Engineer Equipment Maintenance Supervisor", 8, "OR5-WO3", 1},
	{catTechnical, "OTHER", schSWCS, "Civil Affairs Qualification Course (International)", 12, "OF2-OF4", 1},
	{catTechnical, "OTHER", schSWCS, "Psychological Operations Officer Course (International)", 14, "OF2-OF4", 1},
	{catTechnical, "LEADERSHIP", schMCoE, "Ranger Course", 9, "OR5-OF3", 2},
	{catTechnical, "OTHER", schMCoE, "Basic Airborne Course", 3, "OR3-OF3", 2.5},
	{catTechnical, "OTHER", schMCoE, "Jumpmaster Course", 3, "OR5-OF3", 1},
	{catTechnical, "MEDICAL", schSWCS, "Special Operations Combat Medic", 36, "OR4-OR7", 0.6},
	{catTechnical, "OTHER", schAFSOS, "Dynamics of International Terrorism", 2, "OR7-OF5+civ", 1.5},
	{catTechnical, "LEGAL", schMP, "Criminal Investigation Division Special Agent Course", 15, "OR5-OF3", 1},
	{catTechnical, "LEGAL", schMP, "Law Enforcement Instructor Course", 4, "OR5-OF3", 1},
	{catTechnical, "PEACEKEEPING", schPKSOI, "Peace Operations Staff Officer Course", 3, "OF2-OF5", 2},
	{catTechnical, "PEACEKEEPING", schPKSOI, "United Nations Military Observer Course", 3, "OF2-OF4", 2},
	{catTechnical, "PEACEKEEPING", schPKSOI, "Peacekeeping Logistics Course", 3, "OF2-OF4", 1},
	{catTechnical, "CYBER", schSignal, "Tactical Satellite Communications", 6, "OR4-OF3", 1},
	{catTechnical, "OTHER", schFires, "Air Defense Artillery Officer Course", 10, "OF1-OF3", 1},
	{catTechnical, "OTHER", schDSCU, "International Programs Security Requirements", 1, "OF2-OF5+civ", 0.8},

	// English language training.
	{catELT, "", schDLI, "General English Training, 8 weeks", 8, "OR3-OF6+civ", 3},
	{catELT, "", schDLI, "General English Training, 16 weeks", 16, "OR3-OF6+civ", 5},
	{catELT, "", schDLI, "General English Training, 24 weeks", 24, "OR3-OF6+civ", 4},
	{catELT, "AVIATION", schDLI, "Specialized English Training, Aviation", 6, "OR3-OF5", 1.5},
	{catELT, "MEDICAL", schDLI, "Specialized English Training, Medical", 6, "OR3-OF5+civ", 1},
	{catELT, "MARITIME", schDLI, "Specialized English Training, Maritime", 6, "OR3-OF5", 1},
	{catELT, "INTELLIGENCE", schDLI, "Specialized English Training, Intelligence", 6, "OR5-OF5", 0.8},
	{catELT, "LEGAL", schDLI, "Specialized English Training, Legal", 6, "OF1-OF5+civ", 0.6},
	{catELT, "OTHER", schDLI, "English Language Instructor Course", 21, "OR5-OF4+civ", 2},
	{catELT, "OTHER", schDLI, "Advanced English Language Instructor Course", 10, "OR5-OF4+civ", 1},
	{catELT, "", schDLI, "American Language Course Refresher", 4, "OR3-OF6+civ", 1.5},
	{catELT, "RESOURCE_MANAGEMENT", schDLI, "English Language Program Management", 4, "OF2-OF5+civ", 1},
	{catELT, "OTHER", schDLI, "Language Laboratory Maintenance", 5, "OR3-OR7+civ", 0.6},
	{catELT, "LEADERSHIP", schDLI, "Advanced Professional English (Pre-PME)", 10, "OF2-OF5", 2},

	// Expanded IMET.
	{catEIMET, "LEGAL", schDIILS, "Military Justice", 3, "OF2-OF5+civ", 3},
	{catEIMET, "LEGAL", schDIILS, "International Law of Military Operations", 3, "OF2-OF5+civ", 2},
	{catEIMET, "HUMAN_RIGHTS", schDIILS, "Human Rights and the Rule of Law", 2, "OF2-OF6+civ", 3},
	{catEIMET, "LEGAL", schDIILS, "Legal Aspects of Combating Corruption", 2, "OF3-OF6+civ", 2},
	{catEIMET, "LEGAL", schDIILS, "Law of Armed Conflict Instructor Course", 3, "OF1-OF4", 2},
	{catEIMET, "PEACEKEEPING", schDIILS, "Legal Aspects of Peace Operations", 2, "OF2-OF5+civ", 1.5},
	{catEIMET, "LEGAL", schDIILS, "Maritime Law and Security", 2, "OF2-OF5+civ", 1},
	{catEIMET, "LEGAL", schDIILS, "Legal Aspects of Defense Support of Civil Authorities", 2, "OF3-OF5+civ", 1},
	{catEIMET, "HUMAN_RIGHTS", schDIILS, "Protection of Civilians and Gender Integration", 2, "OF2-OF5+civ", 1.5},
	{catEIMET, "LEGAL", schDIILS, "Military Legal Advisor Course", 3, "OF2-OF5", 1},
	{catEIMET, "RESOURCE_MANAGEMENT", schDRMI, "International Defense Management Course", 11, "OF4-OF6+civ", 2},
	{catEIMET, "RESOURCE_MANAGEMENT", schDRMI, "Defense Resources Management Course", 4, "OF3-OF5+civ", 2.5},
	{catEIMET, "RESOURCE_MANAGEMENT", schDRMI, "Budget Preparation and Execution", 2, "OF2-OF5+civ", 1},
	{catEIMET, "RESOURCE_MANAGEMENT", schDRMI, "Multinational Defense Resources Management", 2, "OF4-OF6+civ", 1},
	{catEIMET, "LEADERSHIP", schCCMR, "Civil-Military Relations", 2, "OF3-OF6+civ", 2.5},
	{catEIMET, "LEADERSHIP", schCCMR, "Defense Governance and Civilian Oversight", 2, "OF4-OF6+civ", 1.5},
	{catEIMET, "LEADERSHIP", schCCMR, "Executive Program in Defense Decision-Making", 2, "OF5-OF7+civ", 1},
	{catEIMET, "HUMAN_RIGHTS", schCCMR, "Women, Peace and Security", 2, "OF2-OF5+civ", 1.5},
	{catEIMET, "LEADERSHIP", schCCMR, "Interagency Coordination and Crisis Response", 2, "OF3-OF5+civ", 1},
	{catEIMET, "HUMAN_RIGHTS", schWHIN, "Democratic Sustainment Course", 4, "OF2-OF5+civ", 2},
	{catEIMET, "HUMAN_RIGHTS", schWHIN, "Human Rights Instructor Course", 3, "OR6-OF4", 2},
	{catEIMET, "PEACEKEEPING", schWHIN, "Peace Operations", 5, "OF1-OF4", 1.5},
	{catEIMET, "LEGAL", schWHIN, "Military Justice (Spanish)", 3, "OF2-OF5+civ", 1},
	{catEIMET, "MEDICAL", schDIMO, "Disaster Health Management", 2, "OF2-OF5+civ", 1},
	{catEIMET, "MEDICAL", schDIMO, "Healthcare Leadership and Management", 2, "OF3-OF6+civ", 1},
	{catEIMET, "MEDICAL", schDIMO, "HIV/AIDS Prevention Program Management", 2, "OF2-OF5+civ", 0.8},
	{catEIMET, "HUMAN_RIGHTS", schMP, "Human Rights in Law Enforcement", 3, "OR6-OF4", 1},
	{catEIMET, "LEADERSHIP", schNLEC, "Leadership and Ethics for Senior Enlisted Leaders", 2, "OR7-OR9", 1},

	// Other: orientation tours, exchanges, seminars.
	{catOther, "LEADERSHIP", schDSCU, "Distinguished Visitor Orientation Tour", 1, "OF6-OF9+civ", 1.5},
	{catOther, "OTHER", schDSCU, "Field Studies Program, International Military Students", 1, "OF1-OF5", 1},
	{catOther, "LEADERSHIP", schNDU, "Senior Leader Seminar", 1, "OF5-OF8+civ", 1},
	{catOther, "OTHER", schCGSC, "Observer Training (Professional Exchange)", 2, "OF2-OF5", 1},
	{catOther, "LEADERSHIP", schAWC, "Pre-Command Orientation", 1, "OF4-OF6", 0.8},
	{catOther, "OTHER", schDSCU, "Regional Security Cooperation Conference", 1, "OF4-OF7+civ", 1},
	{catOther, "OTHER", schDSCU, "Subject Matter Expert Exchange", 1, "OR5-OF5", 1.5},
	{catOther, "MEDICAL", schDIMO, "Medical Orientation Tour", 1, "OF4-OF7+civ", 0.6},
	{catOther, "LEGAL", schDIILS, "Orientation Tour, Defense Legal Institutions", 1, "OF4-OF7+civ", 0.6},
	{catOther, "MARITIME", schNWC, "International Seapower Symposium", 1, "OF7-OF9", 0.4},
	{catOther, "OTHER", schIADC, "Inter-American Defense Board Orientation", 1, "OF5-OF7", 0.5},
	{catOther, "PEACEKEEPING", schPKSOI, "Global Peace Operations Initiative Staff Exchange", 2, "OF2-OF5", 1},
}

// schoolLetter is the first letter of a MASL training line: the military
// department that runs the school.
func schoolLetter(school string) byte {
	switch school {
	case schNWC, schNPS, schNAVSC, schSWOS, schNASC, schNLEC, schDIILS, schDRMI, schCCMR, schEODS:
		return 'P'
	case schAirWC, schACSC, schSOS, schIAAFA, schDLI, schDIMO, schAFSOS, schAETC:
		return 'D'
	case schMCWAR, schMCCSC, schEWS, schMCIS:
		return 'M'
	case schUSCG, schUSCGA:
		return 'H'
	default:
		return 'B'
	}
}

// weekly U.S. tuition in FY2008 dollars by category.
var weeklyCost = [nCategories]float64{2100, 1700, 1150, 2600, 900, 2000}

func parseRanks(s string) (lo, hi rank, civ bool) {
	civ = strings.HasSuffix(s, "+civ")
	s = strings.TrimSuffix(s, "+civ")
	a, b, _ := strings.Cut(s, "-")
	return parseRank(a), parseRank(b), civ
}

func parseRank(s string) rank {
	n, _ := strconv.Atoi(s[2:])
	switch s[:2] {
	case "OR":
		return orRank(n)
	case "WO":
		return woRank(n)
	default:
		return ofRank(n)
	}
}

// buildCourses expands the catalogue into the course list of a run: mobile
// training team and Spanish-language versions, two-phase technical courses,
// and a code for each course. The expansion is fixed; only codes and small
// duration differences depend on the seed.
//
// It is long because its random draws come one after another in a fixed
// order, and that order is the generated data (a seed gives the same files
// on every machine): split, the draws would be spread over functions that
// must still be called in this order.
func buildCourses(seed int64) []course {
	r := newRNG(seed, streamCourses, 0)
	var out []course
	used := map[string]bool{}
	add := func(t courseTemplate, title, school string, cat int, weeks, weight float64) {
		lo, hi, civ := parseRanks(t.ranks)
		c := course{
			title: title, school: school, category: cat, fa: t.fa, weeks: weeks,
			lo: lo, hi: hi, civ: civ, weight: weight, weekly: weeklyCost[cat],
		}
		if t.fa == "AVIATION" && cat == catTechnical {
			c.weekly *= 1.8 // flight hours
		}
		c.resident = weeks >= 36
		switch {
		case cat == catEIMET || t.fa == "HUMAN_RIGHTS":
			c.hr = t.fa == "HUMAN_RIGHTS" || r.chance(0.85)
		case cat == catPME:
			c.hr = r.chance(0.45)
		case t.fa == "PEACEKEEPING" || t.fa == "LEGAL":
			c.hr = r.chance(0.6)
		default:
			c.hr = r.chance(0.08)
		}
		// MASL-like id: department letter, a three-digit series by category
		// and a three-digit line number.
		for {
			code := make([]byte, 0, 7)
			code = append(code, schoolLetter(school))
			series := 100 + cat*40 + r.intn(40)
			code = strconv.AppendInt(code, int64(series), 10)
			line := r.intn(1000)
			code = append(code, byte('0'+line/100), byte('0'+line/10%10), byte('0'+line%10))
			if !used[string(code)] {
				used[string(code)] = true
				c.code = string(code)
				break
			}
		}
		out = append(out, c)
	}
	jitter := func(w float64) float64 {
		if w < 2 {
			return w
		}
		return math.Round(w*(1+0.06*(r.float()-0.5))*10) / 10
	}
	for i, t := range courseCatalogue {
		add(t, t.title, t.school, t.cat, jitter(t.weeks), t.weight)
		// Most EIMET courses and some technical ones are also taught in the
		// partner country by a mobile training team.
		if t.cat == catEIMET && i%5 != 4 || t.cat == catTechnical && t.weeks <= 6 && i%2 == 0 {
			w := math.Max(0.6, math.Min(3, math.Round(t.weeks*0.6*10)/10))
			add(t, t.title+" (Mobile Training Team)", t.school, catMTT, w, t.weight*0.8)
		}
		// Spanish-language twins at WHINSEC and IAAFA for technical courses.
		if t.cat == catTechnical && t.school != schIAAFA && t.weeks <= 12 && i%3 == 0 {
			school := schWHIN
			if t.fa == "AVIATION" {
				school = schIAAFA
			}
			add(t, t.title+" (Spanish)", school, catTechnical, jitter(t.weeks), t.weight*0.5)
		}
		// Longer technical courses are scheduled in two phases.
		if t.cat == catTechnical && t.weeks >= 8 && t.weeks <= 24 && i%2 == 1 {
			h := math.Round(t.weeks/2*10) / 10
			add(t, t.title+", Phase I", t.school, catTechnical, h, t.weight*0.4)
			add(t, t.title+", Phase II", t.school, catTechnical, h, t.weight*0.3)
		}
		// English training is also delivered in country.
		if t.cat == catELT && t.weeks <= 10 {
			add(t, t.title+" (In-Country)", "Defense Language Institute English Language Center, Mobile Training Team", catMTT, math.Min(t.weeks, 4), t.weight*0.5)
		}
		// Advanced versions of short professional courses.
		if (t.cat == catEIMET || t.cat == catTechnical) && t.weeks <= 4 && i%3 == 1 {
			t2 := t
			lo, hi, _ := parseRanks(t.ranks)
			if hi < rOFX {
				hi++
			}
			if lo < hi {
				lo++
			}
			t2.ranks = rankSpec(lo, hi, strings.HasSuffix(t.ranks, "+civ"))
			add(t2, t.title+", Advanced", t.school, t.cat, jitter(t.weeks), t.weight*0.4)
		}
	}
	return out
}

func rankSpec(lo, hi rank, civ bool) string {
	s := strings.ReplaceAll(lo.code(), "-", "") + "-" + strings.ReplaceAll(hi.code(), "-", "")
	if civ {
		s += "+civ"
	}
	return s
}

func (c *course) eligible(r rank) bool {
	if r == rCIV {
		return c.civ
	}
	return r >= c.lo && r <= c.hi
}

// courseIndex answers "which courses of this category can a person of this
// rank attend" with cumulative weights, built once per run.
type courseIndex struct {
	courses []course
	ids     [nCategories][rOFX + 1][]int
	cum     [nCategories][rOFX + 1][]float64
	byCode  map[string]int
}

func newCourseIndex(cs []course) *courseIndex {
	ix := &courseIndex{courses: cs, byCode: map[string]int{}}
	for i := range cs {
		ix.byCode[cs[i].code] = i
		for r := rank(0); r <= rOFX; r++ {
			if cs[i].eligible(r) {
				c := cs[i].category
				ix.ids[c][r] = append(ix.ids[c][r], i)
				w := cs[i].weight
				if n := len(ix.cum[c][r]); n > 0 {
					w += ix.cum[c][r][n-1]
				}
				ix.cum[c][r] = append(ix.cum[c][r], w)
			}
		}
	}
	return ix
}

// pick returns a course of category cat for rank r, or -1 when none fits.
func (ix *courseIndex) pick(rg *rng, cat int, r rank) int {
	ids := ix.ids[cat][r]
	if len(ids) == 0 {
		return -1
	}
	return ids[rg.weighted(ix.cum[cat][r])]
}
