package synth

// Operation types as the contract names them.
const (
	opUN = iota
	opCoalition
	opNATO
	opAU
	opNational
	nOpTypes
)

var opTypeNames = [nOpTypes]string{"UN", "COALITION", "NATO", "AU", "NATIONAL"}

// operation is a deployment partners' officers take part in, with the years
// it ran (inclusive) and the regions whose forces are sent ("" = any).
type operation struct {
	name     string
	typ      int
	from, to int
	regions  string
}

var operations = []operation{
	{"MONUC", opUN, 1999, 2010, ""},
	{"MONUSCO", opUN, 2010, 2030, ""},
	{"MINUSMA", opUN, 2013, 2023, ""},
	{"UNMISS", opUN, 2011, 2030, ""},
	{"UNAMID", opUN, 2007, 2020, ""},
	{"UNIFIL", opUN, 1978, 2030, ""},
	{"MINUSCA", opUN, 2014, 2030, ""},
	{"MINUSTAH", opUN, 2004, 2017, ""},
	{"UNFICYP", opUN, 1964, 2030, "WHA EUR SCA"},
	{"UNDOF", opUN, 1974, 2030, "EAP SCA EUR"},
	{"MINURSO", opUN, 1991, 2030, ""},
	{"UNISFA", opUN, 2011, 2030, "AF SCA EAP"},
	{"UNMIL", opUN, 2003, 2018, ""},
	{"UNOCI", opUN, 2004, 2017, ""},
	{"UNMIS", opUN, 2005, 2011, ""},
	{"UNMIT", opUN, 2006, 2012, "EAP SCA"},
	{"UNMOGIP", opUN, 1949, 2030, "WHA EUR EAP"},
	{"UNTSO", opUN, 1948, 2030, ""},
	{"UNMIK", opUN, 1999, 2030, "EUR SCA"},
	{"AMISOM", opAU, 2007, 2022, "AF"},
	{"ATMIS", opAU, 2022, 2030, "AF"},
	{"AFISMA", opAU, 2012, 2013, "AF"},
	{"MISCA", opAU, 2013, 2014, "AF"},
	{"Multinational Joint Task Force (Lake Chad Basin)", opAU, 2015, 2030, "AF"},
	{"SADC Mission in Mozambique (SAMIM)", opAU, 2021, 2024, "AF"},
	{"ECOWAS Mission in Guinea-Bissau (ECOMIB)", opAU, 2012, 2020, "AF"},
	{"ECOWAS Mission in The Gambia (ECOMIG)", opAU, 2017, 2030, "AF"},
	{"KFOR", opNATO, 1999, 2030, "EUR"},
	{"ISAF", opNATO, 2003, 2014, "EUR NEA EAP SCA WHA"},
	{"Resolute Support Mission", opNATO, 2015, 2021, "EUR NEA EAP SCA"},
	{"NATO Mission Iraq", opNATO, 2018, 2030, "EUR NEA"},
	{"Operation Ocean Shield", opNATO, 2009, 2016, "EUR"},
	{"Operation Sea Guardian", opNATO, 2016, 2030, "EUR"},
	{"Operation Iraqi Freedom", opCoalition, 2003, 2010, "EUR WHA EAP SCA"},
	{"Operation Enduring Freedom", opCoalition, 2001, 2014, ""},
	{"Operation Inherent Resolve", opCoalition, 2014, 2030, "NEA EUR"},
	{"Combined Task Force 151", opCoalition, 2009, 2030, "SCA NEA EAP"},
	{"Multinational Force and Observers", opCoalition, 1982, 2030, "WHA EAP EUR"},
	{"EU NAVFOR Operation Atalanta", opCoalition, 2008, 2030, "EUR"},
	{"Operation Prosperity Guardian", opCoalition, 2023, 2030, "NEA EUR"},
	{"Counter-insurgency operations", opNational, 1950, 2030, ""},
	{"Internal security operations", opNational, 1950, 2030, ""},
	{"Border security operations", opNational, 1950, 2030, ""},
	{"Counter-terrorism operations", opNational, 2001, 2030, ""},
	{"Disaster relief operations", opNational, 1950, 2030, ""},
	{"Maritime security patrols", opNational, 1950, 2030, ""},
	{"Counter-narcotics operations", opNational, 1980, 2030, "WHA SCA EAP AF"},
	{"Operation Lafiya Dole", opNational, 2015, 2021, "AF"},
	{"Operation Hadin Kai", opNational, 2021, 2030, "AF"},
	{"Operación Fuerza de Tarea Conjunta Omega", opNational, 2011, 2030, "WHA"},
	{"Operation Barkhane support", opNational, 2014, 2022, "AF"},
	{"Marawi rehabilitation and security operations", opNational, 2017, 2020, "EAP"},
	{"Joint Forces Operation (Donbas)", opNational, 2014, 2022, "EUR"},
}

