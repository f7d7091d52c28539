"""The change log's hash chain: an untouched chain verifies, any tampering is found."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateui.domain.change_chain import (
    GENESIS_HASH,
    ChainLink,
    ChainProblem,
    ChainProblemKind,
    canonical_json,
    chain_hash,
    make_chain,
    verify_chain,
)

DEVICE = "gate-01"


def test_canonical_json_is_sorted_compact_utf8() -> None:
    assert canonical_json({"b": 1, "a": [True, None, "张露"]}) == (
        '{"a":[true,null,"张露"],"b":1}'.encode()
    )
    assert canonical_json({"a": 1, "b": 2}) == canonical_json({"b": 2, "a": 1})


def test_canonical_json_refuses_nan() -> None:
    with pytest.raises(ValueError):
        canonical_json({"t": math.nan})


def test_genesis_hash_is_64_zeros() -> None:
    assert GENESIS_HASH == "0" * 64


def test_chain_hash_follows_the_documented_framing_and_is_pinned() -> None:
    # HQ recomputes these hashes: a change of framing must be a deliberate, versioned one.
    payload_sha = hashlib.sha256(b'{"a":1}').digest()
    fields = [GENESIS_HASH.encode(), b"gate-01", (1).to_bytes(8, "big"), b"entry", payload_sha]
    framed = b"".join(len(f).to_bytes(8, "big") + f for f in fields)
    expected = hashlib.sha256(b"gateui.change-chain.v1" + framed).hexdigest()
    actual = chain_hash(GENESIS_HASH, "gate-01", 1, "entry", b'{"a":1}')
    assert actual == expected
    assert actual == "938f9e63c42632247a7079901509506572fadba30671f303ded2d35a30e918bd"


def test_chain_hash_framing_is_unambiguous() -> None:
    assert chain_hash(GENESIS_HASH, "ab", 1, "c", b"") != chain_hash(
        GENESIS_HASH, "a", 1, "bc", b""
    )
    assert chain_hash(GENESIS_HASH, "a", 1, "b", b"c") != chain_hash(
        GENESIS_HASH, "a", 1, "bc", b""
    )


def test_every_field_changes_the_hash() -> None:
    base = (GENESIS_HASH, DEVICE, 1, "entry", b"x")
    variants = [
        ("1" * 64, DEVICE, 1, "entry", b"x"),
        (GENESIS_HASH, "gate-02", 1, "entry", b"x"),
        (GENESIS_HASH, DEVICE, 2, "entry", b"x"),
        (GENESIS_HASH, DEVICE, 1, "void", b"x"),
        (GENESIS_HASH, DEVICE, 1, "entry", b"y"),
    ]
    hashes = {chain_hash(*base)} | {chain_hash(*v) for v in variants}
    assert len(hashes) == 6


@pytest.mark.parametrize(
    ("prev_hash", "device_id", "seq"),
    [
        ("0" * 63, DEVICE, 1),
        ("G" * 64, DEVICE, 1),
        ("A" * 64, DEVICE, 1),
        (GENESIS_HASH, "", 1),
        (GENESIS_HASH, DEVICE, 0),
        (GENESIS_HASH, DEVICE, 2**63),
    ],
)
def test_chain_hash_refuses_impossible_arguments(prev_hash: str, device_id: str, seq: int) -> None:
    with pytest.raises(ValueError):
        chain_hash(prev_hash, device_id, seq, "entry", b"")


def sample_chain(length: int = 5) -> list[ChainLink]:
    return make_chain(DEVICE, [("entry", canonical_json({"n": n})) for n in range(length)])


def test_untouched_chain_verifies_and_links_are_connected() -> None:
    chain = sample_chain()
    assert verify_chain(chain) is None
    assert [link.seq for link in chain] == [1, 2, 3, 4, 5]
    assert chain[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(chain))
    assert verify_chain([]) is None


def test_a_batch_continuing_a_chain_verifies_from_where_it_starts() -> None:
    chain = sample_chain()
    assert verify_chain(chain[2:], start_prev_hash=chain[1].hash, start_seq=3) is None
    problem = verify_chain(chain[2:])
    assert problem == ChainProblem(ChainProblemKind.GAP, 3, "1", "3")


def test_flipped_payload_byte_is_a_wrong_hash() -> None:
    chain = sample_chain()
    payload = bytearray(chain[2].payload)
    payload[0] ^= 0x01
    chain[2] = dataclasses.replace(chain[2], payload=bytes(payload))
    problem = verify_chain(chain)
    assert problem is not None
    assert (problem.kind, problem.seq) == (ChainProblemKind.WRONG_HASH, 3)


def test_rehashing_a_tampered_link_breaks_the_next_one() -> None:
    chain = sample_chain()
    forged = dataclasses.replace(chain[2], payload=b'{"n":99}')
    chain[2] = dataclasses.replace(
        forged, hash=chain_hash(forged.prev_hash, DEVICE, 3, forged.kind, forged.payload)
    )
    problem = verify_chain(chain)
    assert problem is not None
    assert (problem.kind, problem.seq) == (ChainProblemKind.WRONG_PREV, 4)


def test_dropped_link_is_a_gap() -> None:
    chain = sample_chain()
    del chain[1]
    assert verify_chain(chain) == ChainProblem(ChainProblemKind.GAP, 3, "2", "3")


def test_dropping_the_newest_link_is_invisible_to_the_chain_alone() -> None:
    # The chain proves what it holds is complete up to its end; knowing where the end
    # should be is HQ's "complete through N" (DESIGN invariant 3).
    assert verify_chain(sample_chain()[:-1]) is None


def test_swapped_links_break_the_sequence() -> None:
    chain = sample_chain()
    chain[1], chain[3] = chain[3], chain[1]
    problem = verify_chain(chain)
    assert problem == ChainProblem(ChainProblemKind.GAP, 4, "2", "4")


def test_repeated_link_is_out_of_order() -> None:
    chain = sample_chain()
    chain.insert(2, chain[1])
    problem = verify_chain(chain)
    assert problem is not None
    assert (problem.kind, problem.seq) == (ChainProblemKind.OUT_OF_ORDER, 2)


def test_changed_kind_is_a_wrong_hash() -> None:
    chain = sample_chain()
    chain[0] = dataclasses.replace(chain[0], kind="void")
    problem = verify_chain(chain)
    assert problem is not None
    assert (problem.kind, problem.seq) == (ChainProblemKind.WRONG_HASH, 1)


def test_link_of_another_device_is_found() -> None:
    chain = sample_chain()
    other = make_chain("gate-02", [("entry", b"{}")] * 3)
    chain[2] = other[2]
    problem = verify_chain(chain)
    assert problem == ChainProblem(ChainProblemKind.OTHER_DEVICE, 3, DEVICE, "gate-02")


def test_another_devices_chain_cannot_be_passed_off_as_this_one() -> None:
    other = make_chain("gate-02", [("entry", b"{}")] * 3)
    renamed = [dataclasses.replace(link, device_id=DEVICE) for link in other]
    problem = verify_chain(renamed)
    assert problem is not None
    assert (problem.kind, problem.seq) == (ChainProblemKind.WRONG_HASH, 1)


# --- properties -----------------------------------------------------------------------------

changes = st.lists(
    st.tuples(st.sampled_from(["entry", "void", "attendance", "roster"]), st.binary(max_size=40)),
    min_size=2,
    max_size=12,
)


@given(changes)
def test_untouched_chains_verify(items: list[tuple[str, bytes]]) -> None:
    assert verify_chain(make_chain(DEVICE, items)) is None


@given(changes, st.data())
def test_any_flipped_payload_bit_is_detected(
    items: list[tuple[str, bytes]], data: st.DataObject
) -> None:
    chain = make_chain(DEVICE, [(kind, payload or b"\x00") for kind, payload in items])
    index = data.draw(st.integers(0, len(chain) - 1))
    payload = bytearray(chain[index].payload)
    byte = data.draw(st.integers(0, len(payload) - 1))
    payload[byte] ^= 1 << data.draw(st.integers(0, 7))
    chain[index] = dataclasses.replace(chain[index], payload=bytes(payload))
    problem = verify_chain(chain)
    assert problem is not None
    assert (problem.kind, problem.seq) == (ChainProblemKind.WRONG_HASH, index + 1)


@given(changes, st.data())
def test_any_dropped_link_but_the_last_is_detected(
    items: list[tuple[str, bytes]], data: st.DataObject
) -> None:
    chain = make_chain(DEVICE, items)
    index = data.draw(st.integers(0, len(chain) - 2))
    del chain[index]
    problem = verify_chain(chain)
    assert problem is not None
    assert problem.kind is ChainProblemKind.GAP


@given(changes, st.data())
def test_any_swap_of_two_links_is_detected(
    items: list[tuple[str, bytes]], data: st.DataObject
) -> None:
    chain = make_chain(DEVICE, items)
    i = data.draw(st.integers(0, len(chain) - 2))
    j = data.draw(st.integers(i + 1, len(chain) - 1))
    chain[i], chain[j] = chain[j], chain[i]
    assert verify_chain(chain) is not None


@given(changes, st.data())
def test_swapping_contents_but_keeping_sequence_numbers_is_detected(
    items: list[tuple[str, bytes]], data: st.DataObject
) -> None:
    chain = make_chain(DEVICE, items)
    i = data.draw(st.integers(0, len(chain) - 2))
    j = data.draw(st.integers(i + 1, len(chain) - 1))
    a, b = chain[i], chain[j]
    if (a.kind, a.payload) == (b.kind, b.payload):
        return  # identical contents: nothing was changed
    chain[i] = dataclasses.replace(a, kind=b.kind, payload=b.payload)
    chain[j] = dataclasses.replace(b, kind=a.kind, payload=a.payload)
    problem = verify_chain(chain)
    assert problem is not None
    assert (problem.kind, problem.seq) == (ChainProblemKind.WRONG_HASH, i + 1)
