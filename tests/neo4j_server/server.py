"""Build, start and stop the suite's Neo4j server: Neo4j's own test harness (real kernel, Cypher and
Bolt) in one JVM, built by Maven from this folder. Needs `java` (17+) and `mvn`.

    NEO4J_PASSWORD=… python tests/neo4j_server/server.py start [--port 7687]   # prints the Bolt URI
    python tests/neo4j_server/server.py stop                                    # by the recorded pid

The suite (tests/conftest.py) starts one per session through `start()`. The first build downloads
the harness into ~/.m2 (about 340 MB, once); later starts reuse target/ and skip Maven.
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE / "target"
CLASSPATH_FILE = TARGET / "classpath.txt"
SETTINGS_FILES = [HERE / "sandbox.conf", HERE / "neo4j.conf"]  # the sandbox's, then the test server's
PID_FILE = TARGET / "server.pid"
MAIN_CLASS = "coopgraph.neo4jserver.TestServer"
READY = "coopgraph-neo4j ready"
# Bounded memory: a fixed heap (the page cache is set in neo4j.conf); override for big benchmarks.
HEAP = os.environ.get("COOPGRAPH_TEST_NEO4J_HEAP", "512m")
# Quick to start for the suite's small statements: no optimising JIT compiler, the serial collector.
JVM_OPTIONS = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"]
# For throughput (benchmarks): the optimising compiler on and G1, as a Neo4j server runs.
THROUGHPUT_JVM_OPTIONS = ["-XX:+UseG1GC"]


def unavailable() -> str | None:
    """Why this machine cannot run the server (None when it can)."""
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        return f"{' and '.join(missing)} not on PATH: cannot build and start the Neo4j test server"
    return None


def _stale() -> bool:
    if not CLASSPATH_FILE.exists():
        return True
    built = CLASSPATH_FILE.stat().st_mtime
    sources = [HERE / "pom.xml", *(HERE / "src").rglob("*.java")]
    return any(source.stat().st_mtime > built for source in sources)


def build() -> str:
    """Compile the launcher (Maven, only when its sources changed) and return the java classpath."""
    if _stale():
        result = subprocess.run(["mvn", "-q", "-B", "compile"], cwd=HERE, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"building the Neo4j test server failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
        CLASSPATH_FILE.touch()  # Maven leaves it untouched when the dependencies did not change
    return f"{TARGET / 'classes'}{os.pathsep}{CLASSPATH_FILE.read_text().strip()}"


def admin_tool(path: Path, heap: str = "512m") -> Path:
    """A `neo4j-admin` at `path` (a script running the harness's AdminTool), for NEO4J_ADMIN=… of import.sh."""
    path.write_text(f'#!/bin/sh\nexec java -Xmx{heap} -cp "{build()}" org.neo4j.cli.AdminTool "$@"\n', encoding="utf-8")
    path.chmod(0o755)
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bolt_answers(port: int, timeout: float = 2.0) -> bool:
    """A Bolt handshake: the magic preamble and four proposed versions; a server answers with one."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
            conn.sendall(bytes.fromhex("6060B017") + bytes.fromhex("00000005" "00000004" "00000003" "00000000"))
            answer = conn.recv(4)
            return len(answer) == 4 and answer != b"\x00\x00\x00\x00"
    except OSError:
        return False


@dataclass
class Server:
    pid: int
    port: int
    password: str
    version: str
    log: Path
    started_s: float  # seconds from launch to Bolt answering

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def rss_mb(self) -> float | None:
        """Resident memory of the server process (Linux)."""
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def stop(self, timeout: float = 60.0) -> None:
        stop(self.pid, timeout)


def start(port: int | None = None, password: str | None = None, heap: str = HEAP, timeout: float = 300.0,
          outlive_caller: bool = False, settings: dict[str, str] | None = None,
          jvm_options: list[str] | None = None) -> Server:
    """Build if needed, launch the server in its own process group, return once Bolt answers.
    Unless `outlive_caller`, the server stops by itself when the calling process ends (even killed).
    `settings` (neo4j.conf names and values) override the files', e.g. a bigger page cache for a benchmark."""
    classpath = build()
    port = port or free_port()
    password = password or os.environ.get("NEO4J_PASSWORD") or secrets.token_urlsafe(18)
    log = TARGET / f"server-{port}.log"
    settings_files = list(SETTINGS_FILES)
    if settings:
        overrides = TARGET / f"server-{port}.conf"
        overrides.write_text("".join(f"{name}={value}\n" for name, value in settings.items()))
        settings_files.append(overrides)
    began = time.monotonic()
    with open(log, "w") as out:
        process = subprocess.Popen(
            ["java", f"-Xms{heap}", f"-Xmx{heap}", *(JVM_OPTIONS if jvm_options is None else jvm_options),
             "-cp", classpath, MAIN_CLASS, str(port), *map(str, settings_files)],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            env={**os.environ, "NEO4J_PASSWORD": password,
                 "COOPGRAPH_NEO4J_PARENT_PID": "" if outlive_caller else str(os.getpid())})
    deadline = began + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Neo4j test server exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        lines = [line for line in log.read_text(errors="replace").splitlines() if line.startswith(READY)]
        if lines and bolt_answers(port):
            version = lines[0].split()[-1]
            return Server(process.pid, port, password, version, log, time.monotonic() - began)
        time.sleep(0.2)
    stop(process.pid)
    raise RuntimeError(f"the Neo4j test server did not answer within {timeout:.0f} s; see {log}")


def wipe(driver, database: str = "neo4j") -> None:
    """Empty a database in bounded transactions, relationships first: a node's DETACH DELETE takes
    all its relationships into one transaction, which for a Source of a 100k-row file overflows the
    transaction memory pool (sandbox.conf). No timeout: a benchmark's million rows take minutes."""
    from neo4j import Query

    with driver.session(database=database) as session:
        for statement in ("MATCH ()-[r]->() CALL { WITH r DELETE r } IN TRANSACTIONS OF 10000 ROWS",
                          "MATCH (n) CALL { WITH n DELETE n } IN TRANSACTIONS OF 10000 ROWS"):
            session.run(Query(statement, timeout=0)).consume()


def stop(pid: int, timeout: float = 60.0) -> None:
    """SIGTERM (a clean shutdown), then SIGKILL if it outlives the timeout."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            finished, _ = os.waitpid(pid, os.WNOHANG)
            if finished:
                return
        except ChildProcessError:  # not our child (started by another process): poll for its exit
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


def _main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args()
    if args.action == "start":
        reason = unavailable() or (None if os.environ.get("NEO4J_PASSWORD") else "set NEO4J_PASSWORD first")
        if reason:
            sys.exit(reason)
        server = start(args.port, outlive_caller=True)
        PID_FILE.write_text(str(server.pid))
        print(f"Neo4j {server.version} on {server.uri} (pid {server.pid}, ready in {server.started_s:.1f} s, "
              f"{server.rss_mb() or 0:.0f} MB resident); stop it with: python {Path(__file__).name} stop")
    else:
        if not PID_FILE.exists():
            sys.exit("no server recorded in " + str(PID_FILE))
        stop(int(PID_FILE.read_text()))
        PID_FILE.unlink()


if __name__ == "__main__":
    _main()
