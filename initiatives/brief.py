"""The printed brief (issue 30): one view (the country, an oblast or a raion, with its filters) on one or two
A4 pages, for people who never open the app: headline numbers, the map drawn as vectors from the same oblast
layer, initiatives by theme, the list, what the source does not say, sources and licences.

Made with fpdf2 (pure Python, no browser, no internet) in DejaVu Sans, embedded and subset: it has every
Kyrgyz letter (ң, ө, ү), so they survive printing and text extraction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from initiatives import vocab
from initiatives.outputs import outputs_text
from initiatives.query import Filters, count_by, headline
from initiatives.records import ALL_LOCATION_COLUMNS, INITIATIVE_COLUMNS, STATUS_COLUMNS, place_names

FONTS = Path(__file__).parent / "fonts"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # a record's stray control character prints as nothing
A4_WIDTH, MARGIN = 210, 14
INK, MUTED, LINE = (33, 37, 41), (90, 98, 106), (200, 205, 210)
# ColorBrewer YlGnBu, the map page's oblast palette: 0 initiatives, then rising
FILLS = ((240, 240, 240), (199, 233, 180), (127, 205, 187), (65, 182, 196), (34, 94, 168))
OTHER_OBLAST, CIRCLE = (250, 250, 250), (230, 85, 13)
MAP_HEIGHT = 76

WORDS: dict[str, dict[str, str]] = {
    "brief": {"en": "Brief", "ru": "Справка", "ky": "Кыскача маалымат"},
    "missing_glyphs": {"en": "{n} character(s) of the records (emoji or other signs) are not in this brief's font "
                             "and are printed as {glyph}; the dashboard and the downloads carry them as written.",
                       "ru": "Символов, которых нет в шрифте справки (эмодзи и другие знаки): {n}; они напечатаны "
                             "как {glyph}. В дашборде и выгрузках они сохранены как есть.",
                       "ky": "Маалымдаманын шрифтинде жок белгилер (эмодзи ж.б.): {n}; алар {glyph} болуп "
                             "басылды. Дашборддо жана жүктөлгөн файлдарда алар жазылгандай сакталат."},
    "country": {"en": "Kyrgyzstan", "ru": "Кыргызстан", "ky": "Кыргызстан"},
    "filters": {"en": "Filters", "ru": "Фильтры", "ky": "Чыпкалар"},
    "no_filters": {"en": "none (every initiative of the view)", "ru": "нет (все инициативы)",
                   "ky": "жок (бардык демилгелер)"},
    "data": {"en": "Data: version {version}, made {date}", "ru": "Данные: версия {version}, составлено {date}",
             "ky": "Маалымат: {version} версиясы, {date} даярдалган"},
    "initiatives": {"en": "initiatives", "ru": "инициатив", "ky": "демилге"},
    "locations": {"en": "locations", "ru": "локаций", "ky": "локация"},
    "oblasts": {"en": "oblasts", "ru": "областей", "ky": "облус"},
    "cso": {"en": "CSO grants", "ru": "грантов ОГО", "ky": "ЖКУ гранты"},
    "lsg": {"en": "LSG small grants", "ru": "малых грантов ОМСУ", "ky": "ЖӨБ чакан гранттары"},
    "map": {"en": "Where", "ru": "Где", "ky": "Кайда"},
    "legend_fill": {"en": "Oblast shade: initiatives in the view (1 – {most})",
                    "ru": "Цвет области: инициативы в выборке (1 – {most})",
                    "ky": "Облустун түсү: тандоодогу демилгелер (1 – {most})"},
    "legend_circle": {"en": "Circle: a location, sized by its initiatives",
                      "ru": "Круг: локация, размер по числу инициатив",
                      "ky": "Тегерек: локация, өлчөмү демилгелердин санына жараша"},
    "by_theme": {"en": "Initiatives by theme", "ru": "Инициативы по темам", "ky": "Темалар боюнча демилгелер"},
    "theme_none": {"en": "Not published", "ru": "Не опубликовано", "ky": "Жарыяланган эмес"},
    "list": {"en": "The initiatives", "ru": "Инициативы", "ky": "Демилгелер"},
    "grantee": {"en": "Grantee", "ru": "Получатель", "ky": "Алуучу"},
    "title": {"en": "Title", "ru": "Название", "ky": "Аталышы"},
    "place": {"en": "Place", "ru": "Место", "ky": "Жери"},
    "status": {"en": "Status", "ru": "Статус", "ky": "Абалы"},
    "planned": {"en": "Planned outputs", "ru": "Плановые результаты", "ky": "Пландалган натыйжалар"},
    "unstated": {"en": "not stated in the source", "ru": "в источнике не указан", "ky": "булакта айтылган эмес"},
    "unlisted": {"en": "{n} LSG small grants in: {places}. Grantees and titles are not published in the source.",
                 "ru": "{n} малых грантов ОМСУ: {places}. Получатели и названия в источнике не опубликованы.",
                 "ky": "{n} ЖӨБ чакан гранты: {places}. Алуучулары жана аталыштары булакта жарыяланган эмес."},
    "gaps": {"en": "What the source does not say", "ru": "Чего источник не сообщает", "ky": "Булак эмнени айтпайт"},
    "sources": {"en": "Sources and licences", "ru": "Источники и лицензии", "ky": "Булактар жана лицензиялар"},
    "source_lines": {
        "en": "Records: the programme newsletter, December 2021 – February 2022 (Kyrgyz). Oblast boundaries: "
              "Natural Earth (public domain), simplified. Raions and ayil aimaks: OCHA COD-AB Kyrgyzstan "
              "(CC BY 4.0). Font: DejaVu Sans (Bitstream Vera licence).",
        "ru": "Записи: информационный бюллетень программы, декабрь 2021 – февраль 2022 (на кыргызском). Границы "
              "областей: Natural Earth (общественное достояние), упрощены. Районы и айыл аймаки: OCHA COD-AB "
              "Кыргызстан (CC BY 4.0). Шрифт: DejaVu Sans (лицензия Bitstream Vera).",
        "ky": "Жазуулар: программанын бюллетени, 2021-жылдын декабры – 2022-жылдын февралы. Облустардын "
              "чектери: Natural Earth (коомдук менчик), жөнөкөйлөтүлгөн. Райондор жана айыл аймактар: OCHA "
              "COD-AB Кыргызстан (CC BY 4.0). Арип: DejaVu Sans (Bitstream Vera лицензиясы)."},
    "page": {"en": "page {n} of {total}", "ru": "стр. {n} из {total}", "ky": "{n}/{total}-бет"},
}


def data_version(table: pd.DataFrame, outputs: pd.DataFrame) -> str:
    """A short fingerprint of every stored field of every record and output, the same from the app and the
    command line for the same data: a printed brief says which data it was made from."""
    stored = [c for c in (*INITIATIVE_COLUMNS, *ALL_LOCATION_COLUMNS, *STATUS_COLUMNS) if c in table.columns]
    text = table[list(dict.fromkeys(stored))].sort_values("id").to_csv(index=False) + outputs.to_csv(index=False)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def word(key: str, lang: str, **values: Any) -> str:
    return WORDS[key][lang].format(**values)


def view_name(filters: Filters, lang: str, raion_names: dict[str, str] | None = None) -> str:
    """The country, the chosen oblasts, or the chosen raions, in `lang`."""
    if filters.raions:
        return ", ".join((raion_names or {}).get(code, code) for code in filters.raions)
    if filters.oblasts:
        return ", ".join(vocab.oblasts().label(code, lang) for code in filters.oblasts)
    return word("country", lang)


def filters_text(filters: Filters, lang: str) -> str:
    """The filters other than the place, as a reader of `lang` names them."""
    parts = []
    for codes, vocabulary in ((filters.themes, vocab.themes()), (filters.grant_types, vocab.grant_types()),
                              (filters.target_groups, vocab.target_groups()),
                              (filters.statuses, vocab.status_choices())):
        if codes:
            parts.append(", ".join(vocabulary.label(code, lang) for code in codes))
    if filters.text.strip():
        parts.append(f"«{filters.text.strip()}»")
    return "; ".join(parts) or word("no_filters", lang)


MISSING_GLYPH = "□"  # in DejaVu Sans: what stands, visibly, for a character the font has no glyph for


class Brief(FPDF):
    def __init__(self, lang: str):
        super().__init__(format="A4", unit="mm")
        self.lang = lang
        self.missing = 0  # characters printed as MISSING_GLYPH
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.set_text_color(*INK)
        self.alias_nb_pages("{total}")

    def normalize_text(self, text: str) -> str:
        """Every text the brief prints: a character its font cannot draw (an emoji, a full-width form) is
        printed as MISSING_GLYPH and counted, so the brief says so, rather than dropped without a trace."""
        cmap = getattr(self.current_font, "cmap", None)
        if cmap and any(ord(c) not in cmap and c not in "\n\r\t" for c in text):
            kept = [c if ord(c) in cmap or c in "\n\r\t" else MISSING_GLYPH for c in text]
            self.missing += sum(1 for new, old in zip(kept, text, strict=True) if new != old)
            text = "".join(kept)
        return super().normalize_text(text)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("DejaVu", "", 7)
        self.set_text_color(*MUTED)
        self.cell(0, 4, word("page", self.lang, n=self.page_no(), total="{total}"), align="R")
        self.set_text_color(*INK)

    def heading(self, text: str, size: float = 11) -> None:
        self.set_font("DejaVu", "B", size)
        self.cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def paragraph(self, text: str, size: float = 8, colour: tuple[int, int, int] = INK) -> None:
        self.set_font("DejaVu", "", size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.45, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)


def _rings(geometry: Any) -> list[tuple[list[tuple[float, float]], list[list[tuple[float, float]]]]]:
    polygons = getattr(geometry, "geoms", [geometry])
    return [(list(p.exterior.coords), [list(r.coords) for r in p.interiors]) for p in polygons]


def _fill(count: int, most: int) -> tuple[int, int, int]:
    if count == 0:
        return FILLS[0]
    return FILLS[min(len(FILLS) - 1, 1 + int((len(FILLS) - 2) * count / max(most, 1) + 0.5))]


def draw_map(pdf: Brief, rows: pd.DataFrame, oblasts: gpd.GeoDataFrame, top: float, lang: str) -> None:
    """The view's oblasts shaded by their initiatives, the others pale, the locations as circles."""
    counts = rows["oblast_code"].value_counts()
    shown = oblasts[oblasts["iso_code"].isin(counts.index)]
    focus = shown if 0 < len(counts) < len(oblasts) - 1 else oblasts
    west, south, east, north = focus.total_bounds
    pad = max(east - west, north - south) * 0.04
    west, south, east, north = west - pad, south - pad, east + pad, north + pad
    squash = math.cos(math.radians((south + north) / 2))
    width = A4_WIDTH - 2 * MARGIN
    scale = min(width / ((east - west) * squash), MAP_HEIGHT / (north - south))
    left = MARGIN + (width - (east - west) * squash * scale) / 2

    def at(lon: float, lat: float) -> tuple[float, float]:
        return left + (lon - west) * squash * scale, top + (north - lat) * scale

    pdf.set_draw_color(255, 255, 255)
    pdf.set_line_width(0.3)
    most = int(counts.max()) if len(counts) else 0
    with pdf.rect_clip(MARGIN, top, width, MAP_HEIGHT):
        for oblast in oblasts.itertuples():
            count = int(counts.get(oblast.iso_code, 0))
            fill = _fill(count, most) if (count or focus is oblasts) else OTHER_OBLAST
            for exterior, holes in _rings(oblast.geometry):
                pdf.set_fill_color(*fill)
                pdf.set_draw_color(*LINE if fill == OTHER_OBLAST else (255, 255, 255))
                pdf.polygon([at(x, y) for x, y in exterior], style="DF")
                for hole in holes:  # enclaves of other countries
                    pdf.set_fill_color(255, 255, 255)
                    pdf.polygon([at(x, y) for x, y in hole], style="DF")
        places = rows.groupby("location_id").agg(lat=("latitude", "first"), lon=("longitude", "first"),
                                                 n=("id", "size"))
        pdf.set_fill_color(*CIRCLE)
        pdf.set_draw_color(255, 255, 255)
        for place in places.itertuples():
            x, y = at(float(place.lon), float(place.lat))
            radius = 1.2 + 0.6 * math.sqrt(place.n)
            pdf.circle(x, y, radius, style="DF")
        pdf.set_font("DejaVu", "B", 7)
        for oblast in oblasts.itertuples():
            if oblast.iso_code not in counts.index and focus is not oblasts:
                continue
            point = oblast.geometry.representative_point()
            x, y = at(point.x, point.y)
            label = vocab.oblasts().label(oblast.iso_code, lang)
            width = pdf.get_string_width(label) + 1.6
            with pdf.local_context(fill_opacity=0.75):  # legible over shading and circles alike
                pdf.set_fill_color(255, 255, 255)
                pdf.rect(x - width / 2, y + 2, width, 3.2, style="F")
            pdf.set_xy(x - width / 2, y + 2.1)
            pdf.cell(width, 3, label, align="C")
    pdf.set_y(top + MAP_HEIGHT + 1)
    pdf.set_font("DejaVu", "", 7)
    pdf.set_text_color(*MUTED)
    for i, fill in enumerate(FILLS[1:]):
        pdf.set_fill_color(*fill)
        pdf.rect(MARGIN + i * 5, pdf.get_y() + 0.5, 4, 2.5, style="F")
    pdf.set_x(MARGIN + 22)
    pdf.cell(70, 3.5, word("legend_fill", lang, most=most))
    pdf.set_fill_color(*CIRCLE)
    pdf.circle(MARGIN + 98, pdf.get_y() + 1.75, 1.5, style="F")
    pdf.set_x(MARGIN + 101)
    pdf.cell(0, 3.5, word("legend_circle", lang), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)


