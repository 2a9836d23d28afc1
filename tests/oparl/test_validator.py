"""The OParl validator itself, on the spec's own examples: what is right passes, and each broken rule is reported,
so the API tests cannot pass because the validator passes everything. No database."""

import copy
import json

import pytest

from tests.oparl.validator import EXAMPLES_DIR, registry, validate_object


def example(name: str) -> dict:
    return json.loads((EXAMPLES_DIR / f"{name}-01.json").read_text(encoding="utf-8"))


GOOD = ["System", "File", "Location", "Organization", "Paper", "Person"]


@pytest.mark.parametrize("name", GOOD)
def test_the_specs_examples_pass(name):
    assert validate_object(example(name)) == []


def test_the_specs_own_body_and_meeting_examples_break_rules_of_1_1_and_are_told_so():
    """The examples predate two rules of the released 1.1: the Body example has no legislativeTermList, the Meeting
    example's agenda items have no order."""
    assert validate_object(example("Body")) == [
        "https://oparl.example.org/body/0: Body without the list link 'legislativeTermList' (mandatory in OParl 1.1)"
    ]
    assert validate_object(example("Meeting")) == [
        "https://oparl.example.org/meeting/281.agendaItem[0]: 'order' is a required property"
    ]


def fixed_body() -> dict:
    body = example("Body")
    body["legislativeTermList"] = "https://oparl.example.org/body/0/terms/"
    return body


def fixed_meeting() -> dict:
    meeting = example("Meeting")
    for i, item in enumerate(meeting["agendaItem"]):
        item["order"] = i + 1
    return meeting


def test_the_fixed_body_and_meeting_pass():
    assert validate_object(fixed_body()) == []
    assert validate_object(fixed_meeting()) == []


def test_body_main_organization_is_a_url_despite_the_schemas_bogus_ref():
    body = fixed_body()
    body["mainOrganization"] = "https://oparl.example.org/organization/1"
    assert validate_object(body) == []
    resolved = registry().resolver().lookup("https://schema.oparl.org/1.1/Body.json").contents
    assert "$ref" not in resolved["properties"]["mainOrganization"]


# (what to break, the object, the path to the field, the new value or DELETE, the expected message's tail)
DELETE = object()
BROKEN = [
    ("Z date-time", "File", ["created"], "2013-01-04T07:54:13Z", "is not a date-time of the form"),
    ("fraction", "File", ["modified"], "2013-01-04T07:54:13.5+01:00", "is not a date-time of the form"),
    ("no offset", "Person", ["created"], "2013-01-04T07:54:13", "is not a date-time of the form"),
    ("impossible date-time", "Person", ["created"], "2013-02-30T07:54:13+01:00", "is not a date-time of the form"),
    ("date-time as date", "File", ["date"], "2013-01-04T00:00:00+01:00", "is not a date of the form yyyy-mm-dd"),
    ("null", "Paper", ["reference"], None, "null (leave out a field without a value)"),
    ("null mandatory", "System", ["body"], None, "None is not of type 'string'"),
    ("empty string", "Organization", ["shortName"], "", "empty str"),
    ("empty list", "Paper", ["relatedPaper"], [], "empty list"),
    ("missing modified", "Organization", ["modified"], DELETE, "without 'modified'"),
    ("missing created", "Location", ["created"], DELETE, "without 'created'"),
    ("missing mandatory", "System", ["oparlVersion"], DELETE, "'oparlVersion' is a required property"),
    ("wrong type", "File", ["size"], "82930", "'82930' is not of type 'integer'"),
    ("relative url", "File", ["accessUrl"], "/files/57737.pdf", "is not an absolute URL"),
    ("unknown field", "Person", ["emailAddress"], "a@b.dk", "has no field 'emailAddress'"),
    ("embedded Z", "Meeting", ["invitation", "created"], "2012-01-06T12:01:00Z", "is not a date-time of the form"),
    ("embedded null", "Meeting", ["agendaItem", 0, "result"], None, "null"),
    ("embedded missing", "Meeting", ["location", "modified"], DELETE, "without 'modified'"),
    ("embedded in embedded", "Paper", ["consultation", 0, "created"], "2013-01-04T07:54Z", "is not a date-time"),
    ("deep file", "Paper", ["mainFile", "modified"], "2013-01-04", "is not a date-time"),
    ("embedded wrong type", "Paper", ["mainFile", "type"], "https://schema.oparl.org/1.1/Paper", "expected"),
    ("Body list", "Body", ["agendaItem"], DELETE, "without the list link 'agendaItem'"),
    ("Body list", "Body", ["membership"], DELETE, "without the list link 'membership'"),
    ("null in list", "Person", ["status"], ["Ratsherr", None], "status[1]: null in a list"),
]


def load_fixed(name: str) -> dict:
    return {"Body": fixed_body, "Meeting": fixed_meeting}.get(name, lambda: example(name))()


@pytest.mark.parametrize(("what", "name", "path", "value", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_each_broken_rule_is_reported(what, name, path, value, message):
    obj = copy.deepcopy(load_fixed(name))
    assert validate_object(obj) == []
    target = obj
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    errors = validate_object(obj)
    assert errors, f"{what}: no error reported"
    assert any(message in e for e in errors), errors
    assert all(e.startswith(obj["id"]) for e in errors)


def test_a_deleted_object_carries_only_id_type_created_modified_and_deleted():
    deleted = {
        "id": "https://oparl.example.org/files/57737",
        "type": "https://schema.oparl.org/1.1/File",
        "created": "2013-01-04T07:54:13+01:00",
        "modified": "2014-01-04T07:54:13+01:00",
        "deleted": True,
    }
    assert validate_object(deleted) == []
    assert validate_object({k: v for k, v in deleted.items() if k != "created"}) == []
    assert validate_object({**deleted, "name": "Anlage 1"}) == [
        "https://oparl.example.org/files/57737: deleted object still has name "
        "(only created, deleted, id, modified, type)"
    ]
    assert "without 'modified'" in validate_object({k: v for k, v in deleted.items() if k != "modified"})[0]
    assert "is not a date-time" in validate_object({**deleted, "modified": "2014-01-04T06:54:13Z"})[0]


def test_an_unknown_type_is_reported():
    assert validate_object({"id": "https://x.example/1", "type": "https://schema.oparl.org/1.0/Meeting"}) == [
        "https://x.example/1: unknown type 'https://schema.oparl.org/1.0/Meeting' (expected "
        "https://schema.oparl.org/1.1/<Object>)"
    ]


def test_vendor_extensions_with_a_prefix_are_allowed():
    assert validate_object({**example("Person"), "gentofte:seatGroup": "C+V"}) == []
