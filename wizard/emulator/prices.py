"""The Azure Retail Prices API (`GET /api/retail/prices?$filter=...`), a public data plane needing no token.

Azure serves it on its own host (prices.azure.com); the emulator serves it under the same path on its own host
and names it in its cloud metadata (`retailPrices`), so the wizard's cost hints take the same code path against
both. Its price sheet is the one the wizard ships for offline use; the `$filter` grammar is the part the API
documents for exact matches: `field eq 'value'` terms joined by `and`.
"""

import json
import re
from functools import cache
from typing import Any

from wizard.emulator.context import Ctx
from wizard.emulator.wire import Reply
from wizard.resources import asset

PREFIX = "/api/retail/prices"
_ALIASES = {"pricetype": "type"}  # the filter says priceType; the rows call it type, as the API's do
_TERM = re.compile(r"^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$", re.IGNORECASE)


@cache
def _sheet() -> tuple[dict[str, Any], ...]:
    document = json.loads(asset("prices/retail-prices.json").read_text(encoding="utf-8"))
    return tuple({"currencyCode": document["currency"], **item} for item in document["Items"])


def _terms(expression: str) -> list[tuple[str, str]] | None:
    terms = []
    for part in re.split(r"\s+and\s+", expression.strip(), flags=re.IGNORECASE) if expression.strip() else []:
        found = _TERM.match(part)
        if found is None:
            return None
        field = found.group(1).lower()
        terms.append((_ALIASES.get(field, field), found.group(2).replace("''", "'").lower()))
    return terms


def handle(ctx: Ctx) -> Reply:
    """The matching price rows, in the API's envelope (one page: the sheet is small)."""
    if ctx.request.method != "GET":
        return Reply(405, {"Error": {"Code": "MethodNotAllowed", "Message": "Only GET is supported."}})
    terms = _terms(ctx.request.query.get("$filter", ""))
    if terms is None:
        return Reply(400, {"Error": {"Code": "InvalidFilter", "Message": "The $filter expression is not supported."}})
    items = [
        item
        for item in _sheet()
        if all(str({k.lower(): v for k, v in item.items()}.get(field, "")).lower() == value for field, value in terms)
    ]
    body = {
        "BillingCurrency": "USD",
        "CustomerEntityId": "Default",
        "CustomerEntityType": "Retail",
        "Items": items,
        "NextPageLink": None,
        "Count": len(items),
    }
    return Reply(200, body)


def vm_prices(region: str, size: str) -> list[dict[str, Any]]:
    """The hourly consumption rows of a VM size in a region (Linux and Windows, regular and Spot)."""
    return [
        item
        for item in _sheet()
        if item.get("serviceName") == "Virtual Machines"
        and item.get("type") == "Consumption"
        and item.get("armRegionName") == region
        and str(item.get("armSkuName", "")).lower() == size.lower()
    ]


def vm_price_kind(item: dict[str, Any]) -> tuple[str, str]:
    """(osType, vmTier) of a VM price row, as Azure ML's size list names them."""
    os_type = "Windows" if "Windows" in str(item.get("productName", "")) else "Linux"
    spot = any(word in str(item.get("skuName", "")) for word in ("Spot", "Low Priority"))
    return os_type, "LowPriority" if spot else "Standard"
