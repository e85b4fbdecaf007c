from initiatives.translit import to_latin


def test_kyrgyz_letters():
    assert to_latin("Өзгөн") == "Özgön"
    assert to_latin("Ысык-Көл") == "Ysyk-Köl"
    assert to_latin("Жаңы-Жол") == "Jangy-Jol"
    assert to_latin("Чүй") == "Chüy"


def test_ye_at_word_start_and_after_vowels_only():
    assert to_latin("Ел") == "Yel"
    assert to_latin("Тилектеш Эл") == "Tilektesh El"
    assert to_latin("Ниет") == "Niyet"


def test_signs_are_dropped_and_latin_passes_through():
    assert to_latin("Подъём") == "Podyom"
    assert to_latin("GALS методикасы") == "GALS metodikasy"
