"""Name, place and route tables for the demo people: common names of each nationality, most frequent first."""

from __future__ import annotations

# Notation, kept terse so that hundreds of names stay readable:
# - tokens are separated by whitespace, most frequent first (the generator weights by rank);
# - "_" stands for a space inside a name, "+" for a zero-width non-joiner inside Arabic-script names;
# - "a|b" gives a second spelling in another script (Tajik Cyrillic|Persian script),
#   "a=b" a Russified Cyrillic spelling that a letter-by-letter rule would get wrong (Kazakh, Kyrgyz,
#   Azerbaijani), and for Arabic-script names "arabic=Latin1/Latin2/…" the romanisations met in
#   documents, the first being the most usual.

# --- Tajik: Cyrillic with ғ ӣ қ ӯ ҳ ҷ; the Persian-script form is how the same name is written in
# Afghanistan and Iran.
TJK_MALE = """
Муҳаммад|محمد Аҳмад|احمد Фаррух|فرخ Ҷамшед|جمشید Фирӯз|فیروز Шерзод|شیرزاد Комрон|کامران
Далер|دلیر Фаридун|فریدون Умед|امید Беҳрӯз|بهروز Зафар|ظفر Илҳом|الهام Исмоил|اسماعیل
Қурбон|قربان Нозим|ناظم Хуршед|خورشید Манучеҳр|منوچهر Рустам|رستم Сафар|سفر Ҳасан|حسن
Ҳусейн|حسین Абдураҳмон|عبدالرحمن Шаҳром|شهرام Парвиз|پرویز Дилшод|دلشاد Азиз|عزیز
Искандар|اسکندر Бахтиёр|بختیار Олим|عالم Амир|امیر Сӯҳроб|سهراب Баҳодур|بهادر Раҳмон|رحمان
Мирзо|میرزا Исо|عیسی Шоҳрух|شاهرخ Алӣ|علی Абдулло|عبدالله Наврӯз|نوروز Ҳамид|حمید Юсуф|یوسف
Ғайрат|غیرت Ҷалолиддин|جلال+الدین Нуриддин|نورالدین Неъмат|نعمت Ёдгор|یادگار Қиём|قیام
"""
TJK_FEMALE = """
Мадина|مدینه Нигора|نگاره Гулнора|گلناره Фарзона|فرزانه Таҳмина|تهمینه Зарина|زرینه Шаҳло|شهلا
Мунира|منیره Нилуфар|نیلوفر Дилноза|دلنوازه Малика|ملیکه Ситора|ستاره Парвина|پروین
Меҳрангез|مهرانگیز Гулчеҳра|گلچهره Зулфия|زلفیه Фотима|فاطمه Ҳабиба|حبیبه Сурайё|ثریا
Нодира|نادره Рухшона|رخشانه Фарангис|فرنگیس Ҷамила|جمیله Озода|آزاده Шаҳноза|شهناز
Дилафрӯз|دل+افروز Мавзуна|موزونه Гулрухсор|گلرخسار Манижа|منیژه Зебо|زیبا Мижгона|مژگانه
Гулбаҳор|گلبهار Зуҳро|زهره Мастона|مستانه Ҳилола|هلاله
"""
# Roots of family names; the generator adds -ов/-ев (Soviet), -зода or -ӣ (Tajik forms since 2007/2016).
TJK_FAMILY_ROOTS = """
Раҳим|رحیم Қодир|قادر Сафар|سفر Карим|کریم Назар|نظر Шариф|شریف Раҷаб|رجب Давлат|دولت Ҳамид|حمید
Саид|سعید Мирзо|میرزا Азиз|عزیز Султон|سلطان Эшон|ایشان Юсуф|یوسف Ғаффор|غفار Латиф|لطیف
Маҳмуд|محمود Ҷалол|جلال Бобо|بابا Амир|امیر Исмоил|اسماعیل Қурбон|قربان Собир|صابر Одина|آدینه
Исо|عیسی Мусо|موسی Ҳаким|حکیم Абдулло|عبدالله Ашур|عاشور Ниёз|نیاز Ҳусейн|حسین Саттор|ستار
Ҷаббор|جبار Зокир|ذاکر Неъмат|نعمت Холиқ|خالق Усмон|عثمان Ҳасан|حسن
"""

