"""Everything the emulator remembers, in one SQLite file in the state directory.

Resources, operations in flight, provider registrations, issued tokens (as digests) and the request log live here
(faults, being test input, only in memory), so an emulator restarted on the same state directory (on any port)
carries on where the last one stopped: a continuation token taken before a SIGKILL still resolves. One connection
guarded by a lock keeps it simple; the emulator's load is a handful of requests per second.
"""

import hashlib
import json
import os
import random
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
    key TEXT PRIMARY KEY,          -- lower-cased id: ARM ids are case-insensitive
    id TEXT NOT NULL,              -- id with the casing used at creation
    parent TEXT NOT NULL,          -- lower-cased id of the subscription, group or resource holding it
    subscription TEXT NOT NULL,    -- lower-cased
    resource_group TEXT,           -- lower-cased group name; NULL at subscription scope
    type TEXT NOT NULL,            -- canonical type, e.g. Microsoft.Network/virtualNetworks/subnets
    body TEXT NOT NULL,            -- the ARM envelope as stored (provisioningState is derived when read)
    private TEXT NOT NULL,         -- behaviour-private state never shown in the envelope (e.g. account keys)
    operation TEXT,                -- id of the latest operation on it, which decides its provisioningState
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS resources_parent ON resources(parent);
CREATE INDEX IF NOT EXISTS resources_subscription ON resources(subscription, type);
CREATE TABLE IF NOT EXISTS operations (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,            -- create | update | delete
    target TEXT NOT NULL,          -- key of the resource
    namespace TEXT NOT NULL,
    started REAL NOT NULL,
    ready_at REAL NOT NULL,
    states TEXT NOT NULL,          -- JSON list of the transitional provisioning states walked until ready_at
    outcome TEXT NOT NULL,         -- Succeeded | Failed, decided when the operation starts
    error TEXT,                    -- JSON {"code", "message"} when the outcome is Failed
    fail_status INTEGER NOT NULL,  -- status a Location monitor answers when the outcome is Failed
    done_status INTEGER NOT NULL,  -- status a Location monitor answers when the outcome is Succeeded
    applied INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS registrations (
    subscription TEXT NOT NULL,
    namespace TEXT NOT NULL,       -- lower-cased
    registered INTEGER NOT NULL,   -- the state being moved to
    ready_at REAL NOT NULL,        -- until then the state reads Registering / Unregistering
    PRIMARY KEY (subscription, namespace)
);
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY,        -- sha256 of the token, never the token itself
    client_id TEXT NOT NULL,       -- the application the token was issued to
    principal_id TEXT NOT NULL,    -- the object id role assignments name (service principal or managed identity)
    audience TEXT NOT NULL,        -- the resource it is for, e.g. https://ml.azure.com; refused by any other
    expires_at REAL NOT NULL
);
DROP TABLE IF EXISTS faults;    -- faults are kept in memory: their messages may carry test canaries
CREATE TABLE IF NOT EXISTS blobs (
    account TEXT NOT NULL,         -- lower-cased storage account name
    container TEXT NOT NULL,
    name TEXT NOT NULL,
    data BLOB NOT NULL,
    content_type TEXT NOT NULL,
    metadata TEXT NOT NULL,        -- JSON of the x-ms-meta-* values
    modified REAL NOT NULL,
    PRIMARY KEY (account, container, name)
);
CREATE TABLE IF NOT EXISTS requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    method TEXT NOT NULL, path TEXT NOT NULL, query TEXT NOT NULL, status INTEGER NOT NULL, time REAL NOT NULL,
    body TEXT                      -- a PUT's JSON body as sent (a VM's admin password masked), else NULL
);
"""


@dataclass
class Row:
    """A stored resource."""

    key: str
    id: str
    parent: str
    subscription: str
    resource_group: str | None
    type: str
    body: dict[str, Any]
    private: dict[str, Any] = field(default_factory=dict)
    operation: str | None = None
    created: float = 0.0


@dataclass(frozen=True)
class Operation:
    """A long-running operation; its status is a function of the clock, so nothing needs to run in background."""

    id: str
    kind: str
    target: str
    namespace: str
    started: float
    ready_at: float
    states: tuple[str, ...]
    outcome: str
    error: dict[str, str] | None
    fail_status: int
    done_status: int

    def running(self, now: float) -> bool:
        return now < self.ready_at

    def status(self, now: float) -> str:
        return "InProgress" if self.running(now) else self.outcome

    def provisioning_state(self, now: float) -> str:
        """Walk the transitional states in equal slices of the latency, then the outcome."""
        if not self.running(now) or not self.states:
            return self.outcome
        share = (now - self.started) / max(self.ready_at - self.started, 1e-9)
        return self.states[min(int(share * len(self.states)), len(self.states) - 1)]


@dataclass(frozen=True)
class TokenRecord:
    """What the emulator remembers of an access token it issued."""

    client_id: str
    principal_id: str
    audience: str
    expires_at: float


@dataclass(frozen=True)
class Blob:
    """One stored blob."""

    account: str
    container: str
    name: str
    data: bytes
    content_type: str = "application/octet-stream"
    metadata: dict[str, str] = field(default_factory=dict)
    modified: float = 0.0


# What an injected fault does to the request it matches (see wizard/emulator/faults.py for the kinds).
MASKED = "***"  # what the request log shows for a VM's admin password
REQUEST_EFFECTS = ("answer", "reset", "slow", "expire", "throttle")
OPERATION_EFFECTS = ("fail_later", "never_end")  # the write is accepted; its operation misbehaves


@dataclass(frozen=True)
class Fault:
    """An injected misbehaviour: an error answer by default, or one of the other effects."""

    id: int
    method: str
    pattern: str
    status: int
    code: str
    message: str
    remaining: int | None
    headers: dict[str, str]
    effect: str = "answer"
    probability: float = 1.0  # the share of matching requests it fires on, drawn from its own seeded generator
    seed: int | None = None
    delay: float = 0.0  # "slow": seconds the answer is held back
    allowance: int = 0  # "throttle": writes that still get through (the remaining-writes header counts down)
    fired: int = 0

    @property
    def async_failure(self) -> bool:
        return self.effect in OPERATION_EFFECTS


class Store:
    """Typed access to the SQLite state; every method is atomic."""

    def __init__(self, path: Path) -> None:
        self.path = path  # its folder holds the emulator's CA, which outbound calls (scheduled runs) trust
        self._lock = threading.RLock()
        self._closed = False
        self._faults: list[Fault] = []
        self._fault_ids = 0
        self._fault_draws: dict[int, random.Random] = {}
        self._fired: dict[int, int] = {}
        self._hung: set[str] = set()  # operations a never_end fault holds, until faults are cleared
        self._created: list[Row] = []  # every resource as first stored, in order: a duplicate shows twice
        _make_private(path)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._drop_outdated_tokens()
        self._db.executescript(_SCHEMA)
        for sidecar in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if sidecar.exists():  # SQLite gives them the database's mode; fix folders made by older emulators
                os.chmod(sidecar, 0o600)

    def _drop_outdated_tokens(self) -> None:
        """A state folder from before tokens had an audience: its tokens cannot be checked, so they go."""
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(tokens)").fetchall()}
        if columns and "audience" not in columns:
            self._db.execute("DROP TABLE tokens")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._db.close()

    def in_background(self, work: Callable[..., None], *args: Any) -> None:
        """Run ``work(*args)`` in a daemon thread: what an operation goes on doing after its request was answered
        (a pipeline or workflow run). It may outlive the emulator: once this store is closed, it just ends."""

        def run() -> None:
            try:
                work(*args)
            except sqlite3.ProgrammingError:
                if not self._closed:
                    raise

        threading.Thread(target=run, name=f"emulator-{getattr(work, '__module__', 'work')}", daemon=True).start()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # resources

    def get(self, key: str) -> Row | None:
        found = self._rows(f"SELECT {_ROW_COLUMNS} FROM resources WHERE key = ?", (key.lower(),))
        return _row(found[0]) if found else None

    def put(self, row: Row) -> None:
        with self._tx() as db:
            if not db.execute("SELECT 1 FROM resources WHERE key = ?", (row.key,)).fetchone():
                self._created.append(row)
            db.execute(
                f"INSERT OR REPLACE INTO resources ({_ROW_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    row.key,
                    row.id,
                    row.parent,
                    row.subscription,
                    row.resource_group,
                    row.type,
                    json.dumps(row.body),
                    json.dumps(row.private),
                    row.operation,
                    row.created,
                ),
            )

    def find(
        self,
        *,
        subscription: str | None = None,
        parent: str | None = None,
        resource_group: str | None = None,
        type_: str | None = None,
        name: str | None = None,
    ) -> list[Row]:
        """Resources matching every given criterion (case-insensitively), oldest first."""
        clauses, args = [], []
        for column, value in (
            ("subscription", subscription),
            ("parent", parent),
            ("resource_group", resource_group),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                args.append(value.lower())
        if type_ is not None:
            clauses.append("lower(type) = ?")
            args.append(type_.lower())
        if name is not None:
            clauses.append("key LIKE ? ESCAPE '\\'")
            args.append("%/" + re.sub(r"([\\%_])", r"\\\1", name.lower()))
        where = " AND ".join(clauses) or "1"
        sql = f"SELECT {_ROW_COLUMNS} FROM resources WHERE {where} ORDER BY created, key"
        return [_row(found) for found in self._rows(sql, tuple(args))]

    def delete_tree(self, key: str) -> None:
        """Remove a resource and everything whose id it prefixes (children, a group's content)."""
        key = key.lower()
        with self._tx() as db:
            db.execute("DELETE FROM resources WHERE key = ? OR substr(key, 1, ?) = ?", (key, len(key) + 1, key + "/"))

    # operations

    def add_operation(self, op: Operation) -> None:
        with self._tx() as db:
            db.execute(
                f"INSERT INTO operations ({_OP_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    op.id,
                    op.kind,
                    op.target,
                    op.namespace,
                    op.started,
                    op.ready_at,
                    json.dumps(op.states),
                    op.outcome,
                    json.dumps(op.error) if op.error else None,
                    op.fail_status,
                    op.done_status,
                ),
            )

    def operation(self, op_id: str) -> Operation | None:
        found = self._rows(f"SELECT {_OP_COLUMNS} FROM operations WHERE lower(id) = ?", (op_id.lower(),))
        return _operation(found[0]) if found else None

    def tree(self, key: str) -> list[Row]:
        """A resource and everything whose id it prefixes, as delete_tree would remove them."""
        key = key.lower()
        where = "key = ? OR substr(key, 1, ?) = ?"
        found = self._rows(f"SELECT {_ROW_COLUMNS} FROM resources WHERE {where}", (key, len(key) + 1, key + "/"))
        return [_row(row) for row in found]

    def settle(self, now: float, on_remove: Callable[[Row], None] | None = None) -> None:
        """Apply the deletes whose time has come: the only state change that cannot be derived when read.
        ``on_remove`` sees each resource about to go (Key Vault keeps a deleted vault of a deleted group)."""
        due = self._rows(
            "SELECT id, target FROM operations WHERE kind = 'delete' AND applied = 0 AND ready_at <= ?"
            " AND outcome = 'Succeeded'",
            (now,),
        )
        for op_id, target in due:
            row = self.get(target)
            if row is not None and row.operation == op_id:
                for removed in self.tree(target) if on_remove else ():
                    on_remove(removed)
                self.delete_tree(target)
            with self._tx() as db:
                db.execute("UPDATE operations SET applied = 1 WHERE id = ?", (op_id,))

    # provider registrations

    def registration(self, subscription: str, namespace: str) -> tuple[bool, float] | None:
        found = self._rows(
            "SELECT registered, ready_at FROM registrations WHERE subscription = ? AND namespace = ?",
            (subscription.lower(), namespace.lower()),
        )
        return (bool(found[0][0]), found[0][1]) if found else None

    def set_registration(self, subscription: str, namespace: str, registered: bool, ready_at: float) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO registrations VALUES (?,?,?,?)",
                (subscription.lower(), namespace.lower(), int(registered), ready_at),
            )

    # tokens

    def add_token(self, token: str, client_id: str, expires_at: float, *, principal_id: str, audience: str) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO tokens (token, client_id, principal_id, audience, expires_at) VALUES (?,?,?,?,?)",
                (_digest(token), client_id, principal_id, audience, expires_at),
            )

    def token(self, token: str) -> TokenRecord | None:
        found = self._rows(
            "SELECT client_id, principal_id, audience, expires_at FROM tokens WHERE token = ?", (_digest(token),)
        )
        return TokenRecord(*found[0]) if found else None

    # blobs (the data plane of storage accounts)

    def put_blob(self, blob: "Blob") -> None:
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO blobs VALUES (?,?,?,?,?,?,?)",
                (
                    blob.account.lower(),
                    blob.container,
                    blob.name,
                    blob.data,
                    blob.content_type,
                    json.dumps(blob.metadata),
                    blob.modified,
                ),
            )

    def blob(self, account: str, container: str, name: str) -> "Blob | None":
        found = self._rows(
            f"SELECT {_BLOB_COLUMNS} FROM blobs WHERE account = ? AND container = ? AND name = ?",
            (account.lower(), container, name),
        )
        return _blob(found[0]) if found else None

    def blobs(self, account: str, container: str, prefix: str = "") -> list["Blob"]:
        """Blobs of a container whose names start with ``prefix``, by name."""
        found = self._rows(
            f"SELECT {_BLOB_COLUMNS} FROM blobs WHERE account = ? AND container = ? AND substr(name, 1, ?) = ?"
            " ORDER BY name",
            (account.lower(), container, len(prefix), prefix),
        )
        return [_blob(row) for row in found]

    def expire_tokens(self, now: float) -> None:
        """End every issued token now, as a revocation (or a client's clock running slow) does in Azure."""
        with self._tx() as db:
            db.execute("UPDATE tokens SET expires_at = ? WHERE expires_at > ?", (now, now))

    # faults: in memory only, never in the state file (a fault's message is test input and may quote secrets)

    def add_fault(self, fault: Fault) -> int:
        with self._lock:
            self._fault_ids += 1
            self._faults.append(replace(fault, id=self._fault_ids))
            self._fault_draws[self._fault_ids] = random.Random(fault.seed)
            return self._fault_ids

    def faults(self) -> list[Fault]:
        """Active faults, each with how often it has fired."""
        with self._lock:
            return [replace(fault, fired=self._fired.get(fault.id, 0)) for fault in self._faults]

    def fired(self, fault_id: int) -> int:
        """How often a fault fired, also after it is used up or cleared."""
        with self._lock:
            return self._fired.get(fault_id, 0)

    def take_fault(self, method: str, path: str, *, async_failure: bool, long_running: bool = True) -> Fault | None:
        """Consume one use of the oldest fault matching this request, if any (and if its draw says so).

        A throttle fault lets its allowance of writes through first: it is returned for them with the allowance
        left after this one, and counts as fired (with a use consumed) only once it answers 429.
        """
        with self._lock:
            for index, fault in enumerate(self._faults):
                if fault.async_failure != async_failure or fault.method not in ("*", method.upper()):
                    continue
                if fault.effect == "never_end" and not long_running:
                    continue
                if not re.search(fault.pattern, path):
                    continue
                if fault.probability < 1.0 and self._fault_draws[fault.id].random() >= fault.probability:
                    continue
                if fault.effect == "throttle" and fault.allowance > 0:
                    self._faults[index] = replace(fault, allowance=fault.allowance - 1)
                    return self._faults[index]
                self._fired[fault.id] = self._fired.get(fault.id, 0) + 1
                if fault.remaining is None:
                    pass
                elif fault.remaining <= 1:
                    del self._faults[index]
                else:
                    self._faults[index] = replace(fault, remaining=fault.remaining - 1)
                return replace(fault, allowance=-1) if fault.effect == "throttle" else fault
        return None

    def hold(self, op_id: str) -> None:
        """Remember an operation a never_end fault keeps running, so lifting the faults lets it finish."""
        with self._lock:
            self._hung.add(op_id)

    def clear_faults(self) -> None:
        """Lift every fault: operations they hold running end now, as a stuck operation in Azure eventually does."""
        with self._lock:
            self._faults.clear()
            hung, self._hung = self._hung, set()
        now = time.time()
        with self._tx() as db:
            for op_id in hung:
                db.execute("UPDATE operations SET ready_at = ? WHERE id = ? AND ready_at > ?", (now, op_id, now))

    # request log

    def log_request(self, method: str, path: str, query: str, status: int, time: float, body: Any = None) -> None:
        logged = None if body is None else json.dumps(_masked(body))
        with self._tx() as db:
            db.execute(
                "INSERT INTO requests (method, path, query, status, time, body) VALUES (?,?,?,?,?,?)",
                (method, path, query, status, time, logged),
            )

    def requests(self) -> list[dict[str, Any]]:
        """The request log, oldest first; a PUT's entry keeps the body it sent, so that a test can hold what a
        client sent against what it says it sends (an exported ARM template)."""
        rows = self._rows("SELECT method, path, query, status, time, body FROM requests ORDER BY seq")
        keys = ("method", "path", "query", "status", "time")
        return [
            {**dict(zip(keys, found[:5], strict=True)), "body": None if found[5] is None else json.loads(found[5])}
            for found in rows
        ]

    def created(self) -> list[Row]:
        """Every resource created since the emulator started (or was reset or restored), as it was created; a
        resource deleted and created again is there twice."""
        with self._lock:
            return list(self._created)

    def snapshot(self, path: Path) -> None:
        """Copy the whole state to a file, to `restore` it later (a test's starting point, taken once)."""
        with self._lock:
            target = sqlite3.connect(path)
            try:
                self._db.backup(target)
            finally:
                target.close()

    def restore(self, path: Path) -> None:
        """Go back to a `snapshot`: its resources, operations, tokens and log; no faults, nothing created yet."""
        self.clear_faults()
        with self._lock:
            source = sqlite3.connect(path)
            try:
                source.backup(self._db)
            finally:
                source.close()
            self._created.clear()

    def reset(self) -> None:
        """Forget resources, operations, registrations, faults and the log; keep issued tokens valid."""
        self.clear_faults()
        with self._lock:
            self._created.clear()
        with self._tx() as db:
            for table in ("resources", "operations", "registrations", "requests", "blobs"):
                db.execute(f"DELETE FROM {table}")


