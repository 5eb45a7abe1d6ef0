from pathlib import Path

import pytest

from extract.connectors import connector_for
from hrdw.kinds import KIND_TAGS, UnknownKindError, accepted_options, available_kinds, declared
from hrdw.sources import SourceSpecError, load_spec, load_specs, scan_specs

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


def test_what_a_kind_declares_is_read_without_importing_it_and_matches_the_module():
    """hrdw.kinds reads TAG, OPTIONS and PRODUCES from the module's text: the static reading must
    agree with the imported module, so the one declaration cannot drift from what the code holds."""
    for kind in available_kinds():
        module, declaration = connector_for(kind), declared(kind)
        assert declaration.tag == module.TAG and declaration.tag in KIND_TAGS, kind
        assert set(declaration.options) - set(module.OPTIONS) == {"shrink_guard_min_ratio", "vocabulary"}, kind
        assert {key: declaration.options[key] for key in module.OPTIONS} == module.OPTIONS, kind
        assert declaration.produces == getattr(module, "PRODUCES", "reports"), kind
    assert declared("review_decisions").produces == "review_decisions"
    assert "retry_attempts" in declared("kobo_api").options  # **HTTP_OPTIONS spread
    assert "victim_separator" in declared("spreadsheet").options  # **VICTIM_SEPARATOR spread


def test_a_declaration_that_is_not_a_literal_is_refused_by_name(tmp_path, monkeypatch):
    from hrdw import kinds

    connectors = tmp_path / "extract" / "connectors"
    connectors.mkdir(parents=True)
    (connectors / "odd_api.py").write_text('TAG = "forms"\nOPTIONS = {**SOMETHING_ELSE, "a": "b"}\n')
    (connectors / "tagless.py").write_text("OPTIONS = {}\n")
    monkeypatch.setattr(kinds, "connectors_dir", lambda: connectors)
    assert kinds.available_kinds() == ["odd_api", "tagless"]
    with pytest.raises(UnknownKindError, match=r"odd_api: OPTIONS may only spread .*found \*\*SOMETHING_ELSE"):
        kinds.declared("odd_api")
    with pytest.raises(UnknownKindError, match=r"tagless: TAG must be one of"):
        kinds.declared("tagless")


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


SPEC = "name: {name}\nkind: {kind}\ndescription: x\nlocation: {{path: a.csv}}\n{extra}"


def test_an_unknown_kind_is_reported_with_file_field_and_choices(tmp_path):
    path = tmp_path / "partner.yml"
    path.write_text(SPEC.format(name="partner", kind="spreadshet", extra=""))
    with pytest.raises(SourceSpecError) as error:
        load_spec(path)
    message = str(error.value)
    assert str(path) in message and "field `kind`" in message and "'spreadshet'" in message
    assert "spreadsheet" in message  # the choices


def test_options_a_kind_does_not_read_are_rejected_per_kind(tmp_path):
    """A typo under `options:` would be a setting the operator believes in and nothing reads."""
    path = tmp_path / "partner.yml"
    path.write_text(SPEC.format(name="partner", kind="spreadsheet", extra="options: {header_rows: 3, sheets: [A]}\n"))
    with pytest.raises(SourceSpecError, match=r"field `options`: kind 'spreadsheet' has no option\(s\) 'header_rows'"):
        load_spec(path)
    # the same key is fine for the kind that reads it, and a kind's own keys are accepted
    path.write_text(SPEC.format(name="partner", kind="kobo_api", extra="options: {page_size: 100}\n"))
    assert load_spec(path).options == {"page_size": 100}
    path.write_text(SPEC.format(name="partner", kind="spreadsheet", extra="options: {page_size: 100}\n"))
    with pytest.raises(SourceSpecError, match="'page_size'"):
        load_spec(path)


def test_every_option_a_bundled_or_tested_source_sets_is_declared():
    for spec in load_specs(REPO / "sources"):
        assert set(spec.options) <= set(accepted_options(spec.kind)), spec.name


