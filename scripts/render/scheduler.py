"""The job scheduler: pages rendered by forked worker processes, each inheriting the archive,
only pages coming back; in this process when there are too few jobs for workers to pay."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence

Pages = list[tuple[str, str]]
"""Rendered pages as (path under docs/, content)."""
Render = Callable[[], Iterable[tuple[str, str]]]
"""One job's rendering: its pages when called."""
_JOBS: Sequence[Render] = ()


"""The jobs of the running `iter_site`, inherited by its worker processes."""
JOBS_PER_TASK = 50
"""Jobs a worker takes at a time: few enough to keep both busy to the end."""
PARALLEL_FROM = 200
"""Fewer jobs than this are rendered in this process: starting workers would cost more."""


def _run_jobs(indices: range) -> list[Pages]:
    return [list(_JOBS[i]()) for i in indices]


def rendered(jobs: Sequence[Render], workers: int) -> Iterator[Pages]:
    """Each job's pages, in order; by `workers` forked processes if that is worth it."""
    forking = "fork" in multiprocessing.get_all_start_methods()
    if workers <= 1 or len(jobs) < PARALLEL_FROM or not forking:
        for job in jobs:
            yield list(job())
        return
    global _JOBS
    _JOBS = jobs
    tasks = [
        range(i, min(i + JOBS_PER_TASK, len(jobs))) for i in range(0, len(jobs), JOBS_PER_TASK)
    ]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for batch in pool.imap(_run_jobs, tasks):
                yield from batch
    finally:
        _JOBS = ()