// nationalShare is the share of deployments that are national operations,
// by region; the rest go to multinational ones (the INTEROP metric).
var nationalShare = map[string]float64{"AF": 0.3, "WHA": 0.5, "EUR": 0.35, "NEA": 0.45, "SCA": 0.35, "EAP": 0.5}

// Position levels as the contract names them.
const (
	lvlNone = iota
	lvlJunior
	lvlMid
	lvlSenior
	lvlStrategic
)

var levelNames = [...]string{"", "JUNIOR", "MID", "SENIOR", "STRATEGIC"}

// positionTitles by functional area and level; "" holds generic command and
// staff posts used for LEADERSHIP, OTHER and unrecorded areas.
var positionTitles = map[string][5][]string{
	"": {
		nil,
		{"Platoon Commander", "Company Commander", "Executive Officer", "Operations Officer (S3)", "Adjutant", "Staff Officer, Brigade", "Instructor, Military Academy", "Detachment Commander"},
		{"Battalion Commander", "Deputy Brigade Commander", "Chief of Operations (G3), Division", "Director of Training", "Military Attaché", "Defence Planner, Joint Staff", "Instructor, Command and Staff College", "Military Assistant to the Chief of Staff"},
		{"Brigade Commander", "Director of Operations, General Staff", "Chief of Staff, Division", "Defence Attaché to the United States", "Commandant, Military Academy", "Division Commander", "Inspector General of the Armed Forces", "Director of Plans and Policy, Ministry of Defence"},
		{"Chief of Defence Staff", "Chief of Army Staff", "Commander of the Armed Forces", "Deputy Chief of Defence Staff", "Minister of Defence", "National Security Adviser", "Permanent Secretary, Ministry of Defence"},
	},
	"LEGAL": {
		nil,
		{"Legal Officer", "Assistant Military Prosecutor", "Defence Counsel, Military Court"},
		{"Military Judge", "Chief Legal Adviser, Division", "Military Prosecutor"},
		{"Director of Military Justice", "Judge Advocate General", "Legal Adviser to the Chief of Defence"},
		{"Minister of Justice", "President of the Supreme Military Court"},
	},
	"LOGISTICS": {
		nil,
		{"Logistics Officer (S4)", "Supply Officer", "Transport Officer"},
		{"Chief of Logistics, Brigade", "Commander, Logistics Battalion", "Deputy Director of Procurement"},
		{"Director of Logistics, Joint Staff", "Commander, Logistics Command", "Quartermaster General"},
		{"Chief of Defence Logistics"},
	},
	"INTELLIGENCE": {
		nil,
		{"Intelligence Officer (S2)", "Analyst, Military Intelligence Directorate", "Counterintelligence Officer"},
		{"Chief of Intelligence (G2), Division", "Commander, Intelligence Battalion", "Deputy Director, Military Intelligence"},
		{"Director of Military Intelligence", "Deputy Chief of Defence Intelligence"},
		{"Chief of Defence Intelligence", "Director General, National Intelligence Service"},
	},
	"MEDICAL": {
		nil,
		{"Medical Officer", "Battalion Surgeon", "Field Hospital Physician"},
		{"Commander, Field Hospital", "Chief of Medical Services, Division"},
		{"Director of Medical Services", "Surgeon General", "Commandant, Military Hospital"},
		{"Surgeon General of the Armed Forces"},
	},
	"MARITIME": {
		nil,
		{"Division Officer", "Patrol Boat Commander", "Navigating Officer", "Boarding Team Leader"},
		{"Commanding Officer, Patrol Vessel", "Executive Officer, Frigate", "Staff Officer, Fleet Headquarters", "Commander, Coast Guard Station"},
		{"Commander, Naval Base", "Fleet Commander", "Director of Naval Operations", "Commandant, Coast Guard"},
		{"Chief of Naval Staff", "Commander of the Navy"},
	},
	"AVIATION": {
		nil,
		{"Pilot", "Flight Commander", "Maintenance Officer, Squadron", "Flight Instructor"},
		{"Squadron Commander", "Chief of Operations, Air Wing", "Commander, Flying Training School"},
		{"Air Wing Commander", "Director of Air Operations", "Commander, Air Base"},
		{"Chief of Air Staff", "Commander of the Air Force"},
	},
	"RESOURCE_MANAGEMENT": {
		nil,
		{"Budget Officer", "Finance Officer", "Planning Officer"},
		{"Deputy Director of Budget", "Chief of Resource Management, Service Headquarters"},
		{"Director of Budget and Finance, Ministry of Defence", "Director of Defence Resources"},
		{"Secretary General, Ministry of Defence"},
	},
	"HUMAN_RIGHTS": {
		nil,
		{"Human Rights Officer", "Instructor, International Humanitarian Law"},
		{"Chief, Human Rights Office, Army Headquarters", "Gender Adviser"},
		{"Director, Human Rights and International Humanitarian Law Office", "Inspector General for Human Rights"},
		{"Ombudsman of the Armed Forces"},
	},
	"PEACEKEEPING": {
		nil,
		{"Military Observer", "Staff Officer, Peacekeeping Training Centre", "Company Commander, Peacekeeping Battalion"},
		{"Contingent Commander", "Chief of Staff, Sector Headquarters", "Instructor, Peace Support Operations Training Centre"},
		{"Commandant, Peacekeeping Training Centre", "Force Chief of Staff", "Director of Peacekeeping Operations"},
		{"Force Commander", "Head of Military Component"},
	},
	"CYBER": {
		nil,
		{"Communications Officer", "Cyber Defence Analyst", "Network Operations Officer"},
		{"Commander, Signal Battalion", "Chief of Cyber Operations, Joint Staff"},
		{"Director of Cyber Defence", "Commander, Cyber Command"},
		{"Chief of Communications and Cyber Defence"},
	},
}

