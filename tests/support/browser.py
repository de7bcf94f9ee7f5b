"""A real headless Chromium for the map tests (and bench/bench_maps.py), with the network blocked.

Chromium and its driver come from the system (Debian: ``apt-get install chromium chromium-driver``;
``COOPGRAPH_TEST_CHROMIUM`` / ``COOPGRAPH_TEST_CHROMEDRIVER`` point elsewhere). When either is
missing, `chromium_paths` says so and the `browser` fixture skips with that reason; nothing else
skips. Each browser gets a fresh profile and cannot reach any host: DNS resolves nothing but
loopback, every request goes to a dead proxy, and pages are opened from file://. The
`served_browser` fixture alone may reach 127.0.0.1, where tests serve the real API (tests/support/live_server.py).

    with Browser() as b:
        b.open(path_to_html)          # waits for the page's own ready flag (window.coopgraph.ready)
        b.js("return coopgraph.visible()")
        b.severe_logs()               # console errors (SEVERE), [] when clean
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"  # tests/artifacts (git-ignored)
FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--disable-dev-shm-usage", "--no-default-browser-check",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    "--window-size=1400,900", "--force-device-scale-factor=1",
]


def chromium_paths() -> tuple[str | None, str | None, str]:
    """(chromium, chromedriver, reason-if-missing)."""
    chromium = os.environ.get("COOPGRAPH_TEST_CHROMIUM") or next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) if p),
        None)
    driver = os.environ.get("COOPGRAPH_TEST_CHROMEDRIVER") or shutil.which("chromedriver")
    missing = [name for name, path in (("chromium", chromium), ("chromedriver", driver)) if not path]
    reason = ""
    if missing:
        reason = (f"{' and '.join(missing)} not found: install Debian's chromium and chromium-driver "
                  "(apt-get install -y chromium chromium-driver) to run the browser tests")
    return chromium, driver, reason


class Browser:
    """One headless Chromium driven by selenium, its network blocked, with a fresh profile."""

    def __init__(self, *, width: int = 1400, height: int = 900, loopback: bool = False):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        chromium, driver, reason = chromium_paths()
        if reason:
            raise RuntimeError(reason)
        self.profile = tempfile.mkdtemp(prefix="coopgraph-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in FLAGS:
            if loopback and flag.startswith("--proxy-bypass-list"):
                flag = "--proxy-bypass-list=127.0.0.1"  # a test server on loopback; every other host stays dead
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        options.add_argument(f"--window-size={width},{height}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(executable_path=driver), options=options)
        self.driver.set_page_load_timeout(120)
        self.driver.set_script_timeout(120)

    def open(self, path: Path | str, *, timeout: float = 60.0) -> float:
        """Load a page (a file, or a served http:// URL) and wait for its ready flag; returns the page's readyMs."""
        served = isinstance(path, str) and path.startswith("http")
        self.driver.get(path if served else Path(path).resolve().as_uri())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready = self.js("return !!(window.coopgraph && window.coopgraph.ready)")
            if ready:
                return float(self.js("return window.coopgraph.readyMs"))
            time.sleep(0.05)
        raise AssertionError(f"{path} did not signal ready within {timeout} s; console: {self.logs()}")

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def logs(self) -> list[dict]:
        return self.driver.get_log("browser")

    def severe_logs(self) -> list[dict]:
        return [entry for entry in self.logs() if entry.get("level") == "SEVERE"]

    def external_requests(self) -> list[str]:
        """Resources the page fetched from another origin (none: pages are offline or served by coopgraph alone)."""
        return self.js("return performance.getEntriesByType('resource').map(e => e.name)"
                       ".filter(n => /^(https?|wss?):/.test(n) && !n.startsWith(location.origin + '/'))")

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.driver.save_screenshot(str(path))
        return path

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@pytest.fixture(scope="session")
def browser():
    """A session's headless Chromium; skips (with the reason) only when Chromium or its driver is absent."""
    _, _, reason = chromium_paths()
    if reason:
        pytest.skip(reason)
    b = Browser()
    yield b
    b.close()


@pytest.fixture(scope="session")
def served_browser():
    """A headless Chromium that may reach 127.0.0.1 (the tests' own server) and nothing else."""
    _, _, reason = chromium_paths()
    if reason:
        pytest.skip(reason)
    b = Browser(loopback=True)
    yield b
    b.close()
