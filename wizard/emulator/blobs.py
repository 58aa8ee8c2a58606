"""A small blob data plane: what azure-storage-blob and azure-ai-ml do with the URLs the emulator hands out.

Azure serves blobs at ``https://{account}.blob.{suffix}/{container}/{name}``; such names cannot resolve on
loopback, so the emulator serves them at ``{its own base URL}/_blob/{account}/{container}/{name}`` and only ever
hands out URLs of that form (``sasUri`` of a pending upload, a job's output and log links). Access is by SAS
alone, signed with the account's key1, so a URL works for as long as it says and for what it says
(``sp``: r read, c/w write, l list). Errors carry ``x-ms-error-code`` as the storage SDK reads them.
"""

import base64
import hashlib
import hmac
import time
from email.utils import formatdate
from urllib.parse import quote, unquote
from xml.sax.saxutils import escape

from wizard.emulator.context import Ctx
from wizard.emulator.store import Blob, Store
from wizard.emulator.wire import ArmError, Reply, iso

PREFIX = "/_blob/"
SAS_VERSION = "2021-08-06"
_ACCOUNT_TYPE = "Microsoft.Storage/storageAccounts"
_XML = "application/xml"


class BlobError(ArmError):
    """A storage error: XML body and the x-ms-error-code header instead of ARM's JSON."""

    def reply(self) -> Reply:
        body = (
            f'<?xml version="1.0" encoding="utf-8"?><Error><Code>{self.code}</Code>'
            f"<Message>{escape(self.message)}</Message></Error>"
        ).encode()
        return Reply(self.status, body, {"x-ms-error-code": self.code, "Content-Type": _XML, **self.headers})


def _key(store: Store, account: str) -> bytes:
    rows = store.find(type_=_ACCOUNT_TYPE, name=account)
    if not rows:
        raise BlobError(404, "ResourceNotFound", f"The storage account '{account}' does not exist.")
    return base64.b64decode(rows[0].private["keys"]["key1"])


def _signature(key: bytes, account: str, container: str, permissions: str, expiry: str) -> str:
    message = f"{account.lower()}\n{container}\n{permissions}\n{expiry}".encode()
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def container_url(
    ctx: Ctx, account: str, container: str, *, permissions: str = "rl", hours: float = 24.0
) -> tuple[str, str]:
    """(container URL, SAS query) on this emulator, valid for ``hours``."""
    expiry = iso(ctx.now + hours * 3600)
    signature = _signature(_key(ctx.store, account), account, container, permissions, expiry)
    sas = f"sv={SAS_VERSION}&sr=c&sp={permissions}&se={quote(expiry)}&sig={quote(signature, safe='')}"
    return f"{ctx.base_url}{PREFIX}{account}/{container}", sas


def blob_url(ctx: Ctx, account: str, container: str, name: str, *, permissions: str = "r") -> str:
    url, sas = container_url(ctx, account, container, permissions=permissions)
    return f"{url}/{quote(name)}?{sas}"


_DATA_ACTIONS = {"r": "read", "l": "read", "cw": "write"}


def _authorize_bearer(ctx: Ctx, account: str, container: str, wanted: str) -> None:
    """Entra authorization: a token for storage whose principal holds a blob data role on the account."""
    from wizard.emulator import identity
    from wizard.emulator.providers import authorization

    caller = identity.authenticate(ctx, audience=identity.STORAGE_AUDIENCE)
    rows = ctx.store.find(type_=_ACCOUNT_TYPE, name=account)
    scope = f"{rows[0].id}/blobServices/default/containers/{container}" if rows else ""
    data_action = f"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/{_DATA_ACTIONS[wanted]}"
    if not rows or not authorization.allows_data(ctx, caller.principal_id, scope, data_action):
        raise BlobError(
            403,
            "AuthorizationPermissionMismatch",
            "This request is not authorized to perform this operation using this permission.",
        )


def _authorize(ctx: Ctx, account: str, container: str, wanted: str) -> None:
    if (ctx.request.headers.get("Authorization") or "").lower().startswith("bearer "):
        _authorize_bearer(ctx, account, container, wanted)
        return
    query = ctx.request.query
    permissions, expiry, signature = query.get("sp", ""), query.get("se", ""), query.get("sig", "")
    if not signature:
        raise BlobError(
            403,
            "NoAuthenticationInformation",
            "Server failed to authenticate the request. Please refer to the "
            "information in the www-authenticate header.",
        )
    expected = _signature(_key(ctx.store, account), account, container, permissions, expiry)
    if not hmac.compare_digest(expected, signature):
        raise BlobError(403, "AuthenticationFailed", "Signature did not match the string to sign.")
    if expiry < iso(ctx.now):
        raise BlobError(403, "AuthenticationFailed", f"Signed expiry time [{expiry}] must be after signed start time.")
    if not set(wanted) & set(permissions):
        raise BlobError(
            403,
            "AuthorizationPermissionMismatch",
            "This request is not authorized to perform this operation using this permission.",
        )


