"""Quality checks of a dataset: SHACL shapes and the OWL 2 RL profile of the ontology."""
