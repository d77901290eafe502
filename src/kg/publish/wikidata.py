"""Propose Wikidata ids for the entities a dataset has none for, for a person to review.

Offline (the default) an entity's names are compared with the gazetteer's; online, Wikidata's
wbsearchentities is asked as well, through a cache so that a rerun sends nothing. Proposals go
to a TSV a reviewer marks `yes`; accept_rows turns those rows into gazetteer rows (linked.tsv),
so ids still reach the dataset only through the reviewed gazetteer, never from here.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from rdflib import Dataset, URIRef

from kg import __version__
from kg.errors import DataFileError, InputError
from kg.inputs.gazetteer import CLASSES, COLUMNS, Gazetteer, GazetteerEntry, load_gazetteer
from kg.iris import Iris
from kg.text import fold
from kg.vocab import DK, OWL, RDF, RDFS, SKOS, WD

WIKIDATA_API = "https://www.wikidata.org/w/api.php"
USER_AGENT = f"diplo-kg/{__version__} (kg link; https://w3id.org/diplo-kg/)"
TSV_COLUMNS = ("entity_iri", "entity_label", "entity_class", "proposed_qid", "proposed_label",
               "score", "reason", "source", "accept")
LINKED_FILE = "linked.tsv"
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_STOP = frozenset({"the", "of", "and", "for", "in", "on", "a", "an"})
_DESIGNATOR = re.compile(r"\b(?:republic|kingdom|state|principality|grand duchy|sultanate|"
                         r"emirate|commonwealth) of\b")
_JOINERS = re.compile(r"['’.]")  # "U.N." is "un", "People's" is "peoples"
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class LinkProposal:
    """One candidate id for one entity; ``source`` says where it came from, for the gazetteer."""

    entity_iri: str
    entity_label: str
    entity_class: str
    qid: str
    label: str
    score: float
    reason: str
    source: str


class _Entity(NamedTuple):
    iri: str
    key: str
    cls: str
    label: str
    names: tuple[str, ...]


class _Name(NamedTuple):
    """A name with its comparison forms computed once (the gazetteer has thousands)."""
    text: str
    folded: str
    words: frozenset[str]
    joined: str


def _name(text: str) -> _Name:
    spaced = " ".join(_NON_WORD.split(_JOINERS.sub("", fold(text))))
    words = [w for w in _DESIGNATOR.sub(" ", spaced).split() if w not in _STOP]
    return _Name(text, fold(text).strip(), frozenset(words), "".join(words))


def _compare(a: _Name, b: _Name) -> tuple[float, float, str]:
    """(score, overlap, how): exact after folding 1.0, same words (or joined: "Co-operation" is
    "Cooperation") 0.9, else 0.8 × the token overlap, so fuzzy never outranks exact."""
    if a.folded == b.folded:
        return 1.0, 1.0, "exact after folding"
    if not a.words or not b.words:
        return 0.0, 0.0, ""
    if a.words == b.words or a.joined == b.joined:
        return 0.9, 1.0, "same words after normalising"
    overlap = len(a.words & b.words) / len(a.words | b.words)
    return round(0.8 * overlap, 2), overlap, f"token overlap {overlap:.2f}"


def propose_links(dataset: Dataset, gazetteer: Gazetteer, base_iri: str, *, online: bool = False,
                  api_url: str = WIKIDATA_API, cache_path: Path | None = None,
                  timeout: float = 5.0, threshold: float = 0.6) -> list[LinkProposal]:
    """Candidate ids for every unlinked entity, by entity then score (best first); the network
    is used only with ``online=True``, the operator's explicit choice."""
    if not 0 < threshold <= 1 or timeout <= 0:
        raise InputError(f"link threshold must be in (0, 1], timeout > 0: {threshold}, {timeout}")
    names = [(e, kind, _name(text)) for e in gazetteer if e.wikidata
             for kind, text in [("label", e.label), *(("alias", a) for a in e.aliases)]]
    cache = _read_cache(cache_path) if online and cache_path else {}
    best: dict[tuple[str, str], LinkProposal] = {}
    for entity in _unlinked_entities(dataset, base_iri):
        found = _offline(entity, names, threshold)
        if online:
            found += _online(entity, *_search(entity.label, api_url, cache, cache_path, timeout))
        for proposal in found:
            key = (proposal.entity_iri, proposal.qid)
            if key not in best or proposal.score > best[key].score:
                best[key] = proposal
    return sorted(best.values(), key=lambda p: (p.entity_iri, -p.score, p.qid, p.source))


