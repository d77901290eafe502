"""A runner for the W3C SPARQL 1.1 Protocol, Graph Store Protocol and Service Description tests.

The manifests (w3c/rdf-tests, sparql/sparql11) describe each test as HTTP requests in the W3C
HTTP vocabulary (ht:) with the expected status class, result format, ASK answer, headers and body.
This module reads them with rdflib, sends each request to a running server with http.client
(nothing added but the bearer token, so the server's defaults are what gets tested) and returns
an Outcome per test. The three Service Description tests carry no HTTP encoding: their checks
follow the test names and SPARQL 1.1 Service Description §2-3.
"""

from __future__ import annotations

import http.client
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit
from urllib.request import url2pathname

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS
from rdflib.query import Result
from rdflib.term import Node

from kg.vocab import SD

# The W3C copy of the suites (w3c/rdf-tests at ad541a5f, sparql/sparql11): see its SUMMARY.md.
W3C = Path(__file__).resolve().parent / "data" / "w3c-sparql11"  # copied from shared/reference
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

STATUS = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}
RESULT_PARSERS = {"application/sparql-results+json": "json",
                  "application/sparql-results+xml": "xml", "text/csv": "csv",
                  "text/tab-separated-values": "tsv"}
# mf:expectedFormat "RDF" names RDF/XML, Turtle, N-Triples and RDFa; JSON-LD is allowed as well
# (the suite's own reading of "lenient"). RDFa would need an HTML parser we never serve.
RDF_PARSERS = {"application/rdf+xml": "xml", "text/turtle": "turtle",
               "application/n-triples": "nt", "application/ld+json": "json-ld"}


class Outcome(NamedTuple):
    name: str
    passed: bool
    reason: str


@dataclass(frozen=True)
class Expected:
    """What a response must show (ht:resp): any listed status, and whatever else is given."""

    statuses: tuple[str, ...]
    result_format: str | None = None
    boolean: bool | None = None
    location: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str                      # ht:absolutePath: still /sparql/… or /gsp…
    headers: tuple[tuple[str, str], ...]
    body: str | None
    encoding: str                  # cnt:characterEncoding: the bad_*_non_utf8 tests use UTF-16
    expected: Expected

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name), "")


@dataclass(frozen=True)
class W3CTest:
    name: str                      # the local name of the test IRI, e.g. query_post_form
    title: str                     # mf:name
    requests: tuple[HttpRequest, ...] = ()
    preload: tuple[tuple[str, Path], ...] = ()   # (graph IRI, N-Triples file): ut:graphData
    requires: tuple[str, ...] = field(default=())


class Reply(NamedTuple):
    status: int
    headers: dict[str, str]        # lower-case names
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def load(manifest: Path) -> list[W3CTest]:
    """The tests of a manifest and of the manifests it includes, in manifest order."""
    graph = Graph()
    graph.parse(manifest, format="turtle")
    tests: list[W3CTest] = []
    for root in graph.subjects(RDF.type, MF.Manifest):
        for included in _list(graph, graph.value(root, MF.include)):
            tests.extend(load(Path(url2pathname(urlsplit(str(included)).path))))
        tests.extend(_test(graph, entry) for entry in _list(graph, graph.value(root, MF.entries)))
    return tests


def _list(graph: Graph, head: Node | None) -> list[Node]:
    return list(Collection(graph, head)) if head is not None else []


def _local_name(iri: Node) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def _test(graph: Graph, entry: Node) -> W3CTest:
    action = graph.value(entry, MF.action)
    requests = [] if action is None else _list(graph, graph.value(action, HT.requests))
    preload = tuple(
        (str(graph.value(data, RDFS.label)),
         Path(url2pathname(urlsplit(str(graph.value(data, UT.graph))).path)))
        for data in graph.objects(entry, UT.graphData))
    return W3CTest(_local_name(entry), str(graph.value(entry, MF.name)),
                   tuple(_request(graph, r) for r in requests), tuple(sorted(preload)),
                   tuple(sorted(_local_name(r) for r in graph.objects(entry, MF.requires))))


