"""Cost hints: list prices per resource from the Retail Prices API (the emulator serves it), offline from the
shipped table, and the resources that cost only when used said so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from tests.cli.conftest import DEMO_ANSWERS, wizard
from wizard import answers as answer_files
from wizard import costs
from wizard.azure.clouds import AZURE_PUBLIC
from wizard.connect import EmulatorEndpoint, emulator_connection
from wizard.emulator import DEMO, Emulator


@pytest.fixture
def emulator(tmp_path: Path):
    emulator = Emulator(tmp_path / "emulator", latency_scale=0.01).start()
    yield emulator
    emulator.stop()


def test_the_emulator_serves_the_retail_prices_api_without_a_token(emulator):
    url = emulator_connection(EmulatorEndpoint(**emulator.endpoint()), DEMO.subscription_id).cloud.retail_prices
    assert url == f"{emulator.url}/api/retail/prices"
    found = requests.get(
        url,
        params={
            "$filter": costs.Meter(
                (("serviceName", "Virtual Machines"), ("armSkuName", "Standard_D4s_v5")), True
            ).filter("eastus")
        },
        verify=emulator.ca_path,
        timeout=5,
    ).json()
    assert found["Count"] == len(found["Items"]) == 3  # Linux, Windows, Spot
    assert {item["unitOfMeasure"] for item in found["Items"]} == {"1 Hour"}
    refused = requests.get(url, params={"$filter": "serviceName ne 'x'"}, verify=emulator.ca_path, timeout=5)
    assert refused.status_code == 400


def test_estimates_come_from_the_api_and_say_what_only_costs_when_used(emulator):
    cloud = emulator_connection(EmulatorEndpoint(**emulator.endpoint()), DEMO.subscription_id).cloud
    answers = answer_files.load(DEMO_ANSWERS)
    found = {e.step: e for e in costs.estimates(["dsvm", "cpu-cluster", "workspace", "dsvm-public-ip"], answers, cloud)}
    assert found["dsvm"].source == costs.API
    assert found["dsvm"].monthly == pytest.approx(0.192 * 730)  # the Linux row, not Windows or Spot
    assert found["cpu-cluster"].monthly is None and "only when used" in found["cpu-cluster"].describe()
    assert "0 nodes when idle" in found["cpu-cluster"].describe()
    assert found["workspace"].describe() == "no charge of its own"
    windows = answers.model_copy(update={"vm_os": answer_files.VmOs.WINDOWS})
    assert costs.estimates(["dsvm"], windows, cloud)[0].monthly == pytest.approx(0.376 * 730)
    assert costs.total(found.values()) == pytest.approx((0.192 + 0.005) * 730)


def test_offline_the_shipped_table_is_used_and_its_date_shown():
    unreachable = AZURE_PUBLIC.__class__(
        **{**AZURE_PUBLIC.__dict__, "retail_prices": "https://127.0.0.1:9/api/retail/prices"}
    )
    answers = answer_files.load(DEMO_ANSWERS)
    [dsvm] = costs.estimates(["dsvm"], answers, unreachable)
    [elsewhere] = costs.estimates(["dsvm"], answers.model_copy(update={"region": "brazilsouth"}), unreachable)
    as_of = json.loads((Path(costs.__file__).parents[1] / "assets" / costs.SHEET).read_text())["as_of"]
    assert dsvm.source == f"the shipped price table of {as_of}"
    assert dsvm.monthly == pytest.approx(0.192 * 730)
    assert elsewhere.monthly is None and "no price known for brazilsouth" in elsewhere.describe()


def test_plan_shows_a_cost_per_resource_and_a_total_estimate(tmp_path: Path):
    from tests.cli.conftest import start_emulator

    standalone = start_emulator(tmp_path / "standalone", latency_scale=0.05)
    try:
        args = ("plan", "--answers", str(DEMO_ANSWERS), "--emulator", str(standalone.state_dir))
        report = json.loads(wizard(*args, "--json").stdout)
        text = wizard(*args).stdout
    finally:
        standalone.process.terminate()
        standalone.process.wait(10)
    assert all("cost" in step for step in report["steps"])
    assert report["monthly_estimate_usd"] == pytest.approx(round((0.192 + 0.005) * 730, 2))
    assert report["price_source"] == costs.API
    assert "an estimate, not a bill" in text and "cost: ~$140.16/month" in text


def test_the_review_screen_hint_lists_each_priced_resource_and_what_costs_only_when_used():
    from screens.plan_text import cost_hint
    from wizard import plan as planning

    hint = cost_hint(planning.build(answer_files.load(DEMO_ANSWERS)))
    assert "~$144/month" in hint and "Data Science VM ~$140.16" in hint and "not a bill" in hint
    used = hint.split("Only when used:")[1]
    assert "CPU compute cluster" in used and "0 nodes when idle" in used and "Storage account" in used