def _unlinked_entities(dataset: Dataset, base_iri: str) -> list[_Entity]:
    """Subjects ``<base>id/<key>`` with a dk: type and no owl:sameAs to a Wikidata item."""
    iris = Iris(base_iri)
    prefix, inferred = iris.entity_space(), iris.graph("inferred")
    linked = {str(this) for s, _, o, _ in dataset.quads((None, OWL.sameAs, None, None))
              for this, other in ((s, o), (o, s)) if _QID.match(str(other).removeprefix(WD))}
    types: dict[str, set[tuple[bool, str]]] = {}
    for s, _, o, g in dataset.quads((None, RDF.type, None, None)):
        iri, cls = str(s), str(o).removeprefix(DK)
        if (iri.startswith(prefix) and _KEY.match(iri[len(prefix):]) and iri not in linked
                and str(o).startswith(DK)):
            types.setdefault(iri, set()).add((g == inferred, cls))
    return [_entity(dataset, iri, iri[len(prefix):], types[iri]) for iri in sorted(types)]


def _entity(dataset: Dataset, iri: str, key: str, types: set[tuple[bool, str]]) -> _Entity:
    # Asserted types, gazetteer classes first: the class a gazetteer row would carry.
    cls = min(types, key=lambda t: (t[0], t[1] not in CLASSES, t[1]))[1]
    labels, alts = (sorted({str(o) for _, _, o, _ in dataset.quads((URIRef(iri), p, None, None))})
                    for p in (RDFS.label, SKOS.altLabel))
    label = _clean(labels[0]) if labels else key.replace("-", " ")
    return _Entity(iri, key, cls, label, tuple(dict.fromkeys([label, *map(_clean, labels + alts)])))


def _offline(entity: _Entity, names: list[tuple[GazetteerEntry, str, _Name]],
             threshold: float) -> list[LinkProposal]:
    best: dict[str, LinkProposal] = {}
    own = [_name(n) for n in entity.names]
    for entry, kind, name in names:
        if entry.key == entity.key:
            continue  # the entity's own row: its missing id is a gazetteer gap, not a link
        for mine in own:
            score, overlap, how = _compare(mine, name)
            if overlap < threshold or (entry.key in best and best[entry.key].score >= score):
                continue
            what = f"{kind} '{name.text}' of {entry.key}"
            reason = f"{how} with {what}" if how.startswith("token") else f"{what}, {how}"
            if mine.text != entity.label:
                reason += f" (entity name '{mine.text}')"
            best[entry.key] = LinkProposal(entity.iri, entity.label, entity.cls, entry.wikidata,
                                           entry.label, score, reason, f"gazetteer:{entry.key}")
    return list(best.values())


def _online(entity: _Entity, fetched: str, response: dict[str, Any]) -> list[LinkProposal]:
    found = []
    for item in response.get("search") or []:
        if not isinstance(item, dict) or not _QID.match(qid := str(item.get("id", ""))):
            continue
        label = _clean(str(item.get("label", "")))
        texts = [t for t in (label, str((item.get("match") or {}).get("text", ""))) if t]
        score = max((_compare(_name(n), _name(t))[0] for n in entity.names for t in texts),
                    default=0.0)
        description = _clean(str(item.get("description", "")))
        reason = f"wbsearchentities match: {label}" + (f" — {description}" if description else "")
        found.append(LinkProposal(entity.iri, entity.label, entity.cls, qid, label, score,
                                  reason, f"wikidata:wbsearchentities {fetched}"))
    return found


def _search(label: str, api_url: str, cache: dict[str, Any], cache_path: Path | None,
            timeout: float) -> tuple[str, dict[str, Any]]:
    """(date fetched, response) from the cache, or from the API and then saved at once."""
    if label not in cache:
        cache[label] = {"fetched": date.today().isoformat(),
                        "response": _fetch(label, api_url, timeout)}
        if cache_path:
            cache_path.write_text(json.dumps(cache, ensure_ascii=False, indent=1, sort_keys=True)
                                  + "\n", encoding="utf-8")
    return cache[label]["fetched"], cache[label]["response"]


def _read_cache(path: Path) -> dict[str, Any]:
    with suppress(ValueError, KeyError, TypeError, AttributeError):  # one message for all
        cache = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        if all(isinstance(v["response"], dict) and v["fetched"] for v in cache.values()):
            return dict(cache)
    raise DataFileError(f"{path}: not a kg link cache (label → fetched, response); delete it")


def _fetch(label: str, api_url: str, timeout: float) -> dict[str, Any]:
    if urllib.parse.urlsplit(api_url).scheme not in ("http", "https"):
        raise InputError(f"Wikidata API URL must be http(s): {api_url!r}")
    query = urllib.parse.urlencode({"action": "wbsearchentities", "search": label,
                                    "language": "en", "format": "json", "limit": "5"})
    request = urllib.request.Request(f"{api_url}?{query}", headers={
        "User-Agent": USER_AGENT, "Accept": "application/json"})
    try:
        with urllib.request.build_opener().open(request, timeout=timeout) as response:
            data = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        exc.close()
        raise InputError(f"Wikidata API answered HTTP {exc.code} ({api_url}): run offline or "
                         "try later") from exc
    except ValueError as exc:
        raise InputError(f"Wikidata API sent no JSON ({api_url}): run offline") from exc
    except OSError as exc:  # URLError, refused connections and timeouts are all OSErrors
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError) or isinstance(exc, TimeoutError):
            reason = f"no answer within {timeout:g} s"
        raise InputError(f"Wikidata API unreachable ({api_url}: {reason}): run offline or "
                         "check the network") from exc
    if not isinstance(data, dict) or "error" in data:
        detail = data.get("error") if isinstance(data, dict) else data
        raise InputError(f"Wikidata API gave no search result ({api_url}: {detail})")
    return data


