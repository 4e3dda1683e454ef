"""The GitHub workflows and the dependency pins, read as data (SPEC §6 Workflows).

Every action is pinned to a commit, every workflow and job runs with the least it needs (read
only, except the Pages deploy), no workflow runs a pull request's code with the base repository's
rights (`pull_request_target`), the site deploys only from main, CI installs only hash-pinned
packages (requirements.txt and requirements-build.txt, written by `make lock`), and Dependabot
keeps the actions and the pins current.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
LOCKS = {
    "requirements.txt": "the dependencies and dev tools",
    "requirements-build.txt": "the build tools",
}
WRITE_ALLOWED = {("deploy.yml", "deploy"): {"pages", "id-token"}}
"""Jobs that may write, and to what: only the Pages deploy."""
SHA = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")


def load(path: Path) -> dict[Any, Any]:
    # BaseLoader: every value is text, so `on:` stays the key "on" (not True, as YAML 1.1 has it).
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert isinstance(data, dict), path
    return data


def workflow_ids() -> list[str]:
    return [path.name for path in WORKFLOWS]


@pytest.fixture(params=WORKFLOWS, ids=workflow_ids())
def workflow(request: pytest.FixtureRequest) -> tuple[str, dict[Any, Any]]:
    path: Path = request.param
    return path.name, load(path)


def test_there_are_workflows() -> None:
    assert {"pr.yml", "deploy.yml"} <= set(workflow_ids())


def uses(node: Any) -> list[str]:
    """Every `uses:` value anywhere in a workflow (steps and reusable-workflow jobs)."""
    if isinstance(node, dict):
        found = [node["uses"]] if isinstance(node.get("uses"), str) else []
        return found + [u for value in node.values() for u in uses(value)]
    if isinstance(node, list):
        return [u for item in node for u in uses(item)]
    return []


def test_every_action_is_pinned_to_a_commit(workflow: tuple[str, dict[Any, Any]]) -> None:
    name, data = workflow
    actions = uses(data)
    assert actions, f"{name} uses no action"
    unpinned = [a for a in actions if not a.startswith("./") and not SHA.match(a)]
    assert not unpinned, f"{name}: not pinned to a 40-hex commit SHA: {unpinned}"


def test_pinned_actions_name_their_version_in_a_comment() -> None:
    """Dependabot and reviewers read the tag from the comment after the SHA."""
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(r"\buses:\s*\S+@[0-9a-f]{40}", line):
                assert re.search(r"#\s*v\d", line), f"{path.name}: {line.strip()}"


def permissions(block: Any) -> dict[str, str]:
    """A `permissions:` value as scope → access ('read-all' and the like spelled out)."""
    if isinstance(block, dict):
        return {str(k): str(v) for k, v in block.items()}
    if block in ("", "{}"):
        return {}
    return {"*": str(block).removesuffix("-all")}  # read-all / write-all


def test_every_workflow_sets_permissions_and_no_job_writes_unless_it_must(
    workflow: tuple[str, dict[Any, Any]],
) -> None:
    name, data = workflow
    assert "permissions" in data, f"{name} has no top-level permissions:"
    top = permissions(data["permissions"])
    assert all(access in ("read", "none") for access in top.values()), f"{name}: {top}"
    for job_name, job in data["jobs"].items():
        effective = permissions(job["permissions"]) if "permissions" in job else top
        writes = {scope for scope, access in effective.items() if access == "write"}
        allowed = WRITE_ALLOWED.get((name, job_name), set())
        assert writes <= allowed, f"{name} job {job_name} may write {writes - allowed}"
        assert "*" not in effective or effective["*"] in ("read", "none"), (name, job_name)


def test_no_workflow_runs_on_pull_request_target(workflow: tuple[str, dict[Any, Any]]) -> None:
    name, data = workflow
    triggers = data["on"]
    names = set(triggers) if isinstance(triggers, dict | list) else {triggers}
    assert "pull_request_target" not in names, name


def test_checkouts_keep_no_credentials(workflow: tuple[str, dict[Any, Any]]) -> None:
    name, data = workflow
    for job in data["jobs"].values():
        for step in job.get("steps", []):
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") == "false", name


def test_deploy_runs_only_from_main() -> None:
    data = load(REPO / ".github/workflows/deploy.yml")
    on = data["on"]
    assert set(on) <= {"push", "workflow_dispatch"}, on
    assert on["push"]["branches"] == ["main"]
    deploying = [
        (job_name, job)
        for job_name, job in data["jobs"].items()
        for step in job.get("steps", [])
        if str(step.get("uses", "")).startswith("actions/deploy-pages@")
    ]
    assert [job_name for job_name, _ in deploying] == ["deploy"]
    for _, job in deploying:
        # workflow_dispatch can be started from any branch: the job itself checks.
        assert job["if"].replace(" ", "") == "github.ref=='refs/heads/main'"
        assert job["environment"]["name"] == "github-pages"
    for path in WORKFLOWS:
        if path.name != "deploy.yml":
            text = path.read_text(encoding="utf-8")
            assert "deploy-pages" not in text and "pages: write" not in text, path.name


def test_the_deploy_builds_from_the_whole_history() -> None:
    """The build's date (SOURCE_DATE_EPOCH) is the latest commit that touched data/: a shallow
    clone would date it by its one commit instead, and two deploys of one tree would differ."""
    data = load(REPO / ".github/workflows/deploy.yml")
    checkouts = [
        step
        for job in data["jobs"].values()
        for step in job.get("steps", [])
        if str(step.get("uses", "")).startswith("actions/checkout@")
    ]
    assert checkouts and all(step["with"].get("fetch-depth") == "0" for step in checkouts)


def test_the_deploy_builds_in_shards_as_the_local_build_does() -> None:
    """plan → a matrix job a shard, cached under its key → assemble → deploy, each step the
    command tests/test_shards.py runs locally."""
    jobs = load(REPO / ".github/workflows/deploy.yml")["jobs"]
    assert jobs["plan"]["needs"] == "test" and jobs["shard"]["needs"] == "plan"
    assert jobs["assemble"]["needs"] == "shard" and jobs["deploy"]["needs"] == "assemble"
    assert jobs["shard"]["strategy"]["matrix"] == "${{ fromJSON(needs.plan.outputs.matrix) }}"
    runs = {job: " ".join(s.get("run", "") for s in jobs[job]["steps"]) for job in jobs}
    assert "scripts shards plan" in runs["plan"]
    assert 'scripts shards build "${{ matrix.shard }}"' in runs["shard"]
    assert "scripts shards assemble --from .build/matrix" in runs["assemble"]
    (cache,) = [s for s in jobs["shard"]["steps"] if s.get("uses", "").startswith("actions/cache@")]
    assert "${{ matrix.key }}" in cache["with"]["key"]
    assert cache["with"]["path"] == ".build/matrix/${{ matrix.shard }}"


# --- dependency pins -------------------------------------------------------------------------


def normalise(name: str) -> str:
    """A package name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement(spec: str) -> tuple[str, str]:
    """'pagefind[extended]==1.5.2' → ('pagefind', '1.5.2')."""
    match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;]+)", spec.strip())
    assert match, f"not pinned with ==: {spec!r}"
    return normalise(match[1]), match[2]


