"""Typed payloads: the record kinds HQ projects, the reference items it publishes."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

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