# --- Uzbek: official Latin (oʻ gʻ with U+02BB, sh ch); the Cyrillic forms are derived by rule.
UZB_MALE = """
Muhammad Sardor Jasur Bekzod Sherzod Javohir Doniyor Jahongir Otabek Rustam Akmal Bobur Dilshod
Farrux Ulugʻbek Shoxrux Islom Abdulla Abdurahmon Nodir Sanjar Jamshid Anvar Bahodir Ravshan Shuhrat
Alisher Umid Hasan Husan Azizbek Oybek Sirojiddin Nurmuhammad Temur Asliddin Xurshid Eldor Gʻayrat
Oʻtkir Ilhom Sobir Yoqub Ergash
"""
UZB_FEMALE = """
Shahnoza Dilnoza Gulnora Nilufar Madina Zarina Malika Sevara Feruza Mohira Gulchehra Nigora Dilfuza
Mahliyo Sitora Zulfiya Kamola Nodira Shoira Xurshida Maftuna Oygul Dildora Gulbahor Muxlisa Oʻgʻiloy
Yulduz Munisa Ziyoda Iroda Barno Charos Nargiza Gulshan Fotima Zuhra
"""
UZB_FAMILY = """
Karimov Rahimov Toshmatov Ergashev Oʻrinboyev Gʻulomov Yoʻldoshev Qodirov Xolmatov Aliyev Abdullayev
Usmonov Tursunov Sobirov Nazarov Mirzayev Ismoilov Boboyev Hasanov Yusupov Saidov Rasulov Ahmedov
Normatov Umarov Xudoyberdiyev Qurbonov Sultonov Haydarov Oripov Shodmonov Rustamov Joʻrayev Soliyev
Sharipov Eshonqulov Gʻofurov Egamberdiyev
"""

# --- Kazakh: Cyrillic with ә ғ қ ң ө ұ ү һ і; "=..." is the Russian spelling where a rule misses it.
KAZ_MALE = """
Нұрлан=Нурлан Ерлан Асқар Жәнібек=Жанибек Дәурен=Даурен Бауыржан=Бауржан Серік Қайрат Ержан
Нұрсұлтан Арман Дамир Әлихан Айбек Мұрат Азамат Ерболат Талғат Бақыт Ғалым Дәулет Нұржан Марат
Ернар Әділ=Адиль Санжар Ілияс=Ильяс Бекзат Мақсат Олжас Тимур Руслан Еркебұлан Ахмет
Мұхаммед Қуаныш Абылай Медет Шыңғыс Тәңірберген Мейірхан
"""
KAZ_FEMALE = """
Әсел=Асель Айгерім Гүлнар=Гульнар Жанар Динара Мәдина Салтанат Айжан Гүлмира=Гульмира Назерке Ақмарал
Жұлдыз Сәуле Ботагөз Аружан Әйгерім=Айгерим Айнұр Дана Меруерт Гауһар Қарлығаш Райхан Толқын
Ләззат=Ляззат Күнсұлу Ақбота Інжу Балнұр Перизат Маңшүк=Маншук Гүлжан=Гульжан
"""
KAZ_FAMILY = """
Ахметов Омаров Қасымов Жұмабаев Тоқаев Сәрсенбаев Әбдірахманов=Абдрахманов Сейітов=Сеитов
Бекмұхамбетов Ермеков Исабеков Қайратов Төлеуов=Тулеуов Мұхаметжанов Серікбаев Оспанов Байжанов
Есенов Құдайбергенов Әлиев Нұрланов Сұлтанов Ибраев Смағұлов Жақсылықов Мұқанов Әуезов=Ауэзов
Байбосынов Нұрмағамбетов Тәжібаев Жаңабаев
"""

