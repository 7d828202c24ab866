"""Every row of every vocabulary file does what it says on its own real example.

A row without a working example is a rule nobody can check; these tests fail when a
row is added without one or when an edit breaks an existing row.
"""
from __future__ import annotations

import re

import pytest

from councilpapers.extractors import _meetings, _people
from councilpapers.extractors._decisions import item_kind, lead_in_of
from councilpapers.extractors._decisions import opener_kind
from councilpapers.normalise.dates import parse_uk_date
from councilpapers.normalise.vote import parse_vote
from councilpapers.structure import _runin_cuts, field_of
from councilpapers.vocab import patterns, rows


def _ids(name: str, key: str) -> list[str]:
    return [f"{n}-{r[key][:30]}" for n, r in enumerate(rows(name))]


def test_every_vocabulary_row_has_an_example():
    for name in ("lead_ins", "item_verbs", "fields", "meeting_forms", "person_titles", "person_roles", "divisions",
                 "vote_phrases", "decision_openers", "outcomes", "doc_kinds", "plan_measures", "plan_attributes",
                 "service_areas", "standings"):
        for row in rows(name):
            assert row.get("example"), f"{name}.csv row {row} has no example"


@pytest.mark.parametrize("row", rows("lead_ins"), ids=_ids("lead_ins", "name"))
def test_lead_in_row_reads_its_example(row):
    if row["group"] == "recommendations":
        from councilpapers.extractors._decisions import RECS_HEADING_RE
        assert RECS_HEADING_RE.match(row["example"])
        return
    lead = lead_in_of(row["example"])
    assert lead is not None, row["example"]
    assert lead.name == row["name"], f"{row['example']!r} was read by {lead.name}, not {row['name']}"
    if row["vote"]:
        assert lead.vote == row["vote"]


@pytest.mark.parametrize("row", rows("item_verbs"), ids=_ids("item_verbs", "kind"))
def test_item_verb_row_names_its_kind(row):
    assert item_kind(row["example"], "decided", neutral=True) == row["kind"]


@pytest.mark.parametrize("row", rows("fields"), ids=_ids("fields", "label"))
def test_field_row_reads_its_example(row):
    text = row["example"]
    if row["runin"] == "yes" and not field_of(text):
        # printed inside a line: the structure pass cuts the line where the field starts
        cuts = _runin_cuts(text)
        assert cuts, text
        text = text[cuts[-1]:].strip()
    found = field_of(text)
    assert found is not None and found[0] == row["holds"], (text, found)


@pytest.mark.parametrize("row", rows("meeting_forms"), ids=_ids("meeting_forms", "name"))
def test_meeting_form_row_reads_its_example(row):
    (rx, _r), = [(rx, r) for rx, r in patterns("meeting_forms") if r["name"] == row["name"]]
    m = rx.search(row["example"])
    assert m, row["example"]
    body = m.group("body") + (" " + m.group("body2") if "body2" in m.groupdict() and m.group("body2") else "")
    assert _meetings.good_body(_meetings.strip_prefix(body)) == row["expect_body"]
    assert str(parse_uk_date(m.group("date"))) == row["expect_date"]


@pytest.mark.parametrize("row", rows("person_titles"), ids=_ids("person_titles", "title"))
def test_title_row_titles_a_name(row):
    found = _people.titled_people(row["example"])
    assert found, row["example"]
    assert re.search(rf"(?:^|\s)(?:{row['title']})(?:\s|$)", found[0][4]), found


@pytest.mark.parametrize("row", rows("person_roles"), ids=_ids("person_roles", "head"))
def test_role_row_starts_a_role(row):
    assert re.search(rf"(?:{row['head']})\b", row["example"])


@pytest.mark.parametrize("row", rows("divisions"), ids=_ids("divisions", "side"))
def test_division_row_reads_its_side_and_count(row):
    m = re.match(rf"^(?:{row['pattern']})\s*\(\s*(?P<n>\d{{1,3}})\s*\)", row["example"])
    assert m and m.group("n").isdigit()


@pytest.mark.parametrize("row", rows("vote_phrases"), ids=_ids("vote_phrases", "vote"))
def test_vote_phrase_row_gives_its_vote(row):
    assert parse_vote(row["example"]) == row["vote"]


@pytest.mark.parametrize("row", rows("decision_openers"), ids=_ids("decision_openers", "pattern"))
def test_decision_opener_row_opens_its_example(row):
    assert opener_kind(row["example"]) is not None


@pytest.mark.parametrize("row", rows("outcomes"), ids=_ids("outcomes", "pattern"))
def test_outcome_row_reads_its_example(row):
    assert any(rx.match(row["example"]) for rx, r in patterns("outcomes") if r is row)


@pytest.mark.parametrize("row", rows("doc_kinds"), ids=_ids("doc_kinds", "order"))
def test_doc_kind_row_matches_its_example(row):
    rx = re.compile(row["pattern"])
    assert rx.search(row["example"]) or row["scope"] == "field" and rx.match(row["example"].split(":")[0].lower())


@pytest.mark.parametrize("row", rows("plan_measures"), ids=_ids("plan_measures", "measure"))
def test_plan_measure_row_reads_its_example(row):
    from councilpapers.plans.columns import header_measure, table_measure
    got = header_measure(row["example"]) if row["applies"] == "header" else table_measure(row["example"])
    assert got == row["measure"], row["example"]


@pytest.mark.parametrize("row", rows("plan_attributes"), ids=_ids("plan_attributes", "attribute"))
def test_plan_attribute_row_reads_its_example(row):
    from councilpapers.plans.columns import attribute_of
    assert attribute_of(row["example"]) == row["attribute"]


@pytest.mark.parametrize("row", rows("service_areas"), ids=_ids("service_areas", "service_area"))
def test_service_area_row_maps_its_example(row):
    from councilpapers.normalise.services import service_area
    assert row["source"], "every mapping says where it comes from"
    assert service_area(row["example"]) == row["service_area"], row["example"]


@pytest.mark.parametrize("row", rows("standings"), ids=_ids("standings", "standing"))
def test_standing_row_reads_its_example(row):
    from councilpapers.standing import standing_of
    assert standing_of(row["example"]) == row["standing"], row["example"]
