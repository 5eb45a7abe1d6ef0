"""What the warehouse read of each record, beyond matching: victims, dates, labels.

- Victims named only in text (sources with ``victims_from_text``, the Uwazi export): the order in
  which the warehouse extracts names need not be the truth's, so a report's warehouse mentions are
  aligned to its truth victims **by name** (``align_text_mentions``): every form the record writes
  a victim in (``truth_mentions.victim_name_forms``) against the warehouse mention's
  ``victim_name`` and ``victim_name_original``, compared by ``name_similarity``, pairs of
  similarity >= ``ALIGN_THRESHOLD`` taken best first, one to one. The truth's mention keys are then
  rewritten to the warehouse's positions, so the actor and blocking scores need no special case;
  a truth victim left unaligned gets a negative position (never in the warehouse: a singleton).
- ``victims_read``: per source, victims the files hold vs victims the warehouse has for them.
- ``dates_out_of_range``: events dated before 1900 or after today in the marts (should be 0).
- ``unmapped_labels``: per source, violation labels the crosswalk does not map (``unclassified``).

Name comparison (``name_tokens``): lower case, diacritics dropped, Cyrillic (Russian and the
national letters) transliterated letter by letter, then spelling variants folded (dzh/dj/zh/j ->
j, kh/x/h -> h, q -> k, ye/yo -> e, yu/iu -> u, ya/ia -> a, y -> i, ou -> u, doubled letters
single); ``name_similarity`` is the mean, over the tokens of the shorter name, of each token's best
``difflib`` ratio among the other name's tokens, so order, a dropped patronymic and a typo cost
little while a shared given name alone stays below the threshold.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from typing import Any

ALIGN_THRESHOLD = 0.8
MENTION_TABLES = (("intermediate", "int_victim_mentions"), ("intermediate", "int_mentions"))
CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "j", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "i", "ь": "",
    "э": "e", "ю": "u", "я": "a", "ө": "o", "ү": "u", "ң": "n", "ә": "a", "ғ": "g", "қ": "k", "ұ": "u",
    "һ": "h", "і": "i", "ӣ": "i", "ӯ": "u", "ҳ": "h", "ҷ": "j", "ў": "u", "є": "e", "ї": "i", "ґ": "g",
}  # fmt: skip
FOLDS = (
    ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("x", "h"), ("q", "k"), ("ye", "e"), ("yo", "e"),
    ("yu", "u"), ("iu", "u"), ("ya", "a"), ("ia", "a"), ("ou", "u"), ("tch", "ch"), ("y", "i"), ("w", "v"),
)  # fmt: skip


def name_tokens(text: str) -> list[str]:
    """A name as comparable tokens (see the module docstring)."""
    lowered = "".join(CYRILLIC_TO_LATIN.get(char, char) for char in text.lower())
    plain = "".join(c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c))
    plain = re.sub(r"[^a-z\s,.-]", "", plain.replace("'", "").replace("ʻ", ""))
    tokens = []
    for token in re.split(r"[\s,.-]+", plain):
        for old, new in FOLDS:
            token = token.replace(old, new)
        token = re.sub(r"(.)\1+", r"\1", token)
        if len(token) > 1:
            tokens.append(token)
    return tokens


def name_similarity(left: str, right: str) -> float:
    a, b = name_tokens(left), name_tokens(right)
    if not a or not b:
        return 0.0
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    best = [max(difflib.SequenceMatcher(None, token, other).ratio() for other in longer) for token in shorter]
    return sum(best) / len(best)


def _mention_table(warehouse: Any) -> tuple[str, str] | None:
    for table in MENTION_TABLES:
        if warehouse.has(*table, "source_name", "source_record_id", "victim_position", "victim_name"):
            return table
    return None


def warehouse_victims(warehouse: Any, sources: list[str]) -> dict[str, list[tuple[int, list[str], str]]] | None:
    """report_id -> [(victim_position, [names], origin)] of the mentions with a name, or None."""
    table = _mention_table(warehouse)
    if table is None:
        return None
    columns = warehouse.columns(*table)
    original = "victim_name_original" if "victim_name_original" in columns else "cast(null as varchar)"
    origin = "victim_name_origin" if "victim_name_origin" in columns else "cast(null as varchar)"
    placeholders = ", ".join("?" for _ in sources) or "null"
    rows = warehouse.con.execute(
        f"select distinct source_name, source_record_id, cast(victim_position as integer), victim_name, "
        f"{original}, {origin} from {warehouse.ref(*table)} where source_name in ({placeholders}) "
        "and coalesce(victim_name, " + original + ") is not null",
        sources,
    ).fetchall()
    found: dict[str, list[tuple[int, list[str], str]]] = defaultdict(list)
    for source, record, position, name, name_original, name_origin in rows:
        names = [value for value in (name, name_original) if value]
        found[f"{source}:{record}"].append((position, names, name_origin or ""))
    return found


def _align(truth_forms: dict[int, tuple[str, ...]], found: list[tuple[int, list[str], str]]) -> dict[int, int]:
    """truth position -> warehouse position, best pairs first, one to one."""
    pairs = []
    for truth_position, forms in truth_forms.items():
        for position, names, _ in found:
            best = max((name_similarity(form, name) for form in forms for name in names), default=0.0)
            if best >= ALIGN_THRESHOLD:
                pairs.append((best, truth_position, position))
    aligned: dict[int, int] = {}
    used: set[int] = set()
    for _, truth_position, position in sorted(pairs, key=lambda pair: (-pair[0], pair[1], pair[2])):
        if truth_position not in aligned and position not in used:
            aligned[truth_position] = position
            used.add(position)
    return aligned


def align_text_mentions(warehouse: Any, truth: Any) -> dict | None:
    """Rewrite ``truth.mentions`` of text sources to the warehouse's positions; per source, how
    many records name a victim, how many of those got at least one (and one right) victim
    extracted, and how many extracted names are wrong (match no victim of the record)."""
    sources = sorted(truth.text_sources)
    if not sources:
        return {}
    found = warehouse_victims(warehouse, sources)
    if found is None:
        return None
    by_report: dict[str, dict[int, tuple[str, ...]]] = defaultdict(dict)
    for (report, position), forms in truth.names.items():
        if report.split(":", 1)[0] in truth.text_sources:
            by_report[report][position] = forms
    stats: dict[str, dict[str, int]] = {
        source: dict.fromkeys(("records", "naming", "extracted", "extracted_right", "victims", "aligned",
                               "names_extracted", "names_wrong", "from_text"), 0)
        for source in sources
    }  # fmt: skip
    rewritten = {key: actor for key, actor in truth.mentions.items() if key[0] not in by_report}
    for report in (r for r in truth.reports if r.split(":", 1)[0] in truth.text_sources):
        block = stats[report.split(":", 1)[0]]
        forms, extracted = by_report.get(report, {}), found.get(report, [])
        aligned = _align(forms, extracted)
        block["records"] += 1
        block["naming"] += bool(forms)
        block["extracted"] += bool(forms) and bool(extracted)
        block["extracted_right"] += bool(aligned)
        block["victims"] += len(forms)
        block["aligned"] += len(aligned)
        block["names_extracted"] += len(extracted)
        block["names_wrong"] += len(extracted) - len(aligned)
        block["from_text"] += sum(1 for _, _, origin in extracted if origin == "text")
        for position in forms:
            target = aligned.get(position, -position)
            rewritten[(report, target)] = truth.mentions[(report, position)]
    truth.mentions = rewritten
    return stats


def victims_read(warehouse: Any, truth: Any) -> dict[str, dict[str, int]] | None:
    """Per source: victims in the files (truth mentions) and those the warehouse has (a named
    mention at the truth's position, after ``align_text_mentions`` for text sources)."""
    sources = sorted({report.split(":", 1)[0] for report in truth.reports})
    found = warehouse_victims(warehouse, sources)
    if found is None:
        return None
    positions = {(report, position) for report, victims in found.items() for position, _, _ in victims}
    result: dict[str, dict[str, int]] = {source: {"present": 0, "read": 0} for source in sources}
    for report, position in truth.mentions:
        block = result[report.split(":", 1)[0]]
        block["present"] += 1
        block["read"] += (report, position) in positions
    return result


def dates_out_of_range(warehouse: Any) -> int | None:
    """Events of the marts dated before 1900 or after today (the run date)."""
    if not warehouse.has("marts", "dim_event", "event_date"):
        return None
    return warehouse.con.execute(
        f"select count(*) from {warehouse.ref('marts', 'dim_event')} "
        "where event_date < date '1900-01-01' or event_date > current_date"
    ).fetchone()[0]


def unmapped_labels(warehouse: Any) -> dict[str, dict] | None:
    """Per source: violation rows the crosswalk left ``unclassified`` (with a label; reports without
    any label counted apart) and the most frequent such labels."""
    table = ("intermediate", "int_report_violations")
    if not warehouse.has(*table, "report_id", "violation_type_code"):
        return None
    columns = warehouse.columns(*table)
    label = next((name for name in ("source_labels", "source_label") if name in columns), "cast(null as varchar)")
    rows = warehouse.con.execute(
        f"select split_part(report_id, ':', 1), {label}, count(*) from {warehouse.ref(*table)} "
        "where violation_type_code = 'unclassified' group by all order by 3 desc, 2"
    ).fetchall()
    result: dict[str, dict] = {}
    for source, source_label, count in rows:
        block = result.setdefault(source, {"rows": 0, "without_label": 0, "labels": []})
        if source_label is None:
            block["without_label"] += count
        else:
            block["rows"] += count
            block["labels"].append((source_label, count))
    return result


def format_checks(result: dict) -> list[str]:
    lines = []
    text = result.get("text_victims")
    if text is None:
        lines.append("victims from text: n/a (no mention table with victim names)")
    for source, block in sorted((text or {}).items()):
        naming = block["naming"]
        share = block["extracted"] / naming if naming else float("nan")
        right = block["extracted_right"] / naming if naming else float("nan")
        lines.append(
            f"victims from text, {source}: {block['extracted']}/{naming} records naming a victim have one "
            f"extracted ({share:.3f}; one right {right:.3f}); {block['aligned']}/{block['victims']} victims "
            f"found; {block['names_wrong']} of {block['names_extracted']} extracted names wrong "
            f"({block['from_text']} extracted with victim_name_origin 'text')"
        )
    read = result.get("victims_read")
    if read is None:
        lines.append("victims read: n/a")
    for source, block in sorted((read or {}).items()):
        kind = result.get("source_kinds", {}).get(source, "")
        lines.append(f"victims read, {source} ({kind}): {block['read']} of {block['present']} present")
    dates = result.get("dates_out_of_range")
    lines.append(f"event dates outside 1900..today in marts.dim_event: {'n/a' if dates is None else dates}")
    unmapped = result.get("unmapped_labels")
    if unmapped is None:
        lines.append("unmapped violation labels: n/a (intermediate.int_report_violations missing)")
    for source, block in sorted((unmapped or {}).items()):
        top = ", ".join(f"{label!r} x{count}" for label, count in block["labels"][:4])
        lines.append(
            f"unmapped violation labels, {source}: {block['rows']} rows ({top}); "
            f"{block['without_label']} reports without a label"
        )
    return lines
