"""The caller's public IP address, so the VM's firewall opens SSH or RDP to this person only.

A public echo service tells us the address our traffic leaves from (what Azure will see), which is what the
NSG rule must allow. Both faces call `detect`: the TUI to pre-fill the editable `allowed_source_ip` answer,
the firewall step when the answer is left out. `SCORING_WIZARD_IP_ECHO_URL` replaces the public services
(a company's own echo service, or a local one in tests, which must never reach the internet).
"""

from __future__ import annotations

import ipaddress
import os

ECHO_URL_ENV = "SCORING_WIZARD_IP_ECHO_URL"
ECHO_URLS = ("https://api.ipify.org", "https://checkip.amazonaws.com", "https://ifconfig.me/ip")


def echo_urls() -> tuple[str, ...]:
    override = os.environ.get(ECHO_URL_ENV)
    return (override,) if override else ECHO_URLS


def detect(timeout: float = 5.0) -> str | None:
    """This machine's public IPv4 address as the internet sees it, or None when no echo service answers."""
    import requests  # here, not at import: the screens that import this module draw before they ask

    for url in echo_urls():
        try:
            response = requests.get(url, timeout=timeout)
            response.raise_for_status()
            address = ipaddress.IPv4Address(response.text.strip())
        except (requests.RequestException, ValueError):
            continue
        if not (address.is_loopback or address.is_unspecified or address.is_multicast):
            return str(address)
    return None
