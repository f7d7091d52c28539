"""GET /pull: HQ-owned reference data flows to the sites, per site and for all, by cursor
(the registry, the watch list, site checklists, pass keys and pass revocations)."""

from __future__ import annotations

import httpx
import pytest

from gateui.domain import passes as tokens
from gateui.domain.errors import ValidationError
from sync import protocol
from sync.hq import admin, site_reference
from sync.hq.db import open_database
from sync.hq.reference import UnknownSiteError
from tests.conftest import person_id_number
from tests.hq.conftest import HQ


def _pull(hq: HQ, device: str, token: str, cursor: int, limit: int = 500) -> httpx.Response:
    return hq.http.get(
        hq.url("/pull"),
        params={"cursor": cursor, "limit": limit},
        headers=protocol.auth_header(device, token),
    )


def _page(response: httpx.Response) -> tuple[protocol.PullHeader, list[protocol.PullItem]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-encoding"] == "zstd"
    return protocol.decode_pull(response.content)


def test_watch_list_items_reach_the_sites_they_are_for(hq: HQ) -> None:
    token = hq.enroll("pullA", site="PIT-A")
    hq.enroll("pullB", site="PIT-B")
    start, _ = _page(_pull(hq, "pullA", token, 0, 10_000))
    cursor = start.next_cursor
    number = person_id_number(7)
    own = admin.set_watch(hq.settings, number, "未按规定佩戴安全帽", site="PIT-A")
    admin.set_watch(hq.settings, "豫A12345", "超载", site="PIT-B")  # another site's
    everyone = admin.set_watch(hq.settings, "晋B6789D", "欠费")
    header, items = _page(_pull(hq, "pullA", token, cursor))
    assert [i.cursor for i in items] == [own, everyone]
    assert header.next_cursor == everyone and header.more is False
    watch = protocol.RefWatchPayload.model_validate_json(items[0].payload)
    assert items[0].kind == "watch.set"
    assert (watch.id_number, watch.reason, watch.active) == (number, "未按规定佩戴安全帽", True)
    plate = protocol.RefWatchPayload.model_validate_json(items[1].payload)
    assert (plate.plate_key, plate.id_number) == ("B6789D", None)
    # nothing new after the cursor; lifting the entry is a new item with the same id
    assert _page(_pull(hq, "pullA", token, everyone))[1] == []
    lifted = admin.set_watch(hq.settings, number, "已整改", active=False, site="PIT-A")
    (item,) = _page(_pull(hq, "pullA", token, everyone))[1]
    assert item.cursor == lifted
    again = protocol.RefWatchPayload.model_validate_json(item.payload)
    assert (again.id, again.active) == (watch.id, False)


def test_pull_pages_through_imported_people_and_vehicles(hq: HQ) -> None:
    token = hq.enroll("pullC", site="PIT-C")
    start = _page(_pull(hq, "pullC", token, 0, 10_000))[0].next_cursor
    people = [
        {"name": "单雄信", "id_number": person_id_number(1), "phone": "139 0000 0001"},
        {"name": "曾小贤", "id_number": person_id_number(2), "kind": "contractor"},
        {"name": "坏行", "id_number": "123"},
    ]
    result = admin.import_people(hq.settings, people, first_line=2)
    assert (result.created, result.updated) == (2, 0)
    assert [(p.line, p.field) for p in result.problems] == [(4, "id_number")]
    assert admin.import_people(hq.settings, people[:2]).unchanged == 2  # nothing re-published
    vehicles = admin.import_vehicles(hq.settings, [{"plate": "豫a-12345", "kind": "coal_truck"}])
    assert vehicles.created == 1
    header, first = _page(_pull(hq, "pullC", token, start, limit=2))
    assert header.more is True and len(first) == 2
    header, rest = _page(_pull(hq, "pullC", token, header.next_cursor, limit=2))
    assert header.more is False and len(rest) == 1
    kinds = [i.kind for i in first + rest]
    assert kinds == ["person.upsert", "person.upsert", "vehicle.upsert"]
    person = protocol.RefPersonPayload.model_validate_json(first[0].payload)
    assert (person.name, person.phone) == ("单雄信", "13900000001")
    vehicle = protocol.RefVehiclePayload.model_validate_json(rest[0].payload)
    assert (vehicle.plate, vehicle.plate_key, vehicle.kind) == ("豫A12345", "A12345", "coal_truck")


def test_invalid_watch_subjects_and_unknown_sites_are_refused(hq: HQ) -> None:
    with pytest.raises(ValidationError):
        admin.set_watch(hq.settings, "410323197501010013", "bad checksum")
    with pytest.raises(UnknownSiteError):
        admin.set_watch(hq.settings, "豫A12345", "typo", site="NO-SUCH-SITE")


def test_bad_pull_parameters_are_a_400_problem(hq: HQ) -> None:
    token = hq.enroll("pullD")
    for cursor in ("-1", "abc", str(2**70)):
        response = hq.http.get(
            hq.url("/pull"),
            params={"cursor": cursor},
            headers=protocol.auth_header("pullD", token),
        )
        assert response.status_code == 400
        assert protocol.Problem.model_validate_json(response.content).error == "bad_request"


def test_checklists_pass_keys_and_revocations_are_items_for_their_sites(hq: HQ) -> None:
    token = hq.enroll("pullE", site="PIT-E")
    hq.enroll("pullF", site="PIT-F")
    start = _page(_pull(hq, "pullE", token, 0, 10_000))[0].next_cursor
    fever = [{"key": "temperature", "kind": "temperature", "threshold": 37.0}]
    private = tokens.generate_private_key()
    with open_database(hq.settings) as db:
        own = site_reference.publish_checklist(db, "PIT-E", fever)
        site_reference.publish_checklist(db, "PIT-F", fever)  # another site's
        with pytest.raises(ValidationError):  # a typo never reaches a gate
            site_reference.publish_checklist(db, "PIT-E", [{**fever[0], "treshold": 38}])
        with pytest.raises(UnknownSiteError):
            site_reference.publish_checklist(db, "NO-SUCH-SITE", fever)
        key_id, key = site_reference.add_pass_key(
            db, tokens.public_key_to_text(private.public_key()), "总部"
        )
        mine = site_reference.revoke_pass(db, "A" * 64, "遗失", "PIT-E")
        site_reference.revoke_pass(db, "b" * 64, "遗失", "PIT-F")
        with pytest.raises(ValidationError):
            site_reference.revoke_pass(db, "not a pass", "遗失", None)
    _header, items = _page(_pull(hq, "pullE", token, start))
    assert [(i.cursor, i.kind) for i in items] == [
        (own.cursor, "site.checklist"),
        (key.cursor, "passkey.set"),
        (mine.cursor, "pass.revoked"),
    ]
    checklist = protocol.RefChecklistPayload.model_validate_json(items[0].payload)
    assert (checklist.site, checklist.items) == ("PIT-E", fever)
    passkey = protocol.RefPassKeyPayload.model_validate_json(items[1].payload)
    assert (passkey.key_id, passkey.label, passkey.revoked) == (key_id, "总部", False)
    assert "private" not in items[1].payload.decode()
    revoked = protocol.RefPassRevokedPayload.model_validate_json(items[2].payload)
    assert (revoked.pass_sha256, revoked.reason) == ("a" * 64, "遗失")