def _headers(graph: Graph, node: Node | None) -> tuple[tuple[str, str], ...]:
    return tuple((str(graph.value(h, HT.fieldName)), str(graph.value(h, HT.fieldValue)))
                 for h in _list(graph, graph.value(node, HT.headers) if node else None))


def _optional(graph: Graph, node: Node | None, prop: URIRef) -> str | None:
    value = graph.value(node, prop) if node is not None else None
    return str(value) if value is not None else None


def _request(graph: Graph, node: Node) -> HttpRequest:
    body = graph.value(node, HT.body)
    resp = graph.value(node, HT.resp)
    boolean = graph.value(resp, MF.expectedBoolean)
    expected = Expected(
        statuses=tuple(sorted(_local_name(s) for s in graph.objects(resp, MF.expectedStatus))),
        result_format=_optional(graph, resp, MF.expectedFormat),
        boolean=boolean.toPython() if isinstance(boolean, Literal) else None,
        location=_optional(graph, resp, MF.expectedLocation),
        headers=_headers(graph, resp),
        body=_optional(graph, graph.value(resp, HT.body), CNT.chars))
    return HttpRequest(str(graph.value(node, HT.methodName)),
                       str(graph.value(node, HT.absolutePath)), _headers(graph, node),
                       _optional(graph, body, CNT.chars),
                       _optional(graph, body, CNT.characterEncoding) or "UTF-8", expected)


def preloads(tests: list[W3CTest]) -> dict[str, Path]:
    """Every graph any test preloads: the dataset the server starts with and is reset to."""
    return {iri: path for test in tests for iri, path in test.preload}


def trig(graphs: dict[str, Path]) -> str:
    """The graphs as TriG (an N-Triples document is a valid TriG graph block)."""
    return "".join(f"<{iri}> {{\n{path.read_text(encoding='utf-8')}}}\n"
                   for iri, path in sorted(graphs.items()))


def reset(base_url: str, token: str, graphs: dict[str, Path]) -> None:
    """Empty the store, then load the graphs again: every test starts from the same data."""
    inserts = "".join(f"GRAPH <{iri}> {{\n{path.read_text(encoding='utf-8')}}}\n"
                      for iri, path in sorted(graphs.items()))
    text = "DROP ALL" + (f" ;\nINSERT DATA {{\n{inserts}}}" if inserts else "")
    reply = send(base_url, "POST", "/update", {"Content-Type": "application/sparql-update",
                                               "Authorization": f"Bearer {token}"},
                 text.encode("utf-8"))
    if reply.status != 204:
        raise RuntimeError(f"reset failed: {reply.status} {reply.body[:500]!r}")


def send(base_url: str, method: str, path: str, headers: dict[str, str],
         body: bytes | None) -> Reply:
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()},
                     response.read())
    finally:
        connection.close()


def protocol_path(request: HttpRequest) -> str:
    """/sparql/ → our /update for update operations, our /sparql for everything else.

    An update is a POST whose Content-Type is application/sparql-update, or whose body carries
    an `update` form field (with or without the form Content-Type: bad_update_missing_form_type
    is an update sent with the type left out, so it belongs to /update).
    """
    rest = request.path.removeprefix("/sparql/")
    content_type = request.header("content-type").split(";")[0].strip().lower()
    form = content_type in ("", "application/x-www-form-urlencoded") and request.body
    is_update = request.method == "POST" and (
        content_type == "application/sparql-update"
        or bool(form and "update" in parse_qs(request.body or "")))
    return ("/update" if is_update else "/sparql") + rest


def gsp_path(request: HttpRequest) -> str:
    """/gsp… → our /store…: /gsp/person/1.ttl is the graph <BASE/store/person/1.ttl>."""
    return "/store" + request.path.removeprefix("/gsp")


