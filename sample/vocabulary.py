# ruff: noqa: SIM905, RUF001 -- word lists read best as split strings; romanized Arabic uses ayn and hamza
"""Words the sample county is written with: names, title words, publishers, subjects, classes.

Plain data, no logic. Swedish first; English, Arabic, Persian, Somali and Finnish for the
foreign-language shelves every Swedish public library has. Arabic and Persian titles come as
(transliteration, original script) pairs: the transliteration goes in 245, the script in 880.
"""

SWEDISH_FIRST = (
    "Astrid Selma Karin Lena Maria Anna Eva Kerstin Ingrid Birgitta Sara Emma Elin Johanna Linnea "
    "Märta Åsa Ylva Sofia Malin Camilla Therese Ulrika Agneta Helena Moa Tove Majgull Katarina Liza "
    "Jonas Johan Lars Per Nils Henning Jan Fredrik Mikael Stieg Åke Göran Björn Torbjörn Kjell Olle "
    "Håkan Magnus Anders Niklas Peter Lasse Gunnar Sven Erik Karl Hjalmar Ola Jens Örjan Mats Viveca"
).split()
SWEDISH_LAST = (
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson "
    "Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Lindström "
    "Lindqvist Lindgren Berg Axelsson Bergström Lundberg Lind Lundgren Lundqvist Mattsson Berglund "
    "Fredriksson Sandberg Henriksson Forsberg Sjöberg Wallin Engström Eklund Danielsson Lundin Håkansson "
    "Björk Bergman Gunnarsson Holm Wikström Samuelsson Isaksson Fransson Bergqvist Nyström Holmberg "
    "Arvidsson Löfgren Söderberg Nyberg Blomqvist Claesson Nordström Mårtensson Lundström Ström "
    "Åberg Öberg Hedlund Dahlberg Hellström Sundberg Sjögren Ek Blom Abrahamsson Martinsson Öhman "
    "Edlund Marklund Kallentoft Alvtegen Läckberg Östergren Ekman Ohlsson Törnqvist"
).split()
ENGLISH_FIRST = (
    "James John Robert Michael David William Richard Thomas Mark Paul Stephen Ken Neil Ian Zadie Sally "
    "Margaret Elizabeth Mary Patricia Jennifer Linda Susan Jessica Sarah Karen Nancy Lisa Donna Ruth "
    "Colleen Delia Kazuo Jojo Lee Harlan Dan Cormac Ann Hilary Tana Louise Jane Emily"
).split()
ENGLISH_LAST = (
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Jackson "
    "Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Green Baker Adams "
    "Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Torres Parker Collins Edwards "
    "Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Bell Kelly Howard Ward Cox "
    "Follett Atwood Rooney Ishiguro Moyes French Coben Child Patterson Grisham Mantel McEwan Barnes"
).split()
ARABIC_FIRST = (
    "Muḥammad Aḥmad ʻAlī Ḥasan Ḥusayn Maḥmūd Khālid Yūsuf Ibrāhīm ʻUmar Fāṭimah Zaynab Maryam Layla "
    "Nawāl Salwá Hudá Rashā Samar Jamāl Najīb Ghassān Ilyās Ḥanān Raḍwá"
).split()
ARABIC_LAST = (
    "al-Khūrī Ḥaddād Maḥfūẓ al-Saʻdāwī Kanafānī Khūrī ʻAbdallāh al-Shaykh Darwīsh Munīf Ṭāhir Qāsim "
    "al-Aswānī Ibrāhīm Naṣr Allāh ʻĀshūr Barakāt Bakr Jabrā Ḥabībī Saʻīd"
).split()
PERSIAN_FIRST = "Maḥmūd Ṣādiq Furūgh Shahrnūsh Sīmīn Hūshang Jalāl Zuyā Parvīz Manīrū Ghulām Ḥusayn".split()
PERSIAN_LAST = (
    "Dawlatābādī Hidāyat Farrukhzād Pārsīpūr Dānishvar Gulshīrī Āl-i-Aḥmad Pīrzād Ravānīpūr".split()
)
SOMALI_FIRST = (
    "Maxamed Cali Xasan Axmed Cabdi Faarax Nuruddin Maryan Hodan Ifrah Sahra Amina Cawo Nimco".split()
)
SOMALI_LAST = (
    "Xuseen Cabdullaahi Faarax Yuusuf Warsame Jaamac Ciise Aadan Maxamuud Cumar Guuleed Samatar".split()
)
# The national minority languages and Ukrainian. Ukrainian titles are romanized as ALA-LC does
# (245) and kept in Cyrillic (880); Sami and Meänkieli are written in the Latin script.
UKRAINIAN_FIRST = "Oksana Taras Olena Andrii Iryna Serhii Nataliia Yurii Halyna Mykola Sofiia Bohdan".split()
UKRAINIAN_LAST = (
    "Kovalenko Bondarenko Tkachenko Kravchenko Melnyk Moroz Lysenko Savchenko Boiko Hnatiuk".split()
)
SAMI_FIRST = "Máret Ánde Risten Niillas Sunná Biret Mihkkal Elle Issát Inger Jovnna Ánne Heaika".split()
SAMI_LAST = "Gaup Sara Eira Utsi Balto Somby Oskal Turi Kuoljok Länsman Hætta Kitti Labba".split()
MEANKIELI_FIRST = "Aili Matti Lars Eino Helmi Kerttu Nils Erkki Hilja Tore Anna-Kaisa".split()
MEANKIELI_LAST = "Kenttä Niemi Kuoppa Rantatalo Lantto Keskitalo Vaara Alajärvi Mäki Palo".split()
FINNISH_FIRST = "Aino Sofi Riikka Tove Kaari Väinö Arto Antti Juha Leena Pirjo Mika Tuomas Minna".split()
FINNISH_LAST = "Virtanen Korhonen Mäkinen Nieminen Oksanen Paasilinna Linna Utriainen Statovci Tervo".split()

