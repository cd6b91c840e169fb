"""The report in a real browser: headless Chromium driven by Selenium, pages opened from disk (file://).

Skipped, with the reason, where Chromium, chromedriver or Selenium is missing (Debian: ``apt-get install
chromium chromium-driver``; ``.ci/run`` installs them). One browser serves the whole module so the
tests stay quick; every page load is followed by a check that nothing ran that should not have.
Screenshots of the index and of a work page are left in ``build/`` for a person to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from biblio.render import report
from biblio.store import Store
from tests.conftest import ROOT, SEEDS
from tests.test_report import HOSTILE_TITLE, build_fixture

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium not installed (pip install -e '.[test]')")
from selenium.common.exceptions import (  # noqa: E402
    NoAlertPresentException,
    StaleElementReferenceException,
    TimeoutException,
    UnexpectedAlertPresentException,
)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")
SCREENSHOTS = ROOT / "build"


def _binaries() -> tuple[str, str]:
    browser = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        pytest.skip("headless Chromium not available (apt-get install chromium chromium-driver)")
    return browser, driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium for the module, with a fresh profile and the console log kept."""
    binary, driver_path = _binaries()
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument("--window-size=1280,900")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.set_capability("unhandledPromptBehavior", "ignore")  # an alert stays open for us to find
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser-site")
    store = build_fixture(root)
    try:
        return report.build(store, root / "site").path
    finally:
        store.close()


def open_page(driver: Any, path: Path) -> list[dict[str, Any]]:
    """Load ``path`` and return the console messages it logged, failing if a script of the data ran."""
    try:
        driver.get(path.resolve().as_uri())
        assert_nothing_ran(driver)
        return driver.get_log("browser")
    except UnexpectedAlertPresentException as exc:
        pytest.fail(f"{path.name}: a script from the data opened an alert ({exc.alert_text!r})")


def assert_nothing_ran(driver: Any) -> None:
    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.dismiss()
        pytest.fail(f"an alert opened: {text!r}")
    except NoAlertPresentException:
        pass
    assert driver.execute_script("return window.pwned === undefined")


def visible_rows(driver: Any) -> list[Any]:
    return [r for r in driver.find_elements(By.CSS_SELECTOR, "#works-table tbody tr") if r.is_displayed()]


def settled(driver: Any, read: Any, expected: Any) -> Any:
    """``read()`` once it gives ``expected`` (the table re-sorts and re-filters in the page's own time;
    a row replaced while it is read is read again); after five seconds, whatever it gives."""
    def ready(_: Any) -> bool:
        try:
            return read() == expected
        except StaleElementReferenceException:
            return False

    try:
        WebDriverWait(driver, 5).until(ready)
    except TimeoutException:
        pass  # the caller's assertion reports what was seen
    return read()


def year_column(driver: Any) -> list[str]:
    return [r.find_elements(By.TAG_NAME, "td")[2].text for r in visible_rows(driver)]


def rows_settle(driver: Any, count: int) -> list[Any]:
    """The visible rows once there are ``count`` of them (the form's reset re-filters on the next tick);
    after five seconds, whatever is shown, so the assertion reports the real count."""
    try:
        WebDriverWait(driver, 5).until(lambda d: len(visible_rows(d)) == count)
    except TimeoutException:
        pass  # the caller's assertion reports what was seen
    return visible_rows(driver)


def errors(log: list[dict[str, Any]]) -> list[str]:
    return [entry["message"] for entry in log if entry.get("level") == "SEVERE"]


def test_index_loads_without_console_errors_and_shows_the_filters(browser: Any, site: Path) -> None:
    log = open_page(browser, site / "index.html")
    assert errors(log) == []
    assert browser.find_element(By.ID, "works-filter").is_displayed()
    assert len(visible_rows(browser)) == 4
    assert browser.title == "Works · biblio report"


def test_search_box_filters_the_table(browser: Any, site: Path) -> None:
    open_page(browser, site / "index.html")
    box = browser.find_element(By.ID, "f-q")
    box.send_keys("quiet")
    rows = visible_rows(browser)
    assert len(rows) == 1 and "A Quiet History of Small Things" in rows[0].text
    assert browser.find_element(By.ID, "works-status").text == "1 of 4 works match."
    box.clear()
    box.send_keys("doe")
    assert len(visible_rows(browser)) == 2
    box.clear()
    box.send_keys("nothing matches this")
    assert [r.text for r in visible_rows(browser)] == ["No work matches."]
    browser.find_element(By.CSS_SELECTOR, "#works-filter button[type=reset]").click()
    assert len(rows_settle(browser, 4)) == 4
    assert errors(browser.get_log("browser")) == []