# --- Kyrgyz: Cyrillic with ң ө ү.
KGZ_MALE = """
Азамат Бакыт Нурлан Эрлан Улан Мирлан Бектур Нурбек Алмазбек Айбек Чыңгыз=Чингиз Таалай Эрмек
Жаныбек Кубанычбек Мырзабек Темирлан Бакытбек Өмүрбек Сүйүнбек Төлөгөн Дастан Асылбек Жусуп
Мухаммед Курманбек Болот Үсөн=Усен Элдияр Адилет Нурсултан Бекзат Медер Тилек Айдар Эмир Эрнис
"""
KGZ_FEMALE = """
Айгүл=Айгуль Гүлнара=Гульнара Жылдыз Айпери Назгүл=Назгуль Бүбүсара Чолпон Айзада Мээрим Бегимай
Нуриза Айжамал Гүлзат=Гульзат Асел=Асель Бермет Канышай Элнура Салтанат Анара Жаңыл Динара Айнура
Үмүт Өмүргүл=Омургуль Мөлдүр Нургүл=Нургуль Айдай Алтынай Сезим Каныкей
"""
KGZ_FAMILY = """
Асанов Токтогулов Үсөнов=Усенов Жээнбеков Атамбаев Садыров Осмонов Мамытов Турдубаев Абдыкадыров
Кадыров Сатыбалдиев Исаков Өмүров Жумабеков Бейшеналиев Сооронбаев Төрөкулов Мамбетов Алиев
Табалдиев Султанов Ташиев Жапаров Сыдыков Абдыраев Курманалиев Кожобеков Бакиев Акматов
"""

# --- Turkmen: Latin with ä ç ž ň ö ş ü ý, family names in -ow/-ýew.
TKM_MALE = """
Myrat Serdar Merdan Döwlet Batyr Aman Berdi Gurban Ata Nury Öwez Şamyrat Ýusup Rejep Annamyrat
Begmyrat Kakajan Döwran Maksat Ilýas Orazgeldi Çary Süleýman Arslan Meret Hojamyrat Atamyrat
Parahat Bahtiýar Şatlyk Nurmuhammet Ýazgeldi Güwanç Kerim Mekan
"""
TKM_FEMALE = """
Aýna Bahar Jeren Maral Gözel Ogulgerek Aýgül Mähri Aýjemal Enejan Läle Selbi Gülşat Jahan Sülgün
Aýsoltan Nurjahan Altyn Aýlar Şirin Gülälek Ogulbibi Maýa Zöhre Meňli Žanna Bägül
"""
TKM_FAMILY = """
Orazow Annaýew Berdiýew Durdyýew Rejepow Ataýew Myradow Gurbanow Nurmuhammedow Hojaýew Saparow
Amanow Meredow Çaryýew Garaýew Öwezow Baýramow Ýazmyradow Täçmyradow Kakalyýew Babaýew
Allaberdiýew Hudaýberdiýew Gylyjow Nazarow Jumaýew Şamyradow Ýagşymyradow Bäşimow Meňliýew
"""

# --- Azerbaijani: Latin with ə ğ ı ö ş ü ç; "=..." is the Russified Cyrillic of Soviet-era papers.
AZE_MALE = """
Məmməd=Мамед Əli=Али Hüseyn=Гусейн Həsən=Гасан Elvin=Эльвин Rəşad=Рашад Orxan=Орхан Tural=Турал
Elçin=Эльчин Kamran=Камран Ramil=Рамиль Vüsal=Вюсал Nicat=Ниджат Rauf=Рауф Fərid=Фарид
Elnur=Эльнур Anar=Анар Emil=Эмиль Murad=Мурад İlkin=Илькин Cavid=Джавид Ruslan=Руслан Zaur=Заур
Şahin=Шахин Rəşid=Рашид Vaqif=Вагиф Tofiq=Тофик Elşən=Эльшан Ayxan=Айхан Yusif=Юсиф
İbrahim=Ибрагим Fuad=Фуад Rövşən=Ровшан Kənan=Кенан
"""
AZE_FEMALE = """
Aysel=Айсель Günay=Гюнай Leyla=Лейла Nigar=Нигяр Aytən=Айтен Sevinc=Севиндж Nərmin=Нармин
Səbinə=Сабина Aynur=Айнур Gülnar=Гюльнар Könül=Кёнюль Fatimə=Фатима Zəhra=Захра Lalə=Лала
Nərgiz=Наргиз Ülviyyə=Ульвия Şəbnəm=Шабнам Xədicə=Хадиджа Türkan=Тюркан Mehriban=Мехрибан
Samirə=Самира Aygün=Айгюнь Əminə=Амина Gülşən=Гюльшан Vüsalə=Вюсаля
"""
AZE_FAMILY = """
Məmmədov=Мамедов Əliyev=Алиев Həsənov=Гасанов Hüseynov=Гусейнов Quliyev=Кулиев İsmayılov=Исмаилов
Abbasov=Аббасов Babayev=Бабаев Rzayev=Рзаев Cəfərov=Джафаров Nəsirov=Насиров Rəhimov=Рагимов
İbrahimov=Ибрагимов Kərimov=Керимов Süleymanov=Сулейманов Əhmədov=Ахмедов Orucov=Оруджев
Vəliyev=Велиев Mustafayev=Мустафаев Qasımov=Касумов Zeynalov=Зейналов Hacıyev=Гаджиев
Bağırov=Багиров Əsədov=Асадов Novruzov=Новрузов Sadıqov=Садыгов Məhərrəmov=Магеррамов
Nağıyev=Нагиев Şükürov=Шукюров Yusifov=Юсифов Məmmədli=Мамедли Hüseynli=Гусейнли Əlizadə=Ализаде
Rəsulzadə=Расулзаде
"""

