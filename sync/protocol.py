"""The GateUI sync protocol, version 1: the only module both ends import.

Push (device -> HQ), `POST /api/v1/push`, body compressed with zstd:

    line 0   JSON PushHeader: device, first_seq, count, prev_hash, last_hash, pending, device_time
    line 1+  <kind> TAB <payload>      one line per change, in sequence order

The payload is the change's canonical JSON exactly as the device hashed it (it never
contains a raw newline or tab: JSON escapes them), so HQ recomputes the chain from the
bytes it received. There is no per-record id or hash on the wire: (device, first_seq + i)
names each change and the one `last_hash` per batch proves the whole chain.

A change whose payload the device purged under the privacy rules (only ever one HQ had
acknowledged, resent after HQ lost it to a restored backup) travels as

    <kind> TAB #<64 hex digest> [TAB <purged payload>]

the digest being the SHA-256 the chain covers (the payload as first written); the optional
purged payload (personal data replaced by markers) lets HQ still project the record. A
canonical JSON payload never starts with '#', so the two forms cannot be confused. This
is an addition within version 1: bodies of devices that never purge are unchanged, and an
HQ that predates it refuses such a batch as `chain_mismatch` (storing nothing), so no
version bump was needed.

HQ answers PushAck with the highest *contiguous* sequence it holds for the device. A batch
that starts after that + 1 is refused (`gap`, with `expected_seq`); a batch overlapping
what HQ holds is compared change by change: identical -> accepted as a no-op for that part,
different -> refused as `conflict` and stored nowhere.

Pull (HQ -> device), `GET /api/v1/pull?cursor=N`, answer compressed the same way:

    line 0   JSON PullHeader: next_cursor, more
    line 1+  <cursor> TAB <kind> TAB <payload>

Errors are JSON `Problem` bodies with a stable `error` code.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

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


def decode_push(body: bytes) -> tuple[PushHeader, list[WireChange]]:
    first, _, rest = body.partition(b"\n")
    try:
        header = PushHeader.model_validate_json(first)
    except ValueError as exc:
        raise ProtocolError("bad_request", f"bad push header: {exc}") from exc
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
    first, _, rest = body.partition(b"\n")
    try:
        header = PullHeader.model_validate_json(first)
    except ValueError as exc:
        raise ProtocolError("bad_request", f"bad pull header: {exc}") from exc
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


# --- payloads of the record kinds HQ projects into typed tables ------------------------------
# Extra fields are ignored (a newer device may send more); the raw bytes are kept anyway.


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class EntryPayload(_Payload):
    """`entry.recorded`: one passage or refused attempt."""

    id: str
    checkpoint_code: str
    subject: Literal["person", "vehicle"]
    person_id: str | None = None
    vehicle_id: str | None = None
    name: str | None = None
    id_number: str | None = None
    plate: str | None = None
    direction: Literal["in", "out"]
    outcome: Literal["admitted", "denied", "referred"]
    reasons: str = "[]"
    guard_id: str
    override_by: str | None = None
    vehicle_entry_id: str | None = None
    at: AwareDatetime


class CorrectionPayload(_Payload):
    """`entry.amended` / `entry.voided`."""

    id: str
    entry_id: str
    action: Literal["amend", "void"]
    changes: str = "{}"
    reason: str
    by_user: str
    at: AwareDatetime


class ReportTotalsPayload(_Payload):
    """The counts of a daily report (gateui.domain.reports.DailyTotals.to_payload)."""

    checkpoints: dict[str, dict[str, int]] = Field(default_factory=dict)
    passages: int = Field(ge=0)
    people_in: int = Field(ge=0)
    people_out: int = Field(ge=0)
    vehicles_in: int = Field(ge=0)
    vehicles_out: int = Field(ge=0)
    denied: int = Field(ge=0)
    referred: int = Field(ge=0)
    reasons: dict[str, int] = Field(default_factory=dict)
    watch_hits: int = Field(ge=0)
    overrides: int = Field(ge=0)
    amended: int = Field(ge=0)
    voided: int = Field(ge=0)
    on_site_people: int = Field(ge=0)
    on_site_vehicles: int = Field(ge=0)
    abnormal: bool
    zero: bool


class DailyReportPayload(_Payload):
    """`report.daily`: one site's closed day as counted on one device, signed off by a
    leader; `zero` is the explicit "nothing abnormal" report."""

    id: str
    site_code: str
    day: date
    device_id: str
    zero: bool
    totals: ReportTotalsPayload
    roster: dict[str, Any] | None = None  # no-shows and gaps; None: nobody was rostered
    signed_by: str
    signed_name: str
    signed_at: AwareDatetime


PAYLOAD_MODELS: dict[str, type[_Payload]] = {
    "entry.recorded": EntryPayload,
    "entry.amended": CorrectionPayload,
    "entry.voided": CorrectionPayload,
    "report.daily": DailyReportPayload,
}


def parse_payload(kind: str, payload: bytes) -> Any:
    """The typed payload of a known kind, or None for kinds HQ only stores."""
    model = PAYLOAD_MODELS.get(kind)
    return model.model_validate_json(payload) if model else None


# --- payloads of the reference items HQ publishes through pull -------------------------------
# Field names are those of the terminal's tables, so a page applies field by field.


class RefPersonPayload(_Payload):
    """`person.upsert`: a person of HQ's registry (matched on the device by id_number)."""

    id: str
    kind: str
    name: str
    id_number: str | None = None
    phone: str | None = None
    unit: str | None = None
    status: str = "normal"
    status_note: str | None = None
    card_code: str | None = None