def test_hostile_title_found_by_search_stays_text(browser: Any, site: Path) -> None:
    open_page(browser, site / "index.html")
    browser.find_element(By.ID, "f-q").send_keys("<img")
    rows = visible_rows(browser)
    assert len(rows) == 1
    assert rows[0].find_element(By.TAG_NAME, "a").text == HOSTILE_TITLE
    assert browser.find_elements(By.CSS_SELECTOR, "#works-table img") == []
    assert_nothing_ran(browser)


def test_filters_and_year_sort(browser: Any, site: Path) -> None:
    open_page(browser, site / "index.html")
    Select(browser.find_element(By.ID, "f-type")).select_by_value("book")
    assert len(visible_rows(browser)) == 3
    Select(browser.find_element(By.ID, "f-type")).select_by_value("")
    Select(browser.find_element(By.ID, "f-doc")).select_by_visible_text("draft.md")
    assert len(visible_rows(browser)) == 3
    Select(browser.find_element(By.ID, "f-verdict")).select_by_value("unchecked")
    titles = sorted(r.find_element(By.TAG_NAME, "a").text for r in visible_rows(browser))
    assert titles == [HOSTILE_TITLE, "A Link That Must Not Run"]
    browser.find_element(By.CSS_SELECTOR, "#works-filter button[type=reset]").click()
    assert len(rows_settle(browser, 4)) == 4
    header = browser.find_element(By.CSS_SELECTOR, "th[data-sort=year] button")
    header.click()
    assert settled(browser, lambda: year_column(browser), ["1990", "1999", "2001", "2001"]) == [
        "1990", "1999", "2001", "2001"]
    assert browser.find_element(By.CSS_SELECTOR, "th[data-sort=year]").get_attribute("aria-sort") == "ascending"
    header.click()
    assert settled(browser, lambda: year_column(browser), ["2001", "2001", "1999", "1990"]) == [
        "2001", "2001", "1999", "1990"]


def test_work_page_lists_its_citing_passages(browser: Any, site: Path) -> None:
    log = open_page(browser, site / "works" / "roe1999.html")
    assert errors(log) == []
    items = browser.find_elements(By.CSS_SELECTOR, "li.citing-item")
    assert len(items) == 2
    assert [m.text for m in browser.find_elements(By.CSS_SELECTOR, "li.citing-item mark")] == ["@roe1999", "1"]
    items[1].find_element(By.CSS_SELECTOR, "p.where a").click()
    assert browser.current_url.endswith("documents/notes.txt.html#p2")
    target = browser.find_element(By.ID, "p2")
    assert "The opening claim rests" in target.text


def test_no_page_runs_the_hostile_fixture(browser: Any, site: Path) -> None:
    pages = report.iter_pages(site)
    assert len(pages) >= 9
    for path in pages:
        log = open_page(browser, path)
        assert errors(log) == [], path
        assert browser.find_elements(By.CSS_SELECTOR, "main img") == [], path
    browser.get((site / "works" / "hostile2001.html").as_uri())
    assert browser.find_element(By.TAG_NAME, "h1").text == HOSTILE_TITLE
    assert browser.find_elements(By.CSS_SELECTOR, "a[href^='javascript']") == []


def test_pages_fit_a_phone_screen(browser: Any, site: Path) -> None:
    browser.set_window_size(390, 844)
    try:
        for path in (site / "index.html", site / "works" / "hostile2001.html", site / "documents" / "notes.txt.html",
                     site / "links.html"):
            open_page(browser, path)
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, path
    finally:
        browser.set_window_size(1280, 900)


def screenshot(driver: Any, path: Path, target: Path, width: int = 1280, max_height: int = 2400) -> None:
    open_page(driver, path)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(int(height), max_height))
    driver.save_screenshot(str(target))
    driver.set_window_size(1280, 900)


def test_screenshots_of_the_index_and_a_work_page(browser: Any, site: Path,
                                                  tmp_path_factory: pytest.TempPathFactory) -> None:
    """Real pages for a person to look at: the seed corpus when present, else the fixture."""
    if SEEDS.is_dir() and (ROOT / "references.bib").exists() and any(SEEDS.glob("*.txt")):
        from biblio import pipeline

        root = tmp_path_factory.mktemp("seed-shots")
        shutil.copy(ROOT / "references.bib", root / "references.bib")
        with Store(root / "seeds.db") as store:
            pipeline.build([SEEDS], store, root / "references.bib")
            shown = report.build(store, root / "site").path
        work = shown / "works" / "abrahamian1989.html"
        if work.exists():
            open_page(browser, work)
            docs = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "main h3 a")]
            assert [d[:4] for d in docs] == ["000_", "002_"]
        else:
            work = next(iter(sorted((shown / "works").glob("*.html"))))
    else:
        shown, work = site, site / "works" / "roe1999.html"
    SCREENSHOTS.mkdir(exist_ok=True)
    screenshot(browser, shown / "index.html", SCREENSHOTS / "report-index.png")
    screenshot(browser, work, SCREENSHOTS / "report-work.png")
    for name in ("report-index.png", "report-work.png"):
        assert (SCREENSHOTS / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
