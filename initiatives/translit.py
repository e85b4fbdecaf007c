"""Kyrgyz Cyrillic to Latin: one documented romanisation for every proper name.

BGN/PCGN 1979 for Kyrgyz, simplified: ъ and ь are dropped, е is "ye" at the start
of a word and after a vowel, "e" elsewhere. Names already in Latin pass through.
"""

from __future__ import annotations

_VOWELS = set("аеёиоөуүыэюяАЕЁИОӨУҮЫЭЮЯ")
_TABLE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ё": "yo", "ж": "j", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "ң": "ng", "о": "o",
    "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ү": "ü", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}


def to_latin(text: str) -> str:
    """Romanise Kyrgyz text so names sort, search and print the same way everywhere."""
    out: list[str] = []
    prev = ""
    for ch in text:
        low = ch.lower()
        if low == "е":
            latin = "ye" if (not prev or not prev.isalpha() or prev in _VOWELS) else "e"
        else:
            latin = _TABLE.get(low)
        if latin is None:
            out.append(ch)
        elif ch.isupper() and latin:
            out.append(latin[0].upper() + latin[1:])
        else:
            out.append(latin)
        prev = ch
    return "".join(out)
