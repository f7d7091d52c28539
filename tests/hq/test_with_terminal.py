"""Both halves agree: a real gate database syncs to a real HQ through sync.client."""

from __future__ import annotations

from gateui.services import sync_io
from gateui.services.lookup import find, person_card
from sync.client import SyncClient, enroll
from sync.hq import admin
from tests.conftest import GateFixture
from tests.hq.conftest import HQ


def test_terminal_pushes_its_log_and_pulls_a_watch_list_entry(hq: HQ, gate: GateFixture) -> None:
    ctx = gate.ctx
    code = admin.make_enroll_code(hq.settings, "SITE")
    credentials = enroll(hq.base_url, code.code, ctx.device_id, http=hq.http)
    client = SyncClient(sync_io.ServicePorts(ctx), ctx.device_id, hq.base_url, credentials.token)
    first = client.run_round()
    last_seq = sync_io.sync_status(ctx).last_seq
    assert first.ok and first.pending == 0 and first.acked_seq == last_seq > 0
    (status,) = [d for d in admin.list_devices(hq.settings) if d.device == ctx.device_id]
    assert status.complete_through == last_seq
    number = gate.id_numbers["陈丽华"]
    admin.set_watch(hq.settings, number, "总部通报：暂停入矿")
    second = client.run_round()
    assert second.ok and second.pulled == 1
    person = find(ctx, number)[0]
    assert person_card(ctx, person.id).watch_reasons == ("总部通报：暂停入矿",)
    assert not [p for p in admin.verify_all(hq.settings) if ctx.device_id in p]
