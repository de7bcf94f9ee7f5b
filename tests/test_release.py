"""The release works where a user installs it: the wheel and the sdist build from the checkout, the
wheel holds every file of the package, and installed into a fresh virtual environment (outside the
tree, run from another folder) it serves the maps, a ficha and its XLSX, /docs and a named query."""
from __future__ import annotations

import io
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# the folders the design card asks for, as they install (setup.py discovers their packages)
INSTALLED_AS = {"coopgraph": "coopgraph", "graph": "coopgraph/graph", "loaders": "coopgraph/loaders",
                "api": "coopgraph/api", "viz": "coopgraph/viz", "cypher": "coopgraph/cypher", "data": "coopgraph/data"}


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # both, the wheel built from the sdist (as pip does from an index): nothing is built in the tree
    built = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    return out


@pytest.fixture(scope="module")
def installed(dist, tmp_path_factory) -> Path:
    """A fresh venv installed as the Dockerfile installs the image: the pinned dependencies of
    docker/constraints.txt, then the wheel; `pip check` proves the pins satisfy what the wheel declares."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = str(venv / "bin" / "pip")
    started = time.perf_counter()
    wheel = next(dist.glob("*.whl"))
    for step in (["install", "-q", "-r", str(ROOT / "docker" / "constraints.txt")],
                 ["install", "-q", "--no-deps", str(wheel)], ["check"]):
        done = subprocess.run([pip, *step], capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, f"pip {' '.join(step)}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
    print(f"wheel {wheel.stat().st_size / 1e6:.2f} MB installed in {time.perf_counter() - started:.1f} s")
    return venv


def test_the_dockerfile_copies_every_package_folder_and_installs_the_same_pins():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    copied = set(re.findall(r"^COPY (\S+) \1$", dockerfile, re.MULTILINE))
    assert copied >= set(INSTALLED_AS), f"the image would lack {set(INSTALLED_AS) - copied}"
    assert "pip install -r docker/constraints.txt" in dockerfile and "--no-deps" in dockerfile
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE) and "HEALTHCHECK" in dockerfile
    pins = {line.split("==")[0].lower().replace("_", "-") for line in
            (ROOT / "docker" / "constraints.txt").read_text(encoding="utf-8").splitlines() if "==" in line}
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {re.split(r"[<>=!~\[ ;]", d)[0].lower().replace("_", "-")
              for d in project["dependencies"] + project["optional-dependencies"]["neo4j"]}
    assert wanted - pins == set(), f"docker/constraints.txt pins no version of {wanted - pins}"


def _package_files() -> set[str]:
    """Every file the checkout's package folders hold, as it should sit in site-packages."""
    listed = subprocess.run(["git", "ls-files", *INSTALLED_AS], cwd=ROOT, capture_output=True, text=True)
    names = listed.stdout.split() if listed.returncode == 0 else [
        str(p.relative_to(ROOT)) for folder in INSTALLED_AS for p in (ROOT / folder).rglob("*") if p.is_file()]
    out = set()
    for name in names:
        top, _, rest = name.partition("/")
        if "__pycache__" not in name and not name.endswith((".pyc", "generate.sh")):
            out.add(f"{INSTALLED_AS[top]}/{rest}")
    return out


def test_the_wheel_and_the_sdist_hold_every_file_of_the_package(dist):
    wheel = zipfile.ZipFile(next(dist.glob("*.whl")))
    in_wheel = set(wheel.namelist())
    missing = sorted(_package_files() - in_wheel)
    assert missing == [], f"the wheel lacks {missing[:10]}"
    assert "coopgraph/api/routers/maps.py" in in_wheel  # the subpackage a hand-written list once missed
    with tarfile.open(next(dist.glob("*.tar.gz"))) as sdist:
        in_sdist = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    for folder in INSTALLED_AS:
        assert any(name.startswith(folder + "/") for name in in_sdist), folder
    assert "setup.py" in in_sdist and "data/report-2024/informe-2024.txt" in in_sdist


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 60) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return answer.status, dict(answer.headers), answer.read()


def test_the_installed_wheel_serves_from_another_folder(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PATH": f"{installed / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "COOPGRAPH_HOME": str(tmp_path / "home")}
    coopgraph = str(installed / "bin" / "coopgraph")
    version = subprocess.run([coopgraph, "--version"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert version.returncode == 0 and re.fullmatch(r"coopgraph \d+\.\d+\.\d+\S*\n", version.stdout), version

    port = _free_port()
    server = subprocess.Popen([coopgraph, "serve", "--port", str(port)], cwd=elsewhere, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240  # the first start loads the bundled data
        while True:
            try:
                if _get(base + "/api/v1/summary", timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, server.stdout.read()[-3000:]
            assert time.monotonic() < deadline, "the installed server did not answer"
            time.sleep(0.5)
        for path in ("/maps", "/maps/overview", "/maps/networks", "/maps/flows", "/maps/ego?id=cooperant:bid",
                     "/profiles/cooperant/bid", "/docs", "/openapi.json"):
            status, _, body = _get(base + path)
            assert status == 200 and body, path
        page = _get(base + "/maps/overview")[2].decode("utf-8")
        for asset in re.findall(r'src="(/assets/[^"]+)"', page):  # the libraries a served page links
            assert _get(base + asset)[0] == 200, asset
        status, headers, book = _get(base + "/api/v1/profiles/cooperant/bid?format=xlsx")
        assert status == 200 and book[:2] == b"PK"
        from openpyxl import load_workbook

        headline = load_workbook(io.BytesIO(book)).worksheets[0]
        numbers = [row[1] for row in headline.iter_rows(min_row=2, values_only=True) if row[1] is not None]
        assert numbers and all(isinstance(v, (int, float)) for v in numbers)  # money and counts, never text
        status, _, rows = _get(base + "/api/v1/queries/top_cooperants_by_amount?limit=3")
        assert status == 200 and b"BANCO INTERAMERICANO" in rows.upper()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert not (elsewhere / "import.report").exists() and list(elsewhere.iterdir()) == []  # nothing left behind
    shutil.rmtree(tmp_path / "home", ignore_errors=True)
