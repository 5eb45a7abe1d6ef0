"""The dbt project: generated staging in the repository is current; normalisation macros parse
the date and name forms real sources use (compiled and run by real dbt on DuckDB)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from hrdw import contracts, settings
from hrdw.sources import load_specs
from orchestration import dbt

REPO = Path(__file__).resolve().parent.parent


def test_nothing_per_source_is_committed_and_a_build_generates_only_its_sources(hrdw_home):
    """Issue 20, point 5: per-source files have one home, the build's working copy (or, for tools
    reading the project in place, dbt_project/generated_* from `make dbt-generate`, git-ignored). The
    working copy links to the committed project and generates the sources built, nothing else."""
    tracked = subprocess.run(
        ["git", "ls-files", "dbt_project"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked and not [path for path in tracked if path.split("/")[1] in dbt.GENERATED_FOLDERS]
    assert sorted(path.name for path in (REPO / "dbt_project" / "models" / "staging").iterdir()) == ["hrdw_ops"]
    ignored = subprocess.run(
        ["git", "check-ignore", *(f"dbt_project/{name}/x" for name in dbt.GENERATED_FOLDERS)],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    assert ignored.returncode == 0

    specs = load_specs(REPO / "sources")
    work = dbt.prepare_work_dir(specs[:1])
    linked = {path.name for path in work.iterdir() if path.is_symlink()}
    assert {"dbt_project.yml", "models", "macros", "seeds"} <= linked
    assert all((work / name).resolve() == REPO / "dbt_project" / name for name in linked)
    generated = sorted(
        str(path.relative_to(work)) for path in work.rglob("*") if path.is_file() and not path.is_symlink()
    )
    assert generated == sorted(
        [
            f"generated_models/staging/{specs[0].name}/_{specs[0].name}__models.yml",
            f"generated_models/staging/{specs[0].name}/_{specs[0].name}__sources.yml",
            f"generated_models/staging/{specs[0].name}/stg_{specs[0].name}__reports.sql",
            "generated_seeds/hrdw_sources.csv",
            "generated_seeds/hrdw_source_labels.csv",
            "generated_macros/hrdw_staging_models.sql",
        ]
    )
    registry = (work / "generated_macros" / "hrdw_staging_models.sql").read_text()
    assert f"stg_{specs[0].name}__reports" in registry and specs[1].name not in registry
    dbt.prepare_work_dir(specs[1:2])  # the next build's sources replace the previous ones'
    assert [path.name for path in (work / "generated_models" / "staging").iterdir()] == [specs[1].name]


def test_the_staging_contract_doc_is_written_from_the_contract():
    """Issue 20, point 2: docs/staging-contract.md's table is hrdw/contracts.py, not a second copy."""
    text = dbt.CONTRACT_DOC.read_text(encoding="utf-8")
    assert dbt.contract_doc(text) == text, "run `make dbt-generate` and commit the result"
    assert all(f"| `{column.name}` | {column.data_type} |" in text for column in contracts.STAGING)