def test_scan_keeps_good_sources_and_reports_each_bad_file(tmp_path):
    (tmp_path / "good.yml").write_text(SPEC.format(name="good", kind="cpj_csv", extra=""))
    (tmp_path / "also_good.yaml").write_text(SPEC.format(name="also_good", kind="cpj_csv", extra=""))
    (tmp_path / "broken.yml").write_text("name: broken\nkind: [unclosed\n")
    (tmp_path / "twice.yml").write_text(SPEC.format(name="twice", kind="cpj_csv", extra=""))
    (tmp_path / "twice.yaml").write_text(SPEC.format(name="twice", kind="cpj_csv", extra=""))
    (tmp_path / "notes.txt").write_text("not a source")
    specs, problems = scan_specs(tmp_path)
    assert [spec.name for spec in specs] == ["also_good", "good"]  # .yaml is read, not ignored
    by_dag = {problem.dag_id: problem for problem in problems}
    assert set(by_dag) == {"ingest_broken", "ingest_twice", "ingest_twice_yml"}  # each fails on its own
    assert "broken.yml: cannot read source YAML" in by_dag["ingest_broken"].message
    assert all("declared by more than one file" in by_dag[dag].message for dag in ("ingest_twice", "ingest_twice_yml"))
    with pytest.raises(SourceSpecError, match=r"broken\.yml"):
        load_specs(tmp_path)  # the strict loader still refuses


def test_a_token_in_an_invalid_value_is_not_repeated(tmp_path):
    path = tmp_path / "api.yml"
    path.write_text(
        SPEC.format(name="api", kind="cpj_csv", extra="schedule: ['https://x.org/a?api_key=s3cr3t-value']\n")
    )
    with pytest.raises(SourceSpecError) as error:
        load_spec(path)
    assert "field `schedule`" in str(error.value) and "s3cr3t-value" not in str(error.value)


def test_a_file_with_keys_that_are_not_names_fails_alone(tmp_path):
    """YAML 1.1 reads `yes:`/`on:` as booleans and `1:` as a number: not a TypeError for everyone."""
    (tmp_path / "good.yml").write_text(SPEC.format(name="good", kind="cpj_csv", extra=""))
    (tmp_path / "odd.yml").write_text(SPEC.format(name="odd", kind="cpj_csv", extra="1: x\non: y\n"))
    specs, problems = scan_specs(tmp_path)
    assert [spec.name for spec in specs] == ["good"]
    assert [problem.dag_id for problem in problems] == ["ingest_odd"] and "odd.yml" in problems[0].message


def test_separators_are_options_only_of_the_kinds_that_split_lists(tmp_path):
    path = tmp_path / "feed.yml"
    path.write_text(SPEC.format(name="feed", kind="cpj_csv", extra="options: {victim_separator: ';'}\n"))
    with pytest.raises(SourceSpecError, match="'victim_separator'"):
        load_spec(path)
    path.write_text(SPEC.format(name="feed", kind="spreadsheet", extra="options: {victim_separator: ';'}\n"))
    assert load_spec(path).options == {"victim_separator": ";"}


def test_victims_from_text_names_text_columns_by_canonical_name_or_header(tmp_path):
    """`victims_from_text` reaches staging as canonical text columns; anything else is a mistake
    named with its file and field, not a source whose victims silently stay unread."""
    from orchestration.dbt import _registry_macro

    path = tmp_path / "events.yml"
    path.write_text(
        "name: events\nkind: uwazi_csv\ndescription: d\nlocation: {path: e.csv}\n"
        "columns: {title: Title, description: Event Description}\n"
        "victims_from_text: [Title, description, Title]\n"
    )
    spec = load_spec(path)
    assert spec.victim_text_columns() == ["title", "description"]
    assert '{"events": ["title", "description"]}' in _registry_macro([spec])

    path.write_text(path.read_text().replace("[Title, description, Title]", "[Victim]"))
    with pytest.raises(SourceSpecError) as error:
        load_spec(path)
    assert "victims_from_text" in str(error.value) and "'Victim'" in str(error.value)
