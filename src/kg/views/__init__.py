"""Read models over a snapshot of the data: descriptions, documents, proofs, search, timeline."""