def draw_themes(pdf: Brief, rows: pd.DataFrame, lang: str) -> None:
    counts = count_by(rows, "theme")
    if counts.empty:
        return
    pdf.heading(word("by_theme", lang), 10)
    themes = vocab.themes()
    most = int(counts["initiatives"].max())
    label_width, bar_width = 86, A4_WIDTH - 2 * MARGIN - 96
    pdf.set_font("DejaVu", "", 7)
    for row in counts.itertuples():
        label = themes.label(row.theme, lang) if row.theme else word("theme_none", lang)
        y = pdf.get_y()
        pdf.cell(label_width, 3.4, label, align="R")
        pdf.set_fill_color(*FILLS[3])
        pdf.rect(MARGIN + label_width + 2, y + 0.5, bar_width * row.initiatives / most, 2.4, style="F")
        pdf.set_xy(MARGIN + label_width + 4 + bar_width * row.initiatives / most, y)
        pdf.cell(8, 3.4, str(row.initiatives), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def draw_list(pdf: Brief, rows: pd.DataFrame, outputs: pd.DataFrame, lang: str) -> None:
    pdf.heading(word("list", lang), 10)
    places = place_names(rows, lang)
    listed = rows[rows["source_status"] == "published"]
    planned = outputs_text(outputs, "planned", lang)
    statuses = vocab.activity_statuses()
    if len(listed):
        pdf.set_font("DejaVu", "", 6.5)
        pdf.set_draw_color(*LINE)
        pdf.set_fill_color(255, 255, 255)
        widths = (36, 62, 22, 22, 40)
        with pdf.table(col_widths=widths, line_height=2.9, text_align="LEFT", first_row_as_headings=True,
                       headings_style=FontFace(emphasis="BOLD"), borders_layout="HORIZONTAL_LINES",
                       padding=0.6) as table:
            header = table.row()
            dates = sorted(set(listed["status_as_of"]) - {""})
            for key in ("grantee", "title", "place", "status", "planned"):
                header.cell(word(key, lang) + (f" ({', '.join(dates)})" if key == "status" and dates else ""))
            for row in listed.itertuples():
                status = statuses.label(row.status, lang) if row.status else word("unstated", lang)
                grantee = row.grantee_latin if lang == "en" and row.grantee_latin else row.grantee  # as on the cards
                cells = (grantee, getattr(row, f"title_{lang}") or row.title_ky, places[row.Index], status,
                         planned.get(row.id, "—"))
                line = table.row()
                for cell in cells:
                    line.cell(CONTROL.sub("", str(cell)))
        pdf.ln(1.5)
    unlisted = rows[rows["source_status"] != "published"]
    if len(unlisted):
        names = ", ".join(sorted(set(places[unlisted.index])))
        pdf.paragraph(word("unlisted", lang, n=len(unlisted), places=names), 7.5)


def brief_pdf(rows: pd.DataFrame, outputs: pd.DataFrame, programme: dict[str, Any], oblasts: gpd.GeoDataFrame,
              filters: Filters, lang: str, version: str, made: dt.date | None = None,
              raion_names: dict[str, str] | None = None) -> bytes:
    """The brief of the view whose rows are `rows`, in `lang` (ky, ru or en)."""
    pdf = Brief(lang)
    pdf.set_title(f"{programme['name'][lang]}: {word('brief', lang)}")
    pdf.set_creator("Yntymaktuu Jashoo coverage dashboard")
    pdf.set_lang(lang)
    pdf.add_page()
    pdf.heading(f"{programme['name'][lang]} — {word('brief', lang)}: {view_name(filters, lang, raion_names)}", 14)
    pdf.paragraph(f"{word('filters', lang)}: {filters_text(filters, lang)}", 8, MUTED)
    made = made or dt.date.today()
    pdf.paragraph(word("data", lang, version=version, date=made.isoformat()), 8, MUTED)
    pdf.ln(2)
    h = headline(rows)
    numbers = ((h.initiatives, "initiatives"), (h.locations, "locations"), (h.oblasts, "oblasts"),
               (h.cso, "cso"), (h.lsg, "lsg"))
    column = (A4_WIDTH - 2 * MARGIN) / len(numbers)
    y = pdf.get_y()
    for i, (number, key) in enumerate(numbers):
        pdf.set_xy(MARGIN + i * column, y)
        pdf.set_font("DejaVu", "B", 20)
        pdf.cell(column, 9, str(number), align="C")
        pdf.set_xy(MARGIN + i * column, y + 9)
        pdf.set_font("DejaVu", "", 7.5)
        pdf.cell(column, 4, word(key, lang), align="C")
    pdf.set_y(y + 16)
    pdf.heading(word("map", lang), 10)
    draw_map(pdf, rows, oblasts, pdf.get_y(), lang)
    pdf.ln(3)
    draw_themes(pdf, rows, lang)
    pdf.ln(3)
    draw_list(pdf, rows, outputs, lang)
    pdf.ln(2)
    pdf.heading(word("gaps", lang), 10)
    for gap in programme["known_gaps"]:
        pdf.paragraph(f"• {gap[lang]}", 7.5)
    pdf.ln(2)
    pdf.heading(word("sources", lang), 10)
    pdf.paragraph(word("source_lines", lang), 7.5)
    if pdf.missing:
        pdf.ln(1)
        pdf.paragraph(word("missing_glyphs", lang, n=pdf.missing, glyph=MISSING_GLYPH), 7.5, MUTED)
    return bytes(pdf.output())
