"""How an IRI shows on a page: a local link for what we mint, a short name for people.

IRIs under the base IRI (and our ontology's) are served by this very server, whatever host it
runs on, so pages link them by path; other http(s) IRIs (Wikidata, W3C vocabularies) link out,
and any other scheme is shown as text, never a link.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.iris import Iris
from kg.vocab import DK, ONTOLOGY_IRI, PREFIXES


@dataclass(frozen=True)
class Linker:
    base_iri: str

    def href(self, iri: str) -> str:
        """The path this server answers the IRI at, the IRI itself when it is another site's
        (http or https), else '' (urn:, javascript: …): pages show that IRI as text."""
        if iri.startswith(str(DK)) or iri == ONTOLOGY_IRI:
            local = iri[len(str(DK)):] if iri.startswith(str(DK)) else ""
            return "/ontology" + (f"#{local}" if local else "")
        if iri.startswith(self.base_iri):
            return "/" + iri[len(self.base_iri):]
        # Only web IRIs link out: anyone who may write could add <javascript:…> (F14).
        return iri if iri.lower().startswith(("http://", "https://")) else ""

    def iri(self, path: str) -> str:
        """The IRI a request path stands for (the inverse of href for our own IRIs)."""
        return self.base_iri + path.lstrip("/")

    def named(self, iri: str) -> bool:
        """Shown by its label: our entities and ontology terms. Others (Wikidata items,
        graphs, gazetteer entries) by their short name, which says what they are."""
        return iri.startswith((Iris(self.base_iri).entity_space(), ONTOLOGY_IRI))

    def short(self, iri: str) -> str:
        """A prefixed name where a known prefix fits, the longest namespace first."""
        for prefix, namespace in self._namespaces():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace):]}"
        return iri

    def _namespaces(self) -> list[tuple[str, str]]:
        spaces = [(p, str(ns)) for p, ns in PREFIXES.items()]
        spaces += [("id", Iris(self.base_iri).entity_space()), ("kg", self.base_iri)]
        return sorted(spaces, key=lambda item: (-len(item[1]), item[0]))