def locked(path: Path) -> dict[str, tuple[str, list[str]]]:
    """A pip-compile lock: package → (version, its sha256 hashes)."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    found: dict[str, tuple[str, list[str]]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        assert not line.startswith("-"), f"{path.name}: an option line: {line}"
        spec, *options = line.split()
        name, version = requirement(spec)
        hashes = [o.removeprefix("--hash=sha256:") for o in options if o.startswith("--hash=")]
        assert len(hashes) == len(options), f"{path.name}: {line}"
        found[name] = (version, hashes)
    return found


def project() -> dict[str, Any]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_locked_package_is_pinned_with_hashes(lock: str) -> None:
    packages = locked(REPO / lock)
    assert packages, lock
    for name, (_, hashes) in packages.items():
        assert hashes, f"{lock}: {name} has no --hash"
        assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), f"{lock}: {name}"


def test_the_lock_covers_every_dependency_at_its_pinned_version() -> None:
    data = project()["project"]
    declared = [*data["dependencies"], *data["optional-dependencies"]["dev"]]
    packages = locked(REPO / "requirements.txt")
    for spec in declared:
        name, version = requirement(spec)
        assert name in packages, f"{name} is in pyproject.toml but not in requirements.txt"
        assert packages[name][0] == version, (
            f"{name}: pyproject.toml pins {version}, requirements.txt {packages[name][0]};"
            " run `make lock`"
        )
    assert "pagefind-bin-extended" in packages  # the extra's binary, which the search needs


def test_the_build_lock_covers_the_build_system() -> None:
    requires = project()["build-system"]["requires"]
    packages = locked(REPO / "requirements-build.txt")
    for spec in requires:
        name = normalise(re.split(r"[<>=!~ \[;]", spec, maxsplit=1)[0])
        assert name in packages, f"{name} (build-system.requires) is not in requirements-build.txt"


def test_the_lock_files_say_how_to_refresh_them() -> None:
    for lock in LOCKS:
        assert "#    make lock\n" in (REPO / lock).read_text(encoding="utf-8"), lock
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "\nlock:" in makefile
    for lock in LOCKS:
        assert f"--output-file {lock}" in makefile


def test_ci_installs_only_from_the_hash_pinned_locks() -> None:
    """The virtualenv every make target uses (and so .ci/run and the workflows, which run make)
    is installed from the locks with --require-hashes; the project itself with --no-deps."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("$(STAMP):", 1)[1].split("\n\n", 1)[0]
    installs = [line.strip() for line in recipe.splitlines() if "pip install" in line]
    assert installs == [
        "$(PY) -m pip install --quiet --require-hashes -r requirements-build.txt",
        "$(PY) -m pip install --quiet --require-hashes --no-build-isolation -r requirements.txt",
        "$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .",
    ]
    assert "requirements.txt" in recipe.splitlines()[0] and "requirements-build.txt" in recipe
    ci = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert "make test" in ci and "pip install" not in ci
    for path in WORKFLOWS:
        assert "pip install" not in path.read_text(encoding="utf-8"), path.name


def test_dependabot_keeps_actions_and_pip_current() -> None:
    config = yaml.safe_load((REPO / ".github/dependabot.yml").read_text(encoding="utf-8"))
    ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
    assert {"github-actions", "pip"} <= set(ecosystems)
    assert ecosystems["pip"]["directory"] == "/"  # pyproject.toml and the locks live there
    assert ecosystems["github-actions"]["directory"] == "/"
