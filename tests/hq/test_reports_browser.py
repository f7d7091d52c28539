"""The HQ report page in a real headless browser: Debian's chromium driven by Selenium,
against a real HQ process on loopback.

Needs `apt-get install -y chromium chromium-driver` (CI installs them); skipped, saying
so, where they are absent. Chromium runs headless, sandbox-less (as root in a container),
with a fresh profile and without any background network traffic.
"""

from __future__ import annotations

import base64
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.hq.report_support import ADMIN, hq_admin_fixture, seed_sites, today
from tests.support.hq_server import HQ

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
if CHROMIUM is None or DRIVER is None:
    pytest.skip(
        "the browser test needs Debian's chromium and chromedriver:"
        " apt-get install -y chromium chromium-driver",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402  (only once chromium is known to be there)
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

__all__ = ["hq_admin_fixture"]

NAME = '<script>alert("x")</script>&'


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    assert CHROMIUM is not None and DRIVER is not None
    options = Options()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1000",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    try:
        # The admin token as HTTP Basic credentials, on every request the page makes.
        basic = base64.b64encode(f"hq:{ADMIN}".encode()).decode()
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd(
            "Network.setExtraHTTPHeaders", {"headers": {"Authorization": f"Basic {basic}"}}
        )
        yield driver
    finally:
        driver.quit()


def follow(browser: WebDriver, by: str, target: str) -> None:
    """Click a link or button and wait until the browser has left the old page: reading
    the next page too early finds the old page's elements, which then go stale."""
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(by, target).click()
    WebDriverWait(browser, 15).until(expected_conditions.staleness_of(old))


def cells(row: object) -> list[str]:
    return [td.text for td in row.find_elements(By.TAG_NAME, "td")]  # type: ignore[attr-defined]


def test_report_page_in_chromium(hq_admin: HQ, browser: WebDriver, tmp_path: Path) -> None:
    day = today()
    sites = seed_sites(hq_admin, day, "W", name=NAME)
    browser.get(f"{hq_admin.base_url}/reports?date={day.isoformat()}&lang=en")
    assert browser.title == f"Daily reports {day.isoformat()}"
    browser.save_screenshot(str(tmp_path / "reports.png"))

    def site_row(code: str) -> list[str]:
        return cells(browser.find_element(By.CSS_SELECTOR, f'#sites tr[data-site="{code}"]'))

    assert site_row(sites["zero"])[2] == "zero report"
    assert site_row(sites["report"])[2:4] == ["report", "1/2"]  # one of its two gates reported
    missing = site_row(sites["missing"])
    assert missing[1] == NAME and missing[2] == "MISSING"  # the name as text, never as markup
    assert site_row(sites["inactive"])[2] == "no active device"
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018  (the name's script never ran)
    assert browser.execute_script("return document.scripts.length") == 0

    report = cells(browser.find_element(By.CSS_SELECTOR, '#reports tr[data-device="W-R1"]'))
    assert report[:5] == [sites["report"], "W-R1", "report", "6", "2"]
    seen = cells(browser.find_element(By.CSS_SELECTOR, '#devices tr[data-device="W-Z1"]'))
    assert seen[3] == "2" and seen[5].endswith(" s") and seen[7] == "yes"  # complete through 2
    never = cells(browser.find_element(By.CSS_SELECTOR, '#devices tr[data-device="W-M1"]'))
    assert never[3] == "0" and never[4] == "-" and never[5] == "never" and never[7] == "no"
    revoked = cells(browser.find_element(By.CSS_SELECTOR, '#devices tr[data-device="W-I1"]'))
    assert revoked[8] == "revoked"

    # Plain links and a plain form: the day before (nothing owed yet), then in Chinese.
    follow(browser, By.ID, "prev")
    before = (day - timedelta(days=1)).isoformat()
    assert browser.current_url.endswith(f"/reports?date={before}&lang=en")
    assert site_row(sites["missing"])[2] == "no active device"
    follow(browser, By.ID, "lang")
    assert browser.find_element(By.TAG_NAME, "h1").text == f"各站日报 {before}"
    follow(browser, By.CSS_SELECTOR, "nav form button")  # the form keeps the day
    assert f"date={before}" in browser.current_url and "lang=zh" in browser.current_url
    assert site_row(sites["zero"])[2] == "无在用终端"
