"""Running a pipeline job for real: the registered components' uploaded code, on the uploaded input, in a subprocess.

Each step of the pipeline component runs its command component's ``command`` with the same Python as the
emulator, in its own temporary directory holding the code (downloaded from the emulator's blob store), the
inputs (data assets, ``azureml://datastores/...`` paths or blob URLs, resolved on the emulator's own store) and
empty output folders. The job's status follows the process; the output folders and the log land in the
workspace's datastore container, where a client can download them. Under the realistic latency profile a job on a
min-0 cluster with no node up stays Queued while the cluster brings up its first node, then Preparing while the
node pulls the job's image (``configure``); the node stays for the cluster's idle time after a job, so the next
job starts at once.
"""

import os
import re
import shlex
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from wizard.emulator import blobs
from wizard.emulator.context import Ctx
from wizard.emulator.providers.machinelearning import DATASTORE, blob_container, storage_account_of
from wizard.emulator.store import Row, Store
from wizard.emulator.wire import iso

_BOOTS: "weakref.WeakKeyDictionary[Store, str]" = weakref.WeakKeyDictionary()
# Per open store: how its clusters' nodes come up (``configure``), and each cluster's node: (up at, image pulled
# at, idle until), in the real clock.
_TIMING: "weakref.WeakKeyDictionary[Store, NodeTiming]" = weakref.WeakKeyDictionary()
_NODES: "weakref.WeakKeyDictionary[Store, dict[str, tuple[float, float, float]]]" = weakref.WeakKeyDictionary()
_NODES_LOCK = threading.Lock()
_DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$", re.IGNORECASE)
TIMEOUT_SECONDS = 600.0
LOG = "user_logs/std_log.txt"
_PLACEHOLDER = re.compile(r"\$\{\{\s*(inputs|outputs)\.(\w+)\s*\}\}")
_PARENT = re.compile(r"^\$\{\{\s*parent\.(inputs|outputs)\.(\w+)\s*\}\}$")


class JobError(Exception):
    """Why a job cannot run (a reference that does not resolve): becomes the job's error message."""


def boot(store: Store) -> str:
    """Which emulator runs jobs on this open store: a job recorded under another one died with it."""
    return _BOOTS.setdefault(store, str(uuid.uuid4()))


@dataclass(frozen=True)
class NodeTiming:
    """Scaled seconds a cold min-0 cluster takes to bring up a node, and then to pull a job's image onto it (0:
    at once), and the latency scale (for the cluster's own idle time)."""

    first_node: float = 0.0
    image_pull: float = 0.0
    scale: float = 1.0


def configure(store: Store, timing: NodeTiming) -> None:
    _TIMING[store] = timing


def start(store: Store, job_key: str) -> None:
    threading.Thread(target=_run, args=(store, job_key), name=f"ml-job-{job_key[-12:]}", daemon=True).start()


def _cluster(store: Store, job: Row) -> Row | None:
    compute = str(job.body["properties"].get("computeId") or "")
    name = re.split(r"[/:]", compute)[-1]
    return store.get(f"{job.parent}/computes/{name}") if name else None


def _idle_seconds(cluster: Row) -> float:
    """The cluster's nodeIdleTimeBeforeScaleDown (PT120S, PT2M), in base seconds."""
    scale = ((cluster.body.get("properties") or {}).get("properties") or {}).get("scaleSettings") or {}
    found = _DURATION.match(str(scale.get("nodeIdleTimeBeforeScaleDown") or "PT120S"))
    hours, minutes, seconds = (int(part or 0) for part in found.groups()) if found else (0, 2, 0)
    return hours * 3600 + minutes * 60 + seconds


