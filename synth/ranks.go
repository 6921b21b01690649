package synth

import (
	"strconv"
	"strings"
)

// rank is a NATO rank code in the contract's comparison order: 1..9 are
// OR-1..OR-9, 10..14 WO-1..WO-5, 15..24 OF-1..OF-10, and 0 is CIV (civilian,
// unranked, outside the order).
type rank int8

const (
	rCIV rank = 0
	rOR1 rank = 1
	rWO1 rank = 10
	rOF1 rank = 15
	rOF6 rank = 20 // first general/flag rank
	rOFX rank = 24 // OF-10
)

func orRank(n int) rank { return rank(n) }
func woRank(n int) rank { return rWO1 + rank(n-1) }
func ofRank(n int) rank { return rOF1 + rank(n-1) }

func (r rank) isOfficer() bool  { return r >= rOF1 }
func (r rank) isWarrant() bool  { return r >= rWO1 && r < rOF1 }
func (r rank) isEnlisted() bool { return r >= rOR1 && r < rWO1 }

// ofLevel is n for OF-n, 0 otherwise.
func (r rank) ofLevel() int {
	if r.isOfficer() {
		return int(r-rOF1) + 1
	}
	return 0
}

var rankCodes = func() []string {
	out := make([]string, rOFX+1)
	out[0] = "CIV"
	for i := 1; i <= 9; i++ {
		out[orRank(i)] = "OR-" + itoa(i)
	}
	for i := 1; i <= 5; i++ {
		out[woRank(i)] = "WO-" + itoa(i)
	}
	for i := 1; i <= 10; i++ {
		out[ofRank(i)] = "OF-" + itoa(i)
	}
	return out
}()

func (r rank) code() string { return rankCodes[r] }

func itoa(i int) string { return strconv.Itoa(i) }

// rankTitles are a partner's own words for its ranks. Alternatives inside one
// entry are separated by "|"; several titles map to the same NATO code (a
// second and a first lieutenant are both OF-1), and the same word can mean
// different codes in different services (a navy Captain is OF-5, an army
// Captain OF-2), which is exactly why the contract carries both columns.
type rankTitles struct {
	army, navy, air, police [10]string // OF-1..OF-10 ("" = use army)
	or                      [9]string  // OR-1..OR-9
	wo                      string     // any WO grade
	civ                     string
	abbr                    [5]string // short forms of army OF-1..OF-5, used now and then
}

