"""A checkpoint shared in Azure Blob Storage, so a setup can be resumed from another machine or by a colleague.

It keeps the local file's guarantees with the blob service's own primitives: the lock is a blob lease (renewed
by a daemon thread, so a wizard that dies frees the setup within a minute), every write is one Put Blob (whole
or not at all) conditional on the ETag this wizard last saw, and the version a write replaces is kept as a
snapshot so a bad write can be rolled back. It authenticates with the run's TokenCredential: no account key or
SAS is ever asked for or stored. The text written is the same redact-checked text as the local file's; a local
copy at the checkpoint's path keeps `status`, the log and the files folder where they always were.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import re
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from azure.core import MatchConditions
from azure.core.credentials import TokenCredential
from azure.core.exceptions import AzureError, HttpResponseError, ResourceExistsError, ResourceNotFoundError

from wizard import __version__
from wizard.azure.errors import cut
from wizard.checkpoint import CheckpointError, _write_atomically
from wizard.setup_folder import shared_containers, shared_dir

SCHEME = "blob://"
LEASE_SECONDS = 60
HOLDER_WAIT_TRIES = 30
KEEP_VERSIONS = 10
# One Put Blob per write is what makes a write whole: a checkpoint is kilobytes, far below this.
SINGLE_PUT_BYTES = 64 * 1024 * 1024
ENDPOINT_ENV = "SCORING_WIZARD_BLOB_ENDPOINT"
CA_ENV = "SCORING_WIZARD_BLOB_CA"

_CONTAINER = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$")
_SETUP = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_LOST_CODES = {"LeaseIdMismatchWithBlobOperation", "LeaseLost", "LeaseNotPresentWithBlobOperation", "ConditionNotMet"}


@dataclass(frozen=True)
class Location:
    """`blob://<account>/<container>/<setup>`: one setup's checkpoint blob."""

    account: str
    container: str
    setup: str

    @classmethod
    def parse(cls, text: str, *, container_only: bool = False) -> Location:
        """`container_only` reads `blob://<account>/<container>` (for `state list`)."""
        parts = text.removeprefix(SCHEME).split("/") if text.startswith(SCHEME) else []
        if container_only and len(parts) == 2:
            parts.append("")
        if len(parts) != 3 or not re.fullmatch(r"[a-z0-9]{3,24}", parts[0]) or not _CONTAINER.match(parts[1]):
            raise CheckpointError(
                f"{cut(text, 80)!r} is not a shared state address: use blob://<storage account>/<container>/<setup>"
            )
        if not (container_only or _SETUP.match(parts[2])):
            raise CheckpointError(f"setup name {cut(parts[2], 80)!r}: use letters, digits, '.', '_' or '-'")
        return cls(*parts)

    @property
    def blob_name(self) -> str:
        return f"{self.setup}.json"

    def __str__(self) -> str:
        return f"{SCHEME}{self.account}/{self.container}/{self.setup}"

    def cache_path(self) -> Path:
        """The local copy: beside it stay the log and the files folder, which never leave this machine."""
        return shared_dir() / self.account / self.container / f"{self.setup}.json"


def known_containers() -> list[Location]:
    """The containers this machine has shared setups in, for the start screen."""
    return [Location(account, container, "") for account, container in shared_containers()]


def peek(location: Location, credential: TokenCredential) -> str:
    """A shared setup's current text, read without its lease (to learn its answers before signing in for it)."""
    blob = container_client(location, credential).get_blob_client(location.blob_name)
    try:
        return blob.download_blob().readall().decode("utf-8")
    except ResourceNotFoundError:
        raise CheckpointError(f"{location} holds no setup") from None


def account_url(account: str, storage_suffix: str = "core.windows.net") -> str:
    """The blob endpoint; $SCORING_WIZARD_BLOB_ENDPOINT (a template with {account}) points at an emulator."""
    template = os.environ.get(ENDPOINT_ENV)
    return template.format(account=account) if template else f"https://{account}.blob.{storage_suffix}"


def default_credential() -> TokenCredential:
    """For `state` commands, which run without an answers file: whoever is signed in (az login, a managed
    identity, environment variables), as DefaultAzureCredential finds them."""
    from azure.identity import DefaultAzureCredential

    return DefaultAzureCredential(exclude_interactive_browser_credential=True)


def container_client(
    location: Location, credential: TokenCredential, *, storage_suffix: str = "core.windows.net", **options: Any
):
    """A ContainerClient on the token credential (azure-storage-blob is imported here, when it is needed)."""
    from azure.storage.blob import BlobServiceClient

    options.setdefault("connection_verify", os.environ.get(CA_ENV) or True)
    service = BlobServiceClient(
        account_url(location.account, storage_suffix),
        credential=credential,
        max_single_put_size=SINGLE_PUT_BYTES,
        **options,
    )
    return service.get_container_client(location.container)


