from pathlib import Path

import pytest

from extract.connectors import available_kinds, connector_for
from hrdw.sources import SourceSpecError, load_spec, load_specs

REPO = Path(__file__).resolve().parent.parent


def test_bundled_sources_cover_the_three_kinds_of_source():
    specs = load_specs(REPO / "sources")
    kinds = {spec.kind for spec in specs}
    assert {"cpj_csv", "cpj_people_list", "spreadsheet", "uwazi_csv"} <= kinds
    for spec in specs:
        connector = connector_for(spec.kind)
        assert callable(connector.land) and callable(connector.parse)


def test_every_connector_module_declares_its_contract():
    for kind in available_kinds():
        module = connector_for(kind)
        assert module.__doc__ and "Guarantees" in module.__doc__, f"{kind} must document what it guarantees"


@pytest.mark.parametrize("bad_name", ["Bad-Name", "1source", "x; drop table raw", "../etc"])
def test_source_names_that_could_reach_sql_or_paths_are_rejected(tmp_path, bad_name):
    path = tmp_path / "source.yml"
    path.write_text(f"name: '{bad_name}'\nkind: cpj_csv\ndescription: x\nlocation: {{path: a.csv}}\n")
    with pytest.raises(SourceSpecError, match="must match"):
        load_spec(path)


def test_file_name_must_match_source_name(tmp_path):
    path = tmp_path / "other.yml"
    path.write_text("name: cpj\nkind: cpj_csv\ndescription: x\nlocation: {path: a.csv}\n")
    with pytest.raises(SourceSpecError, match="file name must be"):
        load_spec(path)


def test_unknown_keys_are_errors_not_silently_ignored(tmp_path):
    path = tmp_path / "cpj.yml"
    path.write_text("name: cpj\nkind: cpj_csv\ndescription: x\nlocation: {path: a.csv}\nrecod_key: [a]\n")
    with pytest.raises(SourceSpecError, match="recod_key"):
        load_spec(path)
