"""Monthly cost hints per resource, from the public Azure Retail Prices API, with a shipped table offline.

A newcomer's first question after "what will it make" is "what will it cost". The API needs no sign-in and
answers per meter (`$filter` on service, region and SKU); the wizard asks it once per meter and process, and when
it cannot be reached uses the price sheet shipped in assets/prices/ (its date is shown). These are list prices
before any discount or tax, in USD: an estimate, never a bill. Resources that cost only while used (a cluster
with minimum 0 nodes, consumption plans, storage per GB) show their unit price instead of a monthly sum.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from wizard.answers import Answers, VmOs
from wizard.azure.clouds import Cloud
from wizard.resources import asset

HOURS_PER_MONTH = 730.0
SHEET = "prices/retail-prices.json"
API = "the Azure Retail Prices API"


@dataclass(frozen=True)
class Meter:
    """One priced meter: the API's exact-match fields, and how a month of it is counted."""

    terms: tuple[tuple[str, str], ...]
    always_on: bool  # True: runs all month (hourly price x 730 hours); False: priced per unit of use
    usage: str = ""  # for usage meters: what is counted, as the user should read it
    windows: bool = False  # VM meters: the Windows product, else the Linux one

    def filter(self, region: str) -> str:
        terms = (*self.terms, ("armRegionName", region), ("priceType", "Consumption"))
        return " and ".join(f"{field} eq '{value}'" for field, value in terms)

    def pick(self, items: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
        """The pay-as-you-go row: not Spot or Low Priority, and the Windows product only for Windows."""
        for item in items:
            sku, product = str(item.get("skuName", "")), str(item.get("productName", ""))
            if "Spot" in sku or "Low Priority" in sku or ("Windows" in product) != self.windows:
                continue
            return item
        return None


@dataclass(frozen=True)
class Estimate:
    step: str
    monthly: float | None  # USD a month if it runs all month; None for usage-priced or unknown
    unit_price: float | None
    unit: str
    note: str
    source: str  # API or "the shipped price table of <date>"

    def describe(self) -> str:
        if self.unit_price is None:
            return self.note
        if self.monthly is not None:
            return f"~${self.monthly:,.2f}/month" + (f" ({self.note})" if self.note else "")
        return f"${self.unit_price:g} per {self.unit}, only when used ({self.note})"


def _vm(size: str, *, windows: bool = False, usage: str = "") -> Meter:
    return Meter((("serviceName", "Virtual Machines"), ("armSkuName", size)), not usage, usage, windows)


# What each step's resource is billed by; steps not named here have no charge of their own (networks, NICs, the
# workspace, endpoints, role assignments, schedules).
METERS: dict[str, Callable[[Answers], Meter]] = {
    "dsvm": lambda a: _vm(a.effective_vm_size, windows=a.vm_os is VmOs.WINDOWS),
    "dsvm-public-ip": lambda a: Meter(
        (("serviceName", "Virtual Network"), ("meterName", "Standard IPv4 Static Public IP")), True
    ),
    "storage-account": lambda a: Meter(
        (("serviceName", "Storage"), ("meterName", "Hot LRS Data Stored")), False, "data stored"
    ),
    "key-vault": lambda a: Meter((("serviceName", "Key Vault"), ("meterName", "Operations")), False, "operations"),
    "log-analytics": lambda a: Meter(
        (("serviceName", "Log Analytics"), ("meterName", "Pay-as-you-go Data Ingestion")), False, "logs ingested"
    ),
    "cpu-cluster": lambda a: _vm(a.cluster_vm_size, usage=f"node-hour; 0 nodes when idle, up to {a.cluster_max_nodes}"),
    "gpu-cluster": lambda a: _vm(
        a.gpu_cluster_vm_size, usage=f"node-hour; 0 nodes when idle, up to {a.cluster_max_nodes}"
    ),
    "datafactory": lambda a: Meter(
        (("serviceName", "Azure Data Factory v2"), ("meterName", "Cloud Orchestration Activity Run")),
        False,
        "activity runs",
    ),
    "logicapps": lambda a: Meter(
        (("serviceName", "Logic Apps"), ("meterName", "Consumption Built-in Actions")), False, "action runs"
    ),
}


@cache
def _shipped() -> tuple[str, tuple[dict[str, Any], ...]]:
    document = json.loads(asset(SHEET).read_text(encoding="utf-8"))
    return str(document["as_of"]), tuple(document["Items"])


def _matches(item: dict[str, Any], filter_terms: dict[str, str]) -> bool:
    return all(str(item.get(field, "")).lower() == value.lower() for field, value in filter_terms.items())


class Prices:
    """Price rows per meter filter: from the API (cached for the process), else from the shipped table."""

    def __init__(self, cloud: Cloud | None, timeout: float = 10.0):
        """`cloud` None: the shipped table only (a screen being drawn must not wait for the network)."""
        self.cloud, self.timeout = cloud, timeout
        self._cache: dict[str, tuple[list[dict[str, Any]], str]] = {}
        self.offline = cloud is None  # also set after a failure: one slow timeout per run, not one per meter

    def rows(self, meter: Meter, region: str) -> tuple[list[dict[str, Any]], str]:
        expression = meter.filter(region)
        if expression not in self._cache:
            fetched = None if self.offline else self._fetch(expression)
            self._cache[expression] = fetched or self._fallback(meter, region)
        return self._cache[expression]

    def _fetch(self, expression: str) -> tuple[list[dict[str, Any]], str] | None:
        import requests

        assert self.cloud is not None
        items: list[dict[str, Any]] = []
        url: str | None = self.cloud.retail_prices
        params: dict[str, str] | None = {"$filter": expression}
        try:
            while url:
                answer = requests.get(url, params=params, timeout=self.timeout, verify=self.cloud.connection_verify)
                answer.raise_for_status()
                page = answer.json()
                items.extend(page.get("Items") or [])
                url, params = page.get("NextPageLink"), None
        except (requests.RequestException, ValueError):
            self.offline = True
            return None
        return items, API

    def _fallback(self, meter: Meter, region: str) -> tuple[list[dict[str, Any]], str]:
        as_of, items = _shipped()
        terms = dict(meter.terms) | {"armRegionName": region}
        return [item for item in items if _matches(item, terms)], f"the shipped price table of {as_of}"


def estimate(step: str, answers: Answers, prices: Prices) -> Estimate:
    """The step's cost hint; "no charge of its own" for steps without a meter."""
    make = METERS.get(step)
    if make is None:
        return Estimate(step, 0.0, None, "", "no charge of its own", "")
    meter = make(answers)
    items, source = prices.rows(meter, answers.region)
    item = meter.pick(items)
    if item is None:
        return Estimate(step, None, None, "", f"no price known for {answers.region} ({source})", source)
    price, unit = float(item.get("retailPrice") or 0.0), str(item.get("unitOfMeasure") or "")
    if meter.always_on:
        return Estimate(step, price * HOURS_PER_MONTH, price, unit, "if it runs all month", source)
    return Estimate(step, None, price, unit, meter.usage, source)


def estimates(steps: Iterable[str], answers: Answers, cloud: Cloud | None) -> list[Estimate]:
    prices = Prices(cloud)
    return [estimate(step, answers, prices) for step in steps]


def total(found: Iterable[Estimate]) -> float:
    """The monthly sum of what runs all month; usage-priced resources come on top, as used."""
    return sum(item.monthly or 0.0 for item in found)
