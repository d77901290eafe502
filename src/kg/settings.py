"""Frozen settings: every knob has a name, a default and help text in one table.

Values come from (in order) the defaults, environment variables ``KG_<NAME>`` and explicit
overrides (CLI options, test fixtures). Paths are resolved against ``project_dir`` so nothing
depends on the working directory once the project directory is known.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from kg.errors import InputError

# The reasoner registers one engine under each name (a test checks they agree); named here as
# data so that settings need not import the reasoner.
REASONING_ENGINES = ("native", "owlrl")
STORE_ON_DISK = "oxigraph:"  # the store setting: "memory", or this prefix and a folder
STORE_REMOTE = "sparql:"  # or this prefix and QUERY_URL[,UPDATE_URL][,GSP_URL]


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


# Shorter tokens are refused: writes are guarded by nothing else.
UPDATE_TOKEN_MIN_CHARS = 16


@dataclass(frozen=True)
class Settings:
    """All of diplo-kg's settings. ``help`` metadata is shown by ``kg settings``."""

    project_dir: Path = _setting(
        Path("."), "Project folder holding ontology/, data/ and build/ (default: current folder).")
    base_iri: str = _setting(
        "https://w3id.org/diplo-kg/",
        "Base IRI under which entities, sources and graphs are minted; must end with '/'.")
    sources_dir: Path = _setting(Path("data/sources"), "Folder of source texts (*.txt).")
    gazetteer_dir: Path = _setting(Path("data/gazetteer"), "Folder of gazetteer TSV files.")
    patterns_dir: Path = _setting(Path("data/patterns"), "Folder of extraction pattern TOML files.")
    ontology_dir: Path = _setting(Path("ontology"), "Folder of ontology Turtle files.")
    shapes_file: Path = _setting(Path("ontology/shapes.ttl"), "SHACL shapes for kg validate.")
    queries_dir: Path = _setting(
        Path("queries"), "Folder of example SPARQL queries (*.rq, each headed by '# Question:'), "
                         "offered by the query workbench at / and /api/examples.")
    dataset_file: Path = _setting(Path("build/dataset.trig"), "Where kg build writes the dataset.")
    store: str = _setting(
        "oxigraph:", "Where kg build, serve, query and export keep and query the data: "
                     "oxigraph:PATH (the default: Oxigraph on disk at PATH, loaded from "
                     "dataset_file whenever that file changes; 'oxigraph:' alone puts it beside "
                     "dataset_file, as NAME.oxigraph), memory (rdflib, a copy in each worker; "
                     "the reference) or sparql:QUERY_URL[,UPDATE_URL][,GSP_URL] (a SPARQL 1.1 "
                     "server whose default graph is the union of its graphs; kg build loads it).")
    reason: bool = _setting(True, "Compute the OWL 2 RL closure into the inferred graph.")
    reason_engine: str = _setting(
        "native", "OWL 2 RL engine for kg build and kg reason: native, or owlrl (the reference, "
                  "~100x slower).")
    incremental: bool = _setting(
        True, "When a build only adds facts (a new source), re-reason from the new facts, "
              "continuing the native engine's state saved beside the dataset.")
    reason_timeout_s: float = _setting(
        600.0, "Time budget of the OWL 2 RL closure in seconds; over it the closure stops with "
               "an error (exit 6).")
    reason_max_triples: int = _setting(
        10_000_000, "Most triples the OWL 2 RL closure may derive, noise included; over it the "
                    "closure stops with an error (exit 6).")
    progress: bool = _setting(True, "Show progress bars on long work (stderr).")
    build_processes: int = _setting(
        0, "Processes kg build extracts sources on (0: one per core); builds of fewer than 16 "
           "sources to extract use one.")
    build_cluster: str = _setting(
        "", "Address of a Dask distributed scheduler (e.g. tcp://10.0.0.5:8786) that kg build "
            "sends extraction to, in batches; its workers need this project folder at the same "
            "path and the same diplo-kg. Empty: this machine's cores (build_processes).")
    build_cluster_timeout_s: float = _setting(
        30.0, "Seconds kg build waits to reach the scheduler of build_cluster before it stops "
              "(exit 3).")
    host: str = _setting("127.0.0.1", "Address kg serve listens on (loopback unless you open it).")
    port: int = _setting(8000, "Port kg serve listens on (0 picks a free one).")
    threads: int = _setting(8, "Request threads of the WSGI server (waitress).")
    workers: int = _setting(2, "Query worker processes; a query over its time limit kills its "
                               "worker, which is replaced.")
    query_timeout_ms: int = _setting(
        10_000, "Time limit of every query and update, in ms; a client may ask for less "
                "(timeout parameter) but never more. Over it: 503 and the work is stopped.")
    min_query_timeout_ms: int = _setting(
        1000, "Least time limit a client may ask for with the timeout parameter, in ms: a "
              "shorter one is raised to it, so a client cannot stop (and restart) workers on "
              "demand with timeout=1.")
    cheap_query_ms: int = _setting(
        250, "With two workers or more, one is kept for queries that end within this time, "
             "in ms (a query that used less than half of it in CPU, starved on a loaded "
             "machine, gets up to four times it): a query still running after it needs one of "
             "the other workers, and is stopped (503 naming this setting) when long queries "
             "hold them all (0: none kept).")
    client_max_queries: int = _setting(
        2, "Queries and writes one client (IP address) may have running at once; more wait "
           "their turn within their time limit, then 429 naming this setting.")
    trusted_proxies: str = _setting(
        "", "Space-separated addresses or networks (CIDR) of reverse proxies in front of kg "
            "serve: from them, the client that client_max_queries counts is the last address "
            "in X-Forwarded-For that is not a listed proxy. Empty (the default): the header is "
            "ignored and the client is the connection's address (any client could forge it).")
    worker_memory_mb: int = _setting(
        2048, "Most memory (data segment) each query worker may take, in MB; a query that "
              "needs more is stopped, 503 naming this setting, and its worker replaced (0: no "
              "cap).")
    max_rows: int = _setting(
        10_000, "Most rows (or triples) a query result carries; a cut result says so in the "
                "KG-Result-Truncated header.")
    search_max_results: int = _setting(
        100, "Most hits one search answers with (/api/search and /search); a larger limit "
             "parameter is cut to it.")
    max_request_bytes: int = _setting(
        1_000_000, "Largest request body or query string accepted, in bytes (413 / 414 over it).")
    max_query_nesting: int = _setting(
        256, "Deepest nesting of braces, parentheses and brackets a query or update may have; "
             "deeper ones get 400 naming this setting before any parser reads them (parsers "
             "run out of stack on a few thousand levels).")
    max_accept_entries: int = _setting(
        64, "Media types of an Accept header that content negotiation reads; the rest are "
            "ignored, so a huge header costs no time.")
    result_cache_entries: int = _setting(
        256, "Query results kept in memory for repeated queries (0: none); emptied by every "
             "write.")
    result_cache_mb: int = _setting(64, "Most memory the result cache may hold, in MB.")
    read_keep_ms: int = _setting(
        1000, "On an oxigraph: store, a page's read of the store (search's names, the timeline, "
              "VoID's counts) that took at least this long is kept beside the store until a "
              "write, so a restart answers that page from the file (0: keep every read).")
    remote_refresh_s: float = _setting(
        5.0, "On a sparql: store, how often kg serve asks the remote whether its graphs changed "
             "size (another copy's write, or any client's): what it keeps (results, search, the "
             "timeline) holds until then (0: before every request).")
    allow_update: bool = _setting(
        False, "Turn on SPARQL Update at /update and the Graph Store Protocol at /store.")
    update_token: str = _setting(
        "", "Bearer token every write must carry (required when allow_update is on; at least "
            "16 characters). Give it as KG_UPDATE_TOKEN: a command-line flag shows in ps.")
    service_allow: str = _setting(
        "", "Space-separated IRIs of remote SPARQL endpoints that SERVICE and LOAD may reach; "
            "empty: none.")
    cors_origin: str = _setting("*", "Access-Control-Allow-Origin sent with every response.")
    wikidata_api: str = _setting("https://www.wikidata.org/w/api.php",
                                 "Wikidata API that kg link --online asks (wbsearchentities).")
    wikidata_timeout_ms: int = _setting(
        5000, "Time limit of each Wikidata API request made by kg link --online, in ms.")

    @property
    def allowed_services(self) -> tuple[str, ...]:
        return tuple(self.service_allow.split())

    def store_path(self) -> Path | None:
        """Where the Oxigraph store lives (None: the memory store or a remote one)."""
        if self.store == "memory" or self.store.startswith(STORE_REMOTE):
            return None
        given = self.store.removeprefix(STORE_ON_DISK)
        if not given:
            return self.path("dataset_file").with_suffix(".oxigraph")
        path = Path(given).expanduser()
        return path if path.is_absolute() else self.project_dir / path

    def path(self, name: str) -> Path:
        """Resolve a path setting against project_dir."""
        value = getattr(self, name)
        if not isinstance(value, Path):
            raise TypeError(f"setting {name} is not a path")
        return value if value.is_absolute() else self.project_dir / value

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the given (non-None) values replaced and checked."""
        clean = {k: v for k, v in overrides.items() if v is not None}
        return _checked(replace(self, **_coerce(clean)))


def _coerce(values: dict[str, Any]) -> dict[str, Any]:
    kinds = {f.name: f.default for f in fields(Settings)}
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name not in kinds:
            raise InputError(f"unknown setting {name!r}")
        default = kinds[name]
        if isinstance(default, Path):
            out[name] = Path(value)
        elif isinstance(default, bool) and isinstance(value, str):
            if value.lower() not in {"1", "0", "true", "false"}:
                raise InputError(f"setting {name} takes true or false, not {value!r}")
            out[name] = value.lower() in {"1", "true"}
        elif isinstance(default, float):
            try:
                out[name] = float(value)
            except (TypeError, ValueError):
                raise InputError(f"setting {name} takes a number, not {value!r}") from None
        elif isinstance(default, int) and not isinstance(default, bool):
            try:
                out[name] = int(value)
            except (TypeError, ValueError):
                raise InputError(f"setting {name} takes a whole number, not {value!r}") from None
        else:
            out[name] = value
    return out


def _checked(settings: Settings) -> Settings:
    if not settings.base_iri.endswith(("/", "#")):
        raise InputError(f"setting base_iri must end with '/' or '#': {settings.base_iri!r}")
    for name in ("threads", "workers", "query_timeout_ms", "max_rows", "search_max_results",
                 "max_request_bytes", "wikidata_timeout_ms", "min_query_timeout_ms",
                 "client_max_queries", "max_query_nesting"):
        if getattr(settings, name) < 1:
            raise InputError(f"setting {name} must be at least 1")
    if settings.remote_refresh_s < 0:
        raise InputError("setting remote_refresh_s must be 0 or more")
    for name in ("cheap_query_ms", "worker_memory_mb", "read_keep_ms"):
        if getattr(settings, name) < 0:
            raise InputError(f"setting {name} must be 0 or more")
    for entry in settings.trusted_proxies.split():
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise InputError(f"setting trusted_proxies takes IP addresses or networks "
                             f"(CIDR), not {entry!r}") from None
    if settings.reason_engine not in REASONING_ENGINES:
        raise InputError(f"setting reason_engine must be one of {', '.join(REASONING_ENGINES)}, "
                         f"not {settings.reason_engine!r}")
    if settings.store != "memory" and not settings.store.startswith(
            (STORE_ON_DISK, STORE_REMOTE)):
        raise InputError(f"setting store must be memory, {STORE_ON_DISK}PATH or "
                         f"{STORE_REMOTE}QUERY_URL[,UPDATE_URL][,GSP_URL], "
                         f"not {settings.store!r}")
    if settings.reason_timeout_s <= 0 or settings.reason_max_triples < 1:
        raise InputError("settings reason_timeout_s and reason_max_triples must be positive")
    if settings.allow_update and not settings.update_token:
        raise InputError("setting allow_update needs update_token (the bearer token for writes)")
    if settings.allow_update and len(settings.update_token.strip()) < UPDATE_TOKEN_MIN_CHARS:
        raise InputError(f"setting update_token must be at least {UPDATE_TOKEN_MIN_CHARS} "
                         "characters (not counting spaces at either end): a short token is "
                         "guessed")
    return settings


def from_env(environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from KG_* environment variables, then explicit overrides."""
    env = os.environ if environ is None else environ
    values = {f.name: env[f"KG_{f.name.upper()}"] for f in fields(Settings)
              if f"KG_{f.name.upper()}" in env}
    return Settings().with_overrides(**values).with_overrides(**overrides)


def describe() -> list[tuple[str, Any, str]]:
    """(name, default, help) for every setting, for documentation and `kg settings`."""
    return [(f.name, f.default, f.metadata["help"]) for f in fields(Settings)]
