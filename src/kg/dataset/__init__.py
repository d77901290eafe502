"""The dataset: assembled from extractions with provenance, read, written and serialised."""
