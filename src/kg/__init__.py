"""diplo-kg: a knowledge graph of relations between states, built from text."""

__version__ = "0.1.0"
