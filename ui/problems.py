"""Problems in input files, said in the reader's language: the edit page, the upload and the error page.

The data layer words each problem in English (the command line's words, initiatives.records and .outputs);
here each known wording is matched and said again in Kyrgyz or Russian, with the values it quotes kept as they
are. The field is named as the downloads head it (columns.csv), with its code beside it. A wording not listed
here stays in English rather than being guessed at; tests/pages/test_editing.py checks the list against what
the checks really say.
"""

from __future__ import annotations

import re

import pandas as pd

from initiatives import vocab
from initiatives.problems import Problem
from ui.i18n import t

# What the checks name in "{what} is required" and "unknown {what} '...'".
WHAT = {
    "grant type": {"ru": "тип гранта", "ky": "гранттын түрү"},
    "source status": {"ru": "статус источника", "ky": "булактын статусу"},
    "oblast code": {"ru": "код области", "ky": "облустун коду"},
    "location precision": {"ru": "точность места", "ky": "жердин тактыгы"},
    "legal form": {"ru": "правовая форма", "ky": "укуктук форма"},
    "activity status": {"ru": "статус деятельности", "ky": "иштин статусу"},
    "theme": {"ru": "тема", "ky": "тема"},
    "target group": {"ru": "целевая группа", "ky": "максаттуу топ"},
    "id": {"ru": "код", "ky": "код"},
    "location_id": {"ru": "код места", "ky": "жердин коду"},
    "initiative_id": {"ru": "код инициативы", "ky": "демилгенин коду"},
    "number": {"ru": "число", "ky": "сан"},
}
# (the English wording, with named parts) -> its Russian and Kyrgyz wording, the parts in {braces}.
WORDINGS: tuple[tuple[str, dict[str, str]], ...] = (
    (r"unknown (?P<what>[a-z ]+?) (code )?'(?P<value>.*)' \(expected one of: (?P<allowed>.*)\)",
     {"ru": "неизвестное значение «{value}» ({what}); возможные: {allowed}",
      "ky": "белгисиз маани «{value}» ({what}); мүмкүн болгондор: {allowed}"}),
    (r"unknown (?P<what>theme|target group) code '(?P<value>.*)'",
     {"ru": "неизвестный код «{value}» ({what})", "ky": "белгисиз код «{value}» ({what})"}),
    (r"(?P<what>[a-z_ ]+?) is required for a published record",
     {"ru": "для опубликованной записи поле обязательно ({what})",
      "ky": "жарыяланган жазуу үчүн бул талаа милдеттүү ({what})"}),
    (r"(?P<what>[a-z_ ]+?) is required",
     {"ru": "обязательное поле ({what}) не заполнено", "ky": "милдеттүү талаа ({what}) толтурулган эмес"}),
    (r"'(?P<value>.*)' is not an id: use letters, digits, '-', '_' or '.'",
     {"ru": "«{value}» — не код: используйте буквы, цифры, «-», «_» или «.»",
      "ky": "«{value}» код эмес: тамгаларды, сандарды, «-», «_» же «.» колдонуңуз"}),
    (r"contains the control character (?P<value>U\+[0-9A-F]{4}) at character (?P<row>\d+): remove it",
     {"ru": "содержит управляющий символ {value} (символ {row}): удалите его",
      "ky": "башкаруучу белгини камтыйт: {value} ({row}-белги): аны өчүрүңүз"}),
    (r"unpacks to more than (?P<value>\d+) MB( in one part)?: this is not a sheet of initiatives",
     {"ru": "в распакованном виде больше {value} МБ: это не таблица инициатив",
      "ky": "ачылганда {value} МБдан ашат: бул демилгелердин таблицасы эмес"}),
    (r"the sheet '(?P<value>.*)' has content past (?P<row>[\d,]+) rows: upload the initiatives as the dashboard "
     r"exports them",
     {"ru": "на листе «{value}» есть данные дальше {row} строк: загрузите инициативы в том виде, в каком их "
            "выгружает дашборд",
      "ky": "«{value}» барагында {row} саптан ары маалымат бар: демилгелерди дашборд чыгаргандай жүктөңүз"}),
    (r"name the source of this record",
     {"ru": "укажите источник этой записи", "ky": "бул жазуунун булагын көрсөтүңүз"}),
    (r"name the source of this output",
     {"ru": "укажите источник этого результата", "ky": "бул натыйжанын булагын көрсөтүңүз"}),
    (r"must be empty when source_status is not_published \(found '(?P<value>.*)'\)",
     {"ru": "должно быть пустым, пока запись не опубликована (сейчас: «{value}»)",
      "ky": "жазуу жарыялана элек кезде бош болушу керек (азыр: «{value}»)"}),
    (r"'(?P<value>.*)' is not a date: write it as YYYY-MM-DD",
     {"ru": "«{value}» — не дата: пишите ГГГГ-ММ-ДД", "ky": "«{value}» дата эмес: ЖЖЖЖ-АА-КК түрүндө жазыңыз"}),
    (r"say as of when the status is true",
     {"ru": "укажите, на какую дату верен статус", "ky": "статус кайсы датага карата туура экенин көрсөтүңүз"}),
    (r"quote the source's words for the status",
     {"ru": "приведите слова источника о статусе", "ky": "статус тууралуу булактын сөздөрүн келтириңиз"}),
    (r"quote the source's words for this output",
     {"ru": "приведите слова источника об этом результате",
      "ky": "бул натыйжа тууралуу булактын сөздөрүн келтириңиз"}),
    (r"a date \('(?P<value>.*)'\) without a status",
     {"ru": "дата («{value}») без статуса", "ky": "статуссуз дата («{value}»)"}),
    (r"'(?P<value>.*)' is named more than once; name each code once",
     {"ru": "«{value}» указан больше одного раза; указывайте каждый код один раз",
      "ky": "«{value}» бир нече жолу көрсөтүлгөн; ар бир кодду бир жолу көрсөтүңүз"}),
    (r"duplicate id '(?P<value>.*)' \(first in row (?P<row>\d+)\)",
     {"ru": "код «{value}» повторяется (впервые в строке {row})",
      "ky": "«{value}» коду кайталанат (биринчи жолу {row}-сапта)"}),
    (r"unknown location '(?P<value>.*)' \(not in locations\.csv\)",
     {"ru": "неизвестное место «{value}» (его нет в locations.csv)",
      "ky": "белгисиз жер «{value}» (locations.csv ичинде жок)"}),
    (r"'(?P<value>.*)' is neither 'planned' nor 'reported'",
     {"ru": "«{value}» — не «planned» (план) и не «reported» (отчёт)",
      "ky": "«{value}» «planned» (план) да, «reported» (отчет) да эмес"}),
    (r"unknown output type '(?P<value>.*)' \(expected one of: (?P<allowed>.*)\)",
     {"ru": "неизвестный вид результата «{value}»; возможные: {allowed}",
      "ky": "натыйжанын белгисиз түрү «{value}»; мүмкүн болгондор: {allowed}"}),
    (r"'(?P<value>.*)' is not a whole number above 0",
     {"ru": "«{value}» — не целое число больше 0", "ky": "«{value}» 0дон чоң бүтүн сан эмес"}),
    (r"a reported output needs the date it is true as of \(YYYY-MM-DD\)",
     {"ru": "для результата из отчёта нужна дата, на которую он верен (ГГГГ-ММ-ДД)",
      "ky": "отчеттогу натыйжа үчүн ал туура болгон дата керек (ЖЖЖЖ-АА-КК)"}),
    (r"name the source that publishes this grant's grantee and title \(.*\)",
     {"ru": "укажите источник, в котором опубликованы получатель и название этого гранта (бюллетень объявляет "
            "гранты ОМСУ, но не перечисляет их)",
      "ky": "бул гранттын алуучусу жана аталышы жарыяланган булакты көрсөтүңүз (бюллетень ЖӨБ гранттарын "
            "жарыялайт, бирок тизмесин бербейт)"}),
    (r"required column is missing",
     {"ru": "нет обязательного столбца", "ky": "милдеттүү мамыча жок"}),
    (r"unknown column", {"ru": "неизвестный столбец", "ky": "белгисиз мамыча"}),
)
MESSAGES = tuple((re.compile(pattern), words) for pattern, words in WORDINGS)


