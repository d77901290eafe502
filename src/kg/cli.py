"""The `kg` command: thin click commands, each calling one library function.

Errors end the command with the exit code their class carries (kg.errors.EXIT_CODES).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg import __version__, formats
from kg.errors import EXIT_CODES, KGError

if TYPE_CHECKING:  # imported where used: `kg --help` stays quick
    from kg.settings import Settings
    from kg.sparql.execute import QueryAnswer
    from kg.sparql.store import Store

F = TypeVar("F", bound=Callable[..., Any])
RDF_FORMATS = tuple(f.name for f in formats.RDF_FORMATS)
TABLE_FORMATS = tuple(f.name for f in formats.TABLE_FORMATS)
EXPORT_FORMATS = (*RDF_FORMATS, *TABLE_FORMATS, "quickstatements")
# A results format wins a shared name ("xml"): RDF/XML is the one CONSTRUCT output left out.
RESULT_NAMES = tuple(f.name for f in formats.RESULT_FORMATS)
QUERY_FORMATS = ("table", *RESULT_NAMES, *(f for f in RDF_FORMATS if f not in RESULT_NAMES))


def _reports_errors(command: F) -> F:
    """Turn KGErrors into one-line messages and their documented exit codes."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KGError as exc:
            setting = getattr(exc, "setting", None)
            click.echo(f"error: {exc}" + (f" (setting {setting})" if setting else ""), err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def _setting_help(name: str, extra: str = "") -> str:
    """An option's help, read from the setting it sets (its own text and default)."""
    from kg.settings import describe

    found = {n: (default, text) for n, default, text in describe()}
    default, text = found[name]
    return f"{text}{extra} [setting {name}, default {default}]"


def _assignments(ctx: click.Context, param: click.Parameter,
                 values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", ctx, param)
        out[name.strip().replace("-", "_")] = setting
    return out


def _settings(ctx: click.Context, **overrides: Any) -> Any:
    from kg.settings import from_env

    return from_env(**{**ctx.obj, **overrides})


@click.group(epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="kg")
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Project folder with ontology/, data/ and build/ (default: current folder).")
@click.option("--base-iri", help="Base IRI for minted IRIs (default https://w3id.org/diplo-kg/).")
@click.option("--data", "dataset_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Dataset file (default build/dataset.trig).")
@click.option("--store", metavar="memory|oxigraph:PATH|sparql:URL[,URL][,URL]",
              help=_setting_help("store"))
@click.option("--set", "assignments", multiple=True, metavar="NAME=VALUE",
              callback=_assignments,
              help="Any setting, e.g. --set query_timeout_ms=2000 (repeatable; `kg settings` "
                   "lists them with their help). Command options win over it.")
@click.pass_context
def main(ctx: click.Context, assignments: dict[str, str], **options: Any) -> None:
    """diplo-kg: a knowledge graph of relations between states, built from text.

    \b
    Typical session:
      kg build                       # data/sources/*.txt -> build/dataset.trig
      kg query queries/shared-memberships.rq
      kg export --format jsonld -o diplo.jsonld
    """
    ctx.obj = {**assignments, **{k: v for k, v in options.items() if v is not None}}


@main.command(epilog=EXIT_CODES)
@click.option("--no-reason", is_flag=True, help="Skip the OWL 2 RL closure (graph/inferred).")
@click.option("--engine", "reason_engine", type=click.Choice(["native", "owlrl"]),
              help="OWL 2 RL engine (default: setting reason_engine, native).")
@click.option("--cluster", "build_cluster", metavar="ADDRESS",
              help=_setting_help("build_cluster"))
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_context
@_reports_errors
def build(ctx: click.Context, no_reason: bool, reason_engine: str | None,
          build_cluster: str | None, quiet: bool) -> None:
    """Build the dataset from data/sources/ into one TriG file (and an oxigraph store).

    Only new or changed sources are extracted (the others come from build/dataset.extractions/).
    Unreadable sources are reported by name and skipped; a source whose extraction fails is
    named, left out, and the command exits 7 (build/dataset.report.json lists both); any other
    failure leaves the previous dataset file and store untouched.

    \b
    Example:
      kg build
      kg --base-iri http://localhost:8000/ build
      kg build --cluster tcp://10.0.0.5:8786
    """
    from kg.build import build as run_build
    from kg.build.report import report_file
    from kg.errors import DocumentsFailed

    settings = _settings(ctx, reason=not no_reason, reason_engine=reason_engine,
                         build_cluster=build_cluster)
    quiet = quiet or not settings.progress
    report = run_build(settings, progress=_progress("extracting", quiet, "doc"),
                       loading=_progress("loading the store", quiet, "batch"))
    for failure in report.failures:
        click.echo(f"warning: skipped {failure}", err=True)
    for failed in report.extraction_failures:
        click.echo(f"error: left out {failed.file}: extraction failed: {failed.error}", err=True)
    for message in report.inconsistencies:
        click.echo(f"warning: inconsistent: {message}", err=True)
    inferred = report.reasoning.inferred_triples if report.reasoning else 0
    how = (" (re-reasoned from the new facts only)" if report.reasoned_incrementally else "")
    click.echo(f"built {report.output}: {len(report.sources)} source(s) "
               f"({report.extracted} extracted, {report.cached} unchanged), "
               f"{report.fact_graphs} fact graphs, {inferred} inferred triples{how}, "
               f"{report.triples} quads in {report.seconds:.1f} s")
    if report.extraction_failures:
        raise DocumentsFailed(f"{len(report.extraction_failures)} document(s) left out, their "
                              f"extraction failed (listed in {report_file(report.output)})")


def _progress(label: str, quiet: bool, unit: str) -> Callable[..., Iterable[Any]]:
    """A progress bar on stderr over items, counting them per second (of ``total`` if told)."""

    def wrap(items: Iterable[Any], total: int | None = None) -> Iterable[Any]:
        if quiet:
            return items
        from tqdm import tqdm

        return tqdm(items, total=total, desc=label, unit=unit, file=sys.stderr, leave=False)

    return wrap


@main.command(epilog=EXIT_CODES)
@click.argument("query")
@click.option("--format", "-f", "fmt", type=click.Choice(QUERY_FORMATS), default="table",
              show_default=True, help="Result format (RDF formats for CONSTRUCT/DESCRIBE).")
@click.pass_context
@_reports_errors
def query(ctx: click.Context, query: str, fmt: str) -> None:
    """Run a SPARQL query: a query text, a .rq file, or - for standard input.

    The default graph is the union of every named graph (facts, inferred, ontology, …).

    \b
    Examples:
      kg query queries/summits.rq
      kg query "SELECT ?s WHERE { ?s a dk:Summit }" --format csv
    """
    from kg.sparql.execute import table
    from kg.sparql.parse import check_nesting, refuse_remote
    from kg.sparql.store import open_store
    from kg.vocab import PREFIXES

    settings = _settings(ctx)
    text = _query_text(query)
    check_nesting(text, settings.max_query_nesting)  # as the server does, before any parser
    # The server's path: one worker process, killed at query_timeout_ms, rows capped at max_rows.
    store = open_store(settings.with_overrides(result_cache_entries=0), workers=1)
    try:
        parsed = store.parse_query(text)  # read as the store's engine will read it
        refuse_remote(parsed.services, "SERVICE", settings.allowed_services)  # as the server does
        answer = _answer(store, text, parsed.is_graph, fmt, settings)
    finally:
        store.close()
    if fmt == "table" and not parsed.is_graph:
        prefixes = {**{p: str(ns) for p, ns in PREFIXES.items()}, "kg": settings.base_iri}
        click.echo(table(answer.body, prefixes))
    else:
        sys.stdout.buffer.write(answer.body)
    if answer.truncated:
        click.echo(f"warning: result cut at {settings.max_rows} rows (setting max_rows)",
                   err=True)


def _answer(store: Store, text: str, is_graph: bool, fmt: str,
            settings: Settings) -> QueryAnswer:
    """The query's answer in the format --format asks for (a table is drawn from JSON)."""
    from kg.sparql.execute import RESULT_FORMATS, QueryRequest

    if is_graph:
        name = "ttl" if fmt in ("table", *RESULT_FORMATS) and fmt != "xml" else fmt
    elif fmt == "table":
        name = "json"
    elif fmt in RESULT_FORMATS:
        name = fmt
    else:
        raise click.UsageError(f"--format {fmt} is for CONSTRUCT/DESCRIBE results")
    return store.query(QueryRequest(text, name, settings.base_iri, max_rows=settings.max_rows),
                       settings.query_timeout_ms / 1000)


def _query_text(argument: str) -> str:
    if argument == "-":
        return sys.stdin.read()
    path = Path(argument)
    if argument.endswith(".rq") or (len(argument) < 512 and path.is_file()):
        from kg.errors import InputError

        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot read query file {argument}: {exc.strerror}") from exc
    return argument


@main.command(epilog=EXIT_CODES)
@click.option("--format", "-f", "fmt", type=click.Choice(EXPORT_FORMATS), default="trig",
              show_default=True,
              help="RDF format (ttl, nt and xml merge the selected graphs); events-csv: the "
                   "PLOVER events as a flat CSV table (date, actors, ISO country codes, type, "
                   "mode, sentence, document); or quickstatements: the Wikidata-aligned facts "
                   "between linked entities, with references.")
@click.option("--graph", "-g", "graph", default=None,
              help="Only this graph: ontology, entities, links, provenance, inferred, facts, "
                   "or a graph IRI.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (atomically) instead of standard output.")
@click.pass_context
@_reports_errors
def export(ctx: click.Context, fmt: str, graph: str | None, output: Path | None) -> None:
    """Export the dataset, or one graph, in an RDF format. Output is byte-stable.

    \b
    Examples:
      kg export --format ttl -o diplo.ttl
      kg export --format jsonld --graph facts -o facts.jsonld
      kg export --format quickstatements -o for-wikidata.qs
      kg export --format events-csv -o events.csv
    """
    from kg.dataset.graphs import graph_name
    from kg.dataset.io import write_atomically
    from kg.formats import rdf_format
    from kg.iris import Iris
    from kg.sparql.store import open_store

    settings = _settings(ctx)
    store = open_store(settings, workers=1)
    try:
        if fmt == "quickstatements":
            from kg.publish.quickstatements import quickstatements

            data = quickstatements(store.snapshot().dataset, settings.base_iri)
        elif fmt in TABLE_FORMATS:
            from kg.dataset.reader import DatasetReader
            from kg.views.events_table import events_csv

            data = events_csv(DatasetReader(store.snapshot().dataset), Iris(settings.base_iri))
        else:
            graphs = (graph_name(store.graph_names(), Iris(settings.base_iri), graph)
                      if graph else None)
            data = store.export(rdf_format(fmt),
                                [str(g) for g in graphs] if graphs is not None else None)
    finally:
        store.close()
    if output:
        write_atomically(output, data)
    else:
        sys.stdout.buffer.write(data)


@main.command(epilog=EXIT_CODES)
@click.option("--shapes", type=click.Path(dir_okay=False, path_type=Path),
              help="SHACL shapes file (default ontology/shapes.ttl).")
@click.pass_context
@_reports_errors
def validate(ctx: click.Context, shapes: Path | None) -> None:
    """Check the dataset against the SHACL shapes and OWL 2 RL's inconsistency rules; exit 4
    with a report naming each node, shape or rule, and the triples involved.

    \b
    Example:
      kg validate && echo conforms
    """
    from kg.checks.run import run_checks
    from kg.dataset.io import load_dataset
    from kg.errors import ValidationFailed

    settings = _settings(ctx)
    report = run_checks(load_dataset(settings.path("dataset_file")), settings, shapes)
    for line in report.lines():
        click.echo(line)
    if report.problems:
        raise ValidationFailed(f"{len(report.shapes.violations)} shape violation(s), "
                               f"{len(report.inconsistencies)} inconsistency(ies)")


@main.command(epilog=EXIT_CODES)
@click.pass_context
@_reports_errors
def stats(ctx: click.Context) -> None:
    """Triples per graph and entities per class.

    \b
    Example:
      kg stats
    """
    from kg.dataset.io import load_dataset
    from kg.iris import Iris
    from kg.views.stats import dataset_stats

    settings = _settings(ctx)
    result = dataset_stats(load_dataset(settings.path("dataset_file")), Iris(settings.base_iri))
    click.echo("triples per graph")
    for name, count in result.graphs.items():
        suffix = f" (in {result.fact_graphs} graphs)" if name == "facts" else ""
        click.echo(f"  {name:<12} {count:>7}{suffix}")
    click.echo(f"  {'total':<12} {result.total_quads:>7}")
    click.echo("entities per class (stated and inferred types)")
    for cls, count in result.classes.items():
        click.echo(f"  {cls:<30} {count:>5}")


@main.command(epilog=EXIT_CODES)
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the inferred triples here (format from the suffix: .ttl .nt .rdf "
                   ".jsonld .trig .nq); default N-Triples on standard output.")
@click.option("--engine", "reason_engine", type=click.Choice(["native", "owlrl"]),
              help="OWL 2 RL engine (default: setting reason_engine, native).")
@click.pass_context
@_reports_errors
def reason(ctx: click.Context, files: tuple[Path, ...], output: Path | None,
           reason_engine: str | None) -> None:
    """The OWL 2 RL closure of RDF files (ontology and data): print the inferred triples.

    Any format rdflib reads (by file suffix; N-Triples, N-Quads, Turtle and TriG are read by
    Oxigraph's parser, straight into the engine). The inferred triples leave out the input and
    the documented noise (literal subjects, reflexive sameAs, triples about the rdf/rdfs/owl/xsd
    vocabularies).

    \b
    Examples:
      kg reason ontology/diplo.ttl data.ttl -o inferred.ttl
      kg reason --engine owlrl univ-bench.owl lubm.nt | wc -l
    """
    from kg.dataset.halves import Halves  # pyoxigraph alone, before rdflib loads

    settings = _settings(ctx, reason_engine=reason_engine)
    # A large N-Triples file is read, in two halves, while the reasoner's modules load.
    readers = [Halves.start(path) for path in files] if (
        settings.reason_engine == "native") else []
    try:
        from kg.dataset.io import write_atomically
        from kg.formats import RDF_FORMATS, from_extension, rdf_format
        from kg.reasoner import Budget
        from kg.reasoner.materialize import closure_of_files

        budget = Budget(settings.reason_timeout_s, settings.reason_max_triples)
        suffix = output.suffix.lstrip(".") if output else "nt"
        fmt = from_extension(suffix, RDF_FORMATS) or rdf_format("nt")
        data, report = closure_of_files(files, fmt, settings.base_iri,
                                        settings.reason_engine, budget, readers)
    finally:
        for halves in readers:
            if halves is not None:
                halves.cancel()
    if output:
        write_atomically(output, data)
    else:
        sys.stdout.buffer.write(data)
    for message in report.inconsistencies:
        click.echo(f"warning: inconsistent: {message}", err=True)
    click.echo(f"{report.input_triples} input triples, {report.inferred_triples} inferred by "
               f"{report.engine} in {report.seconds:.2f} s", err=True)


@main.command(epilog=EXIT_CODES)
@click.option("--host", help=_setting_help("host"))
@click.option("--port", type=int, help=_setting_help("port"))
@click.option("--workers", type=int, help=_setting_help("workers"))
@click.option("--threads", type=int, help=_setting_help("threads"))
@click.option("--timeout-ms", "query_timeout_ms", type=int,
              help=_setting_help("query_timeout_ms"))
@click.option("--max-rows", type=int, help=_setting_help("max_rows"))
@click.option("--allow-update", is_flag=True, default=None, help=_setting_help("allow_update"))
@click.option("--update-token", help=_setting_help("update_token"))
@click.option("--service-allow", multiple=True,
              help=_setting_help("service_allow", " (repeatable)"))
@click.pass_context
@_reports_errors
def serve(ctx: click.Context, service_allow: tuple[str, ...], **options: Any) -> None:
    """Serve the dataset over the SPARQL 1.1 Protocol (builds it first if missing).

    Read-only and local by default: no update, no outbound requests, a time and row limit on
    every query. Stop with Ctrl-C or SIGTERM.

    \b
    Examples:
      kg serve --port 8000
      KG_UPDATE_TOKEN="$(openssl rand -hex 16)" kg serve --allow-update
      curl -H 'Accept: text/csv' 'http://127.0.0.1:8000/sparql?query=ASK%7B%7D'
    """
    from kg.web.server import serve as run_serve

    overrides = {k: v for k, v in options.items() if v is not None}
    if service_allow:
        overrides["service_allow"] = " ".join(service_allow)
    settings = _settings(ctx, **overrides)
    if not settings.path("dataset_file").exists():
        from kg.build import build as run_build  # the extraction stack, only when it is needed

        click.echo(f"no dataset at {settings.path('dataset_file')}: building it", err=True)
        run_build(settings)
    run_serve(settings)


@main.command(epilog=EXIT_CODES)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("link-proposals.tsv"), show_default=True,
              help="Where to write the proposals (TSV, for review).")
@click.option("--online", is_flag=True, help="Also ask Wikidata's wbsearchentities (network).")
@click.option("--api-url", help="Wikidata API URL (default: setting wikidata_api).")
@click.option("--cache", type=click.Path(dir_okay=False, path_type=Path),
              help="JSON cache of API answers (default build/wikidata-cache.json).")
@click.option("--threshold", type=float, default=0.6, show_default=True,
              help="Least word overlap for a fuzzy match.")
@click.option("--accept", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Add the rows marked yes in this reviewed TSV to data/gazetteer/linked.tsv.")
@click.pass_context
@_reports_errors
def link(ctx: click.Context, output: Path, online: bool, api_url: str | None,
         cache: Path | None, threshold: float, accept: Path | None) -> None:
    """Propose Wikidata ids for entities that have none; review the TSV, then --accept it.

    Offline it matches labels against the gazetteer (case- and accent-insensitive, fuzzy);
    --online also asks Wikidata's API, with a local cache and a timeout.

    \b
    Examples:
      kg link -o proposals.tsv
      kg link --online --cache build/wikidata-cache.json
      kg link --accept proposals.tsv && kg build
    """
    from kg.dataset.io import load_dataset
    from kg.inputs.gazetteer import load_gazetteer
    from kg.publish.wikidata import accept_rows, propose_links, write_proposals

    settings = _settings(ctx)
    if accept:
        keys = accept_rows(accept, settings.path("gazetteer_dir"))
        click.echo(f"added {len(keys)} row(s) to linked.tsv; run kg build", err=True)
        return
    proposals = propose_links(
        load_dataset(settings.path("dataset_file")), load_gazetteer(settings.path("gazetteer_dir")),
        settings.base_iri, online=online, api_url=api_url or settings.wikidata_api,
        cache_path=cache or settings.project_dir / "build" / "wikidata-cache.json",
        timeout=settings.wikidata_timeout_ms / 1000, threshold=threshold)
    write_proposals(proposals, output)
    click.echo(f"{len(proposals)} proposal(s) written to {output}", err=True)


@main.command(epilog=EXIT_CODES)
@click.argument("subject")
@click.argument("predicate")
@click.argument("object")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json", "ttl"]),
              default="text", show_default=True,
              help="A tree for people, JSON, or Turtle with PROV-O.")
@click.pass_context
@_reports_errors
def explain(ctx: click.Context, subject: str, predicate: str, object: str, fmt: str) -> None:
    """Why a triple holds: the OWL 2 RL rules and premises down to stated facts, and for each
    stated fact its source sentence.

    Terms are IRIs (<…> or bare http…), prefixed names (dk:, kg:, wd:, wdt: …) or literals
    in Turtle syntax ("2010"^^xsd:gYear).

    \b
    Examples:
      kg explain kg:id/kazakhstan dk:hasDiplomaticRelationWith kg:id/turkey
      kg explain kg:id/summit/almaty_2011-10-21 dk:location kg:id/kazakhstan
    """
    import json

    from kg.dataset.io import load_dataset
    from kg.dataset.reader import DatasetReader
    from kg.dataset.serialize import serialize_graph
    from kg.formats import rdf_format
    from kg.iris import Iris
    from kg.reasoner import Budget
    from kg.views.explain import Explainer, parse_term, to_json, to_prov, to_text

    settings = _settings(ctx)
    dataset = load_dataset(settings.path("dataset_file"))
    prefixes = {p: str(ns) for p, ns in dataset.namespaces()}
    triple = (parse_term(subject, prefixes), parse_term(predicate, prefixes),
              parse_term(object, prefixes))
    budget = Budget(settings.reason_timeout_s, settings.reason_max_triples)
    proof = Explainer(DatasetReader(dataset), Iris(settings.base_iri), budget).explain(triple)
    if fmt == "json":
        click.echo(json.dumps(to_json(proof), indent=2, ensure_ascii=False))
    elif fmt == "ttl":
        sys.stdout.buffer.write(serialize_graph(to_prov(proof), rdf_format("ttl"),
                                                settings.base_iri))
    else:
        click.echo(to_text(proof, prefixes))


@main.command(name="settings")
def show_settings() -> None:
    """List every setting, its default and its environment variable."""
    from kg.settings import describe

    for name, default, help_text in describe():
        click.echo(f"{name} (KG_{name.upper()}, default {default}): {help_text}")
