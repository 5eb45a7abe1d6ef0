"""A source's own labels (YAML `labels:`): checked when the YAML is read, generated into the
`hrdw_source_labels` seed without editing a shared file, and what maps to nothing is listed per
source in the run summary (issue 16, point 4)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml

from hrdw import label_issues
from hrdw.sources import SourceSpecError, load_spec, load_specs
from orchestration import dbt

REPO = Path(__file__).resolve().parent.parent
SPEC = "name: partner\nkind: spreadsheet\ndescription: x\nlocation: {{path: a.csv}}\n{extra}"


def write(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "partner.yml"
    path.write_text(SPEC.format(extra=extra), encoding="utf-8")
    return path


def test_labels_of_every_kind_are_read_with_their_codes(tmp_path):
    spec = load_spec(
        write(
            tmp_path,
            "labels:\n"
            "  violations: {'Угрозы / Threats': threats}\n"
            "  perpetrators: {'Милиция': state}\n"
            "  countries: {'Кыргыз Республикасы': KG}\n"
            "  victim_roles: {'Журналистка': journalist}\n",
        )
    )
    assert spec.labels.violations == {"Угрозы / Threats": "threats"}
    assert spec.labels.countries == {"Кыргыз Республикасы": "KG"}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "labels: {violations: {Threat: threat}}",
            r"labels.violations.'Threat': 'threat' is not a code of violation_types",
        ),
        ("labels: {perpetrators: {Police: police}}", r"'police' is not a code of perpetrator_types"),
        ("labels: {countries: {Kyrgyzstan: KGZ}}", r"'KGZ' is not a code of countries"),
        ("labels: {victim_roles: {Reporter: reporter}}", r"'reporter' is not a code of victim_roles"),
        ("labels: {violation: {Threat: threats}}", r"labels.violation"),  # a typo of the kind
        ("labels: {violations: {'Threat': threats, ' threat ': killing}}", r"are one label .* with two codes"),
    ],
)
def test_an_unknown_code_or_a_label_with_two_meanings_fails_the_source(tmp_path, extra, message):
    path = write(tmp_path, extra + "\n")
    with pytest.raises(SourceSpecError, match=message) as error:
        load_spec(path)
    assert str(path) in str(error.value) and "labels" in str(error.value)


def test_labels_reach_dbt_through_a_generated_seed_not_a_shared_one(tmp_path):
    project = tmp_path / "dbt_project"
    shutil.copytree(REPO / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs"))
    shared = {
        name: (project / "seeds" / name).read_bytes()
        for name in ("violation_type_crosswalk.csv", "perpetrator_type_crosswalk.csv", "country_aliases.csv")
    }
    sources = tmp_path / "sources"
    shutil.copytree(REPO / "sources", sources)
    partner = sources / "partner_central_asia.yml"
    document = yaml.safe_load(partner.read_text(encoding="utf-8"))
    document["labels"]["countries"] = {"Кыргыз Республикасы": "KG"}
    partner.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    dbt.generate(load_specs(sources), project)
    rows = list(csv.DictReader(io.StringIO((project / "generated_seeds" / "hrdw_source_labels.csv").read_text())))
    assert {"source_name": "partner_central_asia", "label_kind": "country", "source_label": "Кыргыз Республикасы",
            "code": "KG"} in rows  # fmt: skip
    assert {"source_name": "partner_central_asia", "label_kind": "violation", "source_label": "Угрозы / Threats",
            "code": "threats"} in rows  # fmt: skip
    assert {name: (project / "seeds" / name).read_bytes() for name in shared} == shared


def test_the_shared_crosswalks_hold_no_source_specific_rows():
    """The partner's bilingual labels live in its YAML; the shared seeds keep the defaults of
    well-known vocabularies only."""
    for name in ("violation_type_crosswalk.csv", "perpetrator_type_crosswalk.csv"):
        with (REPO / "dbt_project" / "seeds" / name).open(encoding="utf-8") as handle:
            vocabularies = {row["vocabulary"] for row in csv.DictReader(handle)}
        assert vocabularies <= {"cpj", "uwazi", "kobo", "odk"}, name


def test_unmapped_labels_are_listed_per_source_and_kind_most_frequent_first():
    found = label_issues.by_source(
        [
            ("kobo_incidents", "violation", "other_violation", 1335),
            ("kobo_incidents", "violation", "intimidation", 12),
            ("partner", "victim_role", "Фотокор", 2),
        ]
    )
    lines = label_issues.summary_lines(found, per_kind=1)
    assert lines[0].startswith("Labels that mapped to nothing: 3")
    assert "  kobo_incidents: 2 violation label(s), on 1347 report(s):" in lines
    assert "    'other_violation' (1335)" in lines and "    ... and 1 more" in lines
    assert "  partner: 1 victim_role label(s), on 2 report(s):" in lines
    assert label_issues.summary_lines({}) == []