# Swedish title building blocks (definite nouns; the same list gives the second noun, lower-cased).
SWEDISH_NOUNS = (
    "Huset Flickan Pojken Mannen Kvinnan Hunden Katten Vargen Björnen Räven Ugglan Kråkan Staden Byn Ön "
    "Sjön Skogen Berget Ängeln Döden Natten Dagen Vintern Sommaren Hösten Våren Elden Isen Stormen Regnet "
    "Havet Fyren Bron Vägen Stigen Kyrkan Skolan Gården Torpet Slottet Tornet Källaren Vinden Trädgården "
    "Prästen Läkaren Kaptenen Systern Brodern Modern Fadern Dottern Sonen Änkan Drottningen Kungen "
    "Prinsessan Riddaren Häxan Draken Spöket Vakten Tjuven Spionen Främlingen Grannen Vännen Fiskaren "
    "Bonden Smeden Mördaren Vittnet Brevet Boken Kartan Nyckeln Spegeln Ringen Klockan Svärdet Kistan "
    "Dörren Fönstret Rummet Tåget Båten Skeppet Ljuset Mörkret Tystnaden Sanningen Lögnen Hemligheten "
    "Minnet Drömmen Sången Dansen Leken Resan Flykten Jakten Striden Kriget Freden Arvet Löftet Skulden "
    "Skammen Hoppet Kärleken Sorgen Glädjen Rädslan Ensamheten Stranden Udden Viken Älven Forsen Mossen"
).split()
SWEDISH_PREPOSITIONS = ("i", "vid", "från", "under", "bakom", "över", "utan", "mot", "efter", "på", "bortom")
SWEDISH_GENITIVE_OBJECTS = (
    "hemlighet sång dotter son arv hämnd återkomst fall tid röst hjärta skugga väktare gåta dröm hem "
    "resa sommar löfte minne tårar längtan vrede sista dag natt vinter ljus"
).split()
SWEDISH_PREFIXES = (
    "Is Vinter Sommar Natt Stjärn Skugg Eld Vatten Sten Guld Silver Blod Järn Vind Dimm Midsommar "
    "Mörker Ljus Storm Snö Regn Mån Sol Skogs Havs Bergs Dröm Kristall Glas Rost"
).split()
SWEDISH_SUFFIXES = (
    "landet riket drottningen kungen barnet flickan pojken hjärtat vägen staden tornet boken sången "
    "dansen natten vakten porten bron resan jakten"
).split()
SWEDISH_SUBTITLES_FICTION = (
    "roman",
    "en roman",
    "kriminalroman",
    "en thriller",
    "noveller",
    "berättelser",
    "en släktkrönika",
    "en kärlekshistoria",
    "spänningsroman",
    "dikter",
)
SWEDISH_SUBTITLES_CHILDREN = ("en bilderbok", "kapitelbok", "äventyr", "en berättelse för barn", "lättläst")
NONFICTION_TOPICS = (
    # (title word, SAB class, Dewey, SAO subject)
    ("Surdeg", "Qcc", "641.815", "Bakning"),
    ("Vegetarisk mat", "Qcc", "641.5636", "Vegetarisk matlagning"),
    ("Svampar", "Uhb", "579.5", "Svampar"),
    ("Fåglar", "Uhcb", "598", "Fåglar"),
    ("Vikingarna", "Kj", "948.022", "Vikingatiden"),
    ("Stormaktstiden", "Kc", "948.503", "Stormaktstiden"),
    ("Hjärnan", "Vbbf", "612.82", "Hjärnan"),
    ("Sömn", "Vbb", "613.79", "Sömn"),
    ("Stress", "Doh", "155.9042", "Stress"),
    ("Löpning", "Rcb", "796.42", "Löpning"),
    ("Yoga", "Rbf", "613.7046", "Yoga"),
    ("Programmering", "Pubb", "005.13", "Programmering"),
    ("Privatekonomi", "Qbd", "332.024", "Privatekonomi"),
    ("Klimatet", "Ubfa", "551.6", "Klimatförändringar"),
    ("Östersjön", "Ubh", "551.461334", "Östersjön"),
    ("Rymden", "Ue", "520", "Astronomi"),
    ("Kroppen", "Vba", "612", "Människokroppen"),
    ("Hundar", "Qgca", "636.7", "Hundar"),
    ("Katter", "Qgcb", "636.8", "Katter"),
    ("Trädgården", "Qbfa", "635", "Trädgårdsodling"),
    ("Balkongodling", "Qbfa", "635.986", "Balkongodling"),
    ("Stockholm", "Nca", "914.873", "Stockholm"),
    ("Gotland", "Ncd", "914.86", "Gotland"),
    ("Italien", "Nhd", "914.5", "Italien"),
    ("Japan", "Nnb", "915.2", "Japan"),
    ("Skärgården", "Ncb", "914.87", "Skärgården"),
    ("Demokrati", "Oa", "321.8", "Demokrati"),
    ("Barnuppfostran", "Ec", "649.1", "Barnuppfostran"),
    ("Andra världskriget", "Kgb", "940.53", "Andra världskriget"),
    ("Konsthistoria", "Ib", "709", "Konsthistoria"),
)
NONFICTION_SUFFIXES = (
    "för nybörjare",
    "i praktiken",
    "året runt",
    "från början",
    "för alla",
    "i korthet",
    "i Sverige",
    "steg för steg",
    "för barn",
    "genom tiderna",
    "i vardagen",
    "och vi",
    "på riktigt",
    "helt enkelt",
)
ENGLISH_ADJECTIVES = (
    "Silent Lost Last Hidden Broken Secret Quiet Burning Frozen Golden Dark Wild Little Long Empty "
    "Forgotten Distant Bright Final Second"
).split()
ENGLISH_NOUNS = (
    "House Girl River Garden Island Winter Summer Night Letter Promise Mirror Road Sea Forest Stranger "
    "Witness Daughter Son Widow Queen Storm Harbour Tower Bridge Shadow Memory Song Secret Station Heart"
).split()
ENGLISH_PLACES = "Paris London Berlin Venice Dublin Oslo Boston Rome Lisbon Cairo Kyoto Prague".split()
ARABIC_NOUNS = (
    ("al-bayt", "البيت"),
    ("al-baḥr", "البحر"),
    ("al-layl", "الليل"),
    ("al-madīnah", "المدينة"),
    ("al-ṭarīq", "الطريق"),
    ("al-ḥubb", "الحب"),
    ("al-ḥarb", "الحرب"),
    ("al-shams", "الشمس"),
    ("al-qamar", "القمر"),
    ("al-ʻāṣifah", "العاصفة"),
    ("al-dhākirah", "الذاكرة"),
    ("al-ghurbah", "الغربة"),
    ("al-waṭan", "الوطن"),
    ("al-nahr", "النهر"),
    ("al-ṣaḥrāʼ", "الصحراء"),
    ("al-bāb", "الباب"),
    ("al-ḥulm", "الحلم"),
    ("al-ṣamt", "الصمت"),
    ("al-rīḥ", "الريح"),
    ("al-nār", "النار"),
)
PERSIAN_NOUNS = (
    ("khānah", "خانه"),
    ("shab", "شب"),
    ("daryā", "دریا"),
    ("bārān", "باران"),
    ("ʻishq", "عشق"),
    ("safar", "سفر"),
    ("shahr", "شهر"),
    ("kūh", "کوه"),
    ("māh", "ماه"),
    ("khūrshīd", "خورشید"),
    ("dil", "دل"),
    ("khāk", "خاک"),
    ("bāgh", "باغ"),
    ("parandah", "پرنده"),
    ("rāh", "راه"),
)
SOMALI_NOUNS = (
    "Guriga Badda Habeenka Roobka Jacaylka Safarka Magaalada Buurta Dayaxa Qorraxda Wadnaha Dhulka "
    "Beerta Shimbirta Waddada Hooyo Aabe Gabadha Wiilka Dagaalka Nabadda"
).split()
FINNISH_NOUNS = (
    "Talo Meri Yö Metsä Järvi Kaupunki Tie Sade Rakkaus Sota Kuu Aurinko Tuuli Lumi Jää Tyttö Poika Äiti Isä"
).split()

