"""Every format diplo-kg writes, in one table (after Oxigraph's RdfFormat / QueryResultsFormat).

Negotiation, the CLI's choices, the dumps, the pages' links and the service description all
read these two families, so a format's media type, aliases and title are said once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, TypeVar

from kg.errors import InputError, NotAcceptable

W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    """What both families share; `name` is the short id of URLs (?format=) and the CLI."""

    name: str
    media_type: str
    extension: str
    title: str
    rdflib_name: str
    iri: str                        # W3C "Unique URIs for file formats" (service description)
    aliases: tuple[str, ...] = ()   # other media types and names ?format= and Accept take

    carries: ClassVar[str]          # what the family holds, for error messages


@dataclass(frozen=True)
class RdfFormat(Format):
    """A format for graphs (CONSTRUCT, DESCRIBE, dumps, Linked Data)."""

    quads: bool = False             # keeps graph names; triple formats merge the graphs

    carries: ClassVar[str] = "an RDF graph"


@dataclass(frozen=True)
class ResultFormat(Format):
    """A SPARQL 1.1 query results format (SELECT, ASK)."""

    carries: ClassVar[str] = "a SELECT/ASK result"


@dataclass(frozen=True)
class TableFormat(Format):
    """A flat table of one kind of record, for tools that do not read RDF (event data)."""

    carries: ClassVar[str] = "a table of events"


F = TypeVar("F", bound=Format)

# In the order the server prefers them: the first is what a client that says nothing gets.
# Fields: name, media type, extension, title, rdflib name, IRI, aliases (then quads).
RDF_FORMATS: tuple[RdfFormat, ...] = (
    # Turtle is N3 without N3's extensions, so it answers a client that asks for N3.
    RdfFormat("ttl", "text/turtle", "ttl", "Turtle", "turtle", W3C_FORMATS + "Turtle",
              ("turtle", "application/x-turtle", "n3", "text/n3")),
    RdfFormat("jsonld", "application/ld+json", "jsonld", "JSON-LD", "json-ld",
              W3C_FORMATS + "JSON-LD", ("json-ld", "json", "application/json"), quads=True),
    RdfFormat("nt", "application/n-triples", "nt", "N-Triples", "nt", W3C_FORMATS + "N-Triples",
              ("ntriples", "n-triples", "text/plain")),
    RdfFormat("xml", "application/rdf+xml", "rdf", "RDF/XML", "xml", W3C_FORMATS + "RDF_XML",
              ("rdf", "rdfxml", "rdf+xml", "application/xml", "text/xml")),
    RdfFormat("trig", "application/trig", "trig", "TriG", "trig", W3C_FORMATS + "TriG",
              quads=True),
    RdfFormat("nq", "application/n-quads", "nq", "N-Quads", "nquads", W3C_FORMATS + "N-Quads",
              ("nquads", "n-quads"), quads=True),
)
# rdflib_name is rdflib's result parser; it has no TSV writer (kg.sparql writes TSV itself).
RESULT_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("json", "application/sparql-results+json", "json", "JSON", "json",
                 W3C_FORMATS + "SPARQL_Results_JSON",
                 ("application/json", "sparql-results+json", "srj")),
    ResultFormat("xml", "application/sparql-results+xml", "xml", "XML", "xml",
                 W3C_FORMATS + "SPARQL_Results_XML", ("application/xml", "text/xml", "srx")),
    ResultFormat("csv", "text/csv", "csv", "CSV", "csv", W3C_FORMATS + "SPARQL_Results_CSV"),
    ResultFormat("tsv", "text/tab-separated-values", "tsv", "TSV", "tsv",
                 W3C_FORMATS + "SPARQL_Results_TSV"),
)


# Flat exports read from the data (views/); W3C names no format IRI for a CSV table of ours.
TABLE_FORMATS: tuple[TableFormat, ...] = (
    TableFormat("events-csv", "text/csv", "csv", "Events (CSV)", "", "", ("events",)),
)


def rdf_format(name: str) -> RdfFormat:
    """The RDF format of a short name (aliases are for clients, not for code and the CLI)."""
    return _by_name(name, RDF_FORMATS)


def result_format(name: str) -> ResultFormat:
    """The results format of a short name."""
    return _by_name(name, RESULT_FORMATS)


def _by_name(name: str, family: tuple[F, ...]) -> F:
    for fmt in family:
        if fmt.name == name:
            return fmt
    raise InputError(f"unknown format {name!r}; one of {', '.join(f.name for f in family)}")


def requested(value: str, family: tuple[F, ...]) -> F:
    """What ?format= names: a short name, an alias or a media type, in any case.

    NotAcceptable, not InputError: the client asked for a result in a format nobody writes.
    """
    wanted = value.strip().lower()
    for fmt in family:
        if wanted in (fmt.name, fmt.media_type, *fmt.aliases):
            return fmt
    raise NotAcceptable(f"format {value!r} cannot carry {family[0].carries}; "
                        f"one of {', '.join(f.name for f in family)}")


def from_media_type(media_type: str, family: tuple[F, ...]) -> F | None:
    """The format a media type (parameters and case ignored) or a media type alias stands for."""
    bare = media_type.split(";")[0].strip().lower()
    for fmt in family:
        if bare == fmt.media_type or "/" in bare and bare in fmt.aliases:
            return fmt
    return None


def from_extension(extension: str, family: tuple[F, ...]) -> F | None:
    """The format of a file suffix (without its dot), as dumps and output files are named."""
    return next((fmt for fmt in family if fmt.extension == extension), None)


def media_types(family: tuple[F, ...]) -> list[str]:
    """Every media type the family answers to, canonical ones first, in order of preference:
    what the server offers against an Accept header."""
    return [f.media_type for f in family] + [a for f in family for a in f.aliases if "/" in a]
