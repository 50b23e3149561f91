"""A real Karvon server (SQLite in a temporary folder, demo data) and headless Debian Chromium for the flows."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.request import urlopen

import pytest

CHROMIUM = "/usr/bin/chromium"
KARVON = Path(sys.executable).parent / "karvon"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var = tmp_path_factory.mktemp("karvon-e2e")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"KARVON_VAR_DIR": str(var), "KARVON_DEBUG": "true", "PYTHONUNBUFFERED": "1"})
    subprocess.run([KARVON, "migrate", "--no-input"], env=env, check=True, capture_output=True)
    subprocess.run([KARVON, "demo_load", "--people", "400"], env=env, check=True, capture_output=True)
    subprocess.run([KARVON, "statistics_load_unhcr"], env=env, check=True, capture_output=True)
    subprocess.run([KARVON, "statistics_refresh_national"], env=env, check=True, capture_output=True)
    port = _free_port()
    log = (var / "server.log").open("w")
    # The task worker runs as in `make run`: duplicate checks after each registration go through the queue.
    worker = subprocess.Popen([KARVON, "db_worker"], env=env, stdout=log, stderr=subprocess.STDOUT)
    process = subprocess.Popen(
        [KARVON, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with urlopen(f"{url}/login/", timeout=1):  # noqa: S310 — loopback only
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError((var / "server.log").read_text())
    yield url
    for child in (process, worker):
        child.terminate()
        child.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def russian_page(browser: object, server: str) -> Iterator[object]:
    context = browser.new_context(
        locale="ru-RU",
        extra_http_headers={"Accept-Language": "ru"},  # type: ignore[attr-defined]
        viewport={"width": 1280, "height": 900},
        base_url=server,
    )
    page = context.new_page()
    yield page
    context.close()