# --- Turkish: Latin with ç ğ ı İ ö ş ü; no patronymic.
TUR_MALE = """
Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim İsmail Osman Yusuf Murat Ömer Ramazan Halil Süleyman
Abdullah Mahmut Salih Kemal Recep Emre Burak Yunus Fatih Serkan Oğuz Çağrı Gökhan Uğur Emir
"""
TUR_FEMALE = """
Fatma Ayşe Emine Hatice Zeynep Elif Meryem Şerife Zehra Sultan Hanife Merve Özlem Büşra Esra
Yasemin Gül Hülya Derya Kübra Tuğba Gülşen Songül Çiğdem İrem
"""
TUR_FAMILY = """
Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan Çetin
Kara Koç Kurt Özkan Şimşek Polat Özcan Korkmaz Çakır Erdoğan Yavuz Can Acar Şen Aktaş
"""

# --- Afghan (Dari/Pashto): Arabic script; romanisations differ from one document to the next.
# Family names are often absent; "@p" marks Pashtun tribal names (the family speaks Pashto).
AFG_MALE = """
محمد=Mohammad/Muhammad/Mohammed/Mohamad احمد=Ahmad/Ahmed عبدالله=Abdullah/Abdulla/Abdollah
عبدالرحمن=Abdul_Rahman/Abdurrahman/Abdulrahman/Abdul_Rehman حمیدالله=Hamidullah/Hameedullah/Hamidollah
نجیب+الله=Najibullah/Najeebullah ذبیح+الله=Zabihullah/Zabiullah/Zabehullah فرید=Farid/Fareed
جاوید=Jawid/Javid/Jawed مصطفی=Mustafa/Mostafa علی=Ali حسین=Hussain/Hossain/Husain/Hussein
حسن=Hassan/Hasan رحمت+الله=Rahmatullah/Rahmatollah شفیق=Shafiq/Shafeeq سمیع+الله=Samiullah/Samiollah
نورالله=Noorullah/Nurullah خالد=Khalid/Khaled سهراب=Sohrab/Suhrab مرتضی=Murtaza/Morteza
بلال=Bilal/Belal یوسف=Yousuf/Yusuf/Yousef عزیز=Aziz/Azeez ابراهیم=Ibrahim/Ebrahim
اسماعیل=Ismail/Esmail قدیر=Qadir/Qadeer ظاهر=Zahir/Zaher شریف=Sharif/Shareef نصیر=Nasir/Naseer
وحید=Wahid/Waheed/Vahid امین=Amin/Ameen بشیر=Bashir/Basheer حبیب+الله=Habibullah/Habibollah
عبدالقادر=Abdul_Qadir/Abdulqadir/Abdul_Qader ولی=Wali/Vali زلمی=Zalmai/Zalmay
هدایت+الله=Hedayatullah/Hidayatullah گل_احمد=Gul_Ahmad/Gulahmad نور_احمد=Noor_Ahmad/Nur_Ahmad
جمشید=Jamshid/Jamshed فیروز=Feroz/Firoz
"""
AFG_FEMALE = """
فاطمه=Fatima/Fatema/Fatemeh زهرا=Zahra مریم=Maryam/Mariam شبنم=Shabnam فرشته=Freshta/Fereshta/Fereshteh
ملالی=Malalai/Malalay نرگس=Nargis/Narges پروین=Parwin/Parveen/Parvin زینب=Zainab/Zaynab/Zeinab
شکیلا=Shakila/Shakeela حلیمه=Halima/Halimah عایشه=Aisha/Ayesha/Aysha لیلا=Laila/Leila/Lila
گلالی=Gulalai سمیرا=Samira/Sameera مژگان=Muzhgan/Mozhgan ناهید=Nahid/Naheed رخسار=Rukhsar/Rokhsar
سحر=Sahar بی+بی_گل=Bibi_Gul/Bibigul نازیه=Nazia/Naziya هما=Homa/Huma مرسل=Mursal صدف=Sadaf
ستاره=Setara/Sitara فریبا=Fariba وحیده=Wahida/Vahida خدیجه=Khadija/Khadijah معصومه=Masuma/Masooma
رویا=Roya
"""
AFG_FAMILY = """
حسینی=Hussaini/Hosseini/Husaini رحیمی=Rahimi/Rahimy احمدی=Ahmadi محمدی=Mohammadi/Muhammadi
کریمی=Karimi/Karemi نوری=Noori/Nuri صدیقی=Siddiqi/Sediqi/Siddiqui هاشمی=Hashimi/Hashemi
پوپل=Popal@p پوپلزی=Popalzai/Popalzay@p احمدزی=Ahmadzai/Ahmadzay@p یوسفزی=Yousafzai/Yusufzai@p
سلطانی=Sultani/Soltani قادری=Qaderi/Qadiri نظری=Nazari جعفری=Jafari/Jaafari عزیزی=Azizi
امیری=Amiri صافی=Safi@p وردک=Wardak@p ستانکزی=Stanikzai/Stanekzai@p مومند=Mohmand/Momand@p
شینواری=Shinwari@p علیزی=Alizai@p سادات=Sadat نیازی=Niazi@p حیدری=Haidari/Heydari کاکړ=Kakar@p
خان=Khan@p ابراهیمی=Ibrahimi/Ebrahimi
"""

