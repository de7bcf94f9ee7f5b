"""The real API served on a loopback port in a thread, for browser tests of served pages.

    with LiveServer(settings) as url:   # "http://127.0.0.1:PORT"
        browser.driver.get(url + "/profiles/entity/sda")
"""
from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn

from coopgraph.api.app import create_app
from coopgraph.settings import Settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, settings: Settings):
        self.port = _free_port()
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not start within 30 s")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_url(loaded_home):
    """The loaded store served by the real app on loopback (the browser's blocked network allows it)."""
    with LiveServer(Settings(home=loaded_home)) as url:
        yield url