// eventSources as the contract names them.
var sourceNames = [...]string{"SCO", "MOD", "OPEN_SOURCE", "OTHER"}

var (
	sourceChoice       = newChoice([]int{0, 1, 2, 3}, []float64{0.47, 0.3, 0.16, 0.07})
	sourceChoiceIdless = newChoice([]int{0, 1, 2, 3}, []float64{0.2, 0.25, 0.45, 0.1})
)

var flagSources = []string{
	"UN Panel of Experts report", "Human rights NGO report", "Press report", "U.S. Embassy reporting",
	"Partner nation Ministry of Defence", "INVEST vetting record", "National human rights commission",
}

// titleTable holds every position title once, so that events carry a small
// index instead of a string (events are sorted and copied a lot).
var titleTable, titleIndex = func() ([]string, [13][5][]int16) {
	table := []string{""}
	var idx [13][5][]int16
	for i := 0; i <= len(functionalAreas); i++ {
		key := ""
		if i < len(functionalAreas) {
			key = functionalAreas[i]
		}
		lists, ok := positionTitles[key]
		if !ok {
			continue
		}
		for lvl, l := range lists {
			for _, t := range l {
				idx[i][lvl] = append(idx[i][lvl], int16(len(table)))
				table = append(table, t)
			}
		}
	}
	return table, idx
}()

// titlesFor lists the titles of a functional area (-1: generic) and level,
// falling back to generic command and staff posts.
func titlesFor(fa int8, level int8) []int16 {
	if fa >= 0 {
		if l := titleIndex[fa][level]; len(l) > 0 {
			return l
		}
	}
	return titleIndex[len(functionalAreas)][level]
}