# --- Iranian: Persian script; the father's name is recorded in the birth certificate.
IRN_MALE = """
محمد=Mohammad/Mohamad/Mohammed علی=Ali حسین=Hossein/Hosein/Hussein رضا=Reza مهدی=Mehdi/Mahdi
امیر=Amir سعید=Saeed/Said حمید=Hamid مجید=Majid علیرضا=Alireza محمدرضا=Mohammadreza/Mohammad_Reza
مرتضی=Morteza بهروز=Behrouz/Behrooz کاوه=Kaveh پویا=Pouya/Puya آرش=Arash فرهاد=Farhad بابک=Babak
حسن=Hassan/Hasan جواد=Javad یوسف=Yousef/Yusef احسان=Ehsan میلاد=Milad امید=Omid
"""
IRN_FEMALE = """
فاطمه=Fatemeh/Fatima زهرا=Zahra مریم=Maryam سارا=Sara نرگس=Narges مینا=Mina لیلا=Leila/Leyla
شیرین=Shirin نازنین=Nazanin پریسا=Parisa الهام=Elham سمیرا=Samira مهسا=Mahsa نیلوفر=Niloufar/Niloofar
آزاده=Azadeh زینب=Zeinab/Zaynab ریحانه=Reyhaneh/Rayhaneh کوثر=Kowsar/Kosar معصومه=Masoumeh/Masoume
سمانه=Samaneh
"""
IRN_FAMILY = """
محمدی=Mohammadi حسینی=Hosseini/Hoseini رضایی=Rezaei/Rezaee/Rezaie احمدی=Ahmadi کریمی=Karimi
موسوی=Mousavi/Musavi جعفری=Jafari/Jafary رحیمی=Rahimi صادقی=Sadeghi/Sadeqi کاظمی=Kazemi
حیدری=Heidari/Heydari قاسمی=Ghasemi/Qasemi نوری=Nouri/Noori اکبری=Akbari تهرانی=Tehrani عباسی=Abbasi
یزدانی=Yazdani شریفی=Sharifi رستمی=Rostami نجفی=Najafi ابراهیمی=Ebrahimi مرادی=Moradi
سلیمانی=Soleimani/Soleymani کرمانی=Kermani
"""

