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


@pytest.mark.parametrize(
    "source",
    [
        "0.0.0.0/0",
        "0.0.0.0",
        "127.0.0.1",
        "224.0.0.1",
        "255.255.255.255",
        "10.0.0.0/8",
        "192.168.1.0/24",
        "100.64.0.1",
        "169.254.169.254",
        "0.0.0.0/1",
        "8.8.8.8/33",
    ],
)
def test_the_firewall_source_must_be_public_unicast(source):
    with pytest.raises(AnswersError) as raised:
        parse({**VALID, "allowed_source_ip": source})
    [line] = raised.value.problems
    assert line.startswith(f"allowed_source_ip: {source!r} is not valid") and "public IPv4 address" in line


@pytest.mark.parametrize("source", ["8.8.8.8", "20.30.0.0/16", "*", "198.51.100.23", "203.0.113.0/24"])
def test_public_addresses_documentation_networks_and_an_explicit_anywhere_are_accepted(source):
    assert parse({**VALID, "allowed_source_ip": source}).allowed_source_ip == source


def test_only_an_explicit_anywhere_carries_the_review_warning():
    assert "whole internet" in parse({**VALID, "allowed_source_ip": "*"}).open_to_anywhere_warning
    assert parse({**VALID, "allowed_source_ip": "8.8.8.8"}).open_to_anywhere_warning is None


@pytest.mark.parametrize("zone", ["Bearer Standard Time", "Mars Standard Time", "Europe/Paris", "utc"])
def test_auto_shutdown_time_zone_must_be_a_real_windows_zone(zone):
    assert "Windows time zone id" in check_field("auto_shutdown_time_zone", zone)


@pytest.mark.parametrize("zone", ["UTC", "W. Europe Standard Time", "Pacific Standard Time", "Tokyo Standard Time"])
def test_real_windows_zones_are_accepted(zone):
    assert check_field("auto_shutdown_time_zone", zone) is None
