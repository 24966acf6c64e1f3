"""An installed crumail (not the editable one the tests run) has every file it reads.

The package is built and installed with pip into a folder of its own
(``pip install --no-deps --target``), from a copy of what the build reads,
and imported from there in a fresh interpreter: every file under crumail/
that is not Python (the desk's pages and static files, the draft templates,
the password list, py.typed) must be installed, and the code must find it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BUILD_INPUTS = ("pyproject.toml", "README.md", "LICENSE")


def _data_files(package: Path) -> set[str]:
    return {str(p.relative_to(package)) for p in package.rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts}


def _install(tmp_path: Path) -> Path:
    source, target = tmp_path / "source", tmp_path / "installed"
    source.mkdir()
    for name in BUILD_INPUTS:
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "crumail", source / "crumail", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile",
                    "--target", str(target), str(source)],
                   check=True, capture_output=True, timeout=600, cwd=tmp_path)
    return target


PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import crumail
from importlib.resources import files
from crumail.drafts import render
from crumail.web import passwords
from crumail.web.context import HERE
from jinja2 import Environment, FileSystemLoader
pages = Environment(loader=FileSystemLoader(str(HERE / "templates")))
try:
    desk_page = bool(pages.get_template("base.html"))
except Exception:
    desk_page = False
print(json.dumps({
    "package": crumail.__file__,
    "files": sorted(str(p.relative_to(sys.argv[1] + "/crumail"))
                    for p in __import__("pathlib").Path(sys.argv[1], "crumail").rglob("*") if p.is_file()),
    "draft_templates": sorted(p.name for p in render.BUILTIN_TEMPLATES.glob("*" + render.SUFFIX)),
    "desk_page": desk_page,
    "static": files("crumail.web").joinpath("static", "desk.css").is_file(),
    "common_passwords": len(passwords.COMMON_LIST.read_text(encoding="utf-8").split()),
}))
"""


@pytest.mark.slow
def test_a_non_editable_install_has_every_data_file_and_finds_it(tmp_path):
    target = _install(tmp_path)
    ran = subprocess.run([sys.executable, "-I", "-c", PROBE, str(target)], capture_output=True,
                         text=True, timeout=120, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    found = json.loads(ran.stdout)
    assert found["package"].startswith(str(target)), found["package"]   # not the editable copy
    missing = _data_files(REPO / "crumail") - set(found["files"])
    assert not missing, f"not installed: {sorted(missing)}"
    assert {"acknowledgement.txt.j2", "advice.txt.j2"} <= set(found["draft_templates"])
    assert found["desk_page"] and found["static"] and found["common_passwords"] > 1000