def test_a_staging_model_that_drifts_from_the_contract_fails_the_build(
    hrdw_home, make_spec, fixtures_dir, tmp_path, monkeypatch
):
    """The generated model YAML enforces the contract: a staging macro that returns a column with
    another type (here source_row left as text) fails dbt build on that model, naming the column."""
    import datetime as dt

    from extract.ingest import land_source, load_source

    project = tmp_path / "dbt_project"
    shutil.copytree(REPO / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs"))
    common = project / "macros" / "staging" / "hrdw_staging_common.sql"
    typed = "cast(source_row as integer) as source_row,"
    assert typed in common.read_text()
    common.write_text(common.read_text().replace(typed, "source_row,"))
    monkeypatch.setattr(settings, "dbt_project_dir", lambda: project)
    spec = make_spec(
        name="cpj_contract",
        kind="cpj_csv",
        location={"path": str(fixtures_dir / "cpj_csv" / "cpj_killed_export_head.csv")},
        record_key=["fullName", "year", "country"],
    )
    end = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
    load_source(spec, land_source(spec, end - dt.timedelta(days=1), end)["batch_id"])
    work = dbt.prepare_work_dir([spec])
    generated = (work / "generated_models" / "staging" / spec.name / f"_{spec.name}__models.yml").read_text()
    assert "enforced: true" in generated and "data_type: integer" in generated
    result = dbt.run_dbt(work, ["run", "--select", "stg_cpj_contract__reports"])
    assert not result.ok
    assert "contract" in result.output.lower() and "source_row" in result.output, result.output_tail


DATE_CASES = {
    "April 30, 2018": ("2018-04-30", "day"),
    "June 7 or 8, 2008": ("2008-06-07", "day"),
    "On or after March 30, 2007": ("2007-03-30", "day"),
    "December, 1992": ("1992-12-01", "month"),
    "August 2015": ("2015-08-01", "month"),
    "Unknown in 2013": ("2013-01-01", "year"),
    "June or July 1993": ("1993-01-01", "year"),
    "Summer 1993": ("1993-01-01", "year"),
    "2007": ("2007-01-01", "year"),
    "15.09.2003": ("2003-09-15", "day"),
    "2020-10-06": ("2020-10-06", "day"),
    "2020-10-06T14:00:00": ("2020-10-06", "day"),
    "39379": ("2007-10-24", "day"),
    "N/A": (None, "unknown"),
    "2021-01-24~2021-01-27": ("2021-01-24", "day"),
    "May 13, 14, 15, 16, 17, or 18, 2015": ("2015-05-13", "day"),
    "May 29, 30, 31, June 1, or 2, 2014": ("2014-05-29", "day"),
    # partner sheets (DESIGN.md): two-digit years and Russian month names are read, not guessed
    "17.10.2015": ("2015-10-17", "day"),
    "17.10.15": ("2015-10-17", "day"),
    "10.2015": ("2015-10-01", "month"),
    "март 2019": ("2019-03-01", "month"),
    "17 марта 2019 г.": ("2019-03-17", "day"),
    "2015 г.": ("2015-01-01", "year"),
    # ranges keep their first date (CPJ, partner sheets), at its precision (issue 16)
    "October 2015 - June 2016": ("2015-10-01", "month"),
    "Between September 2016 and July 12, 2019": ("2016-09-01", "month"),
    "Between January 23 and February 21, 2002": ("2002-01-23", "day"),
    "Between February 5 and 11, 2014": ("2014-02-05", "day"),
    "12.03.2019 - 15.03.2019": ("2019-03-12", "day"),
    # ... and the month names of Kyrgyz and Tajik (the Russian stems), Kazakh and Uzbek (issue 16)
    "октябрь 2021": ("2021-10-01", "month"),
    "15 марти 2021": ("2021-03-15", "day"),
    "қаңтар 2019": ("2019-01-01", "month"),
    "12 желтоқсан 2020 ж.": ("2020-12-12", "day"),
    "наурыз 2019": ("2019-03-01", "month"),
    "oktabr 2021": ("2021-10-01", "month"),
    "5 sentyabr 2020 yil": ("2020-09-05", "day"),
    # CPJ dates a disappearance and the finding of the remains: the event is the disappearance,
    # read at its precision (issue 16, point 3)
    "Disappeared November 29, 2019; remains found January 7, 2020": ("2019-11-29", "day"),
    "Disappeared September 1, 1992": ("1992-09-01", "day"),
    "Disappeared in March 2004; body found 2005": ("2004-03-01", "month"),
    # not read exactly: see DATE_ISSUES
    "31.02.2021": ("2021-01-01", "year"),
    "13.2015": ("2015-01-01", "year"),
    "н/д": (None, "unknown"),
    "Date unknown": (None, "unknown"),
    "": (None, "unknown"),
    "April 10-12, 1994": ("1994-01-01", "year"),
    "mid-April, 2005": ("2005-01-01", "year"),
    "Late January, early February": (None, "unknown"),
}
# why a date was not read exactly at the precision it states (hrdw_date_issue); every other case,
# coarse dates the source meant included ("2007", "Unknown in 2013", "Summer 1993"), has none
DATE_ISSUES = {
    "N/A": "marked unknown",
    "н/д": "marked unknown",
    "Date unknown": "marked unknown",
    "": "empty",
    "31.02.2021": "not a valid date (read as the year)",
    "13.2015": "not a valid date (read as the year)",
    "April 10-12, 1994": "unreadable (read as the year)",
    "mid-April, 2005": "unreadable (read as the year)",  # one month named, not read
    "Late January, early February": "unreadable",
}
# days the source itself qualifies: on that day or near it, never proof of a different day
QUALIFIED_DATES = {
    "October 2015 - June 2016",
    "Between September 2016 and July 12, 2019",
    "Between January 23 and February 21, 2002",
    "Between February 5 and 11, 2014",
    "12.03.2019 - 15.03.2019",
    "June 7 or 8, 2008",
    "On or after March 30, 2007",
    "2021-01-24~2021-01-27",
    "May 13, 14, 15, 16, 17, or 18, 2015",
    "May 29, 30, 31, June 1, or 2, 2014",
}
# the last day an uncertain day may stand for (var hrdw_on_or_after_days: 7); any other (a range
# too: it says how long the event lasted): its first day
LATEST_DAYS = {
    "June 7 or 8, 2008": "2008-06-08",
    "On or after March 30, 2007": "2007-04-06",
    "May 13, 14, 15, 16, 17, or 18, 2015": "2015-05-18",
    "May 29, 30, 31, June 1, or 2, 2014": "2014-06-02",
}


@pytest.fixture(scope="module")
def macro_project(tmp_path_factory):
    """One working copy of the dbt project, seeded with what the macros read, for the macro tests
    below: after the first, each `dbt show` reuses dbt's partial parse instead of a fresh copy."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HRDW_HOME", str(tmp_path_factory.mktemp("macros") / "home"))
        settings.dbt_work_dir().mkdir(parents=True)
        project = dbt.prepare_work_dir(load_specs(REPO / "sources"))
        assert dbt.run_dbt(project, ["seed", "--select", "transliteration", "place_aliases"]).ok
        yield project


def test_date_macro_parses_the_forms_sources_write(macro_project):
    project = macro_project
    values = " union all ".join(f"select '{raw}' as raw_date" for raw in DATE_CASES)
    inline = (
        f"select raw_date, cast({{{{ hrdw_parse_date('raw_date') }}}} as varchar) as parsed, "
        f"{{{{ hrdw_date_precision('raw_date') }}}} as precision, "
        f"{{{{ hrdw_date_is_qualified('raw_date') }}}} as is_qualified, "
        f"cast({{{{ hrdw_date_latest('raw_date', hrdw_parse_date('raw_date')) }}}} as varchar) as latest, "
        f"{{{{ hrdw_date_issue('raw_date') }}}} as issue "
        f"from ({values}) as cases"
    )
    result = dbt.run_dbt(project, ["--quiet", "show", "--inline", inline, "--limit", "100", "--output", "json"])
    assert result.returncode == 0, result.output_tail
    rows = json.loads(result.output[result.output.index("{") : result.output.rindex("}") + 1])["show"]
    parsed = {row["raw_date"]: (row["parsed"], row["precision"]) for row in rows}
    assert parsed == DATE_CASES
    assert {row["raw_date"] for row in rows if row["is_qualified"]} == QUALIFIED_DATES
    assert {row["raw_date"]: row["latest"] for row in rows} == {
        raw: LATEST_DAYS.get(raw, parsed) for raw, (parsed, _) in DATE_CASES.items()
    }
    assert {row["raw_date"]: row["issue"] for row in rows} == {raw: DATE_ISSUES.get(raw) for raw in DATE_CASES}


NAME_CASES = {
    "Alisher Saipov": ("alisher saipov", "lsr spv"),
    "SAIPOV, Alisher": ("alisher saipov", "lsr spv"),
    "Alishér  Saipov.": ("alisher saipov", "lsr spv"),
    "Алишер Саипов": ("alisher saipov", "lsr spv"),
    "Djumataeva": ("djumataeva", "jmtv"),
    "Dzhumataeva": ("dzhumataeva", "jmtv"),
    "Dzhumatayeva": ("dzhumatayeva", "jmtv"),
    "Джуматаева": ("dzhumataeva", "jmtv"),
    "Өмүрбек Текебаев": ("omurbek tekebaev", "mrbk tkbv"),
    "Ҷумъахон Хотамӣ": ("jumakhon khotami", "htm jmhn"),
    "Dzhumakhon Khotami": ("dzhumakhon khotami", "htm jmhn"),
    "Қасым Ұлықбекұлы": ("qasym ulyqbekuly", "ksm lkbkl"),
    # patronymics are left out of the skeleton of names of three or more words
    "Roman Borisovich Popov": ("borisovich popov roman", "pv rmn"),
    "Roman Popov": ("popov roman", "pv rmn"),
    "Кузьмин Дмитрий Владимирович": ("dmitriy kuzmin vladimirovich", "dmtr kzmn"),
    "Dmitrij Kuzmin": ("dmitrij kuzmin", "dmtr kzmn"),
    "Tongbaeva Aynura Tilekovna": ("aynura tilekovna tongbaeva", "nr tnbv"),
    "Azamat Bakyt uulu": ("azamat bakyt uulu", "bkt zmt"),
    "Roman Abramovich": ("abramovich roman", "brmvs rmn"),  # two words: a surname, kept
    # words that describe an outlet rather than name it
    "TV Ghasyr": ("ghasyr", "gsr"),
    # Kazakh, Uzbek and Turkmen Latin alphabets meet the Cyrillic and the English romanisations
    "Küşıkmatūly Serık": ("kushikmatuly serik", "kskmtl srk"),
    "Кушикматулы Серик": ("kushikmatuly serik", "kskmtl srk"),
    "Ro'zimuratova Feruza": ("feruza rozimuratova", "frz rzmrtv"),
    "Ro‘zimuratova Feruza": ("feruza rozimuratova", "frz rzmrtv"),
    "Ğabit Müsirepov": ("ghabit musirepov", "gbt msrpv"),
    "Ғабит Мүсірепов": ("ghabit musirepov", "gbt msrpv"),
    "Žanar Çaryýewa": ("charyyewa zhanar", "jnr srv"),
    "Жанар Чарыева": ("charyeva zhanar", "jnr srv"),
    # ISO 9 (й = j, ч = č, ш = š), French (ш = ch, ч = tch, у = ou) and Uzbek Latin (х = x)
    "Sajfullo Mirzozodaev": ("mirzozodaev sajfullo", "mrzdv sfl"),
    "Sayfullo Mirzozodaev": ("mirzozodaev sayfullo", "mrzdv sfl"),
    "Aitberdieva Nurzat": ("aitberdieva nurzat", "nrzt tbrdv"),
    "Ajtberdieva Nurzat": ("ajtberdieva nurzat", "nrzt tbrdv"),
    "Cherzod Soulaïmonmatov": ("cherzod soulaimonmatov", "slmnmtv srzd"),
    "Sherzod Sulaymonmatov": ("sherzod sulaymonmatov", "slmnmtv srzd"),
    "Шерзод Сулаймонматов": ("sherzod sulaymonmatov", "slmnmtv srzd"),
    "Tchorichev": ("tchorichev", "srsv"),
    "Čorišev": ("chorishev", "srsv"),
    "Raximov Uktam": ("raximov uktam", "ktm rhmv"),
    "Rakhimov Uktam": ("rakhimov uktam", "ktm rhmv"),
    "Aizhan Satzhanova": ("aizhan satzhanova", "jn stjnv"),
    "Айжан Сатжанова": ("ayzhan satzhanova", "jn stjnv"),
    "Kengbaev Akylbek": ("akylbek kengbaev", "klbk knbv"),
    "Кеңбаев Ақылбек": ("aqylbek kengbaev", "klbk knbv"),
    "Реҗеп Бердиев": ("berdiev rezhep", "brdv rjp"),
    "Rejep Berdiyev": ("berdiyev rejep", "brdv rjp"),
    "Ghasyr Telekanal": ("ghasyr", "gsr"),
}


def test_name_keys_agree_across_romanisations_and_scripts(macro_project):
    project = macro_project
    values = " union all ".join("select '" + name.replace("'", "''") + "' as name" for name in NAME_CASES)
    inline = (
        f"select name, {{{{ hrdw_name_key('name') }}}} as name_key, "
        f"{{{{ hrdw_name_skeleton_key(hrdw_name_key('name')) }}}} as skeleton from ({values}) as names"
    )
    result = dbt.run_dbt(project, ["--quiet", "show", "--inline", inline, "--limit", "100", "--output", "json"])
    assert result.returncode == 0, result.output_tail
    rows = json.loads(result.output[result.output.index("{") : result.output.rindex("}") + 1])["show"]
    assert {row["name"]: (row["name_key"], row["skeleton"]) for row in rows} == NAME_CASES


# names that are placeholders (an unnamed victim, never matched by name) and real ones (issue 16, point 5)
PLACEHOLDER_CASES = {
    "Ahmad [full name unavailable]": True,
    "Unidentified": True,
    "Unidentified journalist": True,
    "An unknown cameraman": True,
    "Unknown": True,
    "Name withheld": True,
    "Abdullah (name withheld)": True,
    "Anonymous": True,
    "N/A": True,
    "-": True,
    "": True,
    "н/д": True,
    "Н/Д": True,
    "неизвестно": True,
    "Неизвестный журналист": True,
    "имя не указано": True,
    "Maher": False,
    "Venera Djumataeva": False,
    "Джуматаева В.Б.": False,
    "Nameless Kid": False,
}


def test_placeholder_names_are_no_names(macro_project):
    project = macro_project
    values = " union all ".join("select '" + name.replace("'", "''") + "' as name" for name in PLACEHOLDER_CASES)
    inline = f"select name, {{{{ hrdw_is_placeholder_name('name') }}}} as is_placeholder from ({values}) as names"
    result = dbt.run_dbt(project, ["--quiet", "show", "--inline", inline, "--limit", "100", "--output", "json"])
    assert result.returncode == 0, result.output_tail
    rows = json.loads(result.output[result.output.index("{") : result.output.rindex("}") + 1])["show"]
    assert {row["name"]: row["is_placeholder"] for row in rows} == PLACEHOLDER_CASES


PLACE_CASES = {
    ("Khujand", "TJ"): "khujand",
    ("Khodjent", "TJ"): "khujand",
    ("Худжанд", "TJ"): "khujand",
    ("Leninabad", "TJ"): "khujand",
    ("Bishkek city", "KG"): "bishkek",
    ("Фрунзе", "KG"): "bishkek",
    ("g. Osh", "KG"): "osh",
    ("Alma-Ata", "KZ"): "almaty",
    ("Uralsk", "KZ"): "oral",
    ("Khodjent", "KG"): "khodjent",  # the gazetteer is per country: no Khujand in Kyrgyzstan
    ("Some Village", "KG"): "some village",
    ("  ", "KG"): None,  # an empty place is no place, never a place that differs
}


def test_place_keys_agree_across_spellings_scripts_and_soviet_names(macro_project):
    project = macro_project
    values = " union all ".join(f"select '{city}' as city, '{code}' as country_code" for city, code in PLACE_CASES)
    inline = (
        "select city, country_code, {{ hrdw_canonical_place('name_key', 'country_code') }} as place_key "
        f"from (select *, {{{{ hrdw_place_name_key('city') }}}} as name_key from ({values}) as places) as keyed"
    )
    result = dbt.run_dbt(project, ["--quiet", "show", "--inline", inline, "--limit", "100", "--output", "json"])
    assert result.returncode == 0, result.output_tail
    rows = json.loads(result.output[result.output.index("{") : result.output.rindex("}") + 1])["show"]
    assert {(row["city"], row["country_code"]): row["place_key"] for row in rows} == PLACE_CASES


def test_the_date_range_ends_on_the_night_being_built_not_the_wall_clock(macro_project):
    """The nightly build passes its night (var hrdw_run_date): a day after it is out of range even
    when the machine's clock is later; 1900-01-01 is the first day in range."""
    project = macro_project
    days = ["1899-12-31", "1900-01-01", "2026-11-29", "2026-11-30"]
    values = " union all ".join(f"select date '{day}' as day" for day in days)
    inline = f"select cast(day as varchar) as day, {{{{ hrdw_date_in_range('day') }}}} as in_range from ({values}) as d"
    args = ["--quiet", "show", "--inline", inline, "--output", "json", "--vars", "{hrdw_run_date: '2026-11-29'}"]
    result = dbt.run_dbt(project, args)
    assert result.returncode == 0, result.output_tail
    rows = json.loads(result.output[result.output.index("{") : result.output.rindex("}") + 1])["show"]
    assert {row["day"]: row["in_range"] for row in rows} == {
        "1899-12-31": False,
        "1900-01-01": True,
        "2026-11-29": True,
        "2026-11-30": False,
    }