def _holder_metadata() -> dict[str, str]:
    return {
        "holder_user": _ascii(getpass.getuser()),
        "holder_host": _ascii(socket.gethostname()),
        "holder_pid": str(os.getpid()),
        "holder_since": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tool_version": __version__,
    }


def _ascii(text: str) -> str:
    """Metadata travels in HTTP headers, which take ASCII only."""
    return text.encode("ascii", "replace").decode() or "?"


def describe_holder(metadata: dict[str, str]) -> str:
    if "holder_user" not in metadata:
        return "another scoring-wizard (it has not said who yet)"
    return (
        f"{metadata['holder_user']}@{metadata.get('holder_host', '?')} "
        f"(pid {metadata.get('holder_pid', '?')}, since {metadata.get('holder_since', '?')})"
    )


def progress_of(text: str) -> str:
    """'3/7 steps done' for `state list`, kept in metadata so listing reads no blob contents."""
    try:
        steps = json.loads(text).get("steps", {})
    except (ValueError, AttributeError):
        return "unknown"
    done = sum(1 for record in steps.values() if record.get("status") in ("succeeded", "skipped"))
    return f"{done}/{len(steps)} steps done"


class BlobStore:
    """A Checkpoint store on one blob (see wizard.checkpoint.Store); `path` receives the local copy."""

    def __init__(self, location: Location, container, path: Path, *, force_unlock: bool = False):
        self.location = location
        self.path = path
        self._container = container
        self._blob = container.get_blob_client(location.blob_name)
        self._force_unlock = force_unlock
        self._lease = None
        self._etag: str | None = None
        self._has_content = False
        self._metadata: dict[str, str] = {}
        self._holder_metadata: dict[str, str] = {}
        self._lost: str | None = None
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None
        self.broken_holder: str | None = None

    @property
    def has_content(self) -> bool:
        """Whether the blob held a setup when it was acquired (or has been written since)."""
        return self._has_content

    def acquire(self) -> None:
        """Take the lease (creating an empty blob for a new setup) and bring the newest version to `path`."""
        try:
            self._blob.upload_blob(b"", overwrite=False)
        except ResourceExistsError:
            pass
        except AzureError as error:
            raise self._unreachable(error) from None
        if self._force_unlock:
            self.broken_holder = break_lease(self._blob)
        try:
            lease = self._blob.acquire_lease(lease_duration=LEASE_SECONDS)
        except HttpResponseError as error:
            if error.error_code != "LeaseAlreadyPresent":
                raise self._unreachable(error) from None
            holder = self._holder()
            raise CheckpointError(
                f"{self.location} is in use by {holder}. Wait for it to finish, or if that wizard is gone run "
                f"`scoring-wizard state unlock {self.location}` (or pass --force-unlock)."
            ) from None
        self._lease = lease
        try:
            self._holder_metadata = _holder_metadata()
            self._fetch()
            self._metadata = {**self._metadata, **self._holder_metadata}
            self._etag = self._blob.set_blob_metadata(self._metadata, lease=lease)["etag"]
        except BaseException:
            lease.release()
            raise
        self._renewer = threading.Thread(target=self._renew, name=f"lease {self.location}", daemon=True)
        self._renewer.start()

    def _holder(self) -> str:
        """Who holds the lease: a wizard that has just taken it writes its name a moment later, so wait for it."""
        for _ in range(HOLDER_WAIT_TRIES):
            metadata = self._blob.get_blob_properties().metadata
            if "holder_user" in metadata:
                break
            time.sleep(0.1)
        return describe_holder(metadata)

    def _fetch(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        download = self._blob.download_blob(lease=self._lease)
        text = download.readall().decode("utf-8")
        self._etag = download.properties.etag
        self._metadata = {k: v for k, v in (download.properties.metadata or {}).items() if not k.startswith("holder_")}
        self._has_content = bool(text)
        if text:
            _write_atomically(self.path, text)
        else:
            # A new shared setup: a local copy left from an older one must not be resumed instead.
            self.path.unlink(missing_ok=True)

    def _renew(self) -> None:
        while not self._stop.wait(LEASE_SECONDS / 4):
            try:
                self._lease.renew()
            except HttpResponseError as error:
                self._lost = f"the lease on {self.location} was lost ({error.error_code})"
                return
            except AzureError:
                continue  # a network blip: the next renewal, well before the lease expires, tries again

    def write(self, text: str) -> None:
        """Replace the blob with `text`, keeping the version it replaces as a snapshot; then the local copy."""
        if self._lost:
            raise CheckpointError(self._lost_message(self._lost))
        write_id = uuid.uuid4().hex
        metadata = {**self._holder_metadata, "progress": progress_of(text), "write_id": write_id}
        try:
            if self._has_content:
                self._blob.create_snapshot(
                    lease=self._lease, etag=self._etag, match_condition=MatchConditions.IfNotModified
                )
            result = self._blob.upload_blob(
                text.encode("utf-8"),
                overwrite=True,
                lease=self._lease,
                etag=self._etag,
                match_condition=MatchConditions.IfNotModified,
                metadata=metadata,
                content_settings=_json_content(),
            )
        except HttpResponseError as error:
            if error.error_code not in _LOST_CODES:
                raise self._unreachable(error) from None
            current = self._blob.get_blob_properties()
            if current.metadata.get("write_id") != write_id:
                raise CheckpointError(self._lost_message(f"{self.location} was changed by someone else")) from None
            result = {"etag": current.etag}  # a retried Put whose first attempt had landed
        except AzureError as error:
            raise self._unreachable(error) from None
        self._etag = result["etag"]
        self._metadata = metadata
        self._has_content = True
        _write_atomically(self.path, text)
        prune(self._container, self.location)

    def _lost_message(self, what: str) -> str:
        try:
            properties = self._blob.get_blob_properties()
            holder = describe_holder(properties.metadata) if properties.lease.state == "leased" else "nobody now"
        except AzureError:
            holder = "unknown (the blob service did not answer)"
        return (
            f"{what}; it is held by {holder}. This wizard stopped writing so as not to overwrite their work: "
            "resume once they are done."
        )

    def _unreachable(self, error: AzureError) -> CheckpointError:
        code = getattr(error, "error_code", None) or type(error).__name__
        return CheckpointError(
            f"cannot use the shared checkpoint {self.location} ({code}): {str(error).splitlines()[0]}. "
            "Check the storage account and container exist and that you have the Storage Blob Data Contributor "
            "role on it; nothing was changed."
        )

    def release(self) -> None:
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(timeout=5)
        if self._lease is not None and not self._lost:
            with contextlib.suppress(AzureError):  # the lease expires by itself within LEASE_SECONDS
                # The holder's name goes with the lease, so a refusal never names a wizard that has finished.
                released = {k: v for k, v in self._metadata.items() if not k.startswith("holder_")}
                self._blob.set_blob_metadata(released, lease=self._lease)
                self._lease.release()
        self._lease = None


def open_store(
    address: str,
    credential: TokenCredential,
    *,
    path: Path | None = None,
    storage_suffix: str = "core.windows.net",
    force_unlock: bool = False,
) -> BlobStore:
    """The store for `--state blob://…`, its local copy at `path` or in the state folder."""
    location = Location.parse(address)
    container = container_client(location, credential, storage_suffix=storage_suffix)
    return BlobStore(
        location, container, (path or location.cache_path()).expanduser().absolute(), force_unlock=force_unlock
    )


def _json_content():
    from azure.storage.blob import ContentSettings

    return ContentSettings(content_type="application/json")


def break_lease(blob) -> str | None:
    """Break a lease at once; returns who held it (for the warning), or None when nobody did."""
    properties = blob.get_blob_properties()
    if properties.lease.state != "leased":
        return None
    from azure.storage.blob import BlobLeaseClient

    BlobLeaseClient(blob).break_lease(lease_break_period=0)
    return describe_holder(properties.metadata)


@dataclass(frozen=True)
class Version:
    number: int
    snapshot: str | None
    written_at: datetime | None
    progress: str


def history(container, location: Location) -> list[Version]:
    """The current version (0) and the kept snapshots, newest first (1 is the version before the current)."""
    blobs = [
        b
        for b in container.list_blobs(name_starts_with=location.blob_name, include=["snapshots", "metadata"])
        if b.name == location.blob_name and b.size
    ]
    current = [b for b in blobs if not b.snapshot]
    kept = sorted((b for b in blobs if b.snapshot), key=lambda b: b.snapshot, reverse=True)
    return [
        Version(n, b.snapshot, b.last_modified, (b.metadata or {}).get("progress", "unknown"))
        for n, b in enumerate(current + kept)
    ]


def prune(container, location: Location, keep: int = KEEP_VERSIONS) -> None:
    for version in history(container, location)[keep + 1 :]:
        container.get_blob_client(location.blob_name, snapshot=version.snapshot).delete_blob()


def read_version(container, location: Location, number: int) -> str:
    versions = history(container, location)
    if not 0 <= number < len(versions):
        raise CheckpointError(f"{location} has versions 0 to {len(versions) - 1}; there is no version {number}")
    blob = container.get_blob_client(location.blob_name, snapshot=versions[number].snapshot)
    return blob.download_blob().readall().decode("utf-8")


def list_setups(container) -> list[dict[str, str]]:
    """Every shared setup in a container, with its progress and whether a wizard holds it now."""
    try:
        blobs = list(container.list_blobs(include=["metadata"]))
    except ResourceNotFoundError:
        raise CheckpointError(f"there is no container {container.container_name} in that account") from None
    return [
        {
            "setup": b.name.removesuffix(".json"),
            "progress": (b.metadata or {}).get("progress", "not started"),
            "held_by": describe_holder(b.metadata or {}) if b.lease.state == "leased" else "",
            "updated": b.last_modified.strftime("%Y-%m-%d %H:%M UTC") if b.last_modified else "",
        }
        for b in blobs
        if b.name.endswith(".json") and not b.snapshot
    ]