def _node_times(store: Store, job: Row, now: float) -> tuple[float, float]:
    """When a node of the job's cluster is up for it, and when the job's image is on it: now if a node is (a job
    ran within the idle time, or the cluster keeps nodes), else when the scale-up the job starts (or one already
    under way) brings the first node and pulls the image."""
    timing = _TIMING.get(store, NodeTiming())
    cluster = _cluster(store, job) if timing.first_node else None
    if cluster is None:
        return now, now
    settings = ((cluster.body.get("properties") or {}).get("properties") or {}).get("scaleSettings") or {}
    if int(settings.get("minNodeCount") or 0) > 0:
        return now, now
    with _NODES_LOCK:
        nodes = _NODES.setdefault(store, {})
        up_at, pulled_at, idle_until = nodes.get(cluster.key, (0.0, 0.0, 0.0))
        if now <= max(pulled_at, idle_until):
            return max(up_at, now), max(pulled_at, now)
        up_at = now + timing.first_node
        pulled_at = up_at + timing.image_pull
        nodes[cluster.key] = (up_at, pulled_at, pulled_at + _idle_seconds(cluster) * timing.scale)
        return up_at, pulled_at


def _release_node(store: Store, job: Row, now: float) -> None:
    """A job ended: its cluster's node stays up for the idle time from now."""
    timing = _TIMING.get(store, NodeTiming())
    cluster = _cluster(store, job)
    with _NODES_LOCK:
        nodes = _NODES.get(store)
        if cluster is not None and nodes is not None and cluster.key in nodes:
            up_at, pulled_at, _ = nodes[cluster.key]
            nodes[cluster.key] = (up_at, pulled_at, now + _idle_seconds(cluster) * timing.scale)


def _wait_for_node(store: Store, key: str, job: Row) -> None:
    """Queued until a node is up; Preparing while the node pulls the job's image."""
    up_at, pulled_at = _node_times(store, job, time.time())
    time.sleep(max(0.0, up_at - time.time()))
    if pulled_at > time.time():
        _update(store, key, status="Preparing")
        time.sleep(max(0.0, pulled_at - time.time()))


def _update(store: Store, key: str, **changes: Any) -> Row:
    row = store.get(key)
    assert row is not None
    row.body["properties"].update(changes)
    store.put(row)
    return row


def fail_orphan(store: Store, key: str) -> Row | None:
    """The job, marked Failed first if the emulator process that ran it is gone."""
    row = store.get(key)
    if row is None or row.body["properties"]["status"] not in ("Queued", "Preparing", "Running"):
        return row
    if row.private.get("boot") == boot(store):
        return row
    message = "The emulator restarted while this job ran; its process was lost. Invoke the endpoint again."
    return _update(
        store, key, status="Failed", error={"code": "SystemError", "message": message}, endTime=iso(time.time())
    )


def _run(store: Store, key: str) -> None:
    try:
        queued = store.get(key)
        assert queued is not None
        _wait_for_node(store, key, queued)
        job = _update(store, key, status="Running", startTime=iso(time.time()))
        workspace = store.get(job.parent)
        assert workspace is not None
        with tempfile.TemporaryDirectory(prefix="emulator-job-") as folder:
            status, log, outputs, error = _execute(store, workspace, job, Path(folder))
        account, container = storage_account_of(workspace), blob_container(workspace)
        blobs.write(store, account, container, f"ExperimentRun/dcid.{job.body['name']}/{LOG}", log.encode())
        changes: dict[str, Any] = {"status": status, "outputs": outputs, "endTime": iso(time.time())}
        if error:
            changes["error"] = {"code": "UserError", "message": error}
        _update(store, key, **changes)
        _release_node(store, job, time.time())
    except Exception as exc:  # a store closed under a stopping emulator, or a bug: the job must not stay Running
        try:
            _update(store, key, status="Failed", error={"code": "SystemError", "message": str(exc)})
        except Exception:
            return