def run(test: W3CTest, base_url: str, route: Callable[[HttpRequest], str],
        token: str | None = None) -> Outcome:
    """Send the test's requests in order; the first unmet expectation fails the test."""
    variables: dict[str, str] = {}
    for number, request in enumerate(test.requests, 1):
        path, body = route(request), request.body
        for name, value in variables.items():
            path = path.replace(name, value)
            body = body.replace(name, value) if body is not None else None
        headers = dict(request.headers)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = body.encode(request.encoding) if body is not None else None
        reply = send(base_url, request.method, path, headers, data)
        problem = check(reply, request.expected, base_url + path)
        if problem:
            return Outcome(test.name, False, f"request {number} ({request.method} {path}): "
                                             f"{problem}")
        if request.expected.location:
            variables[request.expected.location] = reply.headers["location"]
    return Outcome(test.name, True, "")


def status_ok(status: int, names: tuple[str, ...]) -> bool:
    for name in names:
        match = re.fullmatch(r"StatusCode(\d)xx", name)
        if match and status // 100 == int(match[1]) or STATUS.get(name) == status:
            return True
    return False


def check(reply: Reply, expected: Expected, url: str) -> str:
    """'' if the reply meets every expectation, else what it missed."""
    if not status_ok(reply.status, expected.statuses):
        return (f"status {reply.status}, expected {' or '.join(expected.statuses)}: "
                f"{reply.body[:300]!r}")
    if expected.location and "location" not in reply.headers:
        return "no Location header"
    for name, value in expected.headers:
        got = reply.headers.get(name.lower(), "")
        if re.sub(r"\s+", "", got).lower() != re.sub(r"\s+", "", value).lower():
            return f"header {name}: {got!r}, expected {value!r}"
    if expected.body is not None:
        problem = same_graph(reply, expected, url)
        if problem:
            return problem
    if expected.result_format:
        return check_format(reply, expected.result_format, expected.boolean)
    return ""


def same_graph(reply: Reply, expected: Expected, url: str) -> str:
    wanted_type = dict((k.lower(), v) for k, v in expected.headers).get("content-type", "")
    wanted = Graph().parse(data=expected.body, publicID=url,
                           format=RDF_PARSERS[wanted_type.split(";")[0].strip()])
    if reply.media_type not in RDF_PARSERS:
        return f"body in {reply.media_type!r}, not an RDF format"
    got = Graph().parse(data=reply.body, format=RDF_PARSERS[reply.media_type], publicID=url)
    if not isomorphic(got, wanted):
        return f"graph not isomorphic to the expected one: {reply.body[:500]!r}"
    return ""


def check_format(reply: Reply, kind: str, boolean: bool | None) -> str:
    """mf:expectedFormat: "boolean" and "tabular" are SPARQL results, "RDF" is a graph."""
    if kind == "RDF":
        if reply.media_type not in RDF_PARSERS:
            return f"{reply.media_type!r} is not an RDF format"
        Graph().parse(data=reply.body, format=RDF_PARSERS[reply.media_type])
        return ""
    allowed = ("json", "xml") if kind == "boolean" else tuple(RESULT_PARSERS.values())
    parser = RESULT_PARSERS.get(reply.media_type)
    if parser not in allowed:
        return f"{reply.media_type!r} cannot carry a {kind} result"
    result = Result.parse(io.BytesIO(reply.body), format=parser)
    if result.type != ("ASK" if kind == "boolean" else "SELECT"):
        return f"a {result.type} result, expected {kind}"
    if boolean is not None and result.askAnswer is not boolean:
        return f"ASK answered {result.askAnswer}, expected {boolean}"
    return ""


# Service Description (SD §3): each property's domain, and what its object must be: "iri", a
# class (typed with it, or one of the individuals SD defines for it) or None (anything).
INDIVIDUALS = {
    SD.Language: frozenset({SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}),
    SD.Feature: frozenset({SD.DereferencesURIs, SD.UnionDefaultGraph, SD.RequiresDataset,
                           SD.EmptyGraphs, SD.BasicFederatedQuery})}