var rankLanguages = map[string]*rankTitles{
	"en": {
		army:   [10]string{"Second Lieutenant|First Lieutenant", "Captain", "Major", "Lieutenant Colonel", "Colonel", "Brigadier General", "Major General", "Lieutenant General", "General", "General of the Army"},
		navy:   [10]string{"Ensign|Lieutenant Junior Grade", "Lieutenant", "Lieutenant Commander", "Commander", "Captain", "Rear Admiral (Lower Half)|Commodore", "Rear Admiral", "Vice Admiral", "Admiral", "Fleet Admiral"},
		police: [10]string{"Police Lieutenant", "Police Captain|Inspector", "Chief Inspector", "Superintendent", "Senior Superintendent", "Deputy Director General", "Police Major General", "Police Lieutenant General", "Police General", "Police General"},
		or:     [9]string{"Private", "Private", "Private First Class", "Corporal|Specialist", "Sergeant", "Staff Sergeant", "Sergeant First Class|Technical Sergeant", "Master Sergeant|First Sergeant", "Sergeant Major|Command Sergeant Major"},
		wo:     "Warrant Officer|Chief Warrant Officer",
		civ:    "Civilian|Mr.|Civil Servant",
		abbr:   [5]string{"2LT|1LT", "CPT|Capt.", "MAJ|Maj.", "LTC|Lt. Col.", "COL|Col."},
	},
	"gb": {
		army:   [10]string{"Second Lieutenant|Lieutenant", "Captain", "Major", "Lieutenant-Colonel|Lieutenant Colonel", "Colonel", "Brigadier|Brigadier General", "Major-General|Major General", "Lieutenant-General", "General", "Field Marshal"},
		navy:   [10]string{"Sub-Lieutenant|Midshipman", "Lieutenant", "Lieutenant-Commander", "Commander", "Captain", "Commodore", "Rear-Admiral", "Vice-Admiral", "Admiral", "Admiral of the Fleet"},
		air:    [10]string{"Pilot Officer|Flying Officer", "Flight Lieutenant", "Squadron Leader", "Wing Commander", "Group Captain", "Air Commodore", "Air Vice-Marshal", "Air Marshal", "Air Chief Marshal", "Marshal of the Air Force"},
		police: [10]string{"Inspector", "Chief Inspector", "Superintendent", "Senior Superintendent", "Assistant Commissioner", "Deputy Inspector General", "Inspector General", "Commissioner", "Commissioner", "Commissioner"},
		or:     [9]string{"Private", "Private", "Lance Corporal", "Corporal", "Sergeant", "Staff Sergeant|Colour Sergeant", "Warrant Officer Class 2", "Warrant Officer Class 2", "Warrant Officer Class 1|Regimental Sergeant Major"},
		wo:     "Warrant Officer|Master Warrant Officer",
		civ:    "Civilian|Mr|Civil Servant",
		abbr:   [5]string{"2Lt|Lt", "Capt", "Maj", "Lt Col", "Col"},
	},
	"es": {
		army:   [10]string{"Subteniente|Teniente", "Capitán", "Mayor", "Teniente Coronel", "Coronel", "General de Brigada|Brigadier General", "General de División|Mayor General", "Teniente General", "General", "General de Ejército"},
		navy:   [10]string{"Teniente de Corbeta|Alférez de Fragata|Teniente de Fragata", "Teniente de Navío", "Capitán de Corbeta", "Capitán de Fragata", "Capitán de Navío", "Contralmirante", "Vicealmirante", "Almirante", "Almirante", "Almirante"},
		police: [10]string{"Subteniente|Teniente", "Capitán|Subcomisario", "Mayor|Comisario", "Teniente Coronel|Comisario Principal", "Coronel|Comisario General", "Brigadier General", "Mayor General", "General", "General Director", "General Director"},
		or:     [9]string{"Soldado", "Soldado", "Cabo", "Cabo Primero", "Sargento Segundo", "Sargento Primero", "Sargento Mayor", "Sargento Mayor", "Sargento Mayor de Comando"},
		wo:     "Suboficial|Suboficial Mayor|Técnico",
		civ:    "Civil|Funcionario|Sr.",
		abbr:   [5]string{"Subtte.|Tte.", "Cap.|Capt.", "My.|May.", "TC|Tcnel.", "Cnel.|Crl."},
	},
	"pt": {
		army: [10]string{"Segundo-Tenente|Primeiro-Tenente|Aspirante", "Capitão", "Major", "Tenente-Coronel", "Coronel", "General de Brigada|Brigadeiro", "General de Divisão", "General de Exército|Tenente-General", "General", "Marechal"},
		navy: [10]string{"Segundo-Tenente|Primeiro-Tenente", "Capitão-Tenente", "Capitão de Corveta", "Capitão de Fragata", "Capitão de Mar e Guerra", "Contra-Almirante", "Vice-Almirante", "Almirante de Esquadra", "Almirante", "Almirante"},
		or:   [9]string{"Soldado", "Soldado", "Cabo", "Cabo", "Terceiro-Sargento", "Segundo-Sargento", "Primeiro-Sargento", "Primeiro-Sargento", "Sargento-Mor"},
		wo:   "Subtenente|Suboficial",
		civ:  "Civil|Servidor Civil|Sr.",
		abbr: [5]string{"Ten.|2º Ten.", "Cap.", "Maj.", "TC|Ten. Cel.", "Cel."},
	},
	"fr": {
		army:   [10]string{"Sous-lieutenant|Lieutenant", "Capitaine", "Commandant|Chef de bataillon", "Lieutenant-colonel", "Colonel", "Général de brigade", "Général de division", "Général de corps d'armée", "Général d'armée", "Maréchal"},
		navy:   [10]string{"Enseigne de vaisseau", "Lieutenant de vaisseau", "Capitaine de corvette", "Capitaine de frégate", "Capitaine de vaisseau", "Contre-amiral", "Vice-amiral", "Vice-amiral d'escadre", "Amiral", "Amiral"},
		police: [10]string{"Lieutenant de police|Officier de paix", "Capitaine de police|Commissaire", "Commissaire principal", "Commissaire divisionnaire", "Contrôleur général", "Inspecteur général", "Directeur général", "Directeur général", "Directeur général", "Directeur général"},
		or:     [9]string{"Soldat", "Soldat de 1re classe", "Caporal", "Caporal-chef", "Sergent", "Sergent-chef", "Adjudant", "Adjudant-chef", "Major"},
		wo:     "Adjudant-chef|Major|Aspirant",
		civ:    "Civil|Fonctionnaire|M.",
		abbr:   [5]string{"Slt|Lt", "Cne|Capt", "Cdt", "Lcl|Lt-Col", "Col"},
	},
	"ar": {
		army: [10]string{"Mulazim|Mulazim Awwal", "Naqib", "Ra'id", "Muqaddam", "'Aqid", "'Amid", "Liwa'", "Fariq", "Fariq Awwal", "Mushir"},
		or:   [9]string{"Jundi", "Jundi Awwal", "Arif", "Arif", "Raqib", "Raqib Awwal", "Musa'id", "Musa'id", "Musa'id Awwal"},
		wo:   "Musa'id|Musa'id Awwal",
		civ:  "Madani|Civilian",
		abbr: [5]string{"Mulazim", "Naqib", "Ra'id", "Muqaddam", "'Aqid"},
	},
	"ru": {
		army: [10]string{"Leytenant|Starshiy leytenant|Mladshiy leytenant", "Kapitan", "Mayor", "Podpolkovnik", "Polkovnik", "General-mayor|Brigadnyi general", "General-leytenant", "General-polkovnik", "General armii", "Marshal"},
		navy: [10]string{"Leytenant|Starshiy leytenant", "Kapitan-leytenant", "Kapitan 3-go ranga", "Kapitan 2-go ranga", "Kapitan 1-go ranga", "Kontr-admiral", "Vitse-admiral", "Admiral", "Admiral flota", "Admiral flota"},
		or:   [9]string{"Ryadovoy", "Ryadovoy", "Efreytor", "Mladshiy serzhant", "Serzhant", "Starshiy serzhant", "Starshina", "Starshina", "Starshina"},
		wo:   "Praporshchik|Starshiy praporshchik",
		civ:  "Grazhdanskiy|Civilian",
		abbr: [5]string{"Lt.|St. Lt.", "Kpt.", "Mayor", "P/polk.", "Polk."},
	},
	"ro": {
		army: [10]string{"Sublocotenent|Locotenent", "Căpitan", "Maior", "Locotenent-colonel", "Colonel", "General de brigadă", "General-maior", "General-locotenent", "General", "Mareșal"},
		navy: [10]string{"Aspirant|Locotenent", "Căpitan-locotenent", "Locotenent-comandor", "Căpitan-comandor", "Comandor", "Contraamiral", "Viceamiral", "Amiral", "Amiral", "Amiral"},
		or:   [9]string{"Soldat", "Soldat", "Fruntaș", "Caporal", "Sergent", "Sergent major", "Plutonier", "Plutonier major", "Plutonier adjutant"},
		wo:   "Maistru militar",
		civ:  "Civil|Funcționar",
		abbr: [5]string{"Lt.", "Cpt.", "Mr.", "Lt.col.", "Col."},
	},
	"sh": {
		army: [10]string{"Potporučnik|Poručnik", "Kapetan", "Major|Bojnik", "Potpukovnik", "Pukovnik", "Brigadni general|Brigadir", "General-major", "General-potpukovnik", "General", "General"},
		navy: [10]string{"Potporučnik|Poručnik bojnog broda", "Kapetan korvete", "Kapetan fregate", "Kapetan bojnog broda", "Kapetan bojnog broda", "Kontraadmiral", "Viceadmiral", "Admiral", "Admiral", "Admiral"},
		or:   [9]string{"Vojnik", "Vojnik", "Razvodnik", "Desetar", "Vodnik", "Mlađi vodnik|Stariji vodnik", "Stariji vodnik", "Zastavnik", "Zastavnik prve klase"},
		wo:   "Zastavnik|Zastavnik prve klase",
		civ:  "Civilno lice|Civilian",
		abbr: [5]string{"Ppor.|Por.", "Kap.", "Maj.", "Ppuk.", "Puk."},
	},
	"sq": {
		army: [10]string{"Nëntoger|Toger", "Kapiten", "Major", "Nënkolonel", "Kolonel", "Gjeneral brigade", "Gjeneral major", "Gjeneral lejtnant", "Gjeneral", "Gjeneral"},
		or:   [9]string{"Ushtar", "Ushtar", "Tetar", "Tetar", "Rreshter", "Rreshter", "Kryerreshter", "Kryerreshter", "Kryerreshter major"},
		wo:   "Nënoficer",
		civ:  "Civil",
		abbr: [5]string{"Ntg.|Tg.", "Kap.", "Mjr.", "Nkol.", "Kol."},
	},
	"id": {
		army: [10]string{"Letnan Dua|Letnan Satu", "Kapten", "Mayor", "Letnan Kolonel", "Kolonel", "Brigadir Jenderal", "Mayor Jenderal", "Letnan Jenderal", "Jenderal", "Jenderal Besar"},
		navy: [10]string{"Letnan Dua|Letnan Satu", "Kapten", "Mayor", "Letnan Kolonel", "Kolonel", "Laksamana Pertama", "Laksamana Muda", "Laksamana Madya", "Laksamana", "Laksamana Besar"},
		or:   [9]string{"Prajurit Dua", "Prajurit Satu", "Kopral Dua", "Kopral Satu", "Sersan Dua", "Sersan Satu", "Sersan Kepala", "Sersan Mayor", "Pembantu Letnan Dua"},
		wo:   "Pembantu Letnan Satu",
		civ:  "Sipil|PNS",
		abbr: [5]string{"Letda|Lettu", "Kapt.", "Mayor", "Letkol", "Kol."},
	},
	"ms": {
		army: [10]string{"Leftenan Muda|Leftenan", "Kapten", "Mejar", "Leftenan Kolonel", "Kolonel", "Brigedier Jeneral", "Mejar Jeneral", "Leftenan Jeneral", "Jeneral", "Jeneral"},
		navy: [10]string{"Leftenan Madya|Leftenan", "Leftenan", "Leftenan Komander", "Komander", "Kepten", "Laksamana Pertama", "Laksamana Muda", "Laksamana Madya", "Laksamana", "Laksamana"},
		or:   [9]string{"Prebet", "Prebet", "Lans Koperal", "Koperal", "Sarjan", "Staf Sarjan", "Pegawai Waran II", "Pegawai Waran II", "Pegawai Waran I"},
		wo:   "Pegawai Waran I",
		civ:  "Awam|Pegawai Awam",
		abbr: [5]string{"Lt.", "Kapt.", "Mej.", "Lt. Kol.", "Kol."},
	},
	"vi": {
		army: [10]string{"Thiếu úy|Trung úy", "Thượng úy|Đại úy", "Thiếu tá", "Trung tá", "Thượng tá|Đại tá", "Thiếu tướng", "Trung tướng", "Thượng tướng", "Đại tướng", "Đại tướng"},
		navy: [10]string{"Thiếu úy|Trung úy", "Đại úy", "Thiếu tá", "Trung tá", "Đại tá", "Chuẩn Đô đốc", "Phó Đô đốc", "Đô đốc", "Đô đốc", "Đô đốc"},
		or:   [9]string{"Binh nhì", "Binh nhất", "Hạ sĩ", "Hạ sĩ", "Trung sĩ", "Thượng sĩ", "Thượng sĩ", "Thượng sĩ", "Thượng sĩ"},
		wo:   "Chuẩn úy",
		civ:  "Viên chức|Civilian",
		abbr: [5]string{"Th/úy", "Đ/úy", "Th/tá", "Tr/tá", "Đ/tá"},
	},
}