# --- Pakistani: Urdu script; documents and most declarations are in English spelling.
PAK_MALE = """
محمد=Muhammad/Mohammad/Muhammed علی=Ali احمد=Ahmed/Ahmad عمران=Imran بلال=Bilal عثمان=Usman/Osman
حمزہ=Hamza/Hamzah فیصل=Faisal/Faysal عمر=Umar/Omar کاشف=Kashif عاصم=Asim/Aasim شاہد=Shahid
طارق=Tariq/Tarik ندیم=Nadeem/Nadim وقاص=Waqas زبیر=Zubair/Zubayr عرفان=Irfan آصف=Asif/Aasif
سلمان=Salman دانش=Danish
"""
PAK_FEMALE = """
فاطمہ=Fatima/Fatimah عائشہ=Ayesha/Aisha زینب=Zainab/Zaynab صائمہ=Saima نادیہ=Nadia/Nadiya
رابعہ=Rabia/Rabiya حنا=Hina مریم=Maryam/Mariam ثناء=Sana کرن=Kiran سدرہ=Sidra آمنہ=Amna/Aamna
بشری=Bushra شازیہ=Shazia نازیہ=Nazia
"""
PAK_FAMILY = """
خان=Khan@p احمد=Ahmed حسین=Hussain/Husain شاہ=Shah ملک=Malik چوہدری=Chaudhry/Chaudhary/Choudhry
بٹ=Butt قریشی=Qureshi/Qureshy اعوان=Awan رانا=Rana شیخ=Sheikh/Shaikh مرزا=Mirza
یوسفزئی=Yousafzai/Yusufzai@p آفریدی=Afridi@p عباسی=Abbasi جٹ=Jatt گل=Gul@p بلوچ=Baloch
"""

# --- Russian: Cyrillic; irregular patronymics are listed, the rest follow the rule.
RUS_MALE = """
Александр Сергей Дмитрий Андрей Алексей Иван Михаил Николай Евгений Владимир Павел Артём Максим
Игорь Денис Роман Виктор Олег Никита Илья
"""
RUS_FEMALE = """
Елена Ольга Наталья Татьяна Анна Ирина Мария Светлана Екатерина Юлия Анастасия Ксения Дарья
Марина Людмила Галина Валентина Надежда Евгения Полина
"""
RUS_FAMILY = """
Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков
Лебедев Козлов Егоров Павлов Семёнов Голубев Виноградов Богданов Воробьёв Никитин Сорокин Захаров
Зайцев Ильин Гусев Титов Кузьмин Кудрявцев
"""
RUS_PATRONYMIC_IRREGULAR: dict[str, tuple[str, str]] = {
    "Михаил": ("Михайлович", "Михайловна"),
    "Евгений": ("Евгеньевич", "Евгеньевна"),
    "Никита": ("Никитич", "Никитична"),
    "Илья": ("Ильич", "Ильинична"),
}

# Twins are often named as a pair; the first of each pair is the elder.
TWIN_PAIRS: dict[str, tuple[str, str]] = {
    "TJK": ("Ҳасан", "Ҳусейн"),
    "UZB": ("Hasan", "Husan"),
    "AFG": ("حسن", "حسین"),
    "IRN": ("حسن", "حسین"),
    "TUR": ("Hasan", "Hüseyin"),
    "AZE": ("Həsən", "Hüseyn"),
}

