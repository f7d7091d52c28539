"""Who may push and pull: enrollment codes, tokens, the device's own stream, revocation."""

from __future__ import annotations

from datetime import timedelta

from sync import protocol
from sync.hq import admin
from tests.hq.conftest import HQ, ack, chain, problem


def test_requests_without_valid_credentials_are_refused_and_store_nothing(hq: HQ) -> None:
    token = hq.enroll("auth1")
    links = chain("auth1", 3)
    no_auth = hq.push("auth1", None, links)
    assert no_auth.status_code == 401 and problem(no_auth).error == "unauthorized"
    wrong = hq.push("auth1", token[:-2] + "xx", links)
    assert wrong.status_code == 401 and problem(wrong).error == "unauthorized"
    unknown = hq.push("nobody", token, chain("nobody", 1))
    assert unknown.status_code == 401
    malformed = hq.post_push(b"", {"Authorization": "Basic dXNlcjpwYXNz"})
    assert malformed.status_code == 401
    pull = hq.http.get(hq.url("/pull"))
    assert pull.status_code == 401 and problem(pull).error == "unauthorized"
    assert hq.scalar("SELECT count(*) FROM hq_change WHERE device_id = 'auth1'") == 0


def test_a_device_cannot_write_another_devices_stream(hq: HQ) -> None:
    token_a = hq.enroll("owner_a")
    token_b = hq.enroll("owner_b")
    ack(hq.push("owner_b", token_b, chain("owner_b", 2)))
    forged = chain("owner_b", 3)  # a valid chain of B's, sent with A's credentials
    response = hq.push("owner_a", token_a, forged, header_device="owner_b")
    assert response.status_code == 403 and problem(response).error == "wrong_device"
    assert hq.scalar("SELECT acked_seq FROM hq_device WHERE id = 'owner_b'") == 2
    assert hq.scalar("SELECT count(*) FROM hq_change WHERE device_id = 'owner_b'") == 2


def test_a_revoked_device_is_refused_everywhere(hq: HQ) -> None:
    token = hq.enroll("revoke1")
    links = chain("revoke1", 4)
    ack(hq.push("revoke1", token, links[:2]))
    assert admin.revoke_device(hq.settings, "revoke1") is True
    assert admin.revoke_device(hq.settings, "no-such-device") is False
    response = hq.push("revoke1", token, links[2:], prev_hash=links[1].hash)
    assert response.status_code == 403 and problem(response).error == "revoked"
    pull = hq.http.get(hq.url("/pull"), headers=protocol.auth_header("revoke1", token))
    assert pull.status_code == 403 and problem(pull).error == "revoked"
    (status,) = [d for d in admin.list_devices(hq.settings) if d.device == "revoke1"]
    assert status.revoked_at is not None and status.complete_through == 2
    # and it cannot enroll itself back in with a new code
    code = admin.make_enroll_code(hq.settings, "MINE1").code
    again = hq.http.post(hq.url("/enroll"), json={"code": code, "device": "revoke1"})
    assert again.status_code == 403 and problem(again).error == "revoked"


def test_enrollment_codes_are_one_time_and_expire(hq: HQ) -> None:
    code = admin.make_enroll_code(hq.settings, "MINE2")
    assert code.site == "MINE2" and code.code in code.qr_text
    first = hq.http.post(hq.url("/enroll"), json={"code": code.code, "device": "once1"})
    assert first.status_code == 200
    enrolled = protocol.EnrollResponse.model_validate_json(first.content)
    assert (enrolled.device, enrolled.site, enrolled.acked_seq) == ("once1", "MINE2", 0)
    reused = hq.http.post(hq.url("/enroll"), json={"code": code.code, "device": "once2"})
    assert reused.status_code == 400 and problem(reused).error == "bad_enrollment"
    expired = admin.make_enroll_code(hq.settings, "MINE2", ttl=timedelta(seconds=-1))
    late = hq.http.post(hq.url("/enroll"), json={"code": expired.code, "device": "once3"})
    assert late.status_code == 400 and problem(late).error == "bad_enrollment"
    # codes are typed by hand: case and separators do not matter
    relaxed = admin.make_enroll_code(hq.settings, "MINE2").code.replace("-", " ").lower()
    typed = hq.http.post(hq.url("/enroll"), json={"code": relaxed, "device": "once4"})
    assert typed.status_code == 200


def test_re_enrolling_replaces_the_token_and_keeps_the_stream(hq: HQ) -> None:
    old = hq.enroll("reenroll1")
    links = chain("reenroll1", 3)
    ack(hq.push("reenroll1", old, links))
    new = hq.enroll("reenroll1")
    assert new != old
    assert hq.push("reenroll1", old, links).status_code == 401
    assert ack(hq.push("reenroll1", new, links)).acked_seq == 3
    # a device of one site cannot be taken over with another site's code
    code = admin.make_enroll_code(hq.settings, "OTHER").code
    moved = hq.http.post(hq.url("/enroll"), json={"code": code, "device": "reenroll1"})
    assert moved.status_code == 400 and problem(moved).error == "bad_enrollment"
    assert hq.push("reenroll1", new, links).status_code == 200


def test_status_shows_each_device_its_own_line_and_the_admin_everything(hq: HQ) -> None:
    token = hq.enroll("status1")
    ack(hq.push("status1", token, chain("status1", 2)))
    mine = hq.http.get(hq.url("/status"), headers=protocol.auth_header("status1", token))
    assert mine.status_code == 200
    assert [(d["device"], d["complete_through"]) for d in mine.json()] == [("status1", 2)]
    anonymous = hq.http.get(hq.url("/status"))
    assert anonymous.status_code == 401 and problem(anonymous).error == "unauthorized"
