"""Push and pull bodies, compression, problems and auth of protocol v1 (see the package)."""

from __future__ import annotations

import threading
from typing import Literal, TypeVar

import zstandard
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 1
API_PREFIX = "/api/v1"
CONTENT_TYPE = "application/x-gateui-v1"
ENCODING = "zstd"
# A batch is cut by size, not count: at 64 kbit/s one compressed batch of this many bytes
# takes about 4 s, well inside a slow link's timeout, yet carries ~1,500 entries.
MAX_BATCH_RAW_BYTES = 512 * 1024
MAX_BATCH_CHANGES = 5_000
MAX_BODY_BYTES = 8 * 1024 * 1024  # HQ refuses anything larger after decompression
AUTH_SCHEME = "GateUI"

# zstandard's (de)compressor objects must not be used by two threads at once, and HQ
# serves requests from a thread pool: one compressor per thread.
_local = threading.local()


class ProtocolError(ValueError):
    """A body that does not follow this protocol (HQ answers 400, the client stops the stream)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def compress(data: bytes) -> bytes:
    compressor = getattr(_local, "compressor", None)
    if compressor is None:
        compressor = _local.compressor = zstandard.ZstdCompressor(level=9)
    result: bytes = compressor.compress(data)
    return result


_FEED = 1024  # compressed bytes per step: bounds the output of one step to a few MiB


def decompress(data: bytes, limit: int = MAX_BODY_BYTES) -> bytes:
    """Decompress one or more zstd frames, refusing more than `limit` bytes of output.

    Fed a little at a time, so a small "zip bomb" (or a frame header that claims a huge
    size) is refused as `too_large` before it is held in memory; a truncated frame or
    trailing garbage is `bad_encoding`.
    """
    out = bytearray()
    view = memoryview(data)
    pos = 0
    try:
        while True:
            dobj = zstandard.ZstdDecompressor().decompressobj()
            while not dobj.eof and pos < len(view):
                out += dobj.decompress(view[pos : pos + _FEED])
                pos += _FEED
                if len(out) > limit:
                    raise ProtocolError("too_large", f"body larger than {limit} bytes")
            if not dobj.eof:
                raise ProtocolError("bad_encoding", "body is not zstd: truncated frame")
            rest = dobj.unused_data
            if not rest and pos >= len(view):
                return bytes(out)
            # Another frame follows (concatenated frames are valid zstd).
            view, pos = memoryview(bytes(rest) + bytes(view[pos:])), 0
    except zstandard.ZstdError as exc:
        raise ProtocolError("bad_encoding", f"body is not zstd: {exc}") from exc


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PushHeader(_Model):
    v: int = PROTOCOL_VERSION
    device: str = Field(min_length=1, max_length=32)
    first_seq: int = Field(ge=1)
    count: int = Field(ge=1, le=MAX_BATCH_CHANGES)
    prev_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    last_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    pending: int = Field(ge=0, description="changes the device still holds after this batch")
    device_time: AwareDatetime


class WireChange(_Model):
    kind: str
    payload: bytes
    # Set for a purged change: the hex SHA-256 the chain covers; `payload` is then the
    # purged payload (or empty) and is not hashed.
    digest: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class PushAck(_Model):
    v: int = PROTOCOL_VERSION
    device: str
    acked_seq: int = Field(description="highest contiguous sequence HQ holds for the device")
    stored: int = Field(description="changes newly stored by this request")
    server_time: AwareDatetime


class PullHeader(_Model):
    v: int = PROTOCOL_VERSION
    next_cursor: int
    more: bool


class PullItem(_Model):
    cursor: int
    kind: str
    payload: bytes


ProblemCode = Literal[
    "gap",
    "conflict",
    "chain_mismatch",
    "bad_request",
    "bad_encoding",
    "too_large",
    "unauthorized",
    "revoked",
    "wrong_device",
    "bad_enrollment",
    "version",
    "internal",
    "not_found",  # HQ: no such route
    "method_not_allowed",
    "unavailable",  # HQ: database busy or down (503 with Retry-After): retry later
]


class Problem(_Model):
    v: int = PROTOCOL_VERSION
    error: str
    message: str
    expected_seq: int | None = None
    acked_seq: int | None = None


class EnrollRequest(_Model):
    code: str = Field(min_length=4, max_length=64)
    device: str = Field(min_length=1, max_length=32)
    name: str = Field(default="", max_length=64)


class EnrollResponse(_Model):
    device: str
    site: str
    token: str
    acked_seq: int = 0


PURGED_MARK = b"#"  # first byte of a purged change's payload field (never of JSON)


def purged_field(digest: str, payload: bytes = b"") -> bytes:
    """The payload field of a purged change: '#' digest, then TAB and the purged payload."""
    return PURGED_MARK + digest.encode("ascii") + (b"\t" + payload if payload else b"")


def split_purged(field: bytes) -> tuple[str, bytes] | None:
    """(digest, purged payload) of a purged change's payload field; None for a plain one.

    Raises ProtocolError when the field starts like a purged one but is malformed.
    """
    if not field.startswith(PURGED_MARK):
        return None
    digest, sep, payload = field[1:].partition(b"\t")
    if len(digest) != 64 or not all(c in b"0123456789abcdef" for c in digest):
        raise ProtocolError("bad_request", "a purged change needs '#' and 64 lower-case hex")
    if sep and not payload:
        raise ProtocolError("bad_request", "a purged change's TAB must be followed by a payload")
    return digest.decode("ascii"), payload


def encode_push(header: PushHeader, changes: list[WireChange]) -> bytes:
    """The uncompressed push body."""
    if header.count != len(changes):
        raise ValueError("header.count must equal the number of changes")
    lines = [header.model_dump_json().encode()]
    for change in changes:
        if b"\n" in change.payload or "\t" in change.kind or "\n" in change.kind:
            raise ValueError("payloads must be canonical JSON (no raw newline)")
        if change.digest is not None:
            if b"\t" in change.payload:
                raise ValueError("a purged payload must be canonical JSON (no raw tab)")
            field = purged_field(change.digest, change.payload)
        elif change.payload.startswith(PURGED_MARK):
            raise ValueError("a payload must be canonical JSON (it cannot start with '#')")
        else:
            field = change.payload
        lines.append(change.kind.encode() + b"\t" + field)
    return b"\n".join(lines)


_Header = TypeVar("_Header", bound="_Model")


def _split_header(body: bytes, model: type[_Header], what: str) -> tuple[_Header, bytes]:
    """The body's first line as its header model, and the rest of the body."""
    first, _, rest = body.partition(b"\n")
    try:
        return model.model_validate_json(first), rest
    except ValueError as exc:
        raise ProtocolError("bad_request", f"bad {what} header: {exc}") from exc