# Places of birth as the registers write them in Latin letters.
CITIES: dict[str, tuple[str, ...]] = {
    "TJK": (
        "Dushanbe",
        "Khujand",
        "Kulob",
        "Bokhtar",
        "Istaravshan",
        "Panjakent",
        "Vahdat",
        "Hisor",
        "Isfara",
        "Khorugh",
        "Tursunzoda",
        "Danghara",
    ),
    "UZB": (
        "Tashkent",
        "Samarkand",
        "Namangan",
        "Andijan",
        "Fergana",
        "Bukhara",
        "Qarshi",
        "Nukus",
        "Termez",
        "Jizzakh",
        "Urgench",
        "Navoi",
        "Kokand",
        "Margilan",
    ),
    "KAZ": (
        "Almaty",
        "Astana",
        "Shymkent",
        "Karaganda",
        "Aktobe",
        "Taraz",
        "Pavlodar",
        "Oskemen",
        "Kyzylorda",
        "Turkistan",
        "Semey",
        "Atyrau",
        "Kostanay",
    ),
    "KGZ": (
        "Bishkek",
        "Osh",
        "Jalal-Abad",
        "Karakol",
        "Naryn",
        "Talas",
        "Batken",
        "Tokmok",
        "Uzgen",
        "Kara-Balta",
        "Kyzyl-Kiya",
    ),
    "TKM": (
        "Ashgabat",
        "Turkmenabat",
        "Dashoguz",
        "Mary",
        "Balkanabat",
        "Turkmenbashi",
        "Tejen",
        "Bayramaly",
    ),
    "AZE": ("Baku", "Ganja", "Sumgait", "Lankaran", "Shaki", "Mingachevir", "Shirvan", "Nakhchivan", "Quba"),
    "TUR": (
        "Istanbul",
        "Ankara",
        "Izmir",
        "Bursa",
        "Konya",
        "Gaziantep",
        "Erzurum",
        "Van",
        "Trabzon",
        "Kayseri",
    ),
    "AFG": (
        "Kabul",
        "Herat",
        "Mazar-i-Sharif",
        "Kandahar",
        "Jalalabad",
        "Kunduz",
        "Ghazni",
        "Bamyan",
        "Maymana",
        "Taloqan",
        "Faizabad",
        "Khost",
        "Pul-i-Khumri",
        "Sheberghan",
        "Lashkar Gah",
    ),
    "IRN": (
        "Tehran",
        "Mashhad",
        "Isfahan",
        "Shiraz",
        "Tabriz",
        "Ahvaz",
        "Qom",
        "Kermanshah",
        "Zahedan",
        "Karaj",
        "Kerman",
        "Yazd",
    ),
    "PAK": (
        "Karachi",
        "Lahore",
        "Peshawar",
        "Quetta",
        "Islamabad",
        "Rawalpindi",
        "Faisalabad",
        "Multan",
        "Mardan",
        "Swat",
    ),
    "RUS": (
        "Moscow",
        "Saint Petersburg",
        "Novosibirsk",
        "Yekaterinburg",
        "Omsk",
        "Orenburg",
        "Chelyabinsk",
        "Samara",
        "Astrakhan",
        "Kazan",
    ),
}

# Land borders that people cross on the region's routes (only the ones the generator needs).
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "AFG": ("IRN", "PAK", "TJK", "UZB", "TKM"),
    "IRN": ("AFG", "PAK", "TKM", "AZE", "TUR"),
    "PAK": ("AFG", "IRN"),
    "TJK": ("AFG", "UZB", "KGZ"),
    "UZB": ("AFG", "TJK", "KGZ", "KAZ", "TKM"),
    "KGZ": ("TJK", "UZB", "KAZ"),
    "KAZ": ("UZB", "KGZ", "TKM", "RUS"),
    "TKM": ("AFG", "IRN", "UZB", "KAZ"),
    "AZE": ("IRN", "TUR", "RUS"),
    "TUR": ("IRN", "AZE"),
    "RUS": ("KAZ", "AZE"),
}
# Known longer routes that are not the shortest path but are used (smugglers avoid some borders).
EXTRA_ROUTES: dict[tuple[str, str], tuple[tuple[str, ...], ...]] = {
    ("AFG", "KAZ"): (("TJK", "KGZ"),),
    ("AFG", "KGZ"): (("UZB",),),
    ("AFG", "TUR"): (("PAK", "IRN"),),
    ("PAK", "TUR"): (("AFG", "IRN"),),
}
