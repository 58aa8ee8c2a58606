"""The resumable record of one setup: answers, and per step its state, outputs and in-flight operation.

It is what makes an interruption cost nothing, so it is written atomically (temp file, fsync, rename) after
every change, readable only by its owner, locked against a second wizard, and never holds a secret. A file
that is corrupt or from a newer wizard is left exactly as it is and reported.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import uuid
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from filelock import FileLock, Timeout
from pydantic import BaseModel, Field, ValidationError

from wizard import __version__, lock_holder, redact
from wizard.answers import Answers
from wizard.azure.errors import ErrorInfo
from wizard.setup_folder import default_dir

SCHEMA_VERSION = 1


class CheckpointError(Exception):
    """The checkpoint cannot be used; the message says why and what to do."""


class StepStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"


class ErrorRecord(BaseModel):
    """The last failure of a step, with what to do about it, so `status` can still say so days later."""

    code: str
    message: str
    todo: str = ""
    link: str = ""


class StepRecord(BaseModel):
    status: StepStatus = StepStatus.PENDING
    started_at: datetime | None = None
    ended_at: datetime | None = None
    outputs: dict[str, Any] = Field(default_factory=dict)
    continuation_token: str | None = None
    error: ErrorRecord | None = None


class Document(BaseModel):
    """The file's content. `schema_version` guards against reading a newer wizard's file wrongly."""

    schema_version: int = SCHEMA_VERSION
    tool_version: str = __version__
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    updated_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    answers: Answers
    # Which setup this is, written as a tag on its resource group: a second checkpoint for the same resources is
    # then refused instead of fighting over them (see ownership.py).
    setup_id: str = Field(default_factory=lambda: uuid.uuid4().hex[:16])
    steps: dict[str, StepRecord] = Field(default_factory=dict)
    torn_down_at: datetime | None = None  # when `destroy` last removed everything the setup made


def files_dir_for(path: Path) -> Path:
    """Beside the checkpoint: files a user needs (an .rdp file, an SSH key), each mode 0600."""
    return path.with_suffix(".files")


def default_path(answers: Answers, directory: Path | None = None) -> Path:
    """One checkpoint per setup, named after its resource group and subscription, in `directory` or the default."""
    return (directory or default_dir()) / f"{answers.resource_group}-{answers.subscription_id[:8]}.json"


def read(path: Path) -> Document:
    """Read a checkpoint without locking it (for status and the resume list)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CheckpointError(f"no checkpoint at {path}") from None
    except UnicodeDecodeError:
        raise CheckpointError(f"{path} is not UTF-8 text, so not a checkpoint; it was left untouched.") from None
    except OSError as error:
        raise CheckpointError(f"cannot read the checkpoint {path}: {error.strerror or error}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise CheckpointError(
            f"{path} is not valid JSON ({error.msg} at line {error.lineno}); it was left untouched. "
            "Move it away to start a new setup, or restore it from a backup."
        ) from None
    except RecursionError:
        raise CheckpointError(f"{path} is nested too deeply to be a checkpoint; it was left untouched.") from None
    version = data.get("schema_version") if isinstance(data, dict) else None
    if isinstance(version, int) and version > SCHEMA_VERSION:
        raise CheckpointError(
            f"{path} was written by a newer scoring-wizard (schema {version}, this one reads {SCHEMA_VERSION}); "
            "it was left untouched. Upgrade scoring-wizard to resume it."
        )
    try:
        return Document.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CheckpointError(
            f"{path} is not a scoring-wizard checkpoint ({where}: {first['msg']}); it was left untouched."
        ) from None


class Store(Protocol):
    """Where the checkpoint's text is kept and who may write it: a local file, or a shared blob.

    `acquire` locks (raising CheckpointError that names the holder when refused) and leaves the newest version
    at the checkpoint's path, or no file for a setup not started; `write` replaces the whole text or fails.
    """

    def acquire(self) -> None: ...

    def write(self, text: str) -> None: ...

    def release(self) -> None: ...