def decode_push(body: bytes) -> tuple[PushHeader, list[WireChange]]:
    header, rest = _split_header(body, PushHeader, "push")
    if header.v != PROTOCOL_VERSION:
        raise ProtocolError("version", f"protocol version {header.v} is not {PROTOCOL_VERSION}")
    lines = rest.split(b"\n") if rest else []
    if len(lines) != header.count:
        raise ProtocolError(
            "bad_request", f"header says {header.count} changes, body has {len(lines)}"
        )
    changes = []
    for line in lines:
        kind, sep, payload = line.partition(b"\t")
        if not sep or not kind:
            raise ProtocolError("bad_request", "a change line needs <kind> TAB <payload>")
        purged = split_purged(payload)
        try:
            if purged is None:
                changes.append(WireChange(kind=kind.decode(), payload=payload))
            else:
                digest, rest = purged
                changes.append(WireChange(kind=kind.decode(), payload=rest, digest=digest))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ProtocolError("bad_request", f"bad change line: {exc}") from exc
    return header, changes


def encode_pull(header: PullHeader, items: list[PullItem]) -> bytes:
    lines = [header.model_dump_json().encode()]
    lines += [f"{i.cursor}\t{i.kind}\t".encode() + i.payload for i in items]
    return b"\n".join(lines)


def decode_pull(body: bytes) -> tuple[PullHeader, list[PullItem]]:
    header, rest = _split_header(body, PullHeader, "pull")
    items = []
    for line in rest.split(b"\n") if rest else []:
        parts = line.split(b"\t", 2)
        if len(parts) != 3:
            raise ProtocolError(
                "bad_request", "a pull line needs <cursor> TAB <kind> TAB <payload>"
            )
        try:
            items.append(PullItem(cursor=int(parts[0]), kind=parts[1].decode(), payload=parts[2]))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ProtocolError("bad_request", f"bad pull line: {exc}") from exc
    return header, items


def auth_header(device: str, token: str) -> dict[str, str]:
    return {"Authorization": f"{AUTH_SCHEME} {device}:{token}"}


def parse_auth(value: str | None) -> tuple[str, str] | None:
    if not value or not value.startswith(AUTH_SCHEME + " "):
        return None
    device, sep, token = value[len(AUTH_SCHEME) + 1 :].partition(":")
    return (device, token) if sep and device and token else None
