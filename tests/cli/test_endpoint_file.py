"""An endpoint file tells clients where the emulator is, which CA to trust and who to sign in as; TLS stays on."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import DEMO_ANSWERS, WIZARD, wizard
from wizard.azure import clouds
from wizard.emulator import DEMO


@pytest.mark.parametrize("ca", [False, "", None, 0, "missing.pem", "not-a-cert.pem"])
def test_an_endpoint_file_cannot_switch_tls_verification_off(standalone_emulator, tmp_path: Path, ca):
    (tmp_path / "not-a-cert.pem").write_text("hello")
    endpoint = json.loads((standalone_emulator.state_dir / "endpoint.json").read_text())
    endpoint["ca"] = str(tmp_path / ca) if isinstance(ca, str) and ca else ca
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(endpoint))
    checkpoint = tmp_path / "setup.json"
    result = wizard("run", "--answers", str(DEMO_ANSWERS), "--checkpoint", str(checkpoint), "--emulator", str(hostile))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "CA certificate as a readable PEM file" in result.stderr
    assert "InsecureRequestWarning" not in result.stderr
    assert standalone_emulator.requests_log() == []
    assert not checkpoint.exists()


@pytest.mark.parametrize("verify", [False, "", None])
def test_no_cloud_accepts_a_falsy_verify_value(verify):
    with pytest.raises(ValueError, match="TLS verification must be on"):
        clouds.Cloud("x", "https://arm", "https://login", "https://portal", "suffix", connection_verify=verify)
    with pytest.raises(ValueError):
        clouds.from_metadata("https://127.0.0.1:1", ca_bundle=verify)


def test_public_clouds_always_verify_with_the_trust_store():
    assert {cloud.connection_verify for cloud in clouds.KNOWN.values()} == {True}


def test_the_emulator_prints_the_environment_other_tools_need(tmp_path: Path):
    state = tmp_path / "emulator"
    process = subprocess.Popen([WIZARD, "emulator", "--state-dir", str(state)], stdout=subprocess.PIPE, text=True)
    lines: list[str] = []
    try:
        while len(lines) < 30 and not (lines and lines[-1].startswith("az login")):  # the last line printed
            lines.append(process.stdout.readline().strip())
    finally:
        process.terminate()
        process.wait(timeout=10)
    endpoint = json.loads((state / "endpoint.json").read_text())
    assert stat.S_IMODE((state / "endpoint.json").stat().st_mode) == 0o600
    assert endpoint["tenant_id"] == DEMO.tenant_id and endpoint["client_id"] == DEMO.client_id
    assert endpoint["client_secret"] == DEMO.client_secret
    assert f"export AZURE_AUTHORITY_HOST={endpoint['url']}" in lines  # azure-identity signs in here, not at Entra
    assert f"export AZURE_TENANT_ID={DEMO.tenant_id}" in lines
    assert f"export AZURE_CLIENT_ID={DEMO.client_id}" in lines
    assert f"export AZURE_CLIENT_SECRET='{DEMO.client_secret}'" in lines
    assert f"export REQUESTS_CA_BUNDLE={endpoint['ca']}" in lines
    register = next(line for line in lines if line.startswith("az cloud register"))
    assert register.endswith(f"--endpoint-resource-manager {endpoint['url']}/")  # the rest from its metadata
    assert f"export AZURE_CONFIG_DIR={state / 'azure-cli'}" in lines  # never the user's own az profile
    assert any(line.startswith("az login --service-principal") for line in lines)


def test_connect_does_not_load_the_emulator():
    code = (
        "import sys, wizard.connect, wizard.session; print(any(m.startswith('wizard.emulator') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