class LocalFile:
    """The default store: the checkpoint file itself, locked with a lock file beside it."""

    def __init__(self, path: Path):
        self.path = path
        # Not thread-local: a face may open the checkpoint in a worker thread and close it from another.
        self._lock = FileLock(str(path) + ".lock", timeout=0, thread_local=False)
        self.previous: lock_holder.Holder | None = None  # who held the lock last, if they never released it

    def acquire(self) -> None:
        try:
            self._lock.acquire()
        except Timeout:
            holder = lock_holder.read(self._lock.lock_file)
            by = f" ({holder.describe()})" if holder else ""
            raise CheckpointError(
                f"another scoring-wizard is already using {self.path}{by}; wait for it to finish or stop it first"
            ) from None
        except OSError as error:
            raise CheckpointError(f"cannot use {self.path}: {error.strerror or error}") from None
        self.previous = lock_holder.read(self._lock.lock_file)
        lock_holder.record(self._lock.lock_file)

    def write(self, text: str) -> None:
        try:
            _write_atomically(self.path, text)
        except OSError as error:
            raise CheckpointError(
                f"cannot write the checkpoint {self.path} ({error.strerror or error}); the last good one is "
                "kept as it was. Free the space or fix the folder's permissions, then run again to resume."
            ) from None

    def release(self) -> None:
        """The lock file stays: deleting it could let two wizards hold different inodes."""
        lock_holder.clear(self._lock.lock_file)
        self._lock.release()


class Checkpoint:
    """An open, locked checkpoint. Every mutation is written through before it returns."""

    def __init__(self, path: Path, document: Document, store: Store, setup_lock: FileLock | None = None):
        self.path = path
        self.document = document
        self._store = store
        self._setup_lock = setup_lock
        self._mutex = threading.RLock()
        self._closed = False
        self.taken_over: str | None = None  # a note when a killed wizard's lock record was found

    @classmethod
    def open(cls, path: Path, answers: Answers | None = None, store: Store | None = None) -> Checkpoint:
        """Lock and load `path`, creating it from `answers` when it does not exist yet.

        `store` keeps the text somewhere else than the local file (see wizard/blob_state.py); `path` is then its
        local copy, beside which the log and the files folder stay.
        """
        path = path.expanduser().absolute()
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            raise CheckpointError(f"cannot use {path}: {error.strerror or error}") from None
        store = store or LocalFile(path)
        store.acquire()
        setup_lock: FileLock | None = None
        try:
            _remove_stale_temps(path)
            existed = path.exists()
            if existed:
                document = read(path)
            elif answers is None:
                raise CheckpointError(f"no checkpoint at {path}")
            else:
                document = Document(answers=answers)
            setup_lock = _lock_setup(document.answers, path)
            checkpoint = cls(path, document, store, setup_lock)
            if not existed:  # an existing one is not rewritten until something changes
                checkpoint.save()
        except BaseException as error:
            if setup_lock is not None:
                setup_lock.release()
            store.release()
            if isinstance(error, OSError):
                raise CheckpointError(f"cannot use {path}: {error.strerror or error}") from None
            raise
        previous = getattr(store, "previous", None)
        if previous is not None and not previous.alive():
            checkpoint.taken_over = f"taking over from a wizard that ended without closing ({previous.describe()})"
        return checkpoint

    def close(self) -> None:
        """Release the locks. The lock files stay: deleting one could let two wizards hold different inodes.

        A step still in flight after a stop may try to write later; once the lock is gone it must not.
        """
        with self._mutex:
            self._closed = True
        if self._setup_lock is not None:
            self._setup_lock.release()
        self._store.release()

    def __enter__(self) -> Checkpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def answers(self) -> Answers:
        return self.document.answers

    @property
    def files_dir(self) -> Path:
        return files_dir_for(self.path)

    def step(self, key: str) -> StepRecord:
        with self._mutex:
            return self.document.steps.setdefault(key, StepRecord())

    def update(self, key: str, **changes: Any) -> StepRecord:
        """Change one step's record and write the file before returning."""
        with self._mutex:
            record = self.step(key)
            if "error" in changes and isinstance(changes["error"], ErrorInfo):
                info: ErrorInfo = changes["error"]
                changes["error"] = ErrorRecord(
                    code=info.code, message=redact.scrub(info.message), todo=info.todo, link=info.link
                )
            updated = StepRecord.model_validate(record.model_copy(update=changes).model_dump())
            self.document.steps[key] = updated
            try:
                self.save()
            except BaseException:
                self.document.steps[key] = record
                raise
            return updated

    def replace_answers(self, answers: Answers) -> None:
        """Adopt edited answers (e.g. another VM size after SkuNotAvailable) for the steps still to run."""
        with self._mutex:
            self.document.answers = answers
            self.save()

    def record_teardown(self, when: datetime) -> None:
        """Note that a teardown removed what the setup made (a later run makes its steps succeed again)."""
        with self._mutex:
            self.document.torn_down_at = when
            self.save()

    def save(self) -> None:
        with self._mutex:
            if self._closed:
                raise CheckpointError(f"{self.path} was closed; this run no longer writes it")
            self.document.updated_at = datetime.now(UTC)
            data = self.document.model_dump(mode="json")
            leaked = redact.secret_fields(data)
            text = json.dumps(data, indent=2, sort_keys=False)
            if leaked or redact.scrub(text) != text:
                raise CheckpointError(
                    f"refusing to write a secret into {self.path} ({', '.join(leaked) or 'a secret value'}); "
                    "this is a bug in scoring-wizard, please report it"
                )
            self._store.write(text)