def _headers(blob: Blob) -> dict[str, str]:
    etag = '"0x' + hashlib.md5(blob.data, usedforsecurity=False).hexdigest()[:16].upper() + '"'
    headers = {
        "ETag": etag,
        "Last-Modified": formatdate(blob.modified, usegmt=True),
        "x-ms-blob-type": "BlockBlob",
        "x-ms-version": SAS_VERSION,
        "Content-Type": blob.content_type,
        "x-ms-creation-time": formatdate(blob.modified, usegmt=True),
    }
    headers |= {f"x-ms-meta-{name}": value for name, value in blob.metadata.items()}
    return headers


def _metadata(ctx: Ctx) -> dict[str, str]:
    return {
        name[len("x-ms-meta-") :]: value
        for name, value in ctx.request.headers.items()
        if name.lower().startswith("x-ms-meta-")
    }


def handle(ctx: Ctx) -> Reply:
    """Every request under /_blob/{account}/{container}[/{name}]."""
    parts = ctx.request.path[len(PREFIX) :].split("/", 2)
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise BlobError(400, "InvalidUri", "The requested URI does not represent any resource on the server.")
    account, container = parts[0], parts[1]
    name = unquote(parts[2]) if len(parts) == 3 else ""
    method = ctx.request.method
    if not name:
        if method == "GET" and ctx.request.query.get("comp") == "list":
            _authorize(ctx, account, container, "l")
            return _list(ctx, account, container)
        raise BlobError(400, "InvalidQueryParameterValue", "This container operation is not supported here.")
    if method == "PUT":
        _authorize(ctx, account, container, "cw")
        return _put(ctx, account, container, name)
    if method in ("GET", "HEAD"):
        _authorize(ctx, account, container, "r")
        return _read(ctx, account, container, name)
    raise BlobError(405, "UnsupportedHttpVerb", f"The resource doesn't support the {method} verb.")


def _put(ctx: Ctx, account: str, container: str, name: str) -> Reply:
    existing = ctx.store.blob(account, container, name)
    if ctx.request.query.get("comp") == "metadata":
        if existing is None:
            raise BlobError(404, "BlobNotFound", "The specified blob does not exist.")
        updated = Blob(account, container, name, existing.data, existing.content_type, _metadata(ctx), ctx.now)
        ctx.store.put_blob(updated)
        return Reply(200, None, {"ETag": _headers(updated)["ETag"], "x-ms-version": SAS_VERSION})
    if existing is not None and ctx.request.headers.get("If-None-Match") == "*":
        raise BlobError(409, "BlobAlreadyExists", "The specified blob already exists.")
    content_type = ctx.request.headers.get("x-ms-blob-content-type") or "application/octet-stream"
    blob = Blob(account, container, name, ctx.request.body, content_type, _metadata(ctx), ctx.now)
    ctx.store.put_blob(blob)
    headers = {key: _headers(blob)[key] for key in ("ETag", "Last-Modified", "x-ms-version")}
    headers["x-ms-request-server-encrypted"] = "true"
    headers["Content-MD5"] = base64.b64encode(hashlib.md5(blob.data, usedforsecurity=False).digest()).decode()
    return Reply(201, None, headers)


def _read(ctx: Ctx, account: str, container: str, name: str) -> Reply:
    blob = ctx.store.blob(account, container, name)
    if blob is None:
        raise BlobError(404, "BlobNotFound", "The specified blob does not exist.")
    headers = _headers(blob)
    wanted = ctx.request.headers.get("x-ms-range") or ctx.request.headers.get("Range")
    size = len(blob.data)
    if wanted and wanted.startswith("bytes=") and ctx.request.method == "GET":
        first, _, last = wanted[len("bytes=") :].partition("-")
        start = int(first or 0)
        if start >= size:
            raise BlobError(
                416,
                "InvalidRange",
                "The range specified is invalid for the current size of the resource.",
                {"Content-Range": f"bytes */{size}"},
            )
        end = min(int(last) if last else size - 1, size - 1)
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        headers["Accept-Ranges"] = "bytes"
        return Reply(206, blob.data[start : end + 1] or b"", headers)
    return Reply(200, blob.data or b"", headers)


def _list(ctx: Ctx, account: str, container: str) -> Reply:
    prefix = ctx.request.query.get("prefix", "")
    items = "".join(
        f"<Blob><Name>{escape(blob.name)}</Name><Properties><Last-Modified>{formatdate(blob.modified, usegmt=True)}"
        f"</Last-Modified><Content-Length>{len(blob.data)}</Content-Length><Content-Type>{escape(blob.content_type)}"
        "</Content-Type><BlobType>BlockBlob</BlobType></Properties></Blob>"
        for blob in ctx.store.blobs(account, container, prefix)
    )
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="{ctx.base_url}{PREFIX}{account}/"'
        f' ContainerName="{escape(container)}"><Prefix>{escape(prefix)}</Prefix><Blobs>{items}</Blobs>'
        "<NextMarker /></EnumerationResults>"
    )
    return Reply(200, body.encode(), {"Content-Type": _XML, "x-ms-version": SAS_VERSION})


def write(store: Store, account: str, container: str, name: str, data: bytes, content_type: str = "text/plain") -> None:
    """Store a blob on the emulator's own behalf (a job's output and log)."""
    store.put_blob(Blob(account, container, name, data, content_type, {}, time.time()))
