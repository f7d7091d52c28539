"""Users, PINs (argon2) and logins. Lockout is computed from the append-only login events."""

from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from gateui.domain.errors import ValidationError
from gateui.domain.names import normalize_name, pinyin_initial_keys
from gateui.errors import GateUIError, PermissionDeniedError
from gateui.services.context import GateContext
from gateui.services.views import UserView
from gateui.store.changelog import append_change, next_seq
from gateui.store.models import AppUser, LoginEvent

ROLES = ("guard", "leader", "admin")
# Lighter than argon2's default so a login takes well under a second on a rugged terminal.
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)


class LoginError(GateUIError):
    title_key = "auth.login_failed_title"


def _validate_pin(pin: str) -> None:
    if not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise ValidationError("auth.bad_pin_format")


def create_user(ctx: GateContext, name: str, role: str, badge_code: str, pin: str) -> str:
    if role not in ROLES:
        raise ValidationError("auth.bad_role", role=role)
    _validate_pin(pin)
    clean = normalize_name(name)
    with ctx.db.write() as s:
        if s.exec(select(AppUser.id).where(AppUser.badge_code == badge_code)).first():
            raise ValidationError("auth.duplicate_badge", badge=badge_code)
        keys = pinyin_initial_keys(clean)
        user = AppUser(
            id=f"{ctx.device_id}-{next_seq(s, ctx.device_id)}",
            name=clean,
            role=role,
            badge_code=badge_code,
            pin_hash=_hasher.hash(pin),
            initials=keys[0] if keys else "",
            created_at=ctx.now(),
        )
        s.add(user)
        s.flush()
        # The PIN hash stays on the device: it is not sent anywhere.
        payload = user.model_dump(mode="json", exclude={"pin_hash"})
        append_change(s, ctx.device_id, "user.created", user.id, payload, ctx.now())
        return user.id


def _find_user(s: Session, who: str) -> AppUser | None:
    who = who.strip()
    if not who:
        return None
    user = s.exec(select(AppUser).where(AppUser.badge_code == who)).first()
    if user is None:
        user = s.exec(select(AppUser).where(AppUser.name == who)).first()
    if user is None and who.isascii() and who.isalpha():
        matches = list(s.exec(select(AppUser).where(AppUser.initials == who.lower()).limit(2)))
        user = matches[0] if len(matches) == 1 else None
    return user


def _failures_in_a_row(s: Session, user_id: str, limit: int) -> list[LoginEvent]:
    stmt = (
        select(LoginEvent)
        .where(LoginEvent.user_id == user_id)
        .order_by(col(LoginEvent.at).desc(), col(LoginEvent.id).desc())
        .limit(limit)
    )
    failures = []
    for ev in s.exec(stmt):
        if ev.ok:
            break
        failures.append(ev)
    return failures


def _authenticate(ctx: GateContext, s: Session, who: str, pin: str, record: bool) -> AppUser:
    user = _find_user(s, who)
    if user is None or not user.active:
        raise LoginError("auth.unknown_user")
    now = ctx.now()
    limit = ctx.site.pin_max_failures
    failures = _failures_in_a_row(s, user.id, limit)
    if len(failures) >= limit:
        until = failures[0].at + timedelta(seconds=ctx.site.pin_lockout_seconds)
        if now < until:
            minutes = max(1, int((until - now).total_seconds() + 59) // 60)
            raise LoginError("auth.locked", minutes=minutes)
    ok: bool
    try:
        ok = _hasher.verify(user.pin_hash, pin)
    except (VerificationError, InvalidHashError):
        ok = False
    if record:
        event = LoginEvent(user_id=user.id, ok=ok, at=now, checkpoint_code=ctx.checkpoint_code)
        s.add(event)
        s.flush()
        append_change(s, ctx.device_id, "login", str(event.id), event.model_dump(mode="json"), now)
    if not ok:
        left = limit - len(failures) - 1
        if left <= 0:
            return _raise_locked(ctx)
        raise LoginError("auth.wrong_pin", left=left)
    return user


def _raise_locked(ctx: GateContext) -> AppUser:
    minutes = max(1, ctx.site.pin_lockout_seconds // 60)
    raise LoginError("auth.locked", minutes=minutes)


def login(ctx: GateContext, who: str, pin: str) -> UserView:
    """Badge code (scanned) or name, plus PIN. Records the attempt; the login is the check-in."""
    # Failed attempts must be recorded even though we raise: commit them, then raise.
    failure: LoginError | None = None
    with ctx.db.write() as s:
        try:
            user = _authenticate(ctx, s, who, pin, record=True)
        except LoginError as exc:
            failure = exc
    if failure is not None:
        raise failure
    return UserView(user.id, user.name, user.role)


def verify_leader(ctx: GateContext, who: str, pin: str) -> UserView:
    """A leader's badge + PIN for an override or a correction (attempts are recorded too)."""
    user = login(ctx, who, pin)
    if not user.is_leader:
        raise PermissionDeniedError("auth.not_leader")
    return user


def list_users(ctx: GateContext) -> list[UserView]:
    with ctx.db.read() as s:
        return [
            UserView(u.id, u.name, u.role)
            for u in s.exec(select(AppUser).order_by(col(AppUser.name)))
        ]
