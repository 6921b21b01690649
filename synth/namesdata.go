package synth

// Name pools per region. Entries are separated by ";", spelling variants of
// one name (transliterations, not mere diacritics) by "/", the commonest
// first. "reserved" family names are never given to a student: the generator
// uses them for career events about people who are not in the students file,
// so that "unmatched" is guaranteed by construction. They are chosen to be
// unlike every regular family name of the pool.
type poolSpec struct {
	family, male, female, second, reserved string
	twoGiven, twoFamily                    float64
	secondF                                string // second given names of women, where they differ
	prefixM, prefixF                       string // Malay bin/binti before the father's name
	middleFirst                            bool   // the second given name is written first (Vietnamese middle name)
}

var poolSpecs = map[string]poolSpec{
	"arab": {
		family: `Al-Khatib; Haddad; Al-Masri; Al-Zoubi/Al-Zubi; Al-Hashimi; Nasser/Nasir; Khoury/Khouri; Al-Tamimi; El-Sayed/Al-Sayed;
			Abdel Aziz/Abdelaziz/Abd al-Aziz; Mansour/Mansur; Al-Shammari; Al-Harthy/Al-Harthi; Al-Balushi/Al-Baloushi; Al-Kindi;
			Al-Busaidi; Saleh/Salih; Othman/Uthman; Qasim/Kassem/Qassem; Darwish; Hamdan; Shalaby/Shalabi; Fahmy/Fahmi;
			Soliman/Sulaiman/Suleiman; Al-Ajmi; Al-Obaidi/Al-Ubaidi; Al-Jubouri/Al-Juburi; Al-Dulaimi; Al-Rubaie/Al-Rubaye;
			Al-Hakim; Al-Awadhi; Jaber/Jabir; Khalil; Yassin/Yasin; Al-Anazi/Al-Enezi; Al-Amri; Al-Qahtani; Al-Ghamdi;
			Hegazy/Hijazi; Younis/Younes/Yunus; Barakat; Ghanem/Ghanim; Nassar; Tawfiq/Tawfik; Issa/Eissa; Awad; Al-Saadi;
			Al-Maliki; Al-Majali; Al-Fayez; Al-Sharif; Obeidat; Abu Zeid/Abuzaid; Al-Rawi; Shehab/Shihab; Fawaz; Al-Hinai;
			Al-Mahrouqi; Al-Kharusi; Al-Yamani; Al-Hadrami; Bazzi; Hamadeh/Hamade; Aoun; Gemayel; Frangieh/Franjieh;
			Salameh/Salama; Zaki; Naguib/Najib; Abdel Fattah/Abdelfattah; Ramadan; Shukri/Shoukry; Mubarak; Sisi; Farouk/Faruq`,
		male: `Mohammed/Muhammad/Mohamed/Mohamad/Mohammad; Ahmed/Ahmad; Yusuf/Youssef/Yousef/Yussuf; Hussein/Husayn/Hussain/Husain;
			Abdul Rahman/Abdulrahman/Abd al-Rahman/Abdelrahman; Abdullah/Abdallah; Omar/Umar; Khaled/Khalid; Said/Saeed/Saïd;
			Ibrahim/Ebrahim; Mahmoud/Mahmud; Mustafa/Mostafa; Hassan/Hasan; Ali; Tariq/Tarek/Tarik; Faisal/Faysal;
			Salem/Salim; Walid/Waleed; Samir/Sameer; Jamal/Gamal; Osama/Usama; Ayman/Aiman; Hisham/Hesham; Ziad/Ziyad;
			Bassam; Rami; Fadi; Majed/Majid; Sultan; Zayed/Zaid; Abdul Karim/Abdulkarim; Abdul Aziz/Abdulaziz; Hamza/Hamzah;
			Karim/Kareem; Nabil/Nabeel; Adel/Adil; Anwar; Bilal; Emad/Imad; Fouad/Fuad; Haitham/Haytham; Jihad; Marwan;
			Mazen/Mazin; Nizar; Qais/Qays; Raed/Ra'id; Sami; Tamer/Tamir; Wael/Wa'il; Yaser/Yasser/Yasir; Ismail/Isma'il;
			Suleiman/Sulayman; Jaafar/Ja'far; Mansour/Mansur; Rashid/Rashed; Hamad; Nasser/Naser; Abbas`,
		female: `Fatima/Fatimah; Aisha/Aysha/Aicha; Maryam/Mariam; Noor/Nour/Nur; Layla/Leila; Huda/Hoda; Rania; Sara/Sarah;
			Amal; Dina; Hanan; Reem/Rim; Salma; Zainab/Zaynab; Lina; Nadia; Samira/Sameera; Asma/Asmaa`,
		reserved: `Al-Qubaisi; Zurayqat; Al-Mutlaq; Shawabkeh; Al-Khasawneh`,
		twoGiven: 0.35,
	},
	"maghreb": {
		family: `El Amrani/El-Amrani; Benali/Ben Ali; Bennani; El Idrissi/Idrissi; Alaoui/El Alaoui; Tazi; Berrada; Benjelloun/Ben Jelloun;
			Chraibi; Fassi-Fihri; Ouahbi/Wahbi; Lahlou; Bouzid; Trabelsi; Ben Salah/Bensalah; Jebali; Gharbi; Mejri; Hammami; Ayari;
			Zidane; Benmansour; Boudiaf; Belkacem; Bouteflika; Chanegriha/Chengriha; Hamel; Mebarki; Saadi; Ould Abdel Aziz/Ould Abdelaziz;
			Ould Ghazouani; Ould Cheikh; Ahmed Abdallah; Mohamed Said; Said Omar; Guelleh; Dileita; Houmed; Zerhouni; Haddadi; Belhadj;
			Bouazizi; Kaddour/Qaddur; Mekki; Naceur/Nasser; Bensaïd; Lakhdar; Amari; Sellami; Kchouk; Zouari; Ben Youssef/Benyoucef;
			El Fassi; Benkirane; Akhannouch; Ouazzani; Sebti; Kabbaj; Guerraoui; Lamrani; Boukhari; Mokhtari`,
		male: `Mohamed/Mohammed/Mohamad/Muhammad; Ahmed/Ahmad; Youssef/Yusuf/Youcef/Yousef; Karim; Mehdi/Mahdi; Hicham/Hisham;
			Rachid/Rashid; Abdelkader/Abdul Qadir/Abdelkadir; Abdelaziz; Abdellah/Abdallah; Mustapha/Mustafa; Hamid; Khalid/Khaled;
			Said/Saïd; Omar/Umar; Nabil; Samir; Tarek/Tariq; Hassan; Brahim/Ibrahim; Driss/Idris; Aziz; Fouad/Fuad; Redouane/Ridwan;
			Noureddine/Nourredine/Nur al-Din; Lotfi; Moncef; Slim; Sofiane/Sufyan; Bilel/Bilal; Amine/Amin; Ismaïl/Ismail;
			Abderrahim/Abdul Rahim; Hamza; Yassine/Yasin; Anouar/Anwar; Adil/Adel; Jamal/Djamel; Othmane/Uthman; Larbi; Said Ali`,
		female:   `Fatima/Fatma; Khadija/Khadidja; Nadia; Leïla/Leila; Samira; Amina; Meriem/Maryam; Salma; Asma; Sanaa/Sana; Houda/Huda; Imane/Iman`,
		reserved: `Zniber; Tounsi-Mahfoudh; Bouhlel; Ould Khattri; Ghezzal`,
		twoGiven: 0.2,
	},
	"hispanic": {
		family: `González; Rodríguez; Pérez; Martínez; García; López; Hernández; Sánchez; Ramírez; Torres; Flores; Rivera; Gómez; Díaz;
			Reyes; Cruz; Morales; Ortiz; Gutiérrez; Chávez; Ramos; Romero; Herrera; Medina; Aguilar; Vargas; Castillo; Jiménez;
			Moreno; Mendoza; Ruiz; Álvarez; Castro; Vásquez/Vázquez; Núñez; Ibáñez; Peña; Muñoz; Rojas; Contreras; Sandoval; Guzmán;
			Salazar; Espinoza/Espinosa; Acosta; Fuentes; Valenzuela; Carrasco; Zúñiga; Cárdenas; Bermúdez; Quiñones/Quiñónez; Ochoa;
			Arévalo; Cifuentes; Montoya; Ospina; Londoño; Restrepo; Zapata; Giraldo; Cabrera; Benítez; Sosa; Paredes; Figueroa;
			Mejía; Maldonado; Estrada; Barrios; Pineda; Orellana; Cerna; Lobo; Zelaya; Bustillo; Cienfuegos; Navarro; Domínguez;
			Vega; Guerrero; Delgado; Campos; Suárez; Ríos; Márquez; Luna; Escobar; Cortés; Osorio; Valencia; Arias; Cano; Duarte;
			Henríquez; Molina; Saavedra; Sepúlveda; Tapia; Fernández; Ávila; Rosales; Solís; Galindo; Villanueva; Cáceres;
			Montenegro; Palacios; Bolaños; Alvarado; Aguirre; Gallardo; Olivares; Sierra; Salinas; Rincón; Lozano; Bravo;
			Jaramillo; Cuéllar; Portillo; Argueta; Mazariegos`,
		male: `José; Juan; Carlos; Luis; Jorge; Miguel; Pedro; Andrés; Fernando; Ricardo; Alejandro; Javier/Xavier; Manuel; Francisco;
			Eduardo; Roberto; Raúl; Sergio; Héctor; Óscar; Mario; Gustavo; Álvaro; Rubén; Diego; Hernán; Gonzalo; Rodrigo; Mauricio;
			Rafael; Julio; César; Germán; Iván; Wilmer; Jairo; Nelson; Efraín; Edgar; Hugo; Ramón; Tomás; Joaquín; Sebastián;
			Nicolás; Martín; Ángel; Jesús; Agustín; Ignacio; Alberto; Antonio; Arturo; Daniel; David; Emilio; Enrique; Ernesto;
			Felipe; Gabriel; Guillermo; Humberto; Jaime; Leonardo; Marco Antonio; Orlando; Pablo; Patricio; Reinaldo/Reynaldo;
			Salvador; Vicente; Walter; William/Wilian; Franklin; Giovanni; Omar; Fabián; Cristián/Christian`,
		female: `María; Ana; Carmen; Patricia; Lucía; Gabriela; Andrea; Claudia; Verónica; Paola; Daniela; Mónica; Sandra; Lorena;
			Alejandra; Mariana; Catalina; Sofía; Ximena/Jimena; Yolanda; Rocío; Marcela; Natalia; Beatriz; Diana; Liliana`,
		reserved:  `Echazarreta; Zubizarreta; Iturralde; Goicoechea; Urquidi; Arrieta-Berrondo`,
		twoGiven:  0.55,
		twoFamily: 0.6,
	},
	"lusophone": {
		family: `Silva; Santos; Oliveira; Souza/Sousa; Pereira; Costa; Rodrigues; Almeida; Nascimento; Lima; Araújo; Fernandes; Carvalho;
			Gomes; Martins; Rocha; Ribeiro; Alves; Monteiro; Mendes; Barros; Freitas; Barbosa; Pinto; Moura; Cavalcanti/Cavalcante;
			Dias; Campos; Cardoso; Teixeira; Correia; Gonçalves; Magalhães; Conceição; Assunção; Nunes; Lopes; Vieira; Machado;
			Tavares; Cabral; Fortes; Semedo; Varela; Guterres; Ximenes; da Costa; dos Santos; da Silva; de Jesus; Lourenço; Kiala;
			Nunda; Ngongo; Nyusi; Chipande; Mondlane; Macuácua; Cossa; Mabunda; Sitoe; Chissano; Sanhá; Embaló; Djaló; Na Tchuto;
			Indjai; Trovoada; Neves; Quaresma; Sequeira; Brito; Fontes; Pires; Rangel; Bezerra; Queiroz/Queirós`,
		male: `João; José; António/Antônio; Carlos; Paulo; Pedro; Luís/Luiz; Marcos; Marcelo; Ricardo; Fernando; Rafael; Rodrigo;
			Eduardo; Gustavo; Fábio; André; Sérgio; Márcio; Júlio; Joaquim; Manuel; Francisco; Domingos; Filipe/Felipe; Alberto;
			Armando; Celso; Eugénio/Eugênio; Agostinho; Hélder; Nuno; Tomás; Vicente; Lourenço; Zeferino; Filomeno; Augusto;
			Bento; Daniel; Edson; Gilberto; Henrique; Jorge; Leonardo; Mário; Raimundo; Rui; Valdemar; Wellington; Mamadu`,
		female:    `Maria; Ana; Conceição; Fernanda; Luísa/Luiza; Isabel; Beatriz; Juliana; Fátima; Graça; Joana; Patrícia; Cristina`,
		reserved:  `Vasconcelos-Trigueiros; Albuquerque Mesquita; Figueiró; Pestana`,
		twoGiven:  0.5,
		twoFamily: 0.5,
	},
	"west_africa_fr": {
		family: `Diop; Ndiaye; Fall; Sow; Ba; Diallo; Sy; Gueye; Faye; Sarr; Mbaye; Cissé; Touré; Traoré; Keïta; Coulibaly; Konaté;
			Sangaré; Diarra; Dembélé; Camara; Sylla; Bah; Barry; Kouyaté; Ouédraogo; Sawadogo; Kaboré; Zongo; Compaoré; Issoufou;
			Mahamadou; Abdou; Hama; Adjovi; Houngbédji; Agbo; Zinsou; Kpodo; Gnassingbé; Koffi; Kouassi; N'Guessan/Nguessan; Konan;
			Kouamé; Bamba; Ouattara/Wattara; Doumbia; Déby; Mahamat; Abakar; Hissein/Hissène; Niang; Seck; Thiam; Wade; Dieng; Ndao;
			Kanté; Sidibé; Maïga/Maiga; Tall; Tiendrébéogo; Zerbo; Yaméogo; Salifou; Moumouni; Ayéva; Tchalla; Kodjo; Soglo`,
		male: `Mamadou/Mamadu; Moussa/Musa; Ousmane/Usman; Abdoulaye/Abdullahi; Ibrahima/Ibrahim; Cheikh/Sheikh; Modou; Amadou/Ahmadou;
			Souleymane/Suleiman; Boubacar/Abubakar; Seydou; Lamine; Issa; Idrissa; Adama; Aliou; Oumar/Omar; Moustapha/Mustapha;
			Babacar; Pape; Malick; Serigne; Jean-Pierre; Jean-Baptiste; Jean-Claude; Pierre; Paul; Kouadio; Yao; Idriss;
			Hassane/Hassan; Saïdou/Saidou; Salif; Bakary; Sékou/Sekou; Daouda/Dawuda; Souleymane Bachir; Alassane; Zakaria; Honoré`,
		female:   `Aïssatou/Aissatou; Fatoumata/Fatimata; Mariama/Mariam; Aminata; Awa; Khady; Ndèye/Ndeye; Adjoa; Marie-Claire; Salimata; Rokia; Kadiatou`,
		reserved: `Ouédraogo-Zangré; Tchakpélé; Gbaguidi; Soumahoro`,
		twoGiven: 0.3,
	},
	"central_africa": {
		family: `Mukendi; Kabila; Tshibanda/Chibanda; Mbuyi; Ilunga; Kalonji; Lukusa; Tshisekedi; Kasongo; Mulumba; Nsimba; Lumumba;
			Banza; Mutombo; Kabongo; Nzuzi; Makiese; Mbala; Bokolo; Kabamba; Nkurunziza; Ndayishimiye; Niyonzima; Habimana;
			Uwimana; Mugisha; Nsengiyumva; Hakizimana; Kagame; Rwigema; Ngoma; Mbarga; Ndongo; Essomba; Nkodo; Atangana; Owona;
			Mba; Ondo; Nguema; Obiang; Bongo; Touadéra; Bozizé; Kolingba; Sassou; Massamba; Moukoko; Ngoy; Kazadi; Tshimanga;
			Kayembe; Lubamba; Nzeyimana; Bizimana; Ndikumana; Ntakirutimana; Ndikuriyo; Eyenga; Fouda; Manga; Abena; Mvondo`,
		male: `Jean-Pierre/Jean Pierre; Jean-Claude; Joseph; Didier; Patrick; Célestin; Fabrice; Dieudonné; Emmanuel; Innocent; Théophile;
			Évariste; Félix; Augustin; Alphonse; Pascal; Blaise; Gaston; Honoré; Serge; Hervé; Aimé; Gédéon; Olivier; Jean-Bosco;
			Faustin; Prosper; Désiré; Léon; Christophe; Sylvestre; Bienvenu; Jean-Marie; Venant; Cyprien; Donatien`,
		female:   `Marie; Béatrice; Chantal; Esther; Odette; Clarisse; Josiane; Immaculée; Solange; Grâce; Jeanne`,
		reserved: `Mwamba-Kalubi; Nyamugabo; Tshiombe-Lukoji; Abessolo`,
		twoGiven: 0.3,
	},
	"west_africa_en": {
		family: `Mensah; Owusu; Boateng; Asante; Osei; Agyeman; Appiah; Darko; Ofori; Acheampong; Amoah; Adjei; Addo; Quaye; Tetteh;
			Annan; Adeyemi; Okafor; Okonkwo; Obi; Eze; Nwosu; Adebayo; Ogunleye; Balogun; Bello; Abubakar; Musa; Yusuf; Ibrahim;
			Danjuma; Olonisakin; Irabor; Buratai; Ojo; Akinola; Kamara; Koroma; Conteh; Sesay; Bangura; Turay; Kargbo; Mansaray;
			Johnson; Kollie; Jallow; Ceesay; Sanneh; Njie; Touray; Oyebade; Adeosun; Nnamdi; Chukwu; Onyeka; Amponsah; Frimpong;
			Nkansah; Sarpong; Aidoo; Bonsu; Fofanah; Jalloh/Jallo; Kanu; Bundu; Fatty; Bojang`,
		male: `Kwame; Kofi; Kwabena; Kwaku; Yaw; Kojo; Emmanuel; Samuel; Daniel; Ebenezer; Isaac; Joseph; Michael; Chukwuemeka;
			Oluwaseun; Olumide; Ifeanyi; Babatunde; Abdullahi/Abdulahi; Aminu; Musa; Ibrahim; Tukur; Lucky; Godwin; Sunday;
			Mohamed/Mohammed; Alhaji; Foday; Abu; Alusine; Augustine; Prince; Moses; Momodou/Mamadou; Lamin; Ebrima; Gabriel;
			Olusegun; Adewale; Chinedu; Nnamdi; Yakubu; Bashir; Kwesi; Nana; Frederick; Benjamin`,
		female:   `Abena; Akosua; Ama; Efua; Adwoa; Ngozi; Chioma; Funmilayo; Aisha; Fatmata; Isatou; Hawa; Comfort; Patience; Blessing`,
		reserved: `Oyelaran-Adebisi; Wuruola; Ansumana-Kpaka; Tchiroma`,
		twoGiven: 0.3,
	},
	"east_africa": {
		family: `Kiprop; Kipchumba; Cheruiyot; Kiptoo; Rotich; Otieno; Odhiambo; Ochieng; Onyango; Owino; Mwangi; Kamau; Njoroge;
			Kariuki; Mutua; Musyoka; Kiilu; Wafula; Wekesa; Barasa; Ogolla; Muhoozi; Katumba; Mugisha; Tumwine; Okello; Opio;
			Ssemakula/Semakula; Nsubuga; Kiggundu; Byaruhanga; Wamala; Mabeyo; Mkunda; Mwakyusa; Mollel; Lyimo; Massawe; Swai;
			Kimaro; Mwinyi; Kibet; Langat; Koech; Njuguna; Githinji; Wambua; Nyamweya; Ouma; Atuhaire; Mbabazi; Kasaija;
			Mwakalinga; Shayo; Mfinanga`,
		male: `John; Peter; Joseph; Daniel; David; Moses; Samuel; Stephen; James; Francis; Wilson; Charles; Geoffrey; Robert; Patrick;
			Emmanuel; Abraham; Isaac; Kiprono; Kipkemboi; Salim; Jacob; Amos; Elias; Gabriel; Venance;
			Mathew/Matthew; Richard; Benard/Bernard; Dennis; Kenneth; Wycliffe; Hussein; Yahya; Muhoozi; Edward; Julius; Rashid`,
		female:   `Grace; Mary; Jane; Faith; Mercy; Ruth; Esther; Alice; Beatrice; Agnes; Janet; Winnie`,
		reserved: `Kipsang-Chepkwony; Nabwire; Lukumay; Mchomvu`,
		twoGiven: 0.35,
	},
	"horn": {
		family: `Tesfaye; Bekele; Haile; Gebremedhin/Gebremedihn; Mekonnen/Mekonen; Alemu; Tadesse; Abebe; Girma; Wolde/Welde; Kebede;
			Tesfamariam; Ghebreyesus/Gebreyesus; Woldemichael/Weldemichael; Assefa; Berhe; Desta; Gebru; Hailu; Kassa; Mengistu;
			Negash; Tekle; Yohannes; Zewdie/Zewde; Ayele; Demissie; Fikre; Gebrekidan; Tsegaye; Worku; Asmelash; Habtemariam`,
		male: `Tesfaye; Abebe; Dawit; Yohannes; Getachew; Berhanu/Birhanu; Mulugeta; Solomon; Tekle; Alemayehu; Birhane; Girma;
			Haileselassie; Kidane; Mesfin; Samuel; Seyoum; Tadele; Yemane; Zerihun; Abiy; Fitsum; Mebrahtu; Ermias; Henok`,
		female:   `Tigist; Meseret; Hiwot; Selam; Almaz; Bethlehem; Mekdes; Rahel; Saba; Senait`,
		reserved: `Woldegiorgis-Tessema; Gebrehiwot-Abraha; Zemichael`,
		twoGiven: 0.15,
	},
	"nilotic": {
		family: `Deng; Garang; Mayen; Kiir; Machar; Lual; Akol; Malual; Nyok; Ajak; Aguer; Bol; Chol; Kuol; Majok; Mabior; Makuei;
			Manyang; Ngor; Thon; Wani; Yak; Lado; Lomuro; Ladu; Gatluak; Kong; Puok; Riek; Tut; Wek; Dut; Awan; Jok`,
		male: `John; Peter; James; Paul; Michael; Gabriel; Santino; Simon; Daniel; Joseph; Isaac; Abraham; Samuel; Kuol; Majok;
			Salva; Thomas; Stephen; Mathiang; Akech; Garang; Gatdet; Malek; Ruai`,
		female:   `Nyandeng; Achol; Rebecca; Mary; Elizabeth; Agnes; Nyibol; Awut`,
		reserved: `Lokonyen; Nyachieng-Gatwech; Kwajok`,
		twoGiven: 0.4,
	},
	"southern_africa": {
		family: `Mokgosi; Seretse; Khama; Masisi; Molefe; Kgosi; Mogae; Motswagae; Sebego; Modise; Nkosi; Dlamini; Ndlovu; Mokoena;
			Khumalo; Mahlangu; Zulu; Mthembu; Sithole; Naidoo; van der Merwe; Botha; Pretorius; Nel; du Plessis; Mashinini; Banda;
			Phiri; Mwale; Tembo; Chirwa; Kamwendo; Nyirenda; Mbewe; Mulenga; Bwalya; Chanda; Musonda; Mutale; Lungu; Sakala;
			Shikongo; Nujoma; Amukwaya; Hamutenya; Shilongo; Nghipondoka; Mokhothu; Letsie; Mosisili; Thabane; Lekhanya; Magagula;
			Simelane; Nxumalo; Shongwe; Kgathi; Moatlhodi; Setlhare; Mkandawire; Kalua; Chisenga; Kapembwa; Iipinge`,
		male: `Thabo; Sipho; Themba; Bongani; Mandla; Kagiso; Tshepo; Lebogang; Mpho; Oratile; Mothusi; Kabelo; Chikondi; Chisomo;
			Mwansa; Mwila; Chileshe; Peter; John; Joseph; Lazarus; Godfrey; Gift; Blessings; Innocent; Charles; Jacobus; Johannes;
			Pieter; Placid; Gaositwe; Tebogo; Lesego; Thulani; Sizwe; Vincent; Martin; Epifanio/Epiphanio; Nicodemus; Ndapandula`,
		female:   `Naledi; Lerato; Palesa; Nomsa; Thandiwe; Chipo; Tiyamike; Ndapewa; Bupe; Boitumelo; Refilwe; Mpule`,
		reserved: `Mmualefhe; Ntsekhe-Ramakoae; Shiimi-Nangolo; Chiumia`,
		twoGiven: 0.3,
	},
	"malagasy": {
		family: `Rakotondrabe; Randriamampionona; Rasolofo; Rakotomalala; Andrianarivo; Razafindrakoto; Rajaonarison; Ravalomanana;
			Rajoelina; Rakotoarisoa; Andriamanantena; Ratsiraka; Randrianarisoa; Rasoanaivo; Ramanantsoa; Rakotonirina;
			Razafimahatratra; Andriamasinoro; Randrianasolo; Rabemananjara; Ratsimbazafy; Rasamoelina`,
		male:     `Hery; Tiana; Jean; Solofo; Haja; Rivo; Naina; Fidy; Mamy; Andry; Lova; Tojo; Herilanto; Njaka; Faly; Rado; Tsiry; Richard`,
		female:   `Voahangy; Lalao; Hanitra; Volatiana; Fara; Noro; Soa`,
		reserved: `Andriamahazoarivelo; Ratsimandresy-Koto`,
		twoGiven: 0.45,
	},
	"slavic": {
		family: `Kovalenko; Shevchenko; Bondarenko; Tkachenko/Tkatchenko; Kravchenko; Melnyk/Melnik; Boyko/Boiko; Koval; Oliynyk/Oleinik;
			Lysenko; Moroz; Marchenko; Savchenko; Rudenko; Petrenko; Pavlenko; Ivanov; Petrov; Sidorov; Smirnov; Kuznetsov/Kouznetsov;
			Popov; Sokolov; Lebedev; Kozlov; Novikov; Morozov; Volkov; Zaitsev/Zaytsev; Zhukov/Joukov; Hrytsenko/Gritsenko;
			Zaluzhnyi/Zaluzhny; Syrskyi/Syrsky; Naiev/Nayev; Khomchak; Muzhenko; Poltorak; Zahorodniuk/Zagorodnyuk; Shaptala;
			Moisiuk/Moysyuk; Kovalchuk; Polishchuk; Tkachuk; Romanenko; Levchenko; Semenko; Hnatyuk/Gnatyuk; Yaremenko;
			Kryvonos/Krivonos; Chernenko/Tchernenko; Demchenko; Kozak; Sydorenko/Sidorenko; Honcharenko/Goncharenko`,
		male: `Oleksandr/Aleksandr/Alexander/Oleksander; Serhiy/Sergei/Sergey/Serhii; Dmytro/Dmitri/Dmitry; Andriy/Andrei/Andrey/Andrii;
			Yuriy/Yuri/Yurii; Mykola/Nikolai/Nikolay; Vasyl/Vasily/Vasiliy; Oleh/Oleg; Volodymyr/Vladimir; Yevhen/Yevgeny/Evgeny;
			Mykhailo/Mikhail; Pavlo/Pavel; Ihor/Igor; Viktor/Victor; Maksym/Maksim/Maxim; Vitaliy/Vitaly/Vitalii; Ruslan; Taras;
			Bohdan/Bogdan; Roman; Anatoliy/Anatoly; Valeriy/Valery; Hennadiy/Gennady; Petro/Pyotr; Ivan; Stepan; Denys/Denis;
			Artem/Artyom; Kostiantyn/Konstantin; Yaroslav; Vadym/Vadim; Borys/Boris; Leonid; Oleksiy/Aleksei/Alexey`,
		female: `Olena/Elena/Yelena; Nataliya/Natalia; Iryna/Irina; Oksana; Tetiana/Tatiana; Svitlana/Svetlana; Yuliya/Yulia;
			Kateryna/Ekaterina; Mariya/Maria; Anna; Halyna/Galina; Liudmyla/Lyudmila`,
		second: `Oleksandrovych/Aleksandrovich; Mykolayovych/Nikolaevich; Ivanovych/Ivanovich; Petrovych/Petrovich;
			Vasylovych/Vasilyevich; Serhiyovych/Sergeevich; Volodymyrovych/Vladimirovich; Anatoliyovych/Anatolyevich;
			Viktorovych/Viktorovich; Mykhailovych/Mikhailovich; Yuriyovych/Yuryevich; Pavlovych/Pavlovich`,
		reserved: `Dzyuba-Kalynovskyi; Pshenychnyi; Vorozhbyt; Tsybulko`,
		twoGiven: 0.3,
	},
	"central_asia": {
		family: `Nurmagambetov; Zhaksylykov/Jaksylykov; Abenov; Tokayev/Tokaev; Akhmetov/Akhmedov; Bekov; Sadykov/Sadikov; Omarov/Umarov;
			Isakov; Sultanov; Mukhamedzhanov/Mukhamedjanov; Yermekbayev/Ermekbaev; Kasymov/Kasimov; Zhumabayev/Dzhumabaev/Jumabaev;
			Bakirov; Rakhimov/Rahimov; Karimov; Yusupov/Iusupov; Tursunov; Niyazov; Annayev/Annaev; Orazov; Rahmonov/Rakhmonov;
			Sharipov; Davlatov; Nazarov; Saidov; Abdrakhmanov; Beisenov/Beysenov; Dzhaksybekov; Imanaliev; Mamytov; Ismoilov;
			Kurbanov/Qurbonov; Mirzoev/Mirzoyev; Tashiev; Japarov/Zhaparov; Ergeshov; Usenov; Seitkazy`,
		male: `Nurlan; Yerlan/Erlan; Serik; Marat; Ruslan; Daniyar/Daniar; Askar; Bauyrzhan/Baurzhan/Bauyrjan; Zhanibek/Janibek; Timur;
			Almaz; Bakyt; Kanat; Talgat; Azamat; Ulugbek/Ulughbek; Shavkat; Rustam; Farrukh; Jamshid/Dzhamshid; Sherzod;
			Bakhtiyor/Bakhtiyar; Dovlet; Murad/Murat; Serdar; Firdavs; Nurbek; Erkin; Kairat/Qairat; Saken; Aibek/Aybek; Adilet`,
		female:   `Aigerim/Aygerim; Gulnara; Dinara; Aizhan/Ayzhan; Madina; Nodira; Dilnoza; Gulshan; Ainura; Saule`,
		second:   `Nurlanovich; Serikovich; Maratovich; Bakytovich; Kanatovich; Rustamovich; Askarovich; Erlanovich`,
		reserved: `Kydyrbayev-Tulegenov; Shaimerdenov; Zhunusbekov`,
		twoGiven: 0.25,
	},
	"turkic": {
		family: `Məmmədov/Mammadov/Mamedov; Əliyev/Aliyev/Aliev; Həsənov/Hasanov/Gasanov; Hüseynov/Huseynov/Guseinov;
			Quliyev/Guliyev/Kuliev; İsmayılov/Ismayilov/Ismailov; Abdullayev/Abdullaev; Rzayev/Rzaev; Nəsirov/Nasirov;
			Vəliyev/Valiyev; Bayramov; Süleymanov/Suleymanov; Cəfərov/Jafarov/Dzhafarov; Səfərov/Safarov; Rəhimov/Rahimov;
			Kərimov/Karimov; Qasımov/Gasimov; Babayev; İbrahimov/Ibrahimov; Orucov/Orujov; Əhmədov/Ahmadov; Novruzov;
			Mustafayev; Sadıqov/Sadigov; Nağıyev/Naghiyev; Əsgərov/Asgarov; Zeynalov; Heydərov/Heydarov`,
		male: `Elçin/Elchin; Rəşad/Rashad; Orxan/Orkhan; Kamran; Zakir; Ramil; Vüqar/Vugar; Anar; Elnur; Tural; Fuad; Rövşən/Rovshan;
			Hikmət/Hikmat; Nicat/Nijat; Səməd/Samad; Mübariz/Mubariz; Kərim/Karim; Eldar; Şahin/Shahin; Tofiq/Tofig; Rüstəm/Rustam;
			Elşən/Elshan; Fərid/Farid; Vüsal/Vusal; Cavid/Javid; Teymur; Emin; Natiq/Natig`,
		female:   `Aysel; Günel/Gunel; Leyla; Nərmin/Narmin; Sevinc/Sevinj; Aynur; Könül/Konul; Ülviyyə/Ulviyya`,
		reserved: `Qaraçöpəyev; Əlizamanlı; Şükürbəyli`,
		twoGiven: 0.1,
	},
	"romanian": {
		family: `Popescu; Rusu; Ceban/Ciban; Țurcan/Turcan; Munteanu; Ciobanu; Lungu; Cojocaru; Rotaru; Sârbu/Sîrbu; Moraru; Guțu;
			Bălan; Grosu; Botnaru; Cebotari/Chebotari; Melnic; Croitoru; Postolache; Roșca; Țîbîrnă; Gaiciuc; Noroc; Bodrug;
			Chiriac; Donos; Gurău; Lupu; Mîrza/Mârza; Prisacari; Spînu/Spânu; Ursu; Zgardan; Nosatîi; Galben`,
		male: `Ion; Vasile; Andrei; Mihai; Ștefan; Igor; Sergiu; Vitalie; Victor; Alexandru; Nicolae; Dumitru; Valeriu; Gheorghe;
			Petru; Eduard; Anatol; Ghenadie; Iurie/Yuri; Radu; Veaceslav/Viaceslav; Oleg; Vladimir; Constantin; Marcel; Dorin`,
		female:   `Ana; Maria; Elena; Natalia; Cristina; Olga; Tatiana; Irina; Doina; Svetlana`,
		reserved: `Cuciurcă-Vîrlan; Dohotaru; Ștefăniță`,
		twoGiven: 0.15,
	},
	"balkan": {
		family: `Popović; Jovanović; Marković; Petrović; Nikolić; Đorđević/Djordjević; Ilić; Stojanović; Pavlović; Kovačević; Hodžić;
			Delić; Begović; Mujić; Hadžić; Halilović; Babić; Horvat; Knežević; Jurić; Perić; Marić; Tomić; Šarić; Vuković;
			Radović; Bulatović; Đukanović/Djukanović; Stojanovski; Petrovski; Trajkovski; Nikolovski; Dimitrov; Angelovski;
			Ristovski; Kostovski; Jovanovski; Mitrović; Živković; Lazić; Savić; Milošević; Obradović; Husić; Mehmedović;
			Salihović; Karadžić; Božović; Vujović; Dimovski; Stefanovski; Ivanovski`,
		male: `Milan; Dragan; Nikola; Stefan; Goran; Zoran; Dejan; Marko; Nenad; Saša; Miloš; Vladimir; Aleksandar; Ivan; Tomislav;
			Ante; Josip; Damir; Emir; Edin; Mirza; Senad; Haris; Adnan; Kenan; Nedžad; Željko; Branko; Darko; Vlado; Blagoja;
			Zlatko; Srđan/Srdjan; Đorđe/Djordje; Predrag; Igor; Mladen; Slobodan; Boris; Veljko`,
		female:   `Jelena; Ivana; Marija; Ana; Milica; Amra; Lejla; Biljana; Snežana; Maja; Dragana`,
		reserved: `Vrhovac-Šubić; Ćeranić; Zdravkovski`,
		twoGiven: 0.05,
	},
	"albanian": {
		family: `Hoxha/Hodja; Berisha; Shehu; Gjoka; Krasniqi; Gashi; Hoti; Leka; Dervishi; Kola; Lika; Çela/Cela; Xhafa; Marku;
			Ahmeti; Bytyqi; Hasani; Rama; Meta; Basha; Zeqiri; Kelmendi; Morina; Shala; Rexhepi; Ismaili; Dushku; Musliu; Qosja;
			Hyseni; Thaçi/Thaci; Haradinaj; Kurti; Osmani; Mustafa; Bajrami; Selimi; Hajdari; Kastrati; Gjonaj`,
		male: `Arben; Ermal; Besnik; Agron; Fatmir; Ilir; Bujar; Artan; Gentian; Erion; Dritan; Altin; Blerim; Valon; Driton; Kujtim;
			Shkëlzen; Ylli; Luan; Genc; Arian; Florian; Rexhep; Bashkim; Edmond; Arjan; Bekim; Fadil; Hashim; Kadri`,
		female:   `Elira; Blerta; Ardita; Mimoza; Teuta; Vjosa; Drita; Albana; Entela; Flutura`,
		reserved: `Gjinushi-Bregu; Xhindoli; Qëndresa`,
		twoGiven: 0.05,
	},
	"armenian": {
		family: `Hakobyan/Akopyan/Hakopian; Grigoryan/Grigorian; Petrosyan/Petrosian; Sargsyan/Sarkisian/Sargsian;
			Harutyunyan/Arutyunyan; Khachatryan/Khachatrian; Davtyan; Gevorgyan/Gevorkian; Martirosyan; Avetisyan; Karapetyan;
			Mkrtchyan; Ghazaryan/Kazaryan; Vardanyan; Galstyan; Hovhannisyan/Ovanesyan; Manukyan; Stepanyan; Simonyan; Asatryan;
			Aghajanyan; Babayan; Danielyan; Yeghiazaryan; Movsisyan; Tadevosyan; Tonoyan; Zakaryan`,
		male: `Armen; Davit/David; Tigran; Aram; Artur; Gagik; Hayk/Haik; Karen; Samvel; Vahagn; Levon; Sargis/Sarkis;
			Hovhannes/Ovanes; Arsen; Ashot; Vardan; Gevorg/Georg; Movses; Onik; Vazgen; Artak; Edgar; Narek; Suren`,
		female:   `Anahit; Ani; Lusine; Mariam; Gayane; Nune; Armine`,
		reserved: `Ter-Minasyan; Yesayan-Papazian`,
		twoGiven: 0.03,
	},
	"georgian": {
		family: `Beridze; Kapanadze; Gelashvili; Maisuradze; Giorgadze; Lomidze; Tsiklauri; Kvaratskhelia; Chikovani; Chachua;
			Gogoladze; Khutsishvili; Jorbenadze; Gvenetadze; Abashidze; Tskhadadze; Dolidze; Nozadze; Gamkrelidze; Sulaberidze;
			Khvedelidze; Janelidze; Tsereteli; Chkheidze; Matchavariani; Kiknadze; Mikadze; Natsvlishvili; Kalandadze; Tabatadze`,
		male: `Giorgi/George; Davit/David; Levan; Irakli; Zurab; Nikoloz/Nika; Lasha; Vakhtang; Tengiz; Gela; Mamuka; Archil; Tamaz;
			Otar; Shota; Besik/Besiki; Merab; Gocha; Vladimer; Revaz; Giorgi Nikoloz; Koba; Mikheil/Mikhail`,
		female:   `Nino; Tamar/Tamari; Ketevan; Mariam; Ana; Eka; Salome`,
		reserved: `Svanidze-Mgaloblishvili; Chachkhiani`,
		twoGiven: 0.03,
	},
	"south_asia_muslim": {
		family: `Khan; Ahmed/Ahmad; Malik; Qureshi/Quraishi/Qureishi; Chaudhry/Chaudhary/Choudhury; Butt; Shah; Abbasi; Raja;
			Hussain/Hussein/Husain; Mirza; Siddiqui/Siddiqi; Sheikh/Shaikh; Bajwa; Niazi; Javed/Javaid; Iqbal; Akhtar/Akhter;
			Rehman/Rahman; Hossain; Chowdhury/Chowdhry; Islam; Uddin; Alam; Haque/Huq; Miah/Mia; Sarkar; Bhuiyan/Bhuiya; Talukder;
			Popal; Ahmadzai; Wardak; Karzai; Durrani; Stanekzai; Mohammadi; Noori/Nuri; Rahimi; Sultani; Didi; Manik; Waheed;
			Nasheed; Sharif/Shareef; Munir; Mirza Baig/Mirza Beg; Awan; Khattak; Afridi; Yousafzai/Yusufzai; Ghauri; Rana;
			Cheema; Gondal; Ashraf; Kabir; Mollah/Molla; Mahmud/Mahmood`,
		male: `Muhammad/Mohammad/Mohammed; Ahmed/Ahmad; Ali; Imran; Asim; Qamar; Raheel; Zubair; Faisal; Tariq; Usman/Osman; Bilal;
			Shahid; Kamran; Naveed/Navid; Asif; Khalid; Nadeem; Sajjad; Abdul Qadir/Abdul Qader; Abdul Rahim; Abdul Karim;
			Shafiqul; Aminul; Mizanur; Rafiqul; Saiful; Mahbub; Kamrul; Atiqur; Ziaur/Zia-ur; Shahjahan; Abdul Wahid; Ghulam;
			Sher; Hamid; Mohibullah; Zabihullah/Zabiullah; Ibrahim; Hussain; Waqar; Sohail/Suhail; Junaid; Adnan; Aamir/Amir;
			Farhan; Nasir; Mujahid; Abdul Hadi; Masud/Masood`,
		female:   `Ayesha/Aisha; Fatima; Sana; Nusrat; Farzana; Shirin; Nasrin; Rukhsana; Sadia; Mariam/Maryam; Nighat; Rabia`,
		reserved: `Khattak-Yousafzai; Marwat; Bangash-Orakzai; Taherkheli`,
		twoGiven: 0.4,
	},
	"south_asia": {
		family: `Singh; Sharma; Kumar; Verma; Gupta; Reddy; Nair; Menon; Rao; Iyer; Pillai; Chauhan; Rathore; Yadav; Thakur; Naravane;
			Rawat; Pande/Pandey; Bhatt/Bhat; Thapa; Gurung; Shrestha; Rai; Limbu; Magar; Tamang; Karki; Adhikari; Basnet; Khadka;
			Chhetri/Chettri; Perera; Fernando; de Silva; Jayasuriya/Jayasooriya; Wickremesinghe/Wickramasinghe; Rajapaksa/Rajapakse;
			Dissanayake; Bandara; Gunawardena/Gunawardana; Jayawardena/Jayawardene; Herath; Ratnayake; Ramgoolam; Jugnauth; Ramdin;
			Seegoolam; Gopee; Boodhoo; Mishra; Tiwari; Joshi; Kulkarni; Patil; Deshpande; Banerjee/Bannerjee; Mukherjee/Mukerji;
			Chatterjee; Bose; Sen; Das; Ghosh; Pathania; Dogra; Sandhu; Gill; Dhillon`,
		male: `Rajesh; Suresh; Ramesh; Anil; Sunil; Vikram; Arjun; Rahul; Amit; Sanjay; Manoj; Ashok; Deepak; Pradeep; Rakesh; Vijay;
			Ajay; Manish; Bipin; Prem; Purna; Krishna; Bishnu; Ram; Hari; Sushil; Dilip; Kamal; Nuwan; Chaminda; Kasun; Ruwan;
			Lalith; Mahinda; Shavendra; Jagath; Dev; Navin/Naveen; Pravind; Ashvin/Ashwin; Upendra; Gajendra; Narendra; Satish;
			Harish; Girish; Mukesh; Rajendra; Santosh; Sudarshan`,
		female:   `Priya; Anjali; Sunita; Kavita; Neha; Pooja/Puja; Sita; Gita/Geeta; Nirmala; Dilani; Chamari; Kumari; Lakshmi/Laxmi`,
		reserved: `Venkataraghavan; Bhattacharyya-Sen; Kodituwakku; Ramtohul`,
		twoGiven: 0.2,
	},
	"philippine": {
		family: `Santos; Reyes; Cruz; dela Cruz/De la Cruz; Bautista; Ocampo; Garcia; Mendoza; Torres; Tomas; Andrada; Castillo; Flores;
			Villanueva; Ramos; Castro; Rivera; Aquino; Navarro; Salazar; Mercado; Aguilar; Pascual; Santiago; Soriano; Gonzales;
			Dizon; Manalo; Macaraeg; Lacson; Esperon; Año/Ano; Brawner; Padilla; Sobejana; Centino; Bacarro; Galvez; Lorenzana;
			Tolentino; Magbanua; Dimaculangan; Sison; Capulong; Dela Rosa/De la Rosa; Enriquez; Lim; Tan; Ong; Sy; Go; Yap;
			Macapagal; Marquez; Valdez; Domingo; Fajardo; Ilagan; Lapitan; Pangilinan; Quiambao`,
		male: `Jose; Juan; Antonio; Eduardo; Rodrigo; Ferdinand; Romeo; Rolando; Ricardo; Reynaldo; Ernesto; Gilbert; Rommel; Noel;
			Arnel; Jonathan; Mark Anthony; John Paul; Christopher; Jerome; Ronald; Edgardo; Danilo; Benjamin; Emmanuel; Cirilito;
			Bartolome; Andres; Efren; Renato; Restituto; Honorio; Arnulfo; Jeffrey; Randolph; Jericho; Aldrin`,
		female:   `Maria; Rowena; Marites; Lorna; Jocelyn; Rosario; Ana Marie; Kristine; Maricel; Imelda`,
		reserved: `Macalintal-Dimaporo; Pangandaman; Tingzon`,
		twoGiven: 0.3,
	},
	"thai": {
		family: `Srisuk; Chaiyaporn; Wongsuwan; Saengthong; Thongchai; Boonmee; Suksawat; Chanthawong; Phromphan; Rattanakul; Prasertsri;
			Sukhum; Jantharat; Khamphaeng; Sirikul; Panyawai; Charoenrat; Wongsawat; Chan-ocha/Chanocha; Wongsuwon;
			Songkitti; Kaewkamnerd; Boonyaratglin/Boonyaratkalin; Pinthong; Rakpongsa; Sangkhaphong; Thanarat; Ruangsri;
			Sukprasert; Kongsiri; Nakprasit; Intarasuk; Chotikul; Phumiphak; Srisawat`,
		male: `Somchai/Somchay; Prayut/Prayuth; Prawit; Anupong; Apirat; Narongpan; Chalermchai; Somsak; Surasak; Wichai; Thanakorn;
			Kittipong; Nattapong; Chaiyaphruek; Songwit; Thirachai; Sutthiphong; Pornchai; Anan; Chatchai; Apichart; Chakrit;
			Kriangkrai; Pisit; Sompong; Teerawat/Thirawat; Wirat; Yuttana/Yutthana`,
		female:   `Siriporn; Nattaya; Kanokwan; Supaporn; Pimchanok; Wanida; Kannika`,
		reserved: `Phongphaiboon-Srisaard; Yimprasert`,
		twoGiven: 0.02,
	},
	"vietnamese": {
		family: `Nguyễn; Trần; Lê; Phạm; Hoàng/Huỳnh; Vũ/Võ; Đặng; Bùi; Đỗ; Ngô; Dương; Lý; Phan; Hồ; Trịnh; Đinh; Mai; Lương; Tô; Cao`,
		male: `Minh; Quang; Anh; Tuấn; Hùng; Khánh; Trường; Sơn; Phúc; Thành; Lâm; Dũng; Huy; Nam; Nghĩa; Cường; Long; Hải;
			Thắng; Bình; Toàn; Hiếu; Đạt; Vinh`,
		female:      `Lan; Hương; Hà; Thu; Mai; Linh; Ngọc; Anh; Trang; Hạnh`,
		second:      `Văn; Quốc; Đức; Xuân; Thanh; Hữu; Công; Ngọc; Tiến; Hoài; Trọng; Mạnh; Minh; Quang`,
		secondF:     `Thị; Ngọc; Thu; Thanh`,
		middleFirst: true,
		reserved:    `Khổng; Âu Dương; Thân`,
		twoGiven:    0.9,
	},
	"khmer_lao": {
		family: `Sok; Chea; Hun; Keo; Chhum; Kim; Meas; Pich; Prak; Sam; Seng; Tea; Touch; Yim; Phommachanh; Sisoulith; Vongsa; Keomany;
			Sayavong; Phanthavong; Inthavong; Souvannavong; Chhoeun; Nhem; Ouk; Heng; Luy; Sar; Chan; Vong`,
		male: `Sokha; Manet/Manith; Vanna; Dara; Sophal; Pheap; Sovann; Chantha; Bounmy; Khamphoui; Somphone; Souksavanh; Vilay;
			Thongsing; Sarith; Vuthy; Rithy; Bunthoeun; Sopheak; Kosal; Chanthavong; Phonesay`,
		female:   `Sreymom; Sokunthea; Chanthy; Malaythong; Vanida; Sophea`,
		reserved: `Oudomsouk; Kittikhoun`,
		twoGiven: 0.1,
	},
	"malay": {
		// family: the father's name, written after bin/binti.
		family: `Ismail; Abdullah; Hassan; Ibrahim; Othman; Yusof/Yusuf; Ahmad; Hamzah; Rahman; Razak; Aziz; Salleh; Ali; Omar; Jaafar;
			Kassim; Mahmud/Mahmood; Mohamad/Mohammad; Mustafa; Sulaiman; Zainal; Harun; Hashim; Idris; Musa; Nordin`,
		male: `Mohd/Muhammad/Mohamad; Ahmad; Zulkifli; Affendi; Hafizuddin; Azizan; Zamrose; Raja Mohamed; Shahrom; Rosli; Kamarudin;
			Azman; Fadzil; Hishamuddin; Nazri; Rizal; Faizal/Faisal; Khairul; Amirul; Syed Hussein; Mazlan; Hasnul`,
		female:   `Siti; Nur Aisyah; Noraini; Zarina; Rohana; Aminah; Fatimah; Nurul Huda`,
		reserved: `Tengku Puteh; Wan Ngah`,
		twoGiven: 0.35,
		prefixM:  "bin",
		prefixF:  "binti",
	},
	"indonesian": {
		family: `Subiyanto; Santoso; Wibowo; Setiawan; Susanto; Gunawan; Hidayat; Kurniawan; Nugroho; Pratama; Purnomo; Saputra; Siregar;
			Simanjuntak; Nasution; Harahap; Sitompul; Hutagalung; Tjahjanto/Cahyanto; Prabowo; Margono; Perkasa; Widodo;
			Yudhoyono/Yudoyono; Hadiwijaya; Suharto/Soeharto; Sukarno/Soekarno; Sudirman/Soedirman; Suryadi/Soeryadi; Tampubolon;
			Panjaitan; Simatupang; Wiranto; Moeldoko/Muldoko; Tanjung; Lubis; Sembiring; Ginting; Pardede; Manurung`,
		male: `Agus; Budi; Joko; Andi; Dedi; Hadi; Eko; Bambang; Yudo; Teguh; Slamet; Rudi; Dwi; Tri; Wahyu; Arif; Iwan; Heru; Herman;
			Anton; Hendra; Fajar; Rizky/Rizki; Gatot; Dudung; Maruli; Andika; Yudi; Sigit; Listyo; Tito; Nanang`,
		female:   `Siti; Sri; Dewi; Ratna; Wulan; Indah; Rini; Yuliana`,
		reserved: `Kusumaatmadja; Notonegoro-Sastro`,
		twoGiven: 0.3,
	},
	"mongolian": {
		family: `Batbayar; Ganbold; Enkhbold; Bat-Erdene; Tsogtbaatar; Dorjsuren; Purevdorj; Gantulga; Otgonbayar; Munkhbat/Munkh-Bat;
			Sukhbaatar/Sükhbaatar; Erdenebat; Altangerel; Byambasuren; Davaasuren; Tumurbaatar/Tömörbaatar; Battulga; Amarsaikhan;
			Oyunbileg; Naranbaatar; Baatar; Ganzorig; Batsaikhan; Dashdorj; Lkhagvasuren; Tserendorj; Ochirbat; Zandanshatar`,
		male: `Ganzorig; Batbold; Bold; Tsend; Enkhtuvshin; Dulguun; Temuulen; Bayarsaikhan; Nyamdorj; Sodnom; Ankhbayar; Gankhuyag;
			Baasanjav; Erdenebileg; Tsolmon; Munkhjargal; Zorigt; Batjargal; Enkh-Amgalan; Khurelsukh/Khürelsükh; Dagvadorj`,
		female:   `Oyunchimeg; Enkhjargal; Saruul; Bolormaa; Tuya; Altantsetseg`,
		reserved: `Tsedevsuren-Ulziibayar; Chimeddagva`,
		twoGiven: 0.02,
	},
	"pacific": {
		family: `Tupou; Fifita; Taufa; Tuilagi; Vainikolo; Fonua; Havili; Kata; Latu; Mahe; Vake; Bainimarama; Rabuka; Tikoitoga; Naivalu;
			Waqa; Vakalalabure; Kalsakau; Tabi; Bule; Natuman; Sope; Iauko; Kenilorea; Sogavare; Manele; Wale; Kaua; Namah; Pato;
			Marape; Tamate; Laufa; Kabua; de Brum; Anote; Tong; Sopoaga; Kalofai; Tuiloma; Faleafaga; Lealaiauloto; Tuimavave;
			Vunibobo; Nailatikau; Tawake; Vosanibola; Kila; Kaupa; Toroama`,
		male: `Sione; Viliami; Semisi; Tevita; Siaosi; Pita; Josaia; Jone; Viliame; Isikeli; Inoke; Esala; John; Peter; Charlie; Moses;
			Ralph; Jacob; Manasseh; Derek; Taneti; Enele; Kausea; Mosese; Ratu Epeli; Jotama; Samisoni; Filipo; Tavita`,
		female:   `Mele; Salote; Losana; Litia; Miriama; Ana; Seini`,
		reserved: `Tuimalealiifano; Ravuvu-Nacola; Kalsrap`,
		twoGiven: 0.3,
	},
	"caribbean": {
		family: `Brown; Campbell; Williams; Thompson; Clarke; Smith; Johnson; Francis; Richards; Edwards; Henry; Grant; Reid; Gordon;
			Bailey; Mitchell; Lewis; Walker; Joseph; Charles; Baptiste; Alexander; Ramdass; Persaud; Mohammed; Ramkissoon; Maharaj;
			Chin; Wong; Lowe; Antoine; Felix; St. Hill/Saint Hill; McKenzie/MacKenzie; O'Neil/O'Neal; Pinder; Rolle; Knowles;
			Ferguson; Cartwright; Daley/Daly; Morgan; Bennett; Forbes; Samuels; Ramsaran; Harewood; Greenidge; Belgrave; Bascom`,
		male: `Andre/André; Delroy; Marlon; Dwayne/Duane; Kirk; Carlton; Winston; Desmond; Trevor; Garfield; Clive; Lennox; Rohan;
			Devon; Ricardo; Hugh; Neville; Everton; Junior; Rocky; Antonio; Kerron; Darren; Shane; Godfrey; Raymond;
			Anthony; Michael; Omar; Kevin; Dexter; Wendell; Renford`,
		female:   `Kerry-Ann/Kerryann; Shanice; Tamika; Natoya; Marcia; Jacqueline; Patrice; Simone; Antonette; Sherene`,
		reserved: `Fitzgerald-Hyppolite; Quamina; Bynoe-Sealy`,
		twoGiven: 0.3,
	},
	"creole": {
		family: `Pierre; Jean-Baptiste; Joseph; Charles; Louis; Saint-Fleur/St-Fleur; Désir; Théodore; Étienne; Michel; Dorval;
			Lafontant; Moïse; Jean-Louis; Hoarau; Payet; Laporte; Savy; Barbe; Augustin; Célestin; Dorsainvil; Exantus; Fils-Aimé;
			Jeune; Mondésir; Noël; Paul; Pierre-Louis; Valcourt`,
		male: `Jean; Jean-Robert; Pierre; Jacques; Frantz/Franz; Wilson; Jean-Claude; Réginald; Patrick; Ernst; Fritz; Wilner; Yves;
			Rony; Gérald; Dany; Jean-Marc; Herby; Joël; Roosevelt; Wesner`,
		female:   `Marie; Nadège; Fabiola; Guerline; Rose-Marie; Mirlande`,
		reserved: `Dorcéus-Nazaire; Lhérisson`,
		twoGiven: 0.3,
	},
	"maltese": {
		family: `Borg; Camilleri; Vella; Farrugia; Zammit; Galea; Micallef; Grech; Attard; Spiteri; Azzopardi; Caruana; Mifsud; Cassar;
			Agius; Debono; Bonello; Pace; Buħaġiar/Buhagiar; Xuereb; Sciberras; Tabone; Calleja; Busuttil`,
		male:     `Joseph/Ġużeppi; Mark; John; Paul; Anthony; Carmel; Emmanuel; Jesmond; Clifford; Keith; Jeffrey; Ray; Ivan; Brian; Charles`,
		female:   `Maria; Josephine; Roberta; Claire; Rita`,
		reserved: `Xerri-Ellul; Ċilia`,
		twoGiven: 0.1,
	},
}
