"""The package as it ships: the wheel holds every subpackage of scripts/ and the files the code
reads at run time (templates, schemas, the benchmark's script), found by package discovery."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest
from support.archive import REPO

pytestmark = pytest.mark.slow  # builds a wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The names in the wheel pip builds from a copy of the project (setuptools writes build/
    beside the sources, so not in the checkout)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    caches = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO / "scripts", source / "scripts", ignore=caches)
    folder = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"]
    subprocess.run(
        [*command, "--no-build-isolation", "--wheel-dir", str(folder), str(source)],
        check=True,
        capture_output=True,
    )
    (built,) = folder.glob("*.whl")
    with zipfile.ZipFile(built) as archive:
        return set(archive.namelist())


def test_every_subpackage_is_in_the_wheel(wheel: set[str]) -> None:
    packages = sorted(
        init.parent.relative_to(REPO).as_posix() for init in (REPO / "scripts").rglob("__init__.py")
    )
    assert len(packages) >= 5, packages
    for package in packages:
        assert f"{package}/__init__.py" in wheel, package


def test_every_module_and_data_file_is_in_the_wheel(wheel: set[str]) -> None:
    wanted = [
        path.relative_to(REPO).as_posix()
        for path in sorted((REPO / "scripts").rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix in {".py", ".json", ".j2", ".mjs"}
    ]
    missing = [name for name in wanted if name not in wheel]
    assert not missing