// rankTitle returns a partner's own word for rank r in the given service.
func rankTitle(rg *rng, lang string, svc service, r rank) string {
	t := rankLanguages[lang]
	if t == nil {
		t = rankLanguages["en"]
	}
	// Arab partners' records mix transliterated titles with the English ones
	// their liaison officers use.
	if lang == "ar" && rg.chance(0.5) {
		t = rankLanguages["gb"]
	}
	var alts string
	switch {
	case r == rCIV || svc == svcCivilian && !r.isOfficer():
		alts = t.civ
	case r.isEnlisted():
		alts = t.or[r-rOR1]
	case r.isWarrant():
		alts = t.wo
	default:
		i := r.ofLevel() - 1
		alts = t.army[i]
		switch svc {
		case svcNavy, svcCoastGuard:
			if t.navy[i] != "" {
				alts = t.navy[i]
			}
		case svcAirForce:
			if t.air[i] != "" {
				alts = t.air[i]
			}
		case svcPolice:
			if t.police[i] != "" {
				alts = t.police[i]
			}
		}
		if i < 5 && svc == svcArmy && rg.chance(0.08) {
			alts = t.abbr[i]
		}
	}
	return pickAlt(rg, alts)
}

// pickAlt picks one of "a|b|c", favouring the first.
func pickAlt(rg *rng, alts string) string {
	n := strings.Count(alts, "|")
	if n == 0 {
		return alts
	}
	k := 0
	if rg.chance(0.4) {
		k = 1 + rg.intn(n)
	}
	for i := 0; i < k; i++ {
		alts = alts[strings.IndexByte(alts, '|')+1:]
	}
	if j := strings.IndexByte(alts, '|'); j >= 0 {
		alts = alts[:j]
	}
	return alts
}
