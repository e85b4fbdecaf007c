"""The command-line interface as a user runs it: a real subprocess, real stdout."""

import csv
import io
import json
import subprocess
import sys

from tests.conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "initiatives", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_check_prints_one_summary_line():
    result = run("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "50 initiatives, 25 locations, 7 oblasts, 25 CSO, 25 LSG\n"


def test_export_csv_has_the_documented_columns_and_round_trips(tmp_path):
    result = run("export", "--format", "csv")
    assert result.returncode == 0
    header = next(csv.reader(io.StringIO(result.stdout)))
    documented = ("id, grant_type, oblast_code, oblast, district, place, latitude, longitude, location_precision, "
                  "grantee, legal_form, title_ky, title_en, title_ru, themes, target_groups, source").split(", ")
    assert header[: len(documented)] == documented
    flat = tmp_path / "edited.csv"
    flat.write_text(result.stdout, encoding="utf-8")
    assert run("check", "--records", str(flat)).stdout.startswith("50 initiatives, 25 locations")
    assert run("export", "--records", str(flat)).stdout == result.stdout


def test_export_json_and_geojson():
    rows = json.loads(run("export", "--format", "json").stdout)
    assert len(rows) == 50 and rows[0]["id"] == "CSO-01"
    collection = json.loads(run("export", "--format", "geojson").stdout)
    assert len(collection["features"]) == 50
    lon, lat = collection["features"][0]["geometry"]["coordinates"]
    assert (lat, lon) == (42.842, 75.301)


def test_check_exits_1_on_bad_records(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,grant_type\nX,cso\n", encoding="utf-8")
    result = run("check", "--records", str(bad))
    assert result.returncode == 1
    assert "bad.csv:1: location_id: required column is missing" in result.stderr