SD_PROPERTIES: dict[URIRef, tuple[URIRef, URIRef | str | None]] = {
    SD.endpoint: (SD.Service, "iri"), SD.feature: (SD.Service, SD.Feature),
    SD.supportedLanguage: (SD.Service, SD.Language), SD.resultFormat: (SD.Service, "iri"),
    SD.inputFormat: (SD.Service, "iri"), SD.defaultDataset: (SD.Service, SD.Dataset),
    SD.availableGraphs: (SD.Service, SD.GraphCollection),
    SD.defaultEntailmentRegime: (SD.Service, "iri"),
    SD.extensionFunction: (SD.Service, None), SD.extensionAggregate: (SD.Service, None),
    SD.languageExtension: (SD.Service, None), SD.propertyFeature: (SD.Service, None),
    SD.supportedEntailmentProfile: (SD.Service, None),
    SD.defaultSupportedEntailmentProfile: (SD.Service, None),
    SD.defaultGraph: (SD.Dataset, SD.Graph), SD.namedGraph: (SD.GraphCollection, SD.NamedGraph),
    SD.name: (SD.NamedGraph, "iri"), SD.graph: (SD.NamedGraph, SD.Graph),
    SD.entailmentRegime: (SD.NamedGraph, "iri")}
SD_CLASSES = frozenset({SD.Service, SD.Feature, SD.Language, SD.Function, SD.Aggregate,
                        SD.EntailmentRegime, SD.EntailmentProfile, SD.GraphCollection,
                        SD.Dataset, SD.Graph, SD.NamedGraph})
SUBCLASSES = {SD.GraphCollection: {SD.GraphCollection, SD.Dataset}}


def sd_problems(graph: Graph) -> list[str]:
    """Where the description leaves the SD vocabulary: unknown terms, untyped or wrong nodes."""
    problems = []
    if not any(graph.subjects(RDF.type, SD.Service)):
        problems.append("no sd:Service")
    for cls in set(graph.objects(None, RDF.type)):
        if str(cls).startswith(str(SD)) and cls not in SD_CLASSES:
            problems.append(f"{cls} is not an SD class")
    for subject, predicate, obj in graph:
        if not str(predicate).startswith(str(SD)):
            continue
        if not isinstance(predicate, URIRef) or predicate not in SD_PROPERTIES:
            problems.append(f"{predicate} is not an SD property")
            continue
        domain, expected = SD_PROPERTIES[predicate]
        types = set(graph.objects(subject, RDF.type))
        if not types & SUBCLASSES.get(domain, {domain}):
            problems.append(f"{predicate.n3()} on {subject.n3()}, which is not a {domain.n3()}")
        if expected == "iri" and not isinstance(obj, URIRef):
            problems.append(f"{predicate.n3()} {obj.n3()}: an IRI expected")
        elif isinstance(expected, URIRef) and (obj, RDF.type, expected) not in graph and (
                obj not in INDIVIDUALS.get(expected, ())):
            problems.append(f"{predicate.n3()} {obj.n3()}: not a {expected.n3()}")
    for named in graph.subjects(RDF.type, SD.NamedGraph):
        if len(set(graph.objects(named, SD.name))) != 1:
            problems.append(f"{named.n3()} needs exactly one sd:name")
    return problems


def run_service_description(name: str, base_url: str) -> Outcome:
    """GET the query endpoint without a query: its description, judged as the test name says."""
    endpoint = f"{base_url}/sparql"
    reply = send(base_url, "GET", "/sparql", {}, None)
    if reply.status // 100 != 2 or reply.media_type not in RDF_PARSERS:
        return Outcome(name, False, f"{reply.status} {reply.media_type!r}: not an RDF reply")
    graph = Graph().parse(data=reply.body, format=RDF_PARSERS[reply.media_type],
                          publicID=endpoint)
    if name == "returns-rdf":
        return Outcome(name, len(graph) > 0, "" if len(graph) else "an empty graph")
    if name == "has-endpoint-triple":
        found = (None, SD.endpoint, URIRef(endpoint)) in graph
        return Outcome(name, found, "" if found else f"no ?s sd:endpoint <{endpoint}>")
    if name == "conforms-to-schema":
        problems = sd_problems(graph)
        return Outcome(name, not problems, "; ".join(problems))
    return Outcome(name, False, "no check for this Service Description test")