UKRAINIAN_NOUNS = (
    ("zyma", "зима"),
    ("vesna", "весна"),
    ("lito", "літо"),
    ("more", "море"),
    ("nich", "ніч"),
    ("sad", "сад"),
    ("doroha", "дорога"),
    ("pisnia", "пісня"),
    ("maty", "мати"),
    ("sontse", "сонце"),
    ("viter", "вітер"),
    ("step", "степ"),
    ("khlib", "хліб"),
    ("nebo", "небо"),
    ("lis", "ліс"),
    ("svitlo", "світло"),
    ("misto", "місто"),
    ("dim", "дім"),
    ("richka", "річка"),
)
SAMI_NOUNS = (
    "Beaivi Eana Čáhci Dálvi Giđđa Geassi Čakča Várri Johka Jávri Boazu Mánná Áhkku Áddjá Luohti "
    "Bálggis Ruoktu Niehku Biegga Muohta Guovssahas Vuovdi Idja Násti Mearra"
).split()
MEANKIELI_NOUNS = (
    "Kylä Joki Talvi Kesä Mettä Äiti Isä Poika Tyttö Koti Tarina Laulu Tuuli Lumi Yö Päivä Tunturi "
    "Järvi Saari Muisto"
).split()

# (name, place, ISBN-13 hyphenation publisher prefix length is derived from the number itself)
SWEDISH_PUBLISHERS = (
    ("Albert Bonniers förlag", "Stockholm"),
    ("Norstedts", "Stockholm"),
    ("Natur & Kultur", "Stockholm"),
    ("Rabén & Sjögren", "Stockholm"),
    ("Wahlström & Widstrand", "Stockholm"),
    ("Ordfront", "Stockholm"),
    ("Forum", "Stockholm"),
    ("Modernista", "Stockholm"),
    ("Lind & Co", "Stockholm"),
    ("Bokförlaget Polaris", "Stockholm"),
    ("Alfabeta", "Stockholm"),
    ("Brombergs", "Stockholm"),
    ("Atlantis", "Stockholm"),
    ("Bonnier Carlsen", "Stockholm"),
    ("Lilla Piratförlaget", "Stockholm"),
    ("Gleerups", "Malmö"),
    ("Bokförlaget Max Ström", "Stockholm"),
    ("Historiska media", "Lund"),
    ("Ica bokförlag", "Västerås"),
    ("Opal", "Stockholm"),
)
POCKET_PUBLISHERS = (
    ("Pocketförlaget", "Stockholm"),
    ("Månpocket", "Stockholm"),
    ("Bonnier pocket", "Stockholm"),
)
AUDIO_PUBLISHERS = (
    ("Bonnier Audio", "Stockholm"),
    ("Storyside", "Stockholm"),
    ("Word Audio Publishing", "Stockholm"),
)
TALKING_BOOK_PUBLISHER = ("Myndigheten för tillgängliga medier", "Malmö")
FOREIGN_PUBLISHERS = {
    "eng": (
        ("Penguin", "London"),
        ("HarperCollins", "London"),
        ("Vintage", "New York"),
        ("Faber & Faber", "London"),
    ),
    "ara": (("Dār al-Sāqī", "Bayrūt"), ("Dār al-Ādāb", "Bayrūt"), ("Dār al-Shurūq", "al-Qāhirah")),
    "per": (("Nashr-i Chashmah", "Tihrān"), ("Nashr-i Niyūfar", "Tihrān")),
    "som": (("Looh Press", "Leicester"), ("Scansom publishers", "Stockholm")),
    "fin": (("Otava", "Helsinki"), ("WSOY", "Helsinki"), ("Tammi", "Helsinki")),
    "ukr": (("Vydavnytstvo Staroho Leva", "Lʹviv"), ("Folio", "Kharkiv")),
    "sme": (("Davvi Girji", "Kárášjohka"), ("DAT", "Guovdageaidnu")),
    "fit": (("Kaamos", "Överkalix"), ("Meänkielen förlaaki", "Överkalix")),
}
# Publishers of easy-to-read Swedish (lättläst), and of films in Swedish Sign Language.
EASY_READ_PUBLISHERS = (
    ("LL-förlaget", "Stockholm"),
    ("Vilja förlag", "Stockholm"),
    ("Nypon förlag", "Stockholm"),
)
SIGN_LANGUAGE_PUBLISHER = ("Specialpedagogiska skolmyndigheten", "Härnösand")
MUSIC_LABELS = (
    "Universal Music",
    "Warner Music Sweden",
    "Sony Music",
    "Playground Music",
    "Ingrid",
    "Caprice",
)
FILM_COMPANIES = ("SF Studios", "Nordisk Film", "Scanbox Entertainment", "Svensk Filmindustri", "Njutafilms")
GAME_PUBLISHERS = ("Nintendo", "Ubisoft", "Electronic Arts", "Paradox Interactive", "Mojang")
MAP_PUBLISHERS = (("Lantmäteriet", "Gävle"), ("Norstedts", "Stockholm"), ("Kartförlaget", "Gävle"))
SERIAL_PUBLISHERS = (("Bonnier tidskrifter", "Stockholm"), ("Aller media", "Stockholm"), ("Egmont", "Malmö"))

