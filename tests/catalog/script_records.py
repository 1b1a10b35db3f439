"""Records in other languages and scripts, as Swedish libraries catalogue them (the project's own).

An Arabic and a Persian book with their 245 romanized (ALA-LC, as LIBRIS does) and the original
script in 880 fields linked by $6; a Ukrainian book the same way in Cyrillic; a Russian one in
Cyrillic only, spelled with ё; a Finnish and a Northern Sami book in Latin script.
"""

from pymarc import Record

from tests.catalog.marc_builders import book_008, datafield, marc


def arabic_book() -> Record:
    """Al-Jāḥiẓ, Kitāb al-ḥayawān: the 880s written with full harakat, as a vocalized edition is."""
    return marc(
        "00000cam a2200000 a 4500",
        book_008("2005", "ara"),
        datafield("020", "a", "9789953876503"),
        datafield("041", "a", "ara"),
        datafield("100", "6", "880-01", "a", "Jāḥiẓ, ʻAmr ibn Baḥr", ind="0 "),
        datafield(
            "245",
            "6",
            "880-02",
            "a",
            "Kitāb al-ḥayawān /",
            "c",
            "al-Jāḥiẓ ; taḥqīq ʻAbd al-Salām Hārūn.",
            ind="10",
        ),
        datafield("250", "6", "880-03", "a", "al-Ṭabʻah 3."),
        datafield(
            "264", "6", "880-04", "a", "Bayrūt :", "b", "Dār al-Kutub al-ʻIlmīyah,", "c", "2005", ind=" 1"
        ),
        datafield("490", "6", "880-05", "a", "Silsilat al-turāth", ind="0 "),
        datafield("880", "6", "100-01/(3/r", "a", "الجاحظ، عمرو بن بحر", ind="0 "),
        datafield(
            "880",
            "6",
            "245-02/(3/r",
            "a",
            "كِتَابُ الحَيَوَانِ /",
            "c",
            "الجاحظ ؛ تحقيق عبد السلام هارون.",
            ind="10",
        ),
        datafield("880", "6", "250-03/(3/r", "a", "الطبعة ٣."),
        datafield(
            "880", "6", "264-04/(3/r", "a", "بيروت :", "b", "دار الكتب العلمية،", "c", "٢٠٠٥", ind=" 1"
        ),
        datafield("880", "6", "490-05/(3/r", "a", "سلسلة التراث", ind="0 "),
    )


def arabic_novel() -> Record:
    """A novel whose 880 title has a hamza on its alef, a teh marbuta, alef maqsura and tatweel."""
    return marc(
        "00000cam a2200000 a 4500",
        book_008("2006", "ara"),
        datafield("100", "6", "880-01", "a", "Aḥmad, Laylá", ind="1 "),
        datafield("245", "6", "880-02", "a", "Ughniyat al-madīnah al-ūlá", ind="10"),
        datafield("880", "6", "100-01/(3/r", "a", "أحمد، ليلى", ind="1 "),
        datafield("880", "6", "245-02/(3/r", "a", "أغنيـــة المدينة الأولى", ind="10"),
    )


def persian_book() -> Record:
    """Persian written with keheh and Farsi yeh (ک ی) and a zero-width non-joiner (کتاب‌ها)."""
    return marc(
        "00000cam a2200000 a 4500",
        book_008("2007", "per"),
        datafield("100", "6", "880-01", "a", "Hidāyat, Ṣādiq", ind="1 "),
        datafield("245", "6", "880-02", "a", "Kitābhā-yi kūchak-i Tihrān", ind="10"),
        datafield("880", "6", "100-01/(3/r", "a", "هدایت، صادق", ind="1 "),
        datafield("880", "6", "245-02/(3/r", "a", "کتاب‌های کوچک تهران", ind="10"),
    )


def ukrainian_book() -> Record:
    """Ukrainian: romanized 245, the Cyrillic in 880 with the letters і ї є ґ."""
    return marc(
        "00000cam a2200000 a 4500",
        book_008("2008", "ukr"),
        datafield("100", "6", "880-01", "a", "Zhadan, Serhiĭ", ind="1 "),
        datafield("245", "6", "880-02", "a", "Izhak i gava :", "b", "kazky dlia ditei", ind="10"),
        datafield("880", "6", "100-01/(N", "a", "Жадан, Сергій", ind="1 "),
        datafield("880", "6", "245-02/(N", "a", "Їжак і ґава :", "b", "казки для дітей", ind="10"),
    )


def russian_book() -> Record:
    """Russian catalogued in Cyrillic directly (no 880), spelled with ё."""
    return marc(
        "00000cam a2200000 a 4500",
        book_008("2009", "rus"),
        datafield("100", "a", "Улицкая, Людмила", ind="1 "),
        datafield("245", "a", "Зелёный шатёр", ind="10"),
    )


def finnish_book() -> Record:
    return marc(
        "00000cam a2200000 a 4500",
        book_008("2003", "fin"),
        datafield("100", "a", "Kettu, Katja", ind="1 "),
        datafield("245", "a", "Kätilö", ind="10"),
    )


def sami_book() -> Record:
    """Northern Sami (sme), with its letters á č đ ŋ š ŧ ž."""
    return marc(
        "00000cam a2200000 a 4500",
        book_008("2004", "sme"),
        datafield("100", "a", "Valkeapää, Nils-Aslak", ind="1 "),
        datafield("245", "a", "Beaivi, áhčážan", ind="10"),
    )