def _execute(store: Store, workspace: Row, job: Row, folder: Path) -> tuple[str, str, dict[str, Any], str]:
    """(status, log, outputs, error) of running every step of the job's pipeline component."""
    properties = job.body["properties"]
    log: list[str] = []
    try:
        pipeline = _spec(store, properties["componentId"])
        given = {name: spec.get("uri", spec.get("value")) for name, spec in (properties.get("inputs") or {}).items()}
        defaults = {name: spec.get("default") for name, spec in (pipeline.get("inputs") or {}).items()}
        parent_inputs = {**defaults, **{k: v for k, v in given.items() if v is not None}}
        outputs: dict[str, Any] = {}
        for step_name, step in (pipeline.get("jobs") or {}).items():
            log.append(f"--- step {step_name}")
            status, step_log, step_outputs = _run_step(store, workspace, job, step, parent_inputs, folder / step_name)
            log.append(step_log)
            outputs.update(step_outputs)
            if status != "Completed":
                return "Failed", "\n".join(log), outputs, f"Step '{step_name}' failed: {step_log.strip()[-500:]}"
        return "Completed", "\n".join(log), outputs, ""
    except JobError as exc:
        log.append(str(exc))
        return "Failed", "\n".join(log), {}, str(exc)


def _spec(store: Store, component_id: str) -> dict[str, Any]:
    row = store.get(component_id.removeprefix("azureml:"))
    if row is None:
        raise JobError(f"Component '{component_id}' was not found.")
    return (row.body.get("properties") or {}).get("componentSpec") or {}


def _bound(value: Any, parent: dict[str, Any]) -> Any:
    """A step binding: ``${{parent.inputs.x}}`` takes the pipeline's value, anything else is literal."""
    text = value.get("value") if isinstance(value, dict) else value
    match = _PARENT.match(str(text))
    return parent.get(match.group(2)) if match and match.group(1) == "inputs" else text


def _run_step(
    store: Store, workspace: Row, job: Row, step: dict[str, Any], parent: dict[str, Any], folder: Path
) -> tuple[str, str, dict[str, Any]]:
    spec = _spec(store, str(step.get("componentId") or ""))
    code = folder / "code"
    _download_code(store, str(spec.get("code") or ""), code)
    values: dict[tuple[str, str], str] = {}
    for name, declared in (spec.get("inputs") or {}).items():
        value = _bound((step.get("inputs") or {}).get(name), parent)
        if value is None:
            value = declared.get("default")
        if declared.get("type") in ("uri_file", "uri_folder"):
            value = str(_fetch_input(store, workspace, str(value), folder / "inputs" / name))
        values[("inputs", name)] = str(value)
    for name in spec.get("outputs") or {}:
        (folder / "outputs" / name).mkdir(parents=True)
        values[("outputs", name)] = str(folder / "outputs" / name)
    try:
        command = _PLACEHOLDER.sub(lambda m: shlex.quote(values[(m.group(1), m.group(2))]), spec["command"])
    except KeyError as exc:
        raise JobError(f"The command refers to {exc}, which the component does not declare.") from exc
    arguments = shlex.split(command)
    if arguments and arguments[0] in ("python", "python3"):
        arguments[0] = sys.executable
    try:
        done = subprocess.run(
            arguments,
            cwd=code,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            env={"PATH": os.environ.get("PATH", ""), "PYTHONUNBUFFERED": "1"},
            check=False,
        )
        status, log = ("Completed" if done.returncode == 0 else "Failed"), done.stdout + done.stderr
    except subprocess.TimeoutExpired:
        status, log = "Failed", f"The step ran longer than {TIMEOUT_SECONDS:g} seconds and was stopped."
    return status, log, _upload_outputs(store, workspace, job, spec, folder / "outputs", step)


def _download_code(store: Store, code_id: str, target: Path) -> None:
    row = store.get(code_id.removeprefix("azureml:"))
    if row is None:
        raise JobError(f"Code asset '{code_id}' was not found.")
    account, container, prefix = _blob_location(str((row.body.get("properties") or {}).get("codeUri") or ""))
    found = store.blobs(account, container, prefix)
    if not found:
        raise JobError(f"Code asset '{code_id}' has no uploaded files.")
    for blob in found:
        relative = blob.name[len(prefix) :].lstrip("/")
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob.data)


