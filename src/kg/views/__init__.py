"""Read models over the store, asked through SPARQL (queries/*.rq): descriptions, documents,
proofs, search, timeline, VoID."""
