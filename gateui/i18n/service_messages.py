"""Texts of services, storage, config and errors: key -> (Simplified Chinese, English)."""

SERVICE_MESSAGES: dict[str, tuple[str, str]] = {
    # Error titles
    "error.title": ("出错了", "Error"),
    "error.unexpected": ("意外错误：{detail}", "Unexpected error: {detail}"),
    "error.storage_title": ("无法保存", "Cannot save"),
    "error.not_found_title": ("未找到", "Not found"),
    "error.permission_title": ("无权操作", "Not allowed"),
    "error.config_title": ("配置有误", "Configuration problem"),
    "error.form_title": ("请改正标出的项目", "Please correct the marked fields"),
    "form.invalid": (
        "有 {count} 项需要改正，尚未保存",
        "{count} field(s) need correcting; nothing saved",
    ),
    "field.required": ("必填", "Required"),
    # Storage
    "storage.disk_full": (
        "磁盘已满，本条未保存。已保存的记录不受影响。请联系班长清理空间。",
        "The disk is full; this record was not saved. Saved records are safe. "
        "Call the shift leader.",
    ),
    "storage.read_only": (
        "数据库只读，本条未保存。已保存的记录不受影响。",
        "The database is read-only; this record was not saved. Saved records are safe.",
    ),
    "storage.locked": (
        "数据库正被其他程序占用，请稍后再按一次。",
        "The database is busy in another program; press again in a moment.",
    ),
    "storage.cannot_open": ("无法打开数据库：{path}", "Cannot open the database: {path}"),
    "storage.failed": ("保存失败：{detail}", "Saving failed: {detail}"),
    # Config
    "config.unknown_checkpoint": ("配置中没有卡口 {code}", "No checkpoint {code} in the site file"),
    "config.missing_file": ("找不到配置文件 {path}", "Config file not found: {path}"),
    "config.bad_toml": (
        "配置文件 {path} 格式错误：{detail}",
        "Config file {path} is not valid TOML: {detail}",
    ),
    "config.invalid": ("配置文件 {path} 有误：{detail}", "Config file {path} is invalid: {detail}"),
    "config.bad_checklist": (
        "检查项配置有误：{detail}",
        "The checklist configuration is invalid: {detail}",
    ),
    # Registry
    "person.not_found": ("查无此人", "No such person"),
    "vehicle.not_found": ("查无此车", "No such vehicle"),
    "entry.not_found": ("查无此记录", "No such entry"),
    "person.duplicate_id": ("该身份证号已登记", "This ID number is already registered"),
    "person.bad_kind": ("人员类别无效：{kind}", "Unknown kind of person: {kind}"),
    "person.bad_status": ("状态无效：{status}", "Unknown status: {status}"),
    "vehicle.bad_kind": ("车辆类别无效：{kind}", "Unknown kind of vehicle: {kind}"),
    "vehicle.duplicate_plate": ("车牌 {plate} 已登记", "Plate {plate} is already registered"),
    "watch.needs_subject": ("请给出身份证号或车牌", "Give an ID number or a plate"),
    # Auth
    "auth.login_failed_title": ("登录失败", "Login failed"),
    "auth.unknown_user": ("工牌或姓名不存在", "Unknown badge or name"),
    "auth.wrong_pin": ("密码错误，还可再试 {left} 次", "Wrong PIN; {left} attempt(s) left"),
    "auth.locked": (
        "密码错误次数过多，账号锁定 {minutes} 分钟",
        "Too many wrong PINs; locked for {minutes} min",
    ),
    "auth.not_leader": ("需要班长或管理员", "A shift leader or admin is required"),
    "auth.bad_pin_format": ("密码须为 4–8 位数字", "The PIN must be 4–8 digits"),
    "auth.bad_role": ("角色无效：{role}", "Unknown role: {role}"),
    "auth.duplicate_badge": ("工牌号 {badge} 已被使用", "Badge {badge} is already in use"),
    "override.reason_required": ("放行须写明理由", "An override needs a reason"),
    # Corrections
    "correction.bad_action": ("更正类型无效：{action}", "Unknown correction: {action}"),
    "correction.reason_required": ("更正须写明理由", "A correction needs a reason"),
    "correction.bad_field": ("不能更改：{field}", "Cannot amend: {field}"),
    "correction.bad_direction": ("方向只能是进或出", "Direction must be in or out"),
    "correction.nothing_changed": ("没有要更改的内容", "Nothing to amend"),
    "correction.already_void": ("该记录已作废", "This entry is already void"),
}
