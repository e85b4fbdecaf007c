"""The printed brief (issue 30), read back as its readers get it: the text with pypdf, page 1 drawn to PNG by
Debian's pdftoppm. The command line is run as a maintainer runs it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from geodata.layers import read_oblasts
from initiatives import load_records
from initiatives.brief import CIRCLE, FILLS, brief_pdf, data_version
from initiatives.programme import load_programme
from initiatives.query import Filters, apply_filters
from tests.conftest import ROOT, raw_initiatives

KYRGYZ_LETTERS = "ңөүҢӨҮ"


def run_brief(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "initiatives", "brief", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def osh_ru(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("brief") / "osh.pdf"
    result = run_brief("--oblast", "KG-O", "--lang", "ru", "-o", str(target))
    assert result.returncode == 0, result.stderr
    return target


def test_the_command_line_writes_the_oblasts_brief_in_russian(osh_ru):
    reader = PdfReader(osh_ru)
    assert 1 <= len(reader.pages) <= 2
    text = flat(text_of(osh_ru))
    assert "Справка: Ошская область" in text and "Инициативы по темам" in text
    assert "Brief" not in text and "Кыскача" not in text
    osh = [r for r in raw_initiatives() if r["oblast_code"] == "KG-O"]
    headline = re.search(r"Справка: Ошская область.*?(\d+) инициатив", text)
    assert headline and int(headline.group(1)) == len(osh)
    # every published grantee of the oblast is listed, Kyrgyz letters intact after extraction
    published = [r for r in osh if r["source_status"] == "published"]
    assert published and all(r["grantee"] in text for r in published), [r["grantee"] for r in published]
    assert any(set(KYRGYZ_LETTERS) & set(r["grantee"] + r["title_ky"]) for r in osh) or \
        set(KYRGYZ_LETTERS) & set(text)
    unlisted = len(osh) - len(published)
    assert f"{unlisted} малых грантов ОМСУ" in text and "не опубликованы" in text


def test_the_font_is_embedded(osh_ru):
    fonts = set()
    for page in PdfReader(osh_ru).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor  # the TrueType program itself is in the file
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("DejaVuSans" in name for name in fonts), fonts


@pytest.mark.parametrize("lang, words, letters", [("ky", "Кыскача маалымат", "ү"), ("en", "Brief", ""),
                                                  ("ru", "Справка", "")])
def test_the_country_brief_speaks_the_chosen_language(tmp_path, lang, words, letters):
    records = load_records()
    pdf = brief_pdf(records.table, records.outputs, load_programme(), read_oblasts(), Filters(), lang,
                    data_version(records.table, records.outputs))
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    text = flat(text_of(path))
    assert words in text and len(PdfReader(path).pages) <= 2 and len(pdf) <= 1_000_000
    assert "Kyrgyzstan" in text if lang == "en" else "Кыргызстан" in text
    assert letters in text
    # the known gaps of the programme, in the language
    gap = load_programme()["known_gaps"][0][lang]
    assert flat(gap)[:40] in text
    others = {"ky": "Кыскача маалымат", "en": "Brief", "ru": "Справка"}
    assert not any(other in text for code, other in others.items() if code != lang)


def drawn_page(pdf: Path, tmp_path: Path) -> Image.Image:
    assert shutil.which("pdftoppm"), "Debian's poppler-utils (pdftoppm) must be installed"
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=60)
    return Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")


def near(image: Image.Image, colour: tuple[int, int, int]) -> int:
    """How many pixels are drawn in about this colour."""
    return int((np.abs(np.asarray(image, dtype=int) - colour).sum(axis=2) < 40).sum())


def test_page_one_draws_the_map(osh_ru, tmp_path):
    image = drawn_page(osh_ru, tmp_path)
    circles, shaded = near(image, CIRCLE), near(image, FILLS[-1])
    # five places of Osh oblast as circles, each some 7 px across at 50 dpi, plus the legend's one
    assert circles > 5 * 20, circles
    assert shaded > 5000, shaded  # the oblast itself, filled


def test_a_view_with_no_places_draws_no_circles(tmp_path):
    records = load_records()
    rows = apply_filters(records.table, Filters(text="no initiative says this"))
    path = tmp_path / "empty.pdf"
    path.write_bytes(brief_pdf(rows, records.outputs, load_programme(), read_oblasts(), Filters(), "en", "x"))
    image = drawn_page(path, tmp_path)
    assert near(image, CIRCLE) < 40  # the legend's circle only
    assert "0 initiatives" in flat(text_of(path)).replace("0\ninitiatives", "0 initiatives") or \
        re.search(r"\b0 initiatives", flat(text_of(path)))


def test_an_unknown_oblast_is_refused_and_nothing_is_written(tmp_path):
    target = tmp_path / "x.pdf"
    result = run_brief("--oblast", "KG-X", "-o", str(target))
    assert result.returncode == 2 and "KG-X" in result.stderr
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_the_data_version_follows_the_data():
    records = load_records()
    version = data_version(records.table, records.outputs)
    assert version == data_version(records.table.sample(frac=1, random_state=1), records.outputs)
    changed = records.table.copy()
    changed.loc[changed.index[0], "title_en"] = "Something else"
    assert data_version(changed, records.outputs) != version


def test_a_raions_brief_is_titled_after_the_raion_and_holds_its_initiatives(local_layers, raions, tmp_path):
    from geodata.checks import check_records

    records = check_records(None, local_layers=local_layers)
    code = records.table.loc[records.table["raion_code"] != "", "raion_code"].value_counts().index[0]
    name = raions.loc[raions["unit_code"] == code, "name_ru"].iloc[0]
    filters = Filters(raions=(code,))
    rows = apply_filters(records.table, filters)
    path = tmp_path / "raion.pdf"
    path.write_bytes(brief_pdf(rows, records.outputs, load_programme(), read_oblasts(), filters, "ru", "x",
                               raion_names={code: name}))
    text = flat(text_of(path))
    assert f"Справка: {name}" in text
    assert re.search(rf"Справка: {re.escape(name)}.*?(\d+) инициатив", text).group(1) == str(len(rows))
    assert all(r.grantee in text for r in rows.itertuples() if r.source_status == "published")


def test_hostile_text_prints_as_text(tmp_path):
    """PDF string delimiters, a stray control character and markup in a record print as the words they are."""
    records = load_records()
    rows = records.table.head(1).copy()
    rows.loc[rows.index[0], "grantee"] = "Фонд (тест) \\ <b>жирный</b>\x0bконец"
    path = tmp_path / "hostile.pdf"
    path.write_bytes(brief_pdf(rows, records.outputs, load_programme(), read_oblasts(), Filters(), "ru", "x"))
    assert "Фонд (тест) \\ <b>жирный</b>конец" in flat(text_of(path))


def test_a_character_the_font_lacks_is_printed_visibly_and_said(tmp_path):
    """On the code before: the emoji and the full-width letters were dropped without a trace in the brief."""
    records = load_records()
    table = records.table.copy()
    first = table.index[0]
    table.loc[first, "title_ru"] = "Мир 🕊️ и ＡＢＣ"
    table.loc[first, "title_en"] = table.loc[first, "title_ky"] = table.loc[first, "title_ru"]
    path = tmp_path / "brief.pdf"
    path.write_bytes(brief_pdf(table, records.outputs, load_programme(), read_oblasts(), Filters(), "ru", "x"))
    text = flat(text_of(path))
    assert "Мир □" in text, "the dove stands as a visible box"
    assert "напечатаны как □" in text and "🕊" not in text


def test_a_brief_with_nothing_missing_says_nothing_of_it(osh_ru):
    assert "□" not in flat(text_of(osh_ru)) and "шрифте" not in flat(text_of(osh_ru))
