"""The wire format round-trips exactly, and malformed bodies are refused, never crash."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateui.domain.change_chain import GENESIS_HASH, canonical_json, make_chain
from sync import protocol
from sync.protocol import ProtocolError, PullHeader, PullItem, PushHeader, WireChange

payloads = st.dictionaries(
    st.text(max_size=8), st.one_of(st.text(max_size=20), st.integers(), st.none()), max_size=5
)


@given(
    st.lists(
        st.tuples(st.sampled_from(["entry.recorded", "login", "x.y"]), payloads),
        min_size=1,
        max_size=20,
    )
)
def test_push_body_round_trips_byte_for_byte(changes: list[tuple[str, dict[str, object]]]) -> None:
    links = make_chain("DEV1", [(k, canonical_json(p)) for k, p in changes])
    header = PushHeader(
        device="DEV1",
        first_seq=1,
        count=len(links),
        prev_hash=GENESIS_HASH,
        last_hash=links[-1].hash,
        pending=0,
        device_time=datetime(2026, 1, 1, tzinfo=UTC),
    )
    wire = [WireChange(kind=link.kind, payload=link.payload) for link in links]
    body = protocol.decompress(protocol.compress(protocol.encode_push(header, wire)))
    decoded_header, decoded = protocol.decode_push(body)
    assert decoded_header == header
    assert [(c.kind, c.payload) for c in decoded] == [(link.kind, link.payload) for link in links]


@given(st.binary(max_size=300))
def test_garbage_push_bodies_raise_protocol_error_only(body: bytes) -> None:
    try:
        header, changes = protocol.decode_push(body)
    except ProtocolError as exc:
        assert exc.code in ("bad_request", "version")
    else:  # garbage that happens to be well-formed must be self-consistent
        assert header.count == len(changes)


@given(st.binary(max_size=300))
def test_garbage_compressed_bodies_raise_protocol_error_only(body: bytes) -> None:
    try:
        out = protocol.decompress(body)
    except ProtocolError as exc:
        assert exc.code in ("bad_encoding", "too_large")
    else:
        assert protocol.decompress(protocol.compress(out)) == out


def test_count_mismatch_is_refused() -> None:
    links = make_chain("D", [("k", b"{}"), ("k", b"{}")])
    header = PushHeader(
        device="D",
        first_seq=1,
        count=2,
        prev_hash=GENESIS_HASH,
        last_hash=links[-1].hash,
        pending=0,
        device_time=datetime(2026, 1, 1, tzinfo=UTC),
    )
    body = protocol.encode_push(header, [WireChange(kind=x.kind, payload=x.payload) for x in links])
    with pytest.raises(ProtocolError) as exc:
        protocol.decode_push(body.rsplit(b"\n", 1)[0])
    assert exc.value.code == "bad_request"


def test_naive_times_are_refused() -> None:
    """A time without its zone cannot be ordered against HQ's clock (DESIGN invariant 5)."""
    links = make_chain("D", [("k", b"{}")])
    header = PushHeader(
        device="D",
        first_seq=1,
        count=1,
        prev_hash=GENESIS_HASH,
        last_hash=links[-1].hash,
        pending=0,
        device_time=datetime(2026, 1, 1, tzinfo=UTC),
    )
    body = protocol.encode_push(header, [WireChange(kind="k", payload=b"{}")])
    naive = body.replace(b"2026-01-01T00:00:00Z", b"2026-01-01T00:00:00", 1)
    assert naive != body
    with pytest.raises(ProtocolError) as exc:
        protocol.decode_push(naive)
    assert exc.value.code == "bad_request"
    with pytest.raises(ValueError):
        PushHeader(**{**header.model_dump(), "device_time": datetime(2026, 1, 1)})
    entry = {
        "id": "D-1",
        "checkpoint_code": "north",
        "subject": "person",
        "direction": "in",
        "outcome": "admitted",
        "guard_id": "g",
        "at": "2026-01-01T08:00:00",
    }
    with pytest.raises(ValueError):
        protocol.parse_payload("entry.recorded", canonical_json(entry))
    entry["at"] = "2026-01-01T08:00:00+08:00"
    assert protocol.parse_payload("entry.recorded", canonical_json(entry)).at.utcoffset()


def test_pull_page_round_trips() -> None:
    header = PullHeader(next_cursor=9, more=True)
    items = [
        PullItem(cursor=8, kind="watch.set", payload=canonical_json({"id": "w", "reason": "密接"}))
    ]
    assert protocol.decode_pull(protocol.encode_pull(header, items)) == (header, items)


def test_bundle_signature_detects_any_change() -> None:
    data = protocol.sign_bundle("DEV1", "secret-token", [b"body-one", b"body-two"])
    bundle = protocol.read_bundle(data)
    assert bundle.device == "DEV1"
    key = protocol.token_key("secret-token")
    assert protocol.bundle_signature_ok(key, bundle)
    assert protocol.bundle_bodies(bundle) == [b"body-one", b"body-two"]
    assert not protocol.bundle_signature_ok(protocol.token_key("other"), bundle)
    tampered = bytearray(bundle.compressed)
    tampered[-1] ^= 1
    assert not protocol.bundle_signature_ok(key, replace(bundle, compressed=bytes(tampered)))
    # The device id is signed too: the same bytes claimed for another device are refused.
    assert not protocol.bundle_signature_ok(key, replace(bundle, device="DEV2"))


def test_bundle_is_read_without_decompressing(monkeypatch: pytest.MonkeyPatch) -> None:
    """HQ checks the signature before inflating anything a stick carries."""
    data = protocol.sign_bundle("DEV1", "secret-token", [b"x" * 100_000])

    def refuse(*_args: object) -> bytes:
        raise AssertionError("decompressed before the signature was checked")

    monkeypatch.setattr(protocol.bundles, "decompress", refuse)
    bundle = protocol.read_bundle(data)
    assert protocol.bundle_signature_ok(protocol.token_key("secret-token"), bundle)
    with pytest.raises(protocol.ProtocolError):
        protocol.read_bundle(b"GATEUI-BUNDLE-1\n" + data[len(protocol.BUNDLE_MAGIC) :])


def test_auth_header_round_trips_and_rejects_junk() -> None:
    value = protocol.auth_header("DEV1", "tok")["Authorization"]
    assert protocol.parse_auth(value) == ("DEV1", "tok")
    for junk in [None, "", "Bearer x", "GateUI ", "GateUI nocolon", "GateUI :tok", "GateUI dev:"]:
        assert protocol.parse_auth(junk) is None
