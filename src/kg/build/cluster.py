"""Extraction on a Dask distributed cluster (`kg build --cluster ADDRESS`).

Why Dask rather than Ray: what a build needs is a pool of Python processes that each load
the extractor once and take batches of sources, which `Client.map` over a plain function
gives; Dask distributed is pure Python on PyPI (one wheel for every platform, installed in
seconds, and a LocalCluster for tests on loopback), while Ray ships a large native core with
wheels for some platforms only and brings an object store, dashboard and autoscaler a build
does not use.

Each task is extraction.extract_sources(settings, fingerprint, batch): a pure function whose
worker loads the extractor on its first task and keeps it (one per worker process), and which
refuses to run when the worker's curated data or code differ from the build's. Results come
back in source order, so a cluster build writes the same bytes as a local one.
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.build.extraction import Outcome, batches, extract_sources
from kg.errors import InputError
from kg.inputs.sources import Source
from kg.settings import Settings


def extract_on_cluster(settings: Settings, fingerprint: str,
                       sources: list[Source]) -> Iterator[Outcome]:
    """Outcomes in source order, extracted by the workers of the scheduler settings name."""
    from distributed import Client

    # Workers elsewhere know no working directory of ours: they get absolute paths.
    settings = settings.with_overrides(project_dir=settings.project_dir.resolve())
    try:
        client = Client(settings.build_cluster, timeout=settings.build_cluster_timeout_s,
                        set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {settings.build_cluster} "
                         f"within {settings.build_cluster_timeout_s:g} s (settings build_cluster, "
                         f"build_cluster_timeout_s): {exc}") from exc
    with client:
        work = batches(sources)
        futures = client.map(extract_sources, [settings] * len(work),
                             [fingerprint] * len(work), work, pure=False)
        for future in futures:
            yield from future.result()
            future.release()  # its result is ours now: the cluster need not keep it
