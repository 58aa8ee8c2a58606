"""The demo's emulator comes back on its previous port, so a resumed demo's polling URLs still answer."""

from pathlib import Path

from wizard.cli import start_demo_emulator


def test_a_restarted_demo_emulator_reuses_its_port(tmp_path: Path):
    first = start_demo_emulator(tmp_path, latency_scale=0.01)
    url = first.url
    first.stop()
    second = start_demo_emulator(tmp_path, latency_scale=0.01)
    try:
        assert second.url == url
    finally:
        second.stop()
