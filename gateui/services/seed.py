"""A deterministic demo site: people of every kind, vehicles, a watch list and demo users.

`seed_demo` draws everything from `random.Random(seed)`, so the same seed gives the same
names, ID numbers, plates and card codes on every machine. It writes through the registry
and auth services (each batch one transaction with its change log) and stays O(n), so the
benchmark can seed 100,000 people with it. It refuses a database that already holds
people: demo data must never be mixed into a real site's registry.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import func, select

from gateui.domain.resident_id import make_resident_id
from gateui.errors import GateUIError
from gateui.services.auth import create_user
from gateui.services.context import GateContext
from gateui.services.importing import person_ids_by_number
from gateui.services.registry import (
    PersonForm,
    ValidPerson,
    ValidVehicle,
    add_watch,
    set_person_status,
    upsert_people,
    upsert_vehicles,
    validate_person,
    validate_vehicle,
)
from gateui.store.models import Person

BATCH = 500

# Common surnames, most frequent first (each repeated by weight), plus surnames with a
# reading of their own (单 shan, 曾 zeng, 解 xie, 查 zha, 翟 zhai, 覃 qin, 仇 qiu).
_SURNAMES = (
    "王" * 8
    + "李" * 8
    + "张" * 7
    + "刘" * 6
    + "陈" * 5
    + "杨" * 4
    + "赵" * 3
    + "黄" * 3
    + "周" * 3
    + "吴" * 3
    + "徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程柴袁邓许傅沈彭吕苏卢"
    + "蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟"
    + "龙万段雷钱汤尹黎易常武乔贺赖龚文牛裴申靳"
    + "单曾解查翟覃仇" * 2
)
_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欣建国峰亮成志海东晓立新永红卫"
_FEMALE = (
    "芳娜敏静丽艳娟霞秀英慧巧美娇玲萍燕红梅琳素云莲真环雪荣爱妹香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璐露"
)
_UNITS = (
    "综采一队",
    "综采二队",
    "掘进一队",
    "掘进二队",
    "开拓队",
    "机电科",
    "运输队",
    "通风科",
    "安全科",
    "调度室",
    "地测科",
    "生产技术科",
    "后勤",
    "洗煤厂",
    "机修车间",
)
_CONTRACTORS = (
    "外委单位·河南国龙矿建有限公司",
    "外委单位·中煤第五建设有限公司",
    "外委单位·郑州华泰建设工程有限公司",
    "外委单位·山西晋安机电安装有限公司",
    "外委单位·平顶山天安煤机维修公司",
)
_VISITOR_UNITS = (
    "义马市应急管理局",
    "三门峡煤矿安全监察分局",
    "义马市人民医院",
    "郑州煤矿机械集团",
    "中国移动义马分公司",
    "河南理工大学",
    "",
)
_CARRIERS = (
    "平顶山顺达物流有限公司",
    "洛阳鑫源运输有限公司",
    "三门峡通达汽运公司",
    "义马市宏运物流",
    "山西晋煤运销公司",
    "个体运输",
)
# Real county codes of Henan (most), Shanxi and Shaanxi: where coal workers come from.
_REGION_CODES = (
    "410102 410105 410122 410181 410302 410303 410305 410322 410323 410324 410327 410329 "
    "410381 410402 410403 410421 410422 410423 410425 410482 410502 410522 410581 410602 "
    "410782 410802 410882 411002 411102 411202 411222 411281 411302 411402 411502 411602 "
    "411702 411281 411222 410323 140105 140106 140302 140402 140502 140521 140522 140581 "
    "140602 140702 140802 141002 141102 141181 610102 610103 610302 610402 610502 610602 "
    "610702 610802 610821 610824"
)
_REGIONS = tuple(_REGION_CODES.split())
_MOBILE_PREFIX_TEXT = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 "
    "173 175 176 177 178 180 181 182 183 185 186 187 188 189 198 199"
)
_MOBILE_PREFIXES = tuple(_MOBILE_PREFIX_TEXT.split())
# kind -> (share of the demo people, birth years, has a phone)
_KINDS = {
    "employee": (55, (1965, 2003)),
    "family": (10, (1950, 2012)),
    "contractor": (15, (1968, 2002)),
    "visitor": (8, (1960, 2003)),
    "driver": (12, (1965, 2000)),
}
# Named people the demo points at: pinyin initials and surname readings to try.
_FEATURED = (
    ("张露", "employee", "综采一队", False),
    ("单晓峰", "employee", "机电科", True),
    ("曾国华", "contractor", _CONTRACTORS[0], True),
    ("解红梅", "family", "综采二队", False),
)
_HENAN_LETTERS = "ABCDEFGHJKLMNPQRSU"
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
DEMO_USERS = (
    ("王建军", "guard", "G1001", "1234"),
    ("李秀英", "guard", "G1002", "2345"),
    ("赵志刚", "leader", "L2001", "5678"),
    ("陈静", "admin", "A9001", "9012"),
)
# More guards for the roster: two checkpoints x three shifts x two guards are 84 shifts a
# week, and a guard may work 6 in 7 days, so a fair month needs some 18 guards in all.
ROTA_GUARD_NAMES = (
    "刘伟", "陈芳", "杨敏", "黄静", "赵磊", "吴军", "周洋", "孙勇",
    "马超", "朱丽", "郭涛", "何静", "高峰", "罗兰", "梁宇", "宋佳",
)  # fmt: skip
ROTA_GUARD_PIN = "1111"


@dataclass(frozen=True)
class DemoUser:
    name: str
    role: str
    badge: str
    pin: str


@dataclass(frozen=True)
class DemoSummary:
    people: int
    vehicles: int
    people_by_kind: dict[str, int]
    vehicles_by_kind: dict[str, int]
    watch_entries: int
    statuses: dict[str, int]
    users: tuple[DemoUser, ...]
    checkpoints: tuple[tuple[str, str], ...]
    sample_card: str
    sample_id_suffix: str
    sample_plate: str
    rota_guards: tuple[DemoUser, ...] = ()
    """Guards G1003… for a realistic roster (one PIN for all of them)."""


def count_people(ctx: GateContext) -> int:
    with ctx.db.read() as s:
        return int(s.exec(select(func.count()).select_from(Person)).one())


def ensure_empty(ctx: GateContext) -> None:
    """Refuse to seed a registry that holds anyone: demo people must not mix with real ones."""
    existing = count_people(ctx)
    if existing:
        raise GateUIError("seed.not_empty", count=existing)


class _Gen:
    """All the random choices of one demo, in one deterministic stream."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.ids: set[str] = set()
        self.plates: set[str] = set()

    def name(self, female: bool) -> str:
        pool = _FEMALE if female else _MALE
        given = self.rng.choice(pool)
        if self.rng.random() < 0.7:
            given += self.rng.choice(pool)
        return self.rng.choice(_SURNAMES) + given

    def id_number(self, years: tuple[int, int], female: bool) -> str:
        while True:
            born = date(self.rng.randint(*years), 1, 1) + timedelta(days=self.rng.randrange(365))
            serial = self.rng.randrange(500) * 2 + (0 if female else 1)  # 17th digit: sex
            number = make_resident_id(self.rng.choice(_REGIONS), born, serial)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self) -> str:
        return self.rng.choice(_MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def unit(self, kind: str) -> str:
        if kind in ("employee", "family"):
            return self.rng.choice(_UNITS)
        if kind == "contractor":
            return self.rng.choice(_CONTRACTORS)
        if kind == "driver":
            return self.rng.choice(_CARRIERS)
        return self.rng.choice(_VISITOR_UNITS)

    def kind(self, index: int) -> str:
        kinds = list(_KINDS)
        if index < len(kinds):
            return kinds[index]  # every kind appears, however few people are asked for
        return self.rng.choices(kinds, weights=[w for w, _ in _KINDS.values()])[0]

    def plate(self, province: str, style: str) -> str:
        """style: ordinary, trailer, ne_small (D/F + 5), ne_large (5 digits + D/F)."""
        while True:
            letter = self.rng.choice(_HENAN_LETTERS if province == "豫" else "ABCDEFHJK")
            digits = f"{self.rng.randrange(10**5):05d}"
            if style == "trailer":
                body = digits[:4] + "挂"
            elif style == "ne_small":
                body = (
                    self.rng.choice("DF")
                    + self.rng.choice(_PLATE_LETTERS + "0123456789")
                    + digits[:4]
                )
            elif style == "ne_large":
                body = digits + self.rng.choice("DF")
            elif self.rng.random() < 0.4:
                spot = self.rng.randrange(2)
                body = digits[:spot] + self.rng.choice(_PLATE_LETTERS) + digits[spot + 1 :]
            else:
                body = digits
            if letter + body not in self.plates:
                self.plates.add(letter + body)
                return province + letter + body


def _people(gen: _Gen, ctx: GateContext, count: int) -> list[ValidPerson]:
    today = ctx.now().astimezone(ctx.site.zone).date()
    out: list[ValidPerson] = []
    employees = 0
    for index in range(max(count, len(_FEATURED))):
        if index < len(_FEATURED):
            name, kind, unit, male = _FEATURED[index]
            female = not male
        else:
            kind = gen.kind(index - len(_FEATURED))
            female = gen.rng.random() < (0.6 if kind == "family" else 0.15)
            name, unit = gen.name(female), gen.unit(kind)
        years = _KINDS[kind][1]
        number = gen.id_number(years, female)
        adult = int(number[6:10]) <= today.year - 16
        card = ""
        if kind == "employee":
            employees += 1
            card = f"GT{100000 + employees:06d}"
        form = PersonForm(
            name=name,
            id_number=number,
            phone=gen.phone() if adult else "",
            kind=kind,
            unit=unit,
            card_code=card,
        )
        out.append(validate_person(form, today, require_id=True, require_phone=False))
    return out


def _vehicles(gen: _Gen, count: int, drivers: list[str]) -> list[ValidVehicle]:
    out: list[ValidVehicle] = []
    # (kind, style, share): coal trucks dominate; their semi-trailers carry plates of their own.
    mix = [
        ("coal_truck", "ordinary", 40),
        ("coal_truck", "trailer", 15),
        ("coal_truck", "ne_large", 5),
        ("truck", "ordinary", 10),
        ("car", "ordinary", 15),
        ("car", "ne_small", 6),
        ("van", "ordinary", 6),
        ("bus", "ordinary", 3),
    ]
    for index in range(count):
        kind, style, _ = (
            mix[index] if index < len(mix) else gen.rng.choices(mix, [m[2] for m in mix])[0]
        )
        trucking = kind in ("coal_truck", "truck")
        henan = index == 0 or not trucking or gen.rng.random() < 0.8
        province = "豫" if henan else gen.rng.choice("晋陕")
        plate = gen.plate(province, style)
        driver = gen.rng.choice(drivers) if trucking and drivers and style != "trailer" else None
        unit = gen.rng.choice(_CARRIERS) if trucking else gen.rng.choice(("矿办公室", *_UNITS[:6]))
        out.append(validate_vehicle(plate, kind, unit, driver))
    return out


def seed_demo(
    ctx: GateContext,
    people: int = 2000,
    vehicles: int = 200,
    seed: int = 42,
    users: bool = True,
) -> DemoSummary:
    """Fill an empty gate database with a demo site; deterministic for a given seed."""
    ensure_empty(ctx)
    gen = _Gen(seed)
    persons = _people(gen, ctx, people)
    for i in range(0, len(persons), BATCH):
        upsert_people(ctx, persons[i : i + BATCH], origin="demo")
    numbers = [p.id_number for p in persons if p.id_number]
    ids = person_ids_by_number(ctx, numbers)
    drivers = [ids[p.id_number] for p in persons if p.kind == "driver" and p.id_number]
    cars = _vehicles(gen, vehicles, drivers)
    for i in range(0, len(cars), BATCH):
        upsert_vehicles(ctx, cars[i : i + BATCH])
    demo_users = tuple(DemoUser(*u) for u in DEMO_USERS) if users else ()
    user_ids = {u.role: create_user(ctx, u.name, u.role, u.badge, u.pin) for u in demo_users}
    rota = tuple(
        DemoUser(name, "guard", f"G{1003 + i}", ROTA_GUARD_PIN)
        for i, name in enumerate(ROTA_GUARD_NAMES if users else ())
    )
    for u in rota:
        create_user(ctx, u.name, u.role, u.badge, u.pin)
    watched, statuses = _flag_some(ctx, gen, persons, cars, ids, user_ids.get("admin", "seed"))
    employee = next(p for p in persons if p.kind == "employee")
    return DemoSummary(
        people=len(persons),
        vehicles=len(cars),
        people_by_kind=dict(Counter(p.kind for p in persons)),
        vehicles_by_kind=dict(Counter(v.kind for v in cars)),
        watch_entries=watched,
        statuses=statuses,
        users=demo_users,
        checkpoints=tuple((c.code, c.name) for c in ctx.site.checkpoints),
        sample_card=employee.card_code or "",
        sample_id_suffix=(persons[-1].id_number or "")[-4:],
        sample_plate=cars[0].plate if cars else "",
        rota_guards=rota,
    )


def _flag_some(
    ctx: GateContext,
    gen: _Gen,
    persons: list[ValidPerson],
    cars: list[ValidVehicle],
    ids: dict[str, str],
    by_user: str,
) -> tuple[int, dict[str, int]]:
    """A few watch-list entries and people under home isolation or barred."""
    pool = [p for p in persons[len(_FEATURED) :] if p.id_number]
    if len(pool) < 6:
        return 0, {}
    picks = gen.rng.sample(pool, 6)
    reasons = ("公安协查人员", "安全违章，禁止入矿", "涉疫风险地区来人")
    for person, reason in zip(picks[:3], reasons, strict=True):
        add_watch(ctx, reason, id_number=person.id_number)
    watched = 3
    trucks = [v for v in cars if v.kind == "coal_truck"]
    if trucks:
        add_watch(ctx, "超载记录，须复磅", plate=gen.rng.choice(trucks).plate)
        watched += 1
    notes = (
        ("home_isolation", "居家隔离，14 天后复查"),
        ("home_isolation", "居家观察"),
        ("barred", "违反安全规程，停止入矿"),
    )
    for person, (status, note) in zip(picks[3:], notes, strict=True):
        set_person_status(ctx, ids[person.id_number or ""], status, note, by_user)
    return watched, dict(Counter(status for status, _ in notes))