def _temp_pattern(path: Path) -> str:
    return f".{path.name}.*.tmp"


def _remove_stale_temps(path: Path) -> None:
    """Temp files a killed writer left behind; only called with the lock held, so no live writer owns one."""
    for target in {path, path.resolve()}:
        for temp in target.parent.glob(_temp_pattern(target)):
            temp.unlink(missing_ok=True)


def _lock_setup(answers: Answers, path: Path) -> FileLock:
    """Lock the setup itself (subscription, resource group, prefix), whichever checkpoint file holds it: two
    checkpoints for the same resources would each PUT them, and the VM would trust only one run's SSH key."""
    identity = f"{answers.subscription_id.lower()}/{answers.resource_group.lower()}/{answers.prefix}"
    folder = default_dir() / ".setup-locks"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = hashlib.sha256(identity.encode()).hexdigest()[:24]
    lock = FileLock(str(folder / f"{name}.lock"), timeout=0, thread_local=False)
    holder = folder / f"{name}.holder"
    try:
        lock.acquire()
    except Timeout:
        try:
            where = holder.read_text(encoding="utf-8").strip()
        except OSError:
            where = "another checkpoint"
        raise CheckpointError(
            f"another scoring-wizard is already running this setup (resource group {answers.resource_group}, "
            f"prefix {answers.prefix}) from {where}; wait for it to finish or stop it first"
        ) from None
    fd = os.open(holder, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(str(path))
    return lock


def _write_atomically(path: Path, text: str) -> None:
    """Replace `path` so that a reader (or a crash) only ever sees the old or the new whole file.

    A symlinked checkpoint (say, kept in a synced folder) is written through: its target is replaced, the
    link stays.
    """
    path = path.resolve()
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def delete(path: Path) -> None:
    """Forget a setup: its checkpoint, log and lock. Refused while a wizard uses it.

    The files folder stays: it may hold the only copy of the SSH key that reaches a VM still running in Azure.
    """
    lock = FileLock(str(path) + ".lock", timeout=0, thread_local=False)
    try:
        lock.acquire()
    except Timeout:
        raise CheckpointError(f"another scoring-wizard is using {path}; stop it first") from None
    try:
        path.unlink(missing_ok=True)
        path.with_suffix(".log").unlink(missing_ok=True)
    finally:
        lock.release()
    Path(lock.lock_file).unlink(missing_ok=True)
    lock_holder.clear(lock.lock_file)
