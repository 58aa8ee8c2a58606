"""Answers: a bad value gets one line naming the field, the value and the rule."""

from pathlib import Path

import pytest

from wizard.answers import AnswersError, check_field, load, parse

VALID = {
    "subscription_id": "00000000-0000-0000-0000-000000000001",
    "region": "East US 2",
    "resource_group": "rg-scoring",
    "prefix": "score",
}


def test_valid_answers_are_normalized_and_defaulted():
    answers = parse(VALID)
    assert answers.region == "eastus2"
    assert answers.vm_os == "linux"
    assert answers.effective_vm_size.startswith("Standard_")


@pytest.mark.parametrize(
    ("field", "value", "rule_fragment"),
    [
        ("resource_group", "bad name!", "1-90 characters"),
        ("resource_group", "ends.with.dot.", "not ending in '.'"),
        ("resource_group", "x" * 91, "1-90 characters"),
        ("prefix", "Demo", "lowercase"),
        ("subscription_id", "not-a-guid", "GUID"),
        ("region", "atlantis", "not a region of AzureCloud"),
        ("admin_username", "admin", "reserved name"),
        ("vm_size", "D4s_v5", "Standard_"),
        ("auto_shutdown", "25:00", "24-hour time"),
    ],
)
def test_each_bad_value_gets_one_line_with_field_value_and_rule(field, value, rule_fragment):
    with pytest.raises(AnswersError) as caught:
        parse({**VALID, field: value})
    (line,) = caught.value.problems
    assert rule_fragment in line
    if field != "region":
        assert line.startswith(f"{field}: {value!r}")


def test_region_is_checked_against_the_chosen_cloud():
    assert parse({**VALID, "cloud": "AzureChinaCloud", "region": "chinaeast2"}).region == "chinaeast2"
    with pytest.raises(AnswersError, match="not a region of AzureChinaCloud"):
        parse({**VALID, "cloud": "AzureChinaCloud", "region": "eastus"})


def test_unknown_and_missing_answers_are_named():
    with pytest.raises(AnswersError) as caught:
        parse({"subscription_id": VALID["subscription_id"], "regoin": "eastus"})
    problems = "\n".join(caught.value.problems)
    assert "regoin: not a known answer" in problems
    assert "resource_group: missing" in problems


def test_check_field_validates_one_value_as_the_user_types():
    assert check_field("resource_group", "bad name!")
    assert check_field("resource_group", "rg-ok") is None
    assert check_field("region", "westeurope") is None
    assert "AzureUSGovernment" in check_field("region", "westeurope", cloud="AzureUSGovernment")


def test_answers_round_trip_through_toml(tmp_path: Path):
    answers = parse(
        {**VALID, "vm_os": "windows", "scheduler": "datafactory", "recurrence": {"frequency": "Hour", "interval": 6}}
    )
    path = tmp_path / "answers.toml"
    path.write_text(answers.to_toml())
    assert load(path) == answers


def test_broken_toml_is_reported_not_raised(tmp_path: Path):
    path = tmp_path / "answers.toml"
    path.write_text("region = [unterminated")
    with pytest.raises(AnswersError, match="not valid TOML"):
        load(path)


def test_example_answers_files_are_valid():
    examples = sorted(Path(__file__).resolve().parents[2].joinpath("examples").glob("*.toml"))
    assert examples
    for example in examples:
        load(example)