# Svenska ämnesord (sao), Barnämnesord (barn), genre/form terms (saogf).
SAO_FICTION = (
    "Familjen Kärlek Vänskap Mord Polisarbete Invandrare Ensamhet Skärgården Sorg Svek Hämnd Krig "
    "Identitet Uppväxt Relationer Syskon Åldrande Flykt Arbetarklassen Landsbygd"
).split()
BARN = "Djur Vänskap Skolan Spöken Hästar Syskon Mobbning Rädsla Drakar Fotboll Sommarlov Kärlek".split()
FICTION_GENRES = ("Romaner", "Deckare", "Thrillers", "Fantasy", "Noveller", "Historiska romaner", "Feelgood")
CHILDREN_GENRES = ("Bilderböcker", "Kapitelböcker", "Lättlästa böcker", "Fantasy", "Deckare")
MUSIC_GENRES = (("Pop", "Yyp"), ("Rock", "Yyr"), ("Jazz", "Yyj"), ("Klassisk musik", "Ya"), ("Visor", "Yyv"))
FILM_GENRES = ("Spelfilmer", "Dramafilmer", "Komedier", "Animerade filmer", "Dokumentärfilmer")
MUSIC_TITLES = (
    "Hjärtslag",
    "Nattfjäril",
    "Sommarregn",
    "Vägen hem",
    "Stockholmsnatt",
    "Eld och is",
    "Tusen bitar",
    "Blå timme",
    "Snökristall",
    "Hamnar",
    "Mellan raderna",
    "Norrsken",
    "Sista dansen",
    "Stadsljus",
    "Vind i håret",
    "Ekon",
)
MUSIC_ARTIST_WORDS = ("Band", "Kvartett", "Orkester", "Trio", "& vännerna")
BRANCH_SHELVES = {
    "book": ("Vuxen", "Skönlitteratur", "Fakta"),
    "children": ("Barn", "Unga"),
    "ebook": ("E-böcker",),
    "audiobook": ("Ljudböcker",),
    "talking_book": ("Talböcker",),
    "large_print": ("Storstil",),
    "music": ("Musik",),
    "film": ("Film",),
    "game": ("Spel",),
    "map": ("Kartor",),
    "serial": ("Tidskrifter",),
    "other": ("Språkpåsar",),
    "foreign": ("Språk",),
}