_BLOB_COLUMNS = "account, container, name, data, content_type, metadata, modified"
_ROW_COLUMNS = "key, id, parent, subscription, resource_group, type, body, private, operation, created"
_OP_COLUMNS = "id, kind, target, namespace, started, ready_at, states, outcome, error, fail_status, done_status"


def _digest(token: str) -> str:
    """Tokens are kept as digests: the state file must not hold a bearer token anyone could replay."""
    return hashlib.sha256(token.encode()).hexdigest()


def _make_private(path: Path) -> None:
    """Create the database owner-only before SQLite opens it (its -wal and -shm files inherit the mode)."""
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)


def _row(found: tuple[Any, ...]) -> Row:
    key, id_, parent, subscription, group, type_, body, private, operation, created = found
    return Row(key, id_, parent, subscription, group, type_, json.loads(body), json.loads(private), operation, created)


def _operation(found: tuple[Any, ...]) -> Operation:
    op_id, kind, target, namespace, started, ready_at, states, outcome, error, fail_status, done_status = found
    return Operation(
        op_id,
        kind,
        target,
        namespace,
        started,
        ready_at,
        tuple(json.loads(states)),
        outcome,
        json.loads(error) if error else None,
        fail_status,
        done_status,
    )


def _blob(found: tuple[Any, ...]) -> Blob:
    account, container, name, data, content_type, metadata, modified = found
    return Blob(account, container, name, bytes(data), content_type, json.loads(metadata), modified)


def _masked(body: Any) -> Any:
    """The body with a VM's admin password masked: Azure never shows it again, and neither does the log."""
    properties = body.get("properties") if isinstance(body, dict) else None
    profile = properties.get("osProfile") if isinstance(properties, dict) else None
    if not isinstance(profile, dict) or not profile.get("adminPassword"):
        return body
    return {**body, "properties": {**properties, "osProfile": {**profile, "adminPassword": MASKED}}}