class RefVehiclePayload(_Payload):
    """`vehicle.upsert`: a vehicle of HQ's registry (matched on the device by plate_key)."""

    id: str
    plate: str
    plate_key: str
    kind: str
    unit: str | None = None
    status: str = "normal"


class RefWatchPayload(_Payload):
    """`watch.set`: a watch-list entry, by ID number or plate key; active=False lifts it."""

    id: str
    id_number: str | None = None
    plate_key: str | None = None
    reason: str
    active: bool
    since: AwareDatetime


class RefRosterEventPayload(_Payload):
    """`roster.event`: a roster event made on another terminal of the site. HQ relays the
    change (a kind of ROSTER_CHANGE_KINDS) byte for byte as its device pushed it; the
    terminal stores it idempotently by id (gateui.domain.roster.event_from_payload reads
    the rest), so its own events coming back change nothing."""

    model_config = ConfigDict(extra="allow", frozen=True)  # the event's own fields pass

    id: str = Field(min_length=1, max_length=64)
    kind: str
    site: str
    hlc_ms: int
    hlc_counter: int
    hlc_node: str


class RefChecklistPayload(_Payload):
    """`site.checklist`: the site's checklist, a list of items in the site file's format
    (gateui.domain.checklist.checklist_from_config); None: back to the site file's."""

    site: str
    items: list[dict[str, Any]] | None


class RefPassKeyPayload(_Payload):
    """`passkey.set`: a public key of HQ that signs passes; revoked=True withdraws it (for
    good: a revoked key is never honoured again). Never a private key."""

    key_id: str = Field(pattern=r"^[0-9A-F]{8}$")
    public_key: str = Field(max_length=64)  # raw 32 bytes, base64
    label: str = ""
    revoked: bool = False
    revoked_at: AwareDatetime | None = None


class RefPassRevokedPayload(_Payload):
    """`pass.revoked`: one pass withdrawn by HQ (or by a leader on another terminal of the
    site, relayed), named by gateui.domain.passes.pass_sha256."""

    pass_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    reason: str
    revoked_at: AwareDatetime
    origin: Literal["hq", "site"] = "hq"  # "site": a leader of this site, on another gate


