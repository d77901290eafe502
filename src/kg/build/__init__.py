"""kg build, the one orchestrator: inputs → extract → dataset → reasoner → file and store.

run.py runs a build; extraction.py turns sources into each document's part of the dataset
(here or on worker processes), cluster.py does the same on a Dask cluster, cache.py keeps the
parts between builds, and report.py says what happened to each document.
"""

from kg.build.extraction import load_extractor
from kg.build.report import BuildReport, DocumentFailure
from kg.build.run import build, build_dataset, state_file

__all__ = ["BuildReport", "DocumentFailure", "build", "build_dataset", "load_extractor",
           "state_file"]
