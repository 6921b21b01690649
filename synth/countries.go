package synth

// partnerCountry is one IMET partner nation as the generator uses it.
type partnerCountry struct {
	Code   string // ISO 3166-1 alpha-3 (XKX for Kosovo, as the project's reference data has it)
	Weight int    // IMET training rows in the Foreign Military Training Report scrape
	Region string // State Department regional bureau
	Pool   string // name pool key (see names.go)
	Lang   string // language the partner uses for its own rank titles (see ranks.go)
}

// partnerCountries weights partners like the real program.
//
// Credit: Foreign Military Training Report data, Security Force Monitor (MIT licence).
//
// The weights are the number of rows whose program column contains "IMET",
// per country, in the Foreign Military Training Report activity data (FY2002
// Africa, FY2005, FY2009 and FY2013 reports) as scraped by Security Force
// Monitor (github.com/security-force-monitor/fmtrpt_data). The scrape's
// country spellings were mapped to ISO alpha-3 codes by hand once and the
// table is embedded so the generator never reads that data at run time.
// The report omits NATO allies and other high-income partners, so they do not
// appear here either.
var partnerCountries = []partnerCountry{
	{"COL", 824, "WHA", "hispanic", "es"},          // Colombia
	{"JOR", 727, "NEA", "arab", "ar"},              // Jordan
	{"SLV", 572, "WHA", "hispanic", "es"},          // El Salvador
	{"ARG", 502, "WHA", "hispanic", "es"},          // Argentina
	{"PAK", 483, "SCA", "south_asia_muslim", "gb"}, // Pakistan
	{"HND", 472, "WHA", "hispanic", "es"},          // Honduras
	{"PHL", 464, "EAP", "philippine", "en"},        // Philippines
	{"CHL", 427, "WHA", "hispanic", "es"},          // Chile
	{"COD", 334, "AF", "central_africa", "fr"},     // Democratic Republic of the Congo
	{"THA", 334, "EAP", "thai", "gb"},              // Thailand
	{"LBN", 309, "NEA", "arab", "ar"},              // Lebanon
	{"EGY", 294, "NEA", "arab", "ar"},              // Egypt
	{"UKR", 287, "EUR", "slavic", "ru"},            // Ukraine
	{"MAR", 281, "NEA", "maghreb", "fr"},           // Morocco
	{"JAM", 258, "WHA", "caribbean", "gb"},         // Jamaica
	{"MEX", 252, "WHA", "hispanic", "es"},          // Mexico
	{"OMN", 236, "NEA", "arab", "ar"},              // Oman
	{"SEN", 231, "AF", "west_africa_fr", "fr"},     // Senegal
	{"DOM", 223, "WHA", "hispanic", "es"},          // Dominican Republic
	{"TUN", 218, "NEA", "maghreb", "fr"},           // Tunisia
	{"BHR", 203, "NEA", "arab", "ar"},              // Bahrain
	{"GEO", 194, "EUR", "georgian", "gb"},          // Georgia
	{"MYS", 188, "EAP", "malay", "ms"},             // Malaysia
	{"BWA", 175, "AF", "southern_africa", "gb"},    // Botswana
	{"ALB", 174, "EUR", "albanian", "sq"},          // Albania
	{"BIH", 174, "EUR", "balkan", "sh"},            // Bosnia and Herzegovina
	{"MDA", 166, "EUR", "romanian", "ro"},          // Moldova
	{"PAN", 165, "WHA", "hispanic", "es"},          // Panama
	{"GTM", 163, "WHA", "hispanic", "es"},          // Guatemala
	{"URY", 162, "WHA", "hispanic", "es"},          // Uruguay
	{"IND", 155, "SCA", "south_asia", "gb"},        // India
	{"GHA", 151, "AF", "west_africa_en", "gb"},     // Ghana
	{"ZAF", 151, "AF", "southern_africa", "gb"},    // South Africa
	{"BRA", 150, "WHA", "lusophone", "pt"},         // Brazil
	{"KAZ", 144, "SCA", "central_asia", "ru"},      // Kazakhstan
	{"SLE", 142, "AF", "west_africa_en", "gb"},     // Sierra Leone
	{"KEN", 141, "AF", "east_africa", "gb"},        // Kenya
	{"MKD", 141, "EUR", "balkan", "sh"},            // North Macedonia
	{"SRB", 140, "EUR", "balkan", "sh"},            // Serbia
	{"MUS", 139, "AF", "south_asia", "gb"},         // Mauritius
	{"NGA", 136, "AF", "west_africa_en", "gb"},     // Nigeria
	{"BGD", 135, "SCA", "south_asia_muslim", "gb"}, // Bangladesh
	{"IDN", 132, "EAP", "indonesian", "id"},        // Indonesia
	{"NPL", 128, "SCA", "south_asia", "gb"},        // Nepal
	{"AZE", 127, "EUR", "turkic", "ru"},            // Azerbaijan
	{"ARM", 125, "EUR", "armenian", "gb"},          // Armenia
	{"YEM", 124, "NEA", "arab", "ar"},              // Yemen
	{"MNG", 121, "EAP", "mongolian", "gb"},         // Mongolia
	{"AFG", 121, "SCA", "south_asia_muslim", "gb"}, // Afghanistan
	{"KGZ", 116, "SCA", "central_asia", "ru"},      // Kyrgyzstan
	{"XKX", 115, "EUR", "albanian", "sq"},          // Kosovo
	{"IRQ", 114, "NEA", "arab", "ar"},              // Iraq
	{"MWI", 99, "AF", "southern_africa", "gb"},     // Malawi
	{"COM", 92, "AF", "maghreb", "fr"},             // Comoros
	{"PER", 92, "WHA", "hispanic", "es"},           // Peru
	{"UGA", 88, "AF", "east_africa", "gb"},         // Uganda
	{"DZA", 84, "NEA", "maghreb", "fr"},            // Algeria
	{"GUY", 83, "WHA", "caribbean", "gb"},          // Guyana
	{"MOZ", 82, "AF", "lusophone", "pt"},           // Mozambique
	{"NER", 80, "AF", "west_africa_fr", "fr"},      // Niger
	{"CMR", 78, "AF", "central_africa", "fr"},      // Cameroon
	{"ZMB", 76, "AF", "southern_africa", "gb"},     // Zambia
	{"BHS", 72, "WHA", "caribbean", "gb"},          // Bahamas
	{"SSD", 69, "AF", "nilotic", "gb"},             // South Sudan
	{"GNB", 68, "AF", "lusophone", "pt"},           // Guinea-Bissau
	{"LBR", 67, "AF", "west_africa_en", "en"},      // Liberia
	{"TCD", 66, "AF", "west_africa_fr", "fr"},      // Chad
	{"AGO", 65, "AF", "lusophone", "pt"},           // Angola
	{"LKA", 65, "SCA", "south_asia", "gb"},         // Sri Lanka
	{"BDI", 65, "AF", "central_africa", "fr"},      // Burundi
	{"NIC", 64, "WHA", "hispanic", "es"},           // Nicaragua
	{"STP", 63, "AF", "lusophone", "pt"},           // São Tomé and Príncipe
	{"PRY", 63, "WHA", "hispanic", "es"},           // Paraguay
	{"ETH", 60, "AF", "horn", "gb"},                // Ethiopia
	{"BLZ", 60, "WHA", "caribbean", "gb"},          // Belize
	{"TLS", 58, "EAP", "lusophone", "pt"},          // Timor-Leste
	{"DJI", 56, "AF", "maghreb", "fr"},             // Djibouti
	{"BEN", 54, "AF", "west_africa_fr", "fr"},      // Benin
	{"ATG", 54, "WHA", "caribbean", "gb"},          // Antigua and Barbuda
	{"MDG", 52, "AF", "malagasy", "fr"},            // Madagascar
	{"GAB", 49, "AF", "central_africa", "fr"},      // Gabon
	{"PNG", 49, "EAP", "pacific", "gb"},            // Papua New Guinea
	{"MLI", 47, "AF", "west_africa_fr", "fr"},      // Mali
	{"RWA", 47, "AF", "central_africa", "gb"},      // Rwanda
	{"KNA", 47, "WHA", "caribbean", "gb"},          // Saint Kitts and Nevis
	{"CIV", 47, "AF", "west_africa_fr", "fr"},      // Côte d'Ivoire
	{"GIN", 46, "AF", "west_africa_fr", "fr"},      // Guinea
	{"TZA", 45, "AF", "east_africa", "gb"},         // Tanzania
	{"CRI", 40, "WHA", "hispanic", "es"},           // Costa Rica
	{"HRV", 39, "EUR", "balkan", "sh"},             // Croatia
	{"ECU", 38, "WHA", "hispanic", "es"},           // Ecuador
	{"GRD", 37, "WHA", "caribbean", "gb"},          // Grenada
	{"SWZ", 36, "AF", "southern_africa", "gb"},     // Eswatini
	{"MDV", 35, "SCA", "south_asia_muslim", "gb"},  // Maldives
	{"MNE", 35, "EUR", "balkan", "sh"},             // Montenegro
	{"NAM", 33, "AF", "southern_africa", "gb"},     // Namibia
	{"TTO", 33, "WHA", "caribbean", "gb"},          // Trinidad and Tobago
	{"MRT", 32, "AF", "maghreb", "fr"},             // Mauritania
	{"TGO", 32, "AF", "west_africa_fr", "fr"},      // Togo
	{"LCA", 32, "WHA", "caribbean", "gb"},          // Saint Lucia
	{"SUR", 31, "WHA", "caribbean", "gb"},          // Suriname
	{"TJK", 30, "SCA", "central_asia", "ru"},       // Tajikistan
	{"HTI", 30, "WHA", "creole", "fr"},             // Haiti
	{"GMB", 29, "AF", "west_africa_en", "gb"},      // Gambia
	{"VNM", 29, "EAP", "vietnamese", "vi"},         // Vietnam
	{"SLB", 28, "EAP", "pacific", "gb"},            // Solomon Islands
	{"TON", 28, "EAP", "pacific", "gb"},            // Tonga
	{"TKM", 25, "SCA", "central_asia", "ru"},       // Turkmenistan
	{"RUS", 24, "EUR", "slavic", "ru"},             // Russia
	{"MLT", 23, "EUR", "maltese", "gb"},            // Malta
	{"BRB", 23, "WHA", "caribbean", "gb"},          // Barbados
	{"ERI", 22, "AF", "horn", "gb"},                // Eritrea
	{"LSO", 22, "AF", "southern_africa", "gb"},     // Lesotho
	{"BOL", 22, "WHA", "hispanic", "es"},           // Bolivia
	{"VUT", 21, "EAP", "pacific", "gb"},            // Vanuatu
	{"CPV", 19, "AF", "lusophone", "pt"},           // Cabo Verde
	{"COG", 19, "AF", "central_africa", "fr"},      // Republic of the Congo
	{"KHM", 18, "EAP", "khmer_lao", "gb"},          // Cambodia
	{"BFA", 17, "AF", "west_africa_fr", "fr"},      // Burkina Faso
	{"CAF", 16, "AF", "central_africa", "fr"},      // Central African Republic
	{"DMA", 16, "WHA", "caribbean", "gb"},          // Dominica
	{"VCT", 16, "WHA", "caribbean", "gb"},          // Saint Vincent and the Grenadines
	{"FJI", 15, "EAP", "pacific", "gb"},            // Fiji
	{"SYC", 11, "AF", "creole", "fr"},              // Seychelles
	{"WSM", 7, "EAP", "pacific", "gb"},             // Samoa
	{"LBY", 5, "NEA", "arab", "ar"},                // Libya
	{"LAO", 4, "EAP", "khmer_lao", "gb"},           // Laos
	{"MHL", 4, "EAP", "pacific", "en"},             // Marshall Islands
	{"NRU", 3, "EAP", "pacific", "gb"},             // Nauru
	{"KIR", 2, "EAP", "pacific", "gb"},             // Kiribati
	{"TUV", 2, "EAP", "pacific", "gb"},             // Tuvalu
	{"SAU", 2, "NEA", "arab", "ar"},                // Saudi Arabia
	{"UZB", 2, "SCA", "central_asia", "ru"},        // Uzbekistan
}