def _blob_location(url: str) -> tuple[str, str, str]:
    """(account, container, name or prefix) of a blob URL this emulator handed out."""
    path = unquote(urlsplit(url).path)
    if not path.startswith(blobs.PREFIX):
        raise JobError(f"'{url}' is not a blob location of this emulator.")
    account, _, rest = path[len(blobs.PREFIX) :].partition("/")
    container, _, name = rest.partition("/")
    return account, container, name


def _fetch_input(store: Store, workspace: Row, value: str, target: Path) -> Path:
    """Copy a uri_file/uri_folder input to ``target``; returns the path the command gets."""
    account, container, name = _locate(store, workspace, value)
    found = store.blobs(account, container, name)
    if not found:
        raise JobError(f"Input '{value}' does not exist.")
    target.mkdir(parents=True)
    exact = [blob for blob in found if blob.name == name]
    for blob in exact or found:
        path = target / (Path(blob.name).name if exact else blob.name[len(name) :].lstrip("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob.data)
    return target / Path(name).name if exact else target


def _locate(store: Store, workspace: Row, value: str) -> tuple[str, str, str]:
    if value.startswith("azureml://datastores/"):
        datastore, _, path = value.removeprefix("azureml://datastores/").partition("/paths/")
        row = store.get(f"{workspace.key}/datastores/{datastore}")
        if row is None:
            raise JobError(f"Datastore '{datastore}' was not found.")
        properties = row.body.get("properties") or {}
        return properties["accountName"], properties["containerName"], path
    if "/data/" in value and value.removeprefix("azureml:").startswith("/subscriptions/"):
        row = store.get(value.removeprefix("azureml:"))  # a data version by ARM id, as azure-ai-ml resolves it
        if row is None:
            raise JobError(f"Data asset '{value}' was not found.")
        return _locate(store, workspace, str((row.body.get("properties") or {}).get("dataUri") or ""))
    if value.startswith("azureml:"):
        name, _, version = value.removeprefix("azureml:").partition(":")
        row = store.get(f"{workspace.key}/data/{name}/versions/{version or '1'}")
        if row is None:
            raise JobError(f"Data asset '{value}' was not found.")
        return _locate(store, workspace, str((row.body.get("properties") or {}).get("dataUri") or ""))
    return _blob_location(value)


def _upload_outputs(
    store: Store, workspace: Row, job: Row, spec: dict[str, Any], folder: Path, step: dict[str, Any]
) -> dict[str, Any]:
    """Put each output folder at azureml/{job}/{output}/ in the datastore; name them as the pipeline does."""
    account, container = storage_account_of(workspace), blob_container(workspace)
    found: dict[str, Any] = {}
    for name in spec.get("outputs") or {}:
        binding = (step.get("outputs") or {}).get(name)
        text = binding.get("value") if isinstance(binding, dict) else binding
        match = _PARENT.match(str(text or ""))
        published = match.group(2) if match else name
        prefix = f"azureml/{job.body['name']}/{published}"
        for path in sorted((folder / name).rglob("*")):
            if path.is_file():
                relative = path.relative_to(folder / name).as_posix()
                blobs.write(store, account, container, f"{prefix}/{relative}", path.read_bytes())
        found[published] = {
            "jobOutputType": "uri_folder",
            "uri": f"azureml://datastores/{DATASTORE}/paths/{prefix}/",
        }
    return found


def details(ctx: Ctx, workspace: Row, job: Row) -> dict[str, Any]:
    properties = job.body["properties"]
    name = job.body["name"]
    answer: dict[str, Any] = {
        "runId": name,
        "status": properties["status"],
        "startTimeUtc": properties.get("startTime"),
        "endTimeUtc": properties.get("endTime"),
        "warnings": [],
        "logFiles": {},
    }
    if properties["status"] in ("Completed", "Failed"):
        path = f"ExperimentRun/dcid.{name}/{LOG}"
        answer["logFiles"][LOG] = blobs.blob_url(ctx, storage_account_of(workspace), blob_container(workspace), path)
    if properties.get("error"):
        answer["error"] = {"error": properties["error"]}
    return answer