def message(text: str, lang: str) -> str:
    """The problem's words in `lang`; English, as written, where the wording is not known here."""
    if lang == "en":
        return text
    for pattern, words in MESSAGES:
        found = pattern.fullmatch(text)
        if found:
            parts = {k: (v or "") for k, v in found.groupdict().items()}
            if "what" in parts:
                parts["what"] = WHAT.get(parts["what"], {}).get(lang, parts["what"])
            return words[lang].format(**parts)
    return text


def field_name(field: str, lang: str) -> str:
    """The field as the downloads head it, with its code: "Тип гранта (код) · grant_type"."""
    names = vocab.columns()
    return f"{names.label(field, lang)} · {field}" if field in names.codes else field


def problems_table(problems: list[Problem], lang: str, records: dict[tuple[str, int], str] | None = None,
                   headings: bool = True) -> pd.DataFrame:
    """One row per problem, as data (never markup): file, row, field, what is wrong; with `records` (file, row
    -> the record's id, for an edit made in a table, whose rows have no numbers) the record too. `headings`:
    the field as the downloads head it, beside its code (an editor's view); without, the file's own column name
    (the error page, for whoever fixes the file)."""
    def field(code: str) -> str:
        return field_name(code, lang) if headings else code

    table = pd.DataFrame([{t("file", lang): p.file, t("row", lang): p.row, t("field", lang): field(p.field),
                           t("message", lang): message(p.message, lang)} for p in problems])
    if records:
        table.insert(2, t("change_record", lang), [records.get((p.file, p.row), "") for p in problems])
    return table