def write_proposals(proposals: list[LinkProposal], path: Path) -> None:
    """The reviewable TSV: one row per proposal, ``accept`` left for the reviewer."""
    lines = ["\t".join(TSV_COLUMNS)]
    lines += ["\t".join(_clean(c) for c in (p.entity_iri, p.entity_label, p.entity_class, p.qid,
               p.label, f"{p.score:.2f}", p.reason, p.source, "")) for p in proposals]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def accept_rows(tsv_path: Path, gazetteer_dir: Path) -> list[str]:
    """Append the rows marked ``yes`` to the gazetteer's linked.tsv; returns their keys.

    All or nothing: a bad row (a key the gazetteer has, a class it cannot hold, an id another
    entry uses) stops the whole file, so a review is never half applied.
    """
    gazetteer = load_gazetteer(gazetteer_dir)
    target = gazetteer_dir / LINKED_FILE
    old = target.read_text(encoding="utf-8") if target.exists() else ""
    first_line = len(old.splitlines()) + (1 if old else 3)  # a new file starts with 2 lines
    by_qid = {e.wikidata: e for e in gazetteer if e.wikidata}
    accepted: dict[str, GazetteerEntry] = {}
    for where, row in _read_proposals(tsv_path):
        key, qid, cls = (row[c] for c in ("entity_iri", "proposed_qid", "entity_class"))
        key = key.rpartition("/id/")[2]
        if not _KEY.match(key):
            raise DataFileError(f"{where}: {row['entity_iri']!r} is not an entity IRI (…/id/<key>)")
        if (present := gazetteer.get(key) or accepted.get(key)) is not None:
            raise DataFileError(f"{where}: {key} already has a gazetteer row ({present.where}); "
                                "put the id there")
        if cls not in CLASSES or not _QID.match(qid) or not row["entity_label"]:
            raise DataFileError(f"{where}: a gazetteer row needs a label, a class of "
                                f"{', '.join(sorted(CLASSES))} and a Q id, not {cls!r}, {qid!r}")
        clash = by_qid.get(qid)
        if clash is not None and row["source"] != f"gazetteer:{clash.key}":
            raise DataFileError(f"{where}: {qid} is already the id of {clash.key} ({clash.where})")
        accepted[key] = GazetteerEntry(key, cls, row["entity_label"], (), (), "", "", qid,
                                       row["source"], LINKED_FILE, first_line + len(accepted))
        by_qid.setdefault(qid, accepted[key])
    if not accepted:
        return []
    Gazetteer([*gazetteer, *accepted.values()])  # the checks a later load makes, before writing
    lines = [f"{e.key}\t{e.cls}\t{e.label}\t\t\t\t\t{e.wikidata}\t{e.wikidata_source}"
             for e in accepted.values()]
    if not old:
        lines = ["# Wikidata ids accepted from `kg link` proposals; wikidata_source says how "
                 "each was found.", "\t".join(COLUMNS), *lines]
    elif not old.endswith("\n"):
        lines.insert(0, "")
    with target.open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    return list(accepted)


def _read_proposals(path: Path) -> list[tuple[str, dict[str, str]]]:
    """Rows marked ``yes``, each with 'file:line'; marks other than yes/no/empty are errors."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: cannot read the proposals ({exc})") from exc
    if not lines or tuple(lines[0].split("\t")) != TSV_COLUMNS:
        raise DataFileError(f"{path.name}:1: header must be {' '.join(TSV_COLUMNS)}")
    rows = []
    for number, line in enumerate(lines[1:], 2):
        cells, where = [c.strip() for c in line.split("\t")], f"{path.name}:{number}"
        if not line.strip():
            continue
        if len(cells) not in (len(TSV_COLUMNS) - 1, len(TSV_COLUMNS)):  # editors drop a last tab
            raise DataFileError(f"{where}: {len(cells)} columns, expected {len(TSV_COLUMNS)}")
        row = dict(zip(TSV_COLUMNS, [*cells, ""][:len(TSV_COLUMNS)], strict=True))
        if (mark := row["accept"].lower()) not in ("", "yes", "no"):
            raise DataFileError(f"{where}: accept must be yes, no or empty, not {row['accept']!r}")
        if mark == "yes":
            rows.append((where, row))
    return rows


def _clean(text: str) -> str:
    """One line without tabs: the TSV has no quoting."""
    return " ".join(text.split())
