"""The GateUI sync protocol, version 1: the only package both ends import.

One package, three parts: `wire` (push and pull bodies, compression, problems, auth),
`payloads` (typed payloads of the kinds HQ projects and publishes), `bundles` (USB
sticks). Import from `sync.protocol`; the parts are an implementation detail.

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

from sync.protocol.bundles import (
    BUNDLE_MAGIC,
    BUNDLE_SEPARATOR,
    MAX_BUNDLE_BYTES,
    BundleFile,
    bundle_bodies,
    bundle_signature_ok,
    read_bundle,
    sign_bundle,
    token_key,
)
from sync.protocol.payloads import (
    PAYLOAD_MODELS,
    REF_PAYLOAD_MODELS,
    ROSTER_CHANGE_KINDS,
    CorrectionPayload,
    DailyReportPayload,
    EntryPayload,
    RefChecklistPayload,
    RefPassKeyPayload,
    RefPassRevokedPayload,
    RefPersonPayload,
    RefRosterEventPayload,
    RefVehiclePayload,
    RefWatchPayload,
    ReportTotalsPayload,
    parse_payload,
)
from sync.protocol.wire import (
    API_PREFIX,
    AUTH_SCHEME,
    CONTENT_TYPE,
    ENCODING,
    MAX_BATCH_CHANGES,
    MAX_BATCH_RAW_BYTES,
    MAX_BODY_BYTES,
    PROTOCOL_VERSION,
    PURGED_MARK,
    EnrollRequest,
    EnrollResponse,
    Problem,
    ProblemCode,
    ProtocolError,
    PullHeader,
    PullItem,
    PushAck,
    PushHeader,
    WireChange,
    auth_header,
    compress,
    decode_pull,
    decode_push,
    decompress,
    encode_pull,
    encode_push,
    parse_auth,
    purged_field,
    split_purged,
)

__all__ = [
    "API_PREFIX",
    "AUTH_SCHEME",
    "BUNDLE_MAGIC",
    "BUNDLE_SEPARATOR",
    "CONTENT_TYPE",
    "ENCODING",
    "MAX_BATCH_CHANGES",
    "MAX_BATCH_RAW_BYTES",
    "MAX_BODY_BYTES",
    "MAX_BUNDLE_BYTES",
    "PAYLOAD_MODELS",
    "PROTOCOL_VERSION",
    "PURGED_MARK",
    "REF_PAYLOAD_MODELS",
    "ROSTER_CHANGE_KINDS",
    "BundleFile",
    "CorrectionPayload",
    "DailyReportPayload",
    "EnrollRequest",
    "EnrollResponse",
    "EntryPayload",
    "Problem",
    "ProblemCode",
    "ProtocolError",
    "PullHeader",
    "PullItem",
    "PushAck",
    "PushHeader",
    "RefChecklistPayload",
    "RefPassKeyPayload",
    "RefPassRevokedPayload",
    "RefPersonPayload",
    "RefRosterEventPayload",
    "RefVehiclePayload",
    "RefWatchPayload",
    "ReportTotalsPayload",
    "WireChange",
    "auth_header",
    "bundle_bodies",
    "bundle_signature_ok",
    "compress",
    "decode_pull",
    "decode_push",
    "decompress",
    "encode_pull",
    "encode_push",
    "parse_auth",
    "parse_payload",
    "purged_field",
    "read_bundle",
    "sign_bundle",
    "split_purged",
    "token_key",
]
