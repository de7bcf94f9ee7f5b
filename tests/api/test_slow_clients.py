"""The server under slow and heavy clients: `coopgraph serve` closes a connection whose request does
not arrive within COOPGRAPH_API_READ_TIMEOUT_S (headers sent byte by byte, a body trickled), while
other clients are served; measured with raw sockets against the real server."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

READ_TIMEOUT_S = 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(loaded_home):
    port = _free_port()
    env = {**os.environ, "COOPGRAPH_HOME": str(loaded_home), "COOPGRAPH_API_READ_TIMEOUT_S": str(READ_TIMEOUT_S)}
    process = subprocess.Popen([sys.executable, "-m", "coopgraph", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(base + "/api/v1/summary", timeout=5).read()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("coopgraph serve did not start")
            time.sleep(0.3)
    yield port
    process.terminate()
    process.wait(timeout=30)


def _trickle(port: int, data: bytes, every_s: float, limit_s: float) -> tuple[bytes, float]:
    """Send `data` a byte every `every_s`; what the server answered and when it closed (seconds)."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.settimeout(every_s)
        answer = b""
        for byte in data:
            try:
                conn.sendall(bytes([byte]))
            except OSError:  # closed under us
                break
            try:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                answer += chunk
            except socket.timeout:
                pass
            if time.monotonic() - started > limit_s:
                pytest.fail(f"still connected after {limit_s} s")
        else:
            conn.settimeout(limit_s)
            try:
                while chunk := conn.recv(4096):
                    answer += chunk
            except OSError:
                pass
    return answer, time.monotonic() - started


def test_headers_sent_byte_by_byte_get_408_and_the_connection_closes(server):
    headers = b"GET /api/v1/summary HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 200 + b"\r\n\r\n"
    answer, elapsed = _trickle(server, headers, 0.2, READ_TIMEOUT_S + 10)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:80]
    assert READ_TIMEOUT_S - 0.5 < elapsed < READ_TIMEOUT_S + 2, elapsed


def test_a_trickled_body_is_cut_off(server):
    body = b'{"query": "MATCH (s:Sector) RETURN count(s) AS n"}' + b" " * 100
    head = (b"POST /api/v1/cypher HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
    with socket.create_connection(("127.0.0.1", server)) as conn:
        conn.sendall(head)
        started = time.monotonic()
        conn.settimeout(0.2)
        closed = False
        for byte in body:
            try:
                conn.sendall(bytes([byte]))
                if conn.recv(4096) == b"":
                    closed = True
                    break
            except socket.timeout:
                continue
            except OSError:
                closed = True
                break
            if time.monotonic() - started > READ_TIMEOUT_S + 10:
                break
    assert closed and time.monotonic() - started < READ_TIMEOUT_S + 2


def test_slow_clients_do_not_keep_others_waiting(server):
    slow = [socket.create_connection(("127.0.0.1", server)) for _ in range(45)]
    try:
        for conn in slow:
            conn.sendall(b"GET /api/v1/summary HTTP/1.1\r\nHo")
        started = time.monotonic()
        urllib.request.urlopen(f"http://127.0.0.1:{server}/api/v1/summary", timeout=10).read()
        assert time.monotonic() - started < 2
        time.sleep(READ_TIMEOUT_S + 1)
        for conn in slow:  # every one was answered 408 and closed
            conn.settimeout(2)
            assert conn.recv(4096).startswith(b"HTTP/1.1 408")
    finally:
        for conn in slow:
            conn.close()


def test_a_prompt_client_keeps_its_connection_across_requests(server):
    with socket.create_connection(("127.0.0.1", server)) as conn:
        conn.settimeout(10)
        for _ in range(2):
            conn.sendall(b"GET /api/v1/summary HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = b""
            while b"\r\n\r\n" not in answer:
                answer += conn.recv(65536)
            assert answer.startswith(b"HTTP/1.1 200"), answer[:80]
            length = int(next(line.split(b":")[1] for line in answer.split(b"\r\n")
                              if line.lower().startswith(b"content-length")))
            body = answer.split(b"\r\n\r\n", 1)[1]
            while len(body) < length:
                body += conn.recv(65536)
            time.sleep(READ_TIMEOUT_S + 0.5)  # idle between requests is keep-alive's (5 s), not the read deadline


def test_a_ficha_during_a_50k_row_load_answers_within_twice_its_usual_time(loaded_home, tmp_path):
    """Each ficha is a different cooperant's (none is cached): first idle, then while `coopgraph load`
    writes 50,000 synthetic rows in another process (it takes COOPGRAPH_LOAD_NICE)."""
    import shutil
    import statistics

    from conftest import run_cli

    home = tmp_path / "home"
    shutil.copytree(loaded_home, home, symlinks=True)
    synth = tmp_path / "synth.csv"
    assert run_cli(["synth", "-o", str(synth), "--rows", "50000"], home).returncode == 0
    ids = run_cli(["query", "--cypher", "MATCH (c:Cooperant) RETURN c.id AS id ORDER BY id", "-f", "csv"],
                  home).stdout.split()[1:]
    port = _free_port()
    env = {**os.environ, "COOPGRAPH_HOME": str(home)}
    server = subprocess.Popen([sys.executable, "-m", "coopgraph", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/api/v1/profiles/cooperant/"

    def ficha(cooperant: str) -> float:
        started = time.monotonic()
        urllib.request.urlopen(base + cooperant, timeout=60).read()
        return time.monotonic() - started

    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                ficha(ids[0])
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "coopgraph serve did not start"
                time.sleep(0.3)
        idle = [ficha(c) for c in ids[1:31]]
        usual = statistics.median(idle)
        load = subprocess.Popen([sys.executable, "-m", "coopgraph", "load", str(synth)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        during, rest = [], iter(ids[31:])
        time.sleep(1)  # past the load's start-up, into its reading and writing
        while load.poll() is None:
            cooperant = next(rest, None)
            if cooperant is None:
                break
            during.append(ficha(cooperant))
        assert load.wait(timeout=600) == 0, load.stderr.read()[-500:]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert len(during) >= 10, during
    # the median of the fichas answered during the load, against their median idle (a shared
    # machine's noise gets the same allowance on both sides: ×2 plus 50 ms)
    assert statistics.median(during) <= 2 * usual + 0.05, (usual, during)
    assert max(during) <= 2 * max(idle) + 0.5, (max(idle), during)