REF_PAYLOAD_MODELS: dict[str, type[_Payload]] = {
    "person.upsert": RefPersonPayload,
    "vehicle.upsert": RefVehiclePayload,
    "watch.set": RefWatchPayload,
    "roster.event": RefRosterEventPayload,
    "site.checklist": RefChecklistPayload,
    "passkey.set": RefPassKeyPayload,
    "pass.revoked": RefPassRevokedPayload,
}

# The push kinds of roster events (gateui.services.roster_store.CHANGE_KINDS): HQ relays
# them to the other terminals of the pushing device's site as `roster.event` items.
ROSTER_CHANGE_KINDS = frozenset(
    {
        "roster.assigned",
        "roster.unassigned",
        "roster.locked",
        "roster.unlocked",
        "roster.resolved",
        "roster.unavailable_set",
        "roster.unavailable_cleared",
    }
)


# --- sneakernet bundles ------------------------------------------------------------------------
# A bundle carries push bodies on a USB stick. Signed with HMAC-SHA256 keyed by the SHA-256
# of the device's token, which HQ stores (it never stores the token itself): HQ can check
# that the device wrote it and that nothing on the stick changed it. The device id stands
# outside the compressed part and under the signature, so HQ checks the signature *before*
# it decompresses anything: a stick from nobody cannot make HQ inflate a gigabyte.
#
#   GATEUI-BUNDLE-2 LF <device> SP <hex HMAC over device LF compressed> LF <zstd bodies>

BUNDLE_MAGIC = b"GATEUI-BUNDLE-2\n"


def token_key(token: str) -> str:
    """What HQ stores for a device's token, and the key of the device's bundle signatures."""
    return hashlib.sha256(token.encode()).hexdigest()


BUNDLE_SEPARATOR = b"\n\x00\n"  # canonical JSON never holds a raw NUL byte
MAX_BUNDLE_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True)
class BundleFile:
    """A bundle as read from the stick, not yet trusted: nothing decompressed."""

    device: str
    signature: str
    compressed: bytes


def _bundle_mac(key: str, device: str, compressed: bytes) -> str:
    return hmac.new(key.encode(), device.encode() + b"\n" + compressed, hashlib.sha256).hexdigest()


def sign_bundle(device: str, token: str, push_bodies: list[bytes]) -> bytes:
    """The bytes of a bundle file: magic, device and signature line, compressed bodies."""
    if not device or any(c in device for c in " \n"):
        raise ValueError(f"bad device id {device!r}")
    compressed = compress(BUNDLE_SEPARATOR.join(push_bodies))
    mac = _bundle_mac(token_key(token), device, compressed)
    return BUNDLE_MAGIC + f"{device} {mac}\n".encode() + compressed


def read_bundle(data: bytes) -> BundleFile:
    """The parts of a bundle file; the caller checks the signature, then `bundle_bodies`."""
    if not data.startswith(BUNDLE_MAGIC):
        raise ProtocolError("bad_request", "not a GateUI bundle (or one of an older version)")
    line, sep, compressed = data[len(BUNDLE_MAGIC) :].partition(b"\n")
    device, space, mac = line.partition(b" ")
    if not sep or not space or not device or len(mac) != 64:
        raise ProtocolError("bad_request", "bundle signature missing")
    return BundleFile(
        device=device.decode("utf-8", "replace"),
        signature=mac.decode("ascii", "replace"),
        compressed=compressed,
    )


def bundle_signature_ok(stored_token_key: str, bundle: BundleFile) -> bool:
    expected = _bundle_mac(stored_token_key, bundle.device, bundle.compressed)
    return hmac.compare_digest(expected, bundle.signature)


def bundle_bodies(bundle: BundleFile) -> list[bytes]:
    """The push bodies of a bundle whose signature was checked."""
    return decompress(bundle.compressed, MAX_BUNDLE_BYTES).split(BUNDLE_SEPARATOR)
