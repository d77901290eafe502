"""Frame rules over the dependency parse: a trigger word and the paths to its role fillers.

Runs on the merged doc (pipeline.merge), where each entity and each coordinated list of
entities is one token carrying its values, so a path that reaches the token reaches all of
them. A trigger that is negated ("did not recognise"), planned or hoped for ("will visit",
"plans to open", "the proposed treaty") states nothing; frame.mode = "any" turns that off.
The result is the same Match that token patterns give, so templates, placeholders and
provenance work unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from spacy.tokens import Doc, Span, Token

from kg.extract.dates import PartialDate
from kg.extract.facts import Match, named_count
from kg.extract.model import DateValue, EntityRef, Placeholder, trimmed
from kg.extract.pipeline import DOCUMENT_DATE, REFERRING_DATES
from kg.extract.sentences import sentence_of, sentences
from kg.inputs.frame_rules import FrameRule, RoleSpec

# What makes a trigger not (yet) a fact: negation, modal and future auxiliaries, governing
# verbs of intent, and modifiers of a nominal trigger.
NEGATIONS = {"not", "n't", "never", "no"}
MODALS = {"will", "would", "shall", "should", "may", "might", "could", "can", "must", "'ll"}
INTENT = {"plan", "expect", "hope", "intend", "aim", "want", "wish", "propose", "seek", "try",
          "prepare", "consider", "look", "invite", "urge", "call", "ask", "agree", "decide",
          "promise", "pledge", "commit", "offer", "encourage", "discuss", "explore",
          "need", "schedule", "set", "apply", "request", "bid", "aspire", "negotiate",
          "postpone", "delay", "cancel", "block", "veto", "reject", "oppose", "refuse",
          "like", "love"}  # "would like to join"
# Nouns a trigger can hang from that make it a wish, not a fact ("a candidate for membership",
# "its application for membership", "talks on a free trade agreement").
NOT_YET = {"candidate", "candidacy", "application", "bid", "aspiration", "request", "prospect",
           "path", "road", "talks", "negotiation", "negotiations", "plan", "plans", "proposal",
           "hope", "hopes", "possibility", "prospects", "goal", "intention", "call",
           "preparation", "preparations", "arrangement", "arrangements"}
COMING = {"next", "coming", "following"}  # "a visit … next year": still to come
SPANS_OF_TIME = {"year", "month", "week", "spring", "summer", "autumn", "fall", "winter"}
FINITE = {"VBD", "VBZ", "VBP", "MD"}  # tags of a finite verb: a clause, not a heading
NUMBERED_HEADING = re.compile(r"\s*\d+\.\s")  # "4. Visit to Japan by X": a section's topic
UNREAL_MODIFIERS = {"planned", "proposed", "upcoming", "future", "possible", "potential",
                    "forthcoming", "expected", "next", "prospective", "draft", "envisaged",
                    "anticipated", "intended", "eventual"}
CLIMB = {"dobj", "pobj", "prep", "attr", "compound", "conj", "appos", "acl", "nsubjpass",
         "oprd", "npadvmod", "dative", "xcomp", "amod", "nmod", "poss"}
VERB_POS = {"VERB", "AUX"}
# Posts whose holders "the two leaders" can be: heads of state or government, foreign ministers
HEADS = ("President", "PrimeMinister", "Monarch", "Chancellor", "ForeignMinister", "Chair")
HOLDERS = "kg.title_holders"  # doc.user_data: (token index, kind of post, holder token)
COUNTRY = "kg.country"  # doc.user_data: the state of a place or a person (find_frames' country)
TITLED = "kg.titled"  # doc.user_data: (title's token index, the people a post rule gave it)
RESOLVING = "kg.resolving"  # doc.user_data: the pronouns being resolved (a cycle gives none)
NAMED_IN = "kg.named_in"  # doc.user_data: entity → the sentences naming it, in order


def find_frames(doc: Doc, rules: tuple[FrameRule, ...],
                country: Callable[[EntityRef], EntityRef | None] = lambda _: None,
                office: Callable[[Token], EntityRef | None] = lambda _: None) -> list[Match]:
    """Every frame rule's matches in a merged doc, in text order; ``country`` gives the state a
    place lies in (the gazetteer knows; for a person, the citizenship), for roles like a
    mission's receiving state; ``office`` the state whose office a title names."""
    by_lemma: dict[str, list[FrameRule]] = {}
    by_class: dict[str, list[FrameRule]] = {}
    for rule in rules:
        for lemma in rule.lemmas:
            by_lemma.setdefault(lemma, []).append(rule)
        for cls in rule.trigger_classes:
            by_class.setdefault(cls, []).append(rule)
    _remember_holders(doc)
    doc.user_data[TITLED] = []
    doc.user_data[COUNTRY] = country
    text = doc.text  # built anew on every access: once here
    found: list[Match] = []
    # Titles first: the posts the text gives people tell the state a person acts for when the
    # gazetteer does not know them ("President Ceausescu signed …" after "the President of …
    # Romania Nicolae Ceausescu"); the other frames then read that.
    # "his Italian counterpart Antonio Tajani" tells a state too.
    titles = [t for t in doc if t._.cls == "PostKind" or t.lemma_.lower() == "counterpart"]
    _frames_at(titles, by_class, by_lemma, office, country, text, found)
    told = {**_persons_of_states(doc), **states_told(found)}
    first = {t.i for t in titles}
    _frames_at([t for t in doc if t.i not in first], by_class, by_lemma, office,
               lambda v: country(v) or (told.get(v) if v.cls == "Person" else None), text,
               found)
    found.sort(key=lambda m: m.trigger)  # text order; a token's rules stay in their order
    return found


def _frames_at(tokens: list[Token], by_class: dict[str, list[FrameRule]],
               by_lemma: dict[str, list[FrameRule]], office: Callable[[Token], EntityRef | None],
               country: Callable[[EntityRef], EntityRef | None], text: str,
               found: list[Match]) -> None:
    for token in tokens:
        candidates = by_class.get(token._.cls, []) if token._.cls else by_lemma.get(
            token.lemma_.lower(), [])
        for rule in candidates:
            if rule.trigger_kinds and _kind(token).rsplit("#", 1)[-1] not in rule.trigger_kinds:
                continue
            if rule.context and not _has_context(token, rule.context):
                continue
            if rule.context_too and not _has_context(token, rule.context_too):
                continue
            if rule.unless and _has_context(token, rule.unless):
                continue
            if rule.mode == "stated" and not stated(token):
                continue
            if rule.cancelled_by and _cancelled(token, rule.cancelled_by):
                continue
            roles = {name: _fillers(token, spec, office) for name, spec in rule.roles.items()
                     if not spec.verbs or _verb_lemma(token) in spec.verbs}
            for i, first in enumerate(rule.distinct):  # a later role loses what an earlier has
                for later in rule.distinct[i + 1:]:
                    roles[later] = [v for v in roles.get(later, [])
                                    if v not in roles.get(first, [])]
            if any(roles.get(name) for name in rule.absent):
                continue
            for name, role in rule.country_of.items():
                states = [country(v) for v in roles.get(role, []) if isinstance(v, EntityRef)]
                roles[name] = _unique([s for s in states if s is not None])
            for name, fallback in rule.fallback.items():
                if not roles.get(name) and not any(roles.get(r) for r in fallback.unless) and (
                        not fallback.kinds or _kind(token).rsplit("#", 1)[-1] in fallback.kinds):
                    roles[name] = _unique([v for source in fallback.sources
                                           for v in roles.get(source, [])])
            for name, parts in rule.union.items():
                roles[name] = _unique([v for part in parts for v in roles.get(part, [])])
            roles = {name: values for name, values in roles.items() if values}
            if any(not roles.get(name) for name in rule.require) or any(
                    named_count(roles.get(name, [])) < n for name, n in rule.at_least.items()):
                continue
            if token._.cls == "PostKind":  # who this title named, for later "his credentials"
                token.doc.user_data[TITLED].append((token.i, {v for vs in roles.values() for v in vs
                                                        if getattr(v, "cls", "") == "Person"}))
            roles["trigger"] = [token.text]
            if token._.cls == "PostKind" and any(c.lower_ in FORMER for c in token.children):
                roles["former"] = ["former"]  # "former Foreign Ministers X and Y": not now
            sent = sentence_of(token)
            span = trimmed(text, sent.start_char, sent.end_char)
            found.append(Match(rule, (span.start, span.end), roles,
                               _earlier_sentences(token, roles), token.i))


def states_told(matches: list[Match]) -> dict[EntityRef, EntityRef]:
    """Each person the text gives posts of one state only, with that state."""
    states: dict[EntityRef, set[EntityRef]] = {}
    for match in matches:
        for holder in match.roles.get("holder", []):
            if isinstance(holder, EntityRef) and holder.cls == "Person":
                states.setdefault(holder, set()).update(
                    v for v in match.roles.get("state", []) if isinstance(v, EntityRef)
                    and v.cls == "State")
    return {person: next(iter(told)) for person, told in states.items() if len(told) == 1}


def _persons_of_states(doc: Doc) -> dict[EntityRef, EntityRef]:
    """People the text names with their state, "Elbio Rosselli of Uruguay", "Mauro Vieira of
    Brazil" (one state each)."""
    states: dict[EntityRef, set[EntityRef]] = {}
    for token in doc:
        if not _of_kind(token, ("Person",)):
            continue
        of = [v for p in token.children if p.dep_ == "prep" and p.lower_ == "of"
              for o in p.children if o.dep_ == "pobj" for v in o._.values
              if getattr(v, "cls", "") == "State"]
        for person in token._.values:
            if isinstance(person, EntityRef) and person.cls == "Person" and of:
                states.setdefault(person, set()).update(of)
    return {person: next(iter(found)) for person, found in states.items() if len(found) == 1}


def _told_by(token: Token) -> list[Token]:
    """The participle that tells what happened to a noun ("the agreements signed by X"), not
    one that says what it is about ("a memorandum concerning relations") or what it is called
    ("relations with the Republic of China, commonly known as Taiwan")."""
    return [c for c in token.children if c.dep_ == "acl" and c.tag_ == "VBN"
            and c.lemma_.lower() not in NAMING]


NAMING = {"know", "call", "name", "dub", "describe", "refer", "term", "style", "title"}


def _verb_lemma(token: Token) -> str:
    """The lemma of the verb a trigger is, hangs from ("signed a memorandum") or is told by
    ("the agreements signed by X")."""
    told = _told_by(token)
    verb = told[0] if told else governing_verb(token) if token.pos_ not in VERB_POS else token
    return verb.lemma_.lower() if verb is not None else ""


def _cancelled(token: Token, lemmas: tuple[str, ...]) -> bool:
    """The verb governing the trigger undoes it: relations severed are not relations made."""
    verb = governing_verb(token)
    return verb is not None and verb.lemma_.lower() in lemmas


def _earlier_sentences(trigger: Token, roles: dict[str, list]) -> tuple[tuple[int, int], ...]:
    """The sentences before the trigger's that name a filler its own sentence does not (a bare
    title's holder, the date of the meeting a document was issued after), so the fact cites
    them too."""
    named: dict[object, list[tuple[int, int]]] = trigger.doc.user_data[NAMED_IN]
    start = sentence_of(trigger).start_char
    out = []
    for values in roles.values():
        for value in values:
            where = named.get(value, []) if isinstance(value, EntityRef | DateValue) else []
            if where and not any(s <= trigger.idx < e for s, e in where):
                earlier = [span for span in where if span[1] <= start]
                if earlier:
                    out.append(earlier[-1])
    return tuple(sorted(set(out)))


def _has_context(token: Token, words: tuple[str, ...]) -> bool:
    """One of the words modifies the trigger, is its head ("diplomatic relations") or is the
    verb that governs it ("relations and the embassy were established")."""
    near = [token.head, *token.children, *token.head.children]
    verb = governing_verb(token)
    if verb is not None:
        near.append(verb)
    return any(t.lemma_.lower() in words or t.lower_ in words for t in near)


def stated(token: Token) -> bool:
    """Whether the text states the trigger as having happened (or holding), not as negated,
    planned, hoped for or asked."""
    until = any(c.dep_ == "prep" and c.lower_ in ("until", "till") for c in token.children)
    for child in token.children:
        if (child.dep_ == "neg" or child.lower_ in NEGATIONS and child.dep_ in ("det", "advmod")
                ) and not until:  # "did not recognise X until 1969": it did, in 1969
            return False
        if child.lower_ in UNREAL_MODIFIERS and child.dep_ in ("amod", "compound", "advmod"):
            return False
        if child.dep_ == "aux" and child.lower_ in MODALS:
            return False
        if child.dep_ == "aux" and child.lower_ == "to" and token.dep_ in ("xcomp", "acl",
                                                                            "advcl", "relcl"):
            # "to visit": an infinitive states a purpose or a plan ("arrived to attend" is
            # rare in our texts): refuse it, unless it says who did it first ("the first
            # country to recognise", "one of the first countries to establish relations")
            # (nor "its application to join … was approved": it joined)
            if not _first_to(token) and not _gladly(token) and not _travelled_to(token) and not (
                    token.dep_ == "acl" and _granted(token.head)):
                return False
    if token.dep_ == "xcomp" and token.tag_ == "VBG" and token.head.lemma_.lower() in INTENT:
        return False  # "Chile considered recognizing Palestine": a thought, not an act
    if token.dep_ == "acomp" and any(  # "he would be happy to be in Lima": not (yet) there
            c.dep_ == "neg" or c.dep_ == "aux" and c.lower_ in MODALS for c in token.head.children):
        return False
    governing = governing_verb(token) if token.dep_ != "acomp" else token.head
    near = [*token.children, *(governing.children if governing is not None else ()),
            *(g for c in token.children if c.dep_ == "xcomp" for g in c.children)]
    if any(c.lower_ in SPANS_OF_TIME and any(g.lower_ in COMING for g in c.children)
           for c in near):
        return False  # "a visit to Japan by X next year", "will pay a visit next month"
    sentence = sentence_of(token)
    if NUMBERED_HEADING.match(sentence.text) and not any(
            t.tag_ in FINITE for t in sentence):
        return False  # a numbered section heading names its topic, not an event
    head = token.head
    for _ in range(2):  # "a candidate for membership": the noun it hangs from says "not yet"
        if head.dep_ == "prep":
            head = head.head
        if head.i != token.i and head.lemma_.lower() in NOT_YET and head.pos_ == "NOUN" and (
                not _granted(head)):  # "its application to join … was approved": it joined
            return False
        if head.head.i == head.i:
            break
        head = head.head
    verb = governing_verb(token)
    if verb is not None and verb.i != token.i and _circumstance(token):
        # "agreed to do so during a February 18, 1992 meeting": what was agreed is a plan, the
        # meeting it was agreed at took place (unless that is future too: "plan to discuss it
        # at a meeting", "will agree at the summit")
        head = verb.head
        planned = verb.dep_ in ("xcomp", "ccomp") and head.lemma_.lower() in INTENT and (
            head.tag_ != "VBD")
        return not planned and not any(c.dep_ == "aux" and c.lower_ in MODALS
                                       for c in [*verb.children, *head.children])
    if verb is not None and verb.i != token.i:
        if any(c.dep_ == "neg" for c in verb.children):
            return False
        if any(c.dep_ == "aux" and c.lower_ in MODALS for c in verb.children):
            return False
        if _in_effect(token, verb):
            return True  # "have agreed to the establishment of relations effective from D"
        if verb.lemma_.lower() in INTENT and token.dep_ in ("xcomp", "dobj", "pobj", "acl"):
            return False
        head = verb.head
        if verb.dep_ in ("xcomp", "ccomp", "advcl") and head.lemma_.lower() in INTENT:
            return False
    return True


EFFECTIVE = re.compile(r"\b(?:effective(?:\s+(?:from|as\s+of|on))?|as\s+(?:from|of)|with\s+effect"
                       r"\s+from)\s*$", re.I)
DECIDING = {"agree", "decide", "resolve"}


def _in_effect(token: Token, verb: Token) -> bool:
    """A decision the text dates with its entry into force ("the two Governments have agreed
    to the establishment of diplomatic relations effective from October 14, 1972", "decided to
    establish relations as from 1 January"): a joint communiqué's own act, not a plan."""
    deciding = verb if verb.lemma_.lower() in DECIDING else verb.head
    if deciding.lemma_.lower() not in DECIDING or deciding.tag_ not in ("VBD", "VBN", "VBZ", "VBP"):
        return False
    text = token.doc.text
    sentence = sentence_of(token)
    return any(t._.cls == "Date" and EFFECTIVE.search(
        text[max(sentence.start_char, t.idx - 30):t.idx]) for t in sentence if t.i > token.i)


GRANTING = {"approve", "accept", "grant"}
# verbs whose object takes the title "as" gives ("named X as Minister", not "met X as Chair")
APPOINTING = {"appoint", "name", "nominate", "designate", "elect", "choose", "select", "accredit",
              "send", "dispatch", "confirm", "reappoint", "install", "swear"}


def _granted(request: Token) -> bool:
    """A request or application the clause says was approved, accepted or granted."""
    verb = governing_verb(request)
    return verb is not None and verb.lemma_.lower() in GRANTING and request.dep_ in (
        "nsubjpass", "dobj") and not any(c.dep_ == "neg" or c.dep_ == "aux" and c.lower_ in MODALS
                                         for c in verb.children)


FORMER = {"former", "late", "then", "ex"}
CIRCUMSTANCES = {"during", "at", "after", "following", "on", "in"}


def _circumstance(token: Token) -> bool:
    """A trigger in a phrase telling when or where something else happened ("during a
    meeting", "at their summit"): it happened, whatever the verb says of the rest."""
    return token.dep_ == "pobj" and token.head.lower_ in CIRCUMSTANCES and (
        token.head.dep_ == "prep")


# "is honored to welcome", "was pleased to sign": the infinitive is the act, done gladly
GLADLY = {"honor", "honour", "honored", "honoured", "please", "pleased", "delight", "delighted",
          "glad", "happy", "proud", "thrill", "thrilled"}


def _gladly(verb: Token) -> bool:
    head = verb.head
    return verb.dep_ == "xcomp" and head.lemma_.lower() in GLADLY and not any(
        c.dep_ in ("aux", "auxpass") and c.lower_ in MODALS
        for c in [*head.children, *head.head.children])  # "would be pleased to welcome"


def _travelled_to(verb: Token) -> bool:
    """"X travelled to London on 13 December to meet Y": a meeting a journey told as made was
    made for is told as held (news and ministers' answers say so; a failed one would be news)."""
    head = verb.head
    return verb.dep_ in ("advcl", "xcomp") and verb.lemma_.lower() in MEETING_VERBS and (
        head.lemma_.lower() in JOURNEY_VERBS and head.tag_ in ("VBD", "VBN")) and stated(head)


MEETING_VERBS = {"meet", "hold", "attend"}
JOURNEY_VERBS = {"travel", "fly", "go", "come", "arrive", "head", "journey", "return"}
FIRSTS = {"first", "last", "only", "second", "third", "latest"}


def _first_to(verb: Token) -> bool:
    """"the first country to recognise …": an infinitive after first, last or only is a fact."""
    head = verb.head
    if verb.dep_ in ("advcl", "xcomp"):  # "X was among the first countries to recognise …"
        # "X became the latest nation to recognise …": the parser hangs the infinitive on the
        # verb beside the noun that first or latest qualifies
        return stated(head) and (any(
            t.lower_ in FIRSTS for c in head.children if c.dep_ == "prep"
            and c.lower_ == "among" for t in c.subtree) or any(
            t.lower_ in FIRSTS for c in head.children if c.dep_ in ("attr", "oprd")
            for t in c.children if t.dep_ == "amod"))
    told_by = governing_verb(head)  # "Mexico could become the first country to …": not yet
    return verb.dep_ in ("acl", "relcl") and (told_by is None or stated(told_by)) and (
        head.lower_ in FIRSTS or any(c.lower_ in FIRSTS for c in head.children) or any(
            c.lower_ in FIRSTS for c in head.head.children if head.dep_ == "pobj"))


def governing_verb(token: Token) -> Token | None:
    current = token
    for _ in range(4):
        if current.pos_ in VERB_POS:
            return current
        if current.dep_ not in CLIMB or current.head.i == current.i:
            return None
        current = current.head
    return current if current.pos_ in VERB_POS else None


def _fillers(trigger: Token, spec: RoleSpec,
             office: Callable[[Token], EntityRef | None] = lambda _: None) -> list:
    values: list = []
    wants_people = "Person" in spec.classes
    for path in spec.paths:
        if path[-1:] == ("office",):  # the body whose office a title names, unsaid
            offices = [office(t) for t in _walk(trigger, path[:-1])]
            values += [v for v in offices if v is not None and _fits(v, spec.classes)]
        if path == ("ordinal",):  # "the second inter-Korean summit", "the 15th BRICS Summit"
            if "Word" in spec.classes:
                values += [c.text for c in trigger.children if c.dep_ in ("amod", "nummod")
                           and (c.ent_type_ == "ORDINAL" or NUMBER.match(c.lower_))]
        if path == ("written",) and "Word" in spec.classes:  # "the G20 Antalya Summit"
            values += _written_name(trigger)
        if path == ("anniversary",):
            since = _since_anniversary(trigger)
            values += [since] if since is not None and _fits(since, spec.classes) else []
        if path == ("inside",):  # the names inside the trigger's own name
            values += [v for v in trigger._.inner if _fits(v, spec.classes)]
        if path == ("pair",):  # the nearest pair of states before it, as "the two countries"
            values.append(Placeholder("pair", "State"))
        for token in _walk(trigger, path) if path not in (
                ("inside",), ("anniversary",), ("ordinal",), ("written",)) and (
                path[-1:] != ("office",)) else ():
            if wants_people and token._.cls == "Demonym" and token.dep_ not in (
                    "amod", "compound", "nmod", "poss"):
                continue  # "the arrival of the Portuguese": people, not the state's act
            if wants_people and token._.cls == "PostKind" and trigger._.cls == "PostKind" and (
                    path == ("^pobj", ">", "^prep")):
                continue  # "Representative of the President": the President's, not the same
            if wants_people and token._.cls == "PostKind" and token.i != trigger.i:
                token_values = [v for holder in _holders(token, office(token))
                                for v in _values(holder)]
                if not token_values:  # "The Secretary-General met …", nobody named: the UN
                    body = office(token)
                    token_values = [body] if body is not None else _title_state(token)
            else:
                token_values = _values(token)
            values += [v for v in token_values if _fits(v, spec.classes)]
        if values:
            return _unique(values)  # the first path that reaches a filler decides
    return []


def _written_name(trigger: Token) -> list[str]:
    """The name a capitalised trigger is written with, its modifiers before it included ("the
    NATO Summit", "the Japan- EU Summit" tidied to "Japan-EU Summit"); none for a common noun."""
    if not trigger.text[:1].isupper():
        return []
    start = trigger.i
    for child in sorted(trigger.lefts, key=lambda t: -t.i):
        if child.dep_ in ("compound", "amod", "nmod", "npadvmod", "nummod") and (
                child.i == start - 1 or child.right_edge.i == start - 1):
            start = child.left_edge.i
    if start == trigger.i:
        return []
    text = trigger.doc[start:trigger.i + 1].text
    return [re.sub(r"(\w)- (\w)", r"\1-\2", text)]


ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                 "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "fifteenth": 15,
                 "twentieth": 20, "twenty-fifth": 25, "thirtieth": 30, "fortieth": 40,
                 "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "seventy-fifth": 75,
                 "eightieth": 80, "ninetieth": 90, "hundredth": 100}
NUMBER = re.compile(r"^(\d{1,3})(?:st|nd|rd|th)?$")


def _since_anniversary(trigger: Token) -> DateValue | None:
    """"the 30th anniversary of diplomatic relations", "60 Years of Diplomatic Relations", in
    a source dated 2010: the relations date from 1950 (a year, and only against a known
    document date; the fact says it was dated by the document)."""
    head = trigger.head.head if trigger.head.dep_ == "prep" else trigger.head
    if head.lemma_.lower() in BEGINNINGS and head.dep_ == "pobj" and head.head.dep_ == "prep":
        head = head.head.head  # "the 30th anniversary of the establishment of … ties"
    if head.lemma_.lower() not in ("anniversary", "year"):
        return None
    told = _year_told(head)  # "2024 will mark the 75th anniversary": 1949, whatever the date
    anchor = told or trigger.doc.user_data.get(DOCUMENT_DATE)
    if anchor is None:
        return None
    for child in head.children:
        text = "".join(t.text_with_ws for t in child.subtree).strip().lower()  # twenty-fifth
        number = NUMBER.match(text)
        n = ORDINAL_WORDS.get(text) or (int(number.group(1)) if number else 0)
        if n and child.dep_ in ("amod", "nummod", "compound"):
            year = PartialDate(anchor.year - n)
            return DateValue(year, year, anchored=told is None)
    return None


def _year_told(anniversary: Token) -> PartialDate | None:
    """The year the clause of an anniversary names ("2024 will mark the 75th anniversary",
    "In 2022, the two countries celebrate the 30th anniversary"), if it names one."""
    verb = governing_verb(anniversary)
    if verb is None:
        return None
    inside = {t.i for t in anniversary.subtree}
    for date in _dates_under(verb):
        value = next((v for v in date._.values if isinstance(v, DateValue)), None)
        if date.i not in inside and value is not None and not value.anchored:
            return value.first
    return None


def _holders(title: Token, body: EntityRef | None = None) -> list[Token]:
    """The people a title names ("the Minister of Foreign Affairs, Mevlüt Çavuşoğlu", "U.S.
    Secretary of State Mike Pompeo"): a role that reaches a title reaches its holder. A bare
    title ("The Secretary-General met …") is the nearest holder of that post named before it
    Failing that, the holder of the same state's office named later ("the President of the
    Swiss Confederation" in a heading); with no holder named, the body whose office it is
    (_fillers asks ``office``) or the title's state. ``body``, the body whose office a bare
    title names by default ("the Secretary-General": the UN's), keeps the holder of another
    body's title named before ("the Secretary General of NATO") from being meant."""
    named = _named_holders(title, untitled=False)  # "the ministers X and Y met": both
    if named or _plural(title):  # "the Chinese and Indian foreign ministers": not one of them
        return named
    titles = title.doc.user_data.get(HOLDERS, [])
    kind = _kind(title)
    state = _title_state(title)  # "the Vietnamese President" is not the President named before
    before = [holder for i, k, holder in titles if i < title.i and k == kind
              and _may_hold(title.doc[i], holder, state)
              and not (body is not None and not state and _title_state(title.doc[i])
                       and _keys(_title_state(title.doc[i])) != [body.key])]
    if before:
        return before[-1:]
    # "the meeting between the Secretary-General and the President of the Swiss Confederation"
    # in a heading: the holder of that state's office, named later in the text
    later = [holder for i, k, holder in titles if i > title.i and k == kind
             and state and _title_state(title.doc[i]) == state]
    return later[:1] or _named_next(title, state)


def _named_next(title: Token, state: list) -> list[Token]:
    """"…, the Permanent Representative of Uruguay, President of the body, said today. …
    Elbio Rosselli of Uruguay said the Council would …": a news lead gives the title, the next
    sentence the person of that state who says it — its only such person."""
    if len(state) != 1:
        return []
    sentence = sentence_of(title)
    if sentence.end >= len(title.doc):
        return []
    following = sentence_of(title.doc[sentence.end])
    people = [t for t in following if _of_kind(t, ("Person",)) and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(
            o.dep_ == "pobj" and _keys(o._.values) == _keys(state) for o in c.children)
        or c.dep_ == "poss" and _keys(c._.values) == _keys(state) for c in t.children)]
    return people if len(people) == 1 else []


def _may_hold(earlier: Token, holder: Token, state: list) -> bool:
    """Whether the holder of an earlier title can be meant by a bare title of ``state``: not
    when the earlier title or the holder's citizenship names another state."""
    if not state:
        return True
    named = _title_state(earlier)
    if named:
        return _keys(named) == _keys(state)
    country = holder.doc.user_data.get(COUNTRY)
    citizenship = [country(v) for v in holder._.values if isinstance(v, EntityRef)] if (
        country) else []
    return not any(c is not None and c not in state for c in citizenship)


def _named_holders(title: Token, untitled: bool = True) -> list[Token]:
    right_after = _name_right_after(title)  # "…, the President of Korea Moon Jae-in": Moon
    if right_after:
        return _with_conjuncts(right_after, untitled)
    # an apposition past another title is that title's ("the Foreign Minister of Japan, X, and
    # the Minister … of Portugal, Y": the parser hangs Y on the first title too)
    # an apposition that names a body or a state is the title's, not its holder ("the
    # Secretary General of NATO (NATO), X")
    found = [c for c in _appositions(title) if c._.values and c._.cls != "PostKind" and not (
        _of_kind(c, ("State", "IntergovernmentalOrganization", "Organization")))]
    # "the U.S. Commissioner at Riga, Evan Young, informed …": an apposition the parser read
    # as a conjunct (a comma before it and no "and")
    found += [c for c in title.children if c.dep_ == "conj" and c._.values
              and c.i > 0 and c.doc[c.i - 1].text == ","
              and not any(s.dep_ == "cc" for s in title.children if s.i < c.i)
              and any(getattr(v, "cls", "") == "Person" for v in c._.values)]
    if title.dep_ == "appos" and _of_kind(title.head, ("Person",)):
        found.append(title.head)  # "Pedro Passos Coelho, Prime Minister of Portugal"
    if title.dep_ in ("compound", "nmod") and title.head._.values:
        found.append(title.head)
    # "Secretary of the Interior Ryan Zinke": with "of" inside the title, the parser's object
    # of "of" is the name right after it
    found += [c for c in title.children if c.dep_ == "pobj" and c.i == title.i + 1
              and _of_kind(c, ("Person",))]
    if title.dep_ == "attr":  # "Ban Ki-moon is the Secretary-General"
        found += [c for c in title.head.children if c.dep_ == "nsubj" and c._.values]
    # "Foreign Minister of Israel Avigdor Lieberman": the parser makes the name the object of
    # "of", the state its compound
    found += [t for p in title.children if p.dep_ == "prep" and p.lower_ == "of"
              for t in p.children if t.dep_ == "pobj" and _of_kind(t, ("Person",))
              and any(c.dep_ == "compound" and _of_kind(c, ("State",)) for c in t.children)]
    after = _entity_after(title)
    if after and after[0]._.cls == "PostKind":  # another title is no holder, but "the Prime
        after = _name_right_after(after[0]) if (  # Minister of X, Prime Minister Y" names Y
            _kind(after[0]) == _kind(title)) else []
    return _with_conjuncts(found, untitled) or after


def _plural(title: Token) -> bool:
    """A title in the plural ("Senators", "Foreign Ministers", "Ministers for Foreign
    Affairs"): its head word, before any "of" or "for", in -s."""
    words = title.lower_.split()
    head = next((words[i - 1] for i, w in enumerate(words) if w in ("of", "for") and i),
                words[-1])
    return head.endswith("s") and not head.endswith(("ss", "affaires", "affairs"))


def _appositions(token: Token) -> list[Token]:
    """A word's appositions, but not one past another title: that title's ("the Foreign
    Minister of Japan, X, and the Minister … of Portugal, Y": the parser hangs Y on the first).
    The apposition's own title is no other title ("the Permanent Representative of Norway,
    Ambassador X")."""
    return [c for c in token.children if c.dep_ == "appos" and not any(
        token.doc[k]._.cls == "PostKind" and c.left_edge.i > k
        for k in range(token.i + 1, c.i))]


def _title_state(title: Token) -> list:
    """The state or body a title names when nobody holds it in the text: "met with the
    President of Kenya" met Kenya (as the evaluation's convention and common sense have it)."""
    found = [v for t in _title_state_tokens(title) for v in _values(t)
             if getattr(v, "cls", "") in ("State", "IntergovernmentalOrganization")]
    return found if _plural(title) else found[:1]  # "the foreign ministers of X and Y"


def _title_state_tokens(title: Token) -> list[Token]:
    """The words of a title that name its state or body ("Estonian", "of Kenya", "U.S.")."""
    def names_state(token: Token) -> bool:
        return any(getattr(v, "cls", "") in ("State", "IntergovernmentalOrganization")
                   for v in _values(token))

    found = [c for c in title.children if c.dep_ in ("amod", "compound", "poss", "nmod")
             and names_state(c)]
    found += [c for t in found for c in t.children if c.dep_ == "conj" and names_state(c)]
    found += [t for t in _step(title, "prep:of") if names_state(t)]
    if _plural(title):  # "ministers from Japan and Korea"
        found += [t for t in _step(title, "prep:from") if names_state(t)]
    if not found and title.dep_ in ("compound", "nmod") and title.head._.values:
        # "U.S. Deputy Assistant Secretary of State Curtis Kamman": "U.S." hangs on the name
        found = [c for c in title.head.children if c.i < title.i and c.dep_ in (
            "amod", "compound", "nmod") and names_state(c)]
        found += [t for t in _step(title.head, "prep:of") if names_state(t)]  # "… X of Peru"
    return found


def _titles_of(person: Token) -> list[Token]:
    """The titles that name a person: next to the name ("Ambassador Mark Green", "Mark Green,
    the U.S. Ambassador"), else the last one given to the same person earlier in the text (a
    title where a person was expected is itself)."""
    if person._.cls == "PostKind":
        return [person]
    near = [c for c in person.children if c._.cls == "PostKind" and c.dep_ in (
        "compound", "appos", "nmod")]
    if person.head._.cls == "PostKind" and person.dep_ in ("appos", "compound", "conj"):
        near.append(person.head)
    if near:
        return near[:1]
    found = []
    for who in _values(person) + _leaders_before(person):  # "the two leaders": each one's
        earlier = [i for i, _kind_, holder in person.doc.user_data.get(HOLDERS, [])
                   if i < person.i and who in holder._.values]
        earlier += [i for i, people in person.doc.user_data.get(TITLED, [])
                    if i < person.i and who in people]
        if earlier:  # the last one, or the last that names a state ("Prime Minister of
            # Japan", then "Prime Minister Suga")
            found.append(person.doc[max(earlier, key=lambda i: (
                bool(_title_state_tokens(person.doc[i])), i))])
    return _unique(found)


def _leaders_before(token: Token) -> list:
    """Who "the two leaders" are while the frames are found (they are resolved for good only
    afterwards): the last two people given a leader's post before them."""
    if not any(isinstance(v, Placeholder) and v.resolve == "people" for v in token._.values):
        return []
    found: list = []
    for i, kind, holder in reversed(token.doc.user_data.get(HOLDERS, [])):
        if i < token.i and kind.rsplit("#", 1)[-1] in HEADS:
            found += [v for v in holder._.values if getattr(v, "cls", "") == "Person"
                      and v not in found]
        if len(found) >= 2:
            return found[:2]
    return []


def _kind(title: Token) -> str:
    return next((getattr(v, "key", "") for v in title._.values), "")


def _remember_holders(doc: Doc) -> None:
    """Every title in the document with the person it names, in text order, for bare titles;
    and the sentences each entity is named in, for the facts that need an earlier one (a
    date referred to by "that morning" is named where the day itself is)."""
    named: dict[object, list[tuple[int, int]]] = {}
    text = doc.text
    referring = doc.user_data.get(REFERRING_DATES, set())  # "that morning" names no day itself
    for sentence in sentences(doc):
        span = trimmed(text, sentence.start_char, sentence.end_char)
        for token in sentence:
            for value in token._.values if token.idx not in referring else ():
                spans = named.setdefault(value, [])
                if not spans or spans[-1] != (span.start, span.end):
                    spans.append((span.start, span.end))
    doc.user_data[NAMED_IN] = named
    doc.user_data[HOLDERS] = [
        (title.i, _kind(title), holder) for title in doc if title._.cls == "PostKind"
        for holder in _named_holders(title)[:1]
        if any(getattr(v, "cls", "") == "Person" for v in holder._.values)]


UNTIL = {"to", "until", "till", "through"}


def _walk(start: Token, path: tuple[str, ...]) -> Iterator[Token]:
    current = [start]
    for step in path:
        if step in "<>":
            continue
        current = [found for token in current for found in _step(token, step)]
    yield from current


def _step(token: Token, step: str) -> list[Token]:
    if step == "self":
        return [token]
    if step == "date":
        return _dates_near(token)
    if step == "date-head":
        return _dates_of_head(token)
    if step == "occasion-date":
        return _occasion_dates(token)
    if step == "occasion-named":
        return _occasion_named(token)
    if step == "sequence-date":
        return _sequence_dates(token)
    if step == "counterparts-from":
        return _counterparts_from(token)
    if step == "after":
        return _entity_after(token)
    if step == "own-date":  # a date hung on the word itself ("served … from 2013 to 2016")
        return sorted([c for c in token.children if c._.cls == "Date"] + [
            d for c in token.children if c.dep_ == "prep" for d in c.children
            if d.dep_ == "pobj" and d._.cls == "Date"], key=lambda t: t.i)[:1]
    if step == "until":  # "from 2012 to 2020" read as two dates: the one after "to"
        return [d for p in token.head.children if p.dep_ == "prep" and p.i > token.i
                and p.lower_ in UNTIL for d in p.children if d.dep_ == "pobj"
                and d._.cls == "Date"][:1] if token.head.lower_ == "from" else []
    if step == "name-after":
        return _name_right_after(token)
    if step == "byline":
        return _byline_holder(token)
    if step.startswith("clause:"):  # "a meeting lasting 30 minutes with X", "a meeting, which
        return _in_own_clause(token, step[7:])  # continued on to a lunch with X"
    if step.startswith("above:"):  # "pleased to welcome X to Canberra", "to" hung on "'m"
        return _hung_above(token, step[6:])
    if step == "appointee":  # "named Heman Allen as Minister …": who the verb made that
        verb = token.head.head if token.dep_ == "pobj" and token.head.lower_ == "as" else None
        return [c for c in verb.children if c.dep_ in ("dobj", "oprd")] if (
            verb is not None and verb.lemma_.lower() in APPOINTING) else []
    if step == "place-told-before":  # "attended the summit": the summit told before, in Kazan
        return _place_told_before(token)
    if step == "named-next":  # a lead's title, named in the next sentence ("X of Uruguay said")
        return _named_next(token, _title_state(token)) if token._.cls == "PostKind" else []
    if step == "date-after":  # "…, Assistant Minister from 2011 to 2013 and …": read linearly
        after = max(_tail(token)[1], _phrase_end(token) + 1)
        return [token.doc[after]] if after < len(token.doc) and (
            token.doc[after]._.cls == "Date") else []
    if step == "named":  # the person a title names, in any of the ways _named_holders knows
        return _named_holders(token)
    if step == "title":  # the title a person was given here or earlier ("Ambassador X")
        return _titles_of(token)
    if step == "title-state":  # the state a title names ("the Estonian Minister")
        return _title_state_tokens(token)
    if step.startswith("tail:"):
        return [entity for word, entity in _tail(token)[0] if word == step[5:]]
    if step.startswith("next:"):
        return _next_after(token, step[5:])
    if step == "modifiers":  # "the Japan-Mongolia Summit Meeting": names in the modifiers
        return [t for child in token.lefts if child.dep_ in ("compound", "amod", "nmod")
                for t in child.subtree if t._.values]
    if step == "fronted":  # "Since the establishment of relations in 1992, X and Y have …"
        subject = _fronted_subject(token)
        return [subject] if subject is not None else []
    if step == "sentence":
        return [t for t in sentence_of(token) if t._.values and t.i != token.i]
    if step.startswith("prep:"):
        words = set(step[5:].split("-")) if step[5:] != "any" else None
        out = []
        # "a member of X and of Y": a preposition coordinated with the one asked for
        preps = [c for c in token.children if c.dep_ in ("prep", "dative", "agent")]
        preps += [c for p in preps for c in p.children if c.dep_ == "conj"
                  and c.lower_ == p.lower_]
        for child in preps:
            if words is None or child.lower_ in words:
                out += [_visitor_behind(c) for c in child.children if c.dep_ in ("pobj", "pcomp")]
                out += [c for c in child.children if c.dep_ == "prep" and c.lower_ == "of"
                        for c in c.children if c.dep_ == "pobj"]  # "on behalf of"
        # "in Addis Ababa Sunday": news style dates the place, the parser hangs it on the day
        out += [c for t in out if t._.cls == "Date" for c in t.children
                if c.dep_ == "compound" and c._.values]
        return [_state_behind(t) for t in _with_conjuncts(out)]
    if step.startswith("gov:"):
        told = _told_by(token)  # "the agreements signed by X": its verb is "signed"
        verb = told[0] if told else (
            governing_verb(token.head) if token.head.i != token.i else None)
        if verb is None or verb.i == token.i:
            return []
        if step == "gov:nsubj" and token.dep_ == "nsubjpass" and token.head.i == verb.i:
            return []  # "X's relations with Y were restored": the trigger is the subject
        return _step(verb, step[4:])
    if step.startswith("^"):
        dep, _, word = step[1:].partition(":")  # "^prep:as": only up from "as"
        if token.dep_ != dep or token.head.i == token.i or word and token.lower_ != word:
            return []
        if token._.cls == "PostKind" and _plural(token):
            return _with_conjuncts([token.head], untitled=True)  # "Senators Levin and Reid"
        return [token.head]
    if step == "agent":
        return _with_conjuncts([c for a in token.children if a.dep_ == "agent"
                                for c in a.children if c.dep_ == "pobj"])
    found = _appositions(token) if step == "appos" else [
        c for c in token.children if c.dep_ == step]
    if not found and step == "nsubj" and token.dep_ in ("conj", "xcomp") and (
            token.pos_ in VERB_POS):  # "X was …, and was …", "X agreed to do so during …"
        controller = [c for c in token.head.children if c.dep_ == "dobj" and c.i < token.i]
        found = controller if token.dep_ == "xcomp" and controller else [
            c for c in token.head.children if c.dep_ == "nsubj"]  # "asked Y to meet": Y
    if not found and step == "nsubj" and token.pos_ in VERB_POS and token.dep_ not in (
            "acl", "relcl", "xcomp", "advcl"):  # a participle or infinitive has none to lose
        return _lost_subject(token)  # its "conjuncts" are the misparse's, not a list
    if not found and step == "nsubj" and token.dep_ in ("acl", "xcomp", "advcl") and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in token.children) and (
            token.head.pos_ == "NOUN"):  # "his visit to Chicago to attend the Summit": his
        found = [c for c in token.head.children if c.dep_ == "poss"]
    if not found and step == "nsubj" and token.dep_ == "advcl" and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in token.children) and (
            token.head.pos_ in VERB_POS):  # "X was among the first to recognize Y": X
        found = [c for c in token.head.children if c.dep_ == "nsubj"]
    if not found and step == "nsubj" and token.dep_ == "acl":
        return _root_subject(token)
    return [_state_behind(t) for t in _with_conjuncts(found, untitled=token._.cls == "PostKind")]


def _visitor_behind(token: Token) -> Token:
    """"met with visiting Prime Minister X": the parser makes "visiting" the object and X
    its own; the one met is X."""
    if token.lower_ == "visiting":
        visitor = [c for c in token.children if c.dep_ == "dobj" and c._.values]
        return visitor[0] if visitor else token
    return token


TAIL_WORDS = {"of", "to", "in", "at", "for"}
TAIL_FILLER = {"det", "amod", "compound", "nummod", "poss", "case"}


def _tail(token: Token) -> tuple[list[tuple[str, Token]], int]:
    """The prepositional phrases that follow a title word in the text, read linearly ("the
    Ambassador to Abkhazia, Semyon Grigoriyev"), whatever the parser hung them on: (preposition,
    entity) pairs and the index just after them."""
    doc = token.doc
    i = _phrase_end(token) + 1
    if doc[i - 1].lower_ in TAIL_WORDS and not any(
            c.dep_ in ("pobj", "pcomp") for c in doc[i - 1].children):
        i -= 1  # "of" left without its object: the parser hung the name elsewhere
    after = token.i + 1
    if after < i and doc[after].lower_ in TAIL_WORDS and not any(
            c.dep_ in ("pobj", "pcomp") for c in doc[after].children):
        i = after  # "Indian envoy to Russia Vinay Kumar": "to" without its object, the state
        # made a compound of the name that ends the phrase
    found: list[tuple[str, Token]] = []
    end = sentence_of(token).end
    while i + 1 < min(len(doc), end) and doc[i].lower_ in TAIL_WORDS:
        j = i + 1
        while j < len(doc) and not doc[j]._.values and doc[j].dep_ in TAIL_FILLER and j - i < 4:
            j += 1
        if j < len(doc) and doc[j]._.values:
            found.append((doc[i].lower_, doc[j]))
            i = j + 1
        elif j < len(doc) and doc[j].pos_ == "PROPN":  # "for Foreign Affairs": title words
            while j < len(doc) and doc[j].pos_ == "PROPN" and not doc[j]._.values:
                j += 1
            i = j
        else:
            break
    return found, i


NEXT_SKIPPED = {"today", "also", "later", "then", "separately", "again", "first", "briefly"}


def _next_after(token: Token, word: str) -> list[Token]:
    """The entity after ``word`` right after the trigger, read linearly ("met today with
    Pakistani Foreign Minister X in New York to affirm …": the parser hung "with X" on the
    infinitive), past a date or an adverb before the word and a demonym after it."""
    doc = token.doc
    i = token.i + 1
    while i < len(doc) and i - token.i <= 2 and (
            doc[i]._.cls == "Date" or doc[i].lower_ in NEXT_SKIPPED):
        i += 1
    if i >= len(doc) or doc[i].lower_ != word:
        return []
    end = sentence_of(token).end
    for j in range(i + 1, min(end, i + 6)):
        if doc[j]._.values and doc[j]._.cls != "Demonym":
            return [doc[j]]
        if doc[j].dep_ not in TAIL_FILLER and doc[j]._.cls != "Demonym" and doc[j].pos_ not in (
                "DET", "ADJ"):
            return []
    return []


# Words that stand for a state's government, people or legislature: "the Government of Japan",
# "the Kenyan government", "the U.S. Senate" act for Japan, Kenya and the United States.
METONYMS = {"government", "governments", "authorities", "people", "leadership", "nation",
            "senate", "parliament", "congress", "legislature", "leader", "leaders", "official",
            "officials", "delegation", "delegations", "representative", "representatives",
            "minister", "ministers", "head", "heads", "administration", "ministry", "ministries"}


PLACE_NOUNS = {"city", "capital", "town", "port", "island", "province", "region"}
ADDRESS = {"excellency", "excellencies", "highness", "majesty", "counterpart", "counterparts"}


def _state_behind(token: Token) -> Token:
    """The token naming the state behind "the Government of X" or "the X government", or the
    person behind "His Excellency Mr. X" (the parser makes the title the head)."""
    named = [c for c in token.children if c.dep_ == "appos" and _of_kind(c, ("Person",))]
    if not token._.values and token.pos_ == "NOUN" and named:
        return named[0]  # "China's top legislator, Li Zhanshu": the person the noun describes
    if not token._.values and token.lower_ in ADDRESS:
        named = [c for c in token.children if c.dep_ in ("appos", "compound") and c._.values]
        # "his Turkish counterpart Hakan Fidan", the parser hanging the name elsewhere
        after = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        named += [after] if after is not None and _of_kind(after, ("Person",)) else []
        # "his Peruvian counterpart": unnamed, the state it stands for
        named += [c for c in token.children if c.dep_ in ("amod", "compound", "poss") and (
            token.lower_.startswith("counterpart") and _of_kind(c, ("State",)))]
        return named[0] if named else token
    if not token._.values and token.lemma_.lower() in PLACE_NOUNS:
        named = [o for p in token.children if p.dep_ == "prep" and p.lower_ == "of"
                 for o in p.children if o.dep_ == "pobj" and o._.values]
        return named[0] if named else token  # "in the Russian city of Kazan": Kazan
    if token._.values or token.lemma_.lower() not in METONYMS:
        return token
    for child in token.children:
        if child.dep_ in ("amod", "compound", "poss") and child._.values:
            if token.lower_ == "leader":  # "the Chinese leader": the one the text named before
                return _leader_named_before(token, child) or child
            return child
        if child.dep_ == "prep" and child.lower_ in ("of", "from"):
            named = [c for c in child.children if c.dep_ == "pobj" and c._.values]
            if named:
                return named[0]
    return token


LEADERS = {"President", "PrimeMinister", "Monarch", "Chancellor"}


def _leader_named_before(leader: Token, state: Token) -> Token | None:
    """The head of state or government of that state the text named last before "the X
    leader" ("Chinese President Xi Jinping … The Chinese leader and the President met")."""
    keys = _keys(state._.values)
    found = [holder for i, kind, holder in leader.doc.user_data.get(HOLDERS, [])
             if i < leader.i and kind.rsplit("#", 1)[-1] in LEADERS
             and _keys(_title_state(leader.doc[i])) == keys]
    return found[-1] if found else None


def _root_subject(verb: Token) -> list[Token]:
    """The subject of the sentence's main verb when the parser made that verb a participle of
    an object and the subject the root ("The Minister of X, Y, who began his visit to Z, held a
    meeting with …": "held" hung on "visit"). Only a verb with an object of its own: "the
    summit, held in Lima, …" is a participle."""
    root = sentence_of(verb).root
    if root.pos_ in VERB_POS or root.i > verb.i or not any(
            c.dep_ == "dobj" for c in verb.children):
        return []
    return [root] if root._.values or root._.cls == "PostKind" else []


def _lost_subject(verb: Token) -> list[Token]:
    """The subject of a verb the parser left without one ("At the invitation of X, President
    Y of Z made a visit": Y was hung on X as an apposition): the name right before the verb,
    with nothing between them but its own modifiers."""
    for i in range(verb.i - 1, sentence_of(verb).start - 1, -1):
        candidate = verb.doc[i]
        if not (candidate._.values and candidate._.cls in ("Person", "State")):
            continue
        while candidate.dep_ == "pobj" and candidate.head.head._.values and (
                candidate.head.head._.cls in ("Person", "State")):
            candidate = candidate.head.head  # "President Moon of the Republic of Korea"
        inside = {t.i for t in candidate.subtree}
        if all(k in inside or verb.doc[k].dep_ in ("advmod", "aux", "auxpass", "neg")
               for k in range(candidate.i + 1, verb.i)):
            return [candidate]
        return []
    return []


def _entity_after(token: Token) -> list[Token]:
    """The entity right after the trigger's phrase, past its prepositional tail, a comma,
    brackets and a title of address ("the President of the Swiss Confederation, Ms. Eveline
    Widmer-Schlumpf"): the reading of an apposition the parser attached elsewhere."""
    doc = token.doc
    i = max(_tail(token)[1], _phrase_end(token) + 1)
    skipped = 0
    while i < len(doc) and skipped < 4 and not doc[i]._.values and (
            doc[i].text in (",", "(", ")") or doc[i].dep_ == "compound"):
        i += 1
        skipped += 1
    same_sentence = i < len(doc) and sentence_of(doc[i]).start == sentence_of(token).start
    comma = skipped or any(doc[k].text == "," for k in range(token.i + 1, i))
    if same_sentence and doc[i]._.values and (
            comma or token._.cls == "PostKind" and i == token.i + 1
            and any(getattr(v, "cls", "") == "Person" for v in doc[i]._.values)):
        return [doc[i]]  # past a comma, or a title's name right after it ("Minister Wang Yi")
    return []


ENVOYS = {"Ambassador", "Envoy", "ChargeDAffaires", "ConsulGeneral", "Counsellor",
          "DiplomaticOfficer"}


def _line_of(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The character span of the text line holding [start, end), without its spaces."""
    text = doc.text
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    while left < right and text[left].isspace():
        left += 1
    while right > left and text[right - 1].isspace():
        right -= 1
    return left, right


def _byline_holder(title: Token) -> list[Token]:
    """A statement's or interview's byline: a line that is only a name above a line that is
    only a title ("Antony J. Blinken / Secretary of State"), or an op-ed's "By Terry Branstad,
    U.S. Ambassador to China": the name holds the title."""
    doc, text = title.doc, title.doc.text
    line = _line_of(doc, title.idx, title.idx)
    if text.startswith("By ", line[0]):
        named = [t for t in doc if line[0] <= t.idx < title.idx and _of_kind(t, ("Person",))]
        return named if len(named) == 1 else []
    if _line_of(doc, title.idx, title.idx + len(title.text)) != (
            title.idx, title.idx + len(title.text)):
        return []
    line_start = text.rfind("\n", 0, title.idx)
    if line_start <= 0:
        return []
    above = _line_of(doc, line_start - 1, line_start - 1)
    if above[0] == above[1]:
        return []
    on_line = [t for t in doc if above[0] <= t.idx < above[1]]
    named = [t for t in on_line if _of_kind(t, ("Person",))]
    if len(named) != 1 or named[0].idx + len(named[0].text) != above[1] or any(
            t._.values for t in on_line if t.i != named[0].i):
        return []  # the line is the name alone (an honorific before it: "Rt Hon")
    return named


def _name_right_after(title: Token) -> list[Token]:
    """A person named right after a title and its tail, with no comma between ("the President
    of the Republic of Korea Moon Jae-in"): the title's holder, whatever the parser hung the
    title on (an apposition of the person named before it, often)."""
    doc = title.doc
    sentence = sentence_of(title)
    for k in range(title.i + 1, min(sentence.end, title.i + 16)):
        token = doc[k]
        if any(getattr(v, "cls", "") == "Person" for v in token._.values):
            before = doc[k - 1]
            return [token] if k == title.i + 1 or before._.cls == "PostKind" or any(
                getattr(v, "cls", "") in ("State", "IntergovernmentalOrganization")
                for v in before._.values) else []
        if token.lower_ == "and" and k + 1 < len(doc) and doc[k + 1]._.cls == "PostKind":
            continue  # "Deputy Prime Minister and Foreign Minister Winston Peters": both his
        if token.lower_ == "to" and token.head.i == title.i and (
                _kind(title).rsplit("#", 1)[-1] in ENVOYS):
            continue  # "Vietnamese Ambassador to India Nguyen Thanh Hai": the envoy's tail
        if token.text in (",", "(", ")", ";", ":") or token.pos_ in ("VERB", "AUX") or (
                token.lower_ in ("and", "or", "to", "with", "at")):
            return []
    return []


def _phrase_end(token: Token) -> int:
    """The last token of a word's own phrase, without the lists and appositions the parser hung
    inside it ("the Minister … of Ireland, Simon Coveney, and the Foreign Minister of Argentina":
    the name was made a conjunct of Ireland)."""
    end = token.i
    for child in token.rights:
        after_comma = token.doc[child.left_edge.i - 1].text == ","
        named = any(t._.cls in ("Person", "PostKind") for t in child.subtree)
        if not (child.dep_ == "conj" and named or child.dep_ in ("cc", "punct")
                or child.dep_ == "appos" and after_comma):  # "(NATO)", "and Trade" are its
            end = max(end, _phrase_end(child))
    return end


QUANTITIES = {"majority", "number", "most", "many", "some", "all", "dozens", "scores", "group",
              "host", "list", "each", "both", "several", "none", "half", "minority"}


def _through_quantity(token: Token) -> list[Token]:
    """"Recognized by a majority of European states, the United States and Japan": a word of
    quantity stands for what it counts, the object of its "of"."""
    if token._.values or token.lemma_.lower() not in QUANTITIES:
        return [token]
    counted = [c for p in token.children if p.dep_ == "prep" and p.lower_ == "of"
               for c in p.children if c.dep_ == "pobj"]
    return counted or [token]


def _with_conjuncts(tokens: list[Token], untitled: bool = False) -> list[Token]:
    """The tokens and their conjuncts ("Japan and Chile"); with ``untitled``, not a conjunct
    with a title of its own ("the Foreign Minister of Turkey X and U.S. Secretary of State Y":
    Y does not hold the first title)."""
    out = []
    for token in [counted for named in tokens for counted in _through_quantity(named)]:
        out.append(token)
        conjuncts = [_state_behind(c) for c in token.conjuncts]  # "the Government of X and Y's"
        out += [c for c in conjuncts if c._.values and not (untitled and (
            c._.cls == "PostKind" or any(child._.cls == "PostKind" for child in c.children)))]
    return out


def _dates_near(token: Token) -> list[Token]:
    """Dates in the trigger's own phrase, else in the clause of the verb that governs it."""
    # not a date in a clause of a noun in the phrase ("the signing of the Agreement, which
    # entered into force on D")
    own = [d for d in _dates_under(token) if not _in_other_clause(d, token)]
    if own:
        return own[:1]
    if _told_by(token):
        return []  # "welcomed today the agreements signed in Addis Ababa": not signed today
    verb = governing_verb(token)
    if verb is not None:
        other = {t.i for c in verb.children if c.dep_ in ("conj", "advcl", "ccomp", "parataxis")
                 and token not in c.subtree for t in c.subtree}  # another clause's dates
        near = [t for t in _dates_under(verb) if t.i not in other
                and not _in_other_clause(t, token)]
        if near:
            return near[:1]
    if verb is not None and verb.dep_ == "conj":
        # "X joined the UN on D and became a member of Y": D is the other clause's; but a date
        # fronted before the first verb's subject dates every verb ("On D, X left Y and joined Z")
        first = verb.head
        subject = next((c.i for c in first.children if c.dep_ in SUBJECTS), first.i)
        return [t for c in first.children if c.i < subject and c.dep_ in ("prep", "npadvmod")
                for t in c.subtree if t._.cls == "Date"][:1]
    if verb is None:
        return []  # a trigger in an apposition or a heading: only its own phrase dates it
    if _after_another(verb):
        return []  # "X and Y restored relations on D, after X recognised Y": not on D
    other = {t.i for c in verb.children if c.dep_ in ("conj", "advcl", "ccomp", "parataxis")
             for t in c.subtree}
    in_sentence = [t for t in sentence_of(token) if t._.cls == "Date" and t.i not in other
                   and not _in_other_clause(t, token)]
    return in_sentence if len(in_sentence) == 1 else []


BEGINNINGS = {"establishment", "normalization", "normalisation", "restoration", "resumption",
              "opening"}
SEQUENCE_MARKS = {"after", "before", "since", "until", "till", "once"}
OCCASIONS = {"meeting", "talks", "talk", "summit", "visit", "conference"}
OCCASION_REACH = 8  # sentences back where the occasion's date may stand


def _occasion_dates(token: Token) -> list[Token]:
    """"Following the meeting, the two leaders issued the Joint Statement": the date of the
    meeting the sentences before tell ("On March 2 … held a meeting"), when the trigger's clause
    dates nothing itself."""
    occasions = _occasions_referred(token, ("following", "after", "during", "at", "as", "on"))
    if not occasions:
        return []
    for sentence in _sentences_before(token, OCCASION_REACH):
        told = [t for t in sentence if _names_occasion(t, occasions)]
        for word in told:
            dates = _dates_near(word) or _only_date(sentence)
            if dates:  # a visit of several days dates no one act during it
                return [] if any(_spans_days(d) for d in dates) else dates
    return []


def _only_date(sentence: Span) -> list[Token]:
    """The one date a sentence names, wherever the parser hung it ("On March 4, commencing at
    6:10 p.m., X held a summit meeting with Y")."""
    dates = [t for t in sentence if t._.cls == "Date"]
    return dates if len(dates) == 1 else []


def _spans_days(token: Token) -> bool:
    """A date that is a range of days ("December 4-7, 1973")."""
    return any(isinstance(v, DateValue) and v.first != v.last and v.first.day is not None
               for v in token._.values)


OCCASION_NAMED_REACH = 8  # a communiqué tells its visit first and its agreements last
OCCASION_FRAMES = {"occasion", "outcome", "result", "margin", "sideline", "sidelines", "course",
                   "conclusion", "end", "close"}


CLAUSE_REACH = 3  # dependency steps down a trigger's own participle or relative clause


def _in_own_clause(token: Token, word: str) -> list[Token]:
    """The objects of the first "with" (or other preposition) inside the participle or relative
    clause that describes the trigger ("held a meeting lasting a total of 30 minutes with X",
    "held a Summit Meeting, which continued on to a working lunch with X"): the parser hangs
    the phrase on a word of that clause, but it says with whom the trigger was."""
    found: list[Token] = []
    frontier = [c for c in token.children if c.dep_ in ("acl", "relcl")]
    for _ in range(CLAUSE_REACH):
        found = [o for t in frontier for p in t.children if p.dep_ == "prep"
                 and p.lower_ == word for o in p.children if o.dep_ == "pobj"]
        if found:
            return [_state_behind(t) for t in _with_conjuncts(found)]
        frontier = [c for t in frontier for c in t.children
                    if c.dep_ in ("dobj", "pobj", "prep", "agent")]
    return []


def _hung_above(token: Token, word: str) -> list[Token]:
    """A preposition's object the parser hung on a word above the trigger, after it in the text
    ("I'm very pleased to welcome X to Canberra": "to Canberra" on "'m")."""
    current = token
    for _ in range(CLAUSE_REACH):
        if current.head.i == current.i or current.dep_ not in ("xcomp", "acomp", "ccomp"):
            return []
        current = current.head
        found = [o for p in current.children if p.dep_ == "prep" and p.lower_ == word
                 and p.i > token.i for o in p.children if o.dep_ == "pobj"]
        if found:
            return found
    return []


def _place_told_before(token: Token) -> list[Token]:
    """"Leaders opened a summit in Kazan. … X and Y attended the summit": "the summit" is the
    one told in the sentences before, and its place that one's (the one city or place named
    "in" that sentence)."""
    if not any(d.lower_ in ("the", "this", "that") for d in token.children) or any(
            c._.values for c in token.children if c.dep_ in ("compound", "amod", "nmod", "poss")):
        return []  # "this G20 summit" says which summit itself
    for sentence in _sentences_before(token, OCCASION_REACH):
        told = [t for t in sentence if t.lemma_.lower() == token.lemma_.lower()
                or _names_occasion(t, {token.lemma_.lower()})]
        if not told:
            continue
        places = _unique([p for t in told for step in ("prep:in", "gov:prep:in")
                          for p in _step(t, step) if _of_kind(p, ("City", "Place"))])
        return places if len(places) == 1 else []
    return []


def _occasions_referred(token: Token, preps: tuple[str, ...], definite: bool = False
                        ) -> set[str]:
    """The visits or meetings the trigger's clause refers back to ("following the meeting",
    "on the occasion of the visit", "as an outcome of the talks"), by their words."""
    verb = governing_verb(token)
    if verb is None:
        return set()
    verbs = [verb, verb.head] if verb.dep_ == "conj" else [verb]  # "Following the meeting, they
    heads = [o for v in verbs for c in v.children if c.dep_ == "prep"  # signed … and witnessed"
             and c.lower_ in preps for o in c.children if o.dep_ == "pobj"]
    heads += [o for h in heads if h.lemma_.lower() in OCCASION_FRAMES for p in h.children
              if p.dep_ == "prep" and p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
    if token.dep_ == "pobj" and token.head.lower_ in preps:
        heads.append(token)  # "Following the meeting, the two leaders …": the meeting told before
    return {o.lemma_.lower() for o in heads if o.lemma_.lower() in OCCASIONS and (
        any(d.lower_ in ("the", "this", "that") for d in o.children) if definite
        else not any(d.lower_ in ("a", "an") for d in o.children))}


def _occasion_named(token: Token) -> list[Token]:
    """"On the occasion of the visit, the following agreements were signed": the states and
    people the sentence telling that visit (or meeting) names, the nearest before within
    reach."""
    occasions = _occasions_referred(
        token, ("following", "after", "during", "at", "on", "as", "in"), definite=True)
    if not occasions:
        return []
    before = list(_sentences_before(token, OCCASION_NAMED_REACH))
    for told in (_tells_occasion, lambda _: True):  # "X held a meeting with Y" before "… also
        for sentence in before:                      # attended the meeting"
            named = [t for t in sentence if _of_kind(t, ("State", "Person"))]
            if named and any(_names_occasion(t, occasions) and told(t) for t in sentence):
                return named
    return []


def _names_occasion(token: Token, occasions: set[str]) -> bool:
    """The word is one of those occasions, or a name ending in one ("the Tokyo Conference on
    Afghanistan" is "the conference")."""
    words = token.lower_.split()
    return token.lemma_.lower() in occasions or len(words) > 1 and any(
        w in occasions or w.rstrip("s") in occasions for w in words)


HOLDING = {"hold", "have", "pay", "conduct", "make", "begin", "start"}


def _tells_occasion(word: Token) -> bool:
    """The word tells the visit or meeting happen ("visited", "held a meeting", "paid a visit"),
    not only mentions it ("attended the meeting")."""
    return word.pos_ in VERB_POS or (word.dep_ == "dobj" and word.head.lemma_.lower() in HOLDING)


def _counterparts_from(token: Token) -> list[Token]:
    """"held talks with a range of counterparts, including from Iceland, Italy and Jordan",
    "met counterparts from Japan and India", "meetings with his counterparts that included
    Iran and Turkey": the states the counterparts came from, each one of them (a meeting with
    each). The parser may hang "with …" on the verb holding the talks, "including …" anywhere."""
    verb = governing_verb(token)
    holders = [token] + ([verb] if verb is not None and verb.i != token.i else [])
    met = [c for h in holders for w in h.children if w.dep_ == "prep" and w.lower_ == "with"
           for c in w.children if c.dep_ == "pobj"]
    met += [c for h in holders for c in h.children if c.dep_ == "dobj"]
    found: list[Token] = []
    for heard in met:
        words = [heard] + [o for p in heard.children if p.dep_ == "prep" and p.lower_ == "of"
                           for o in p.children if o.dep_ == "pobj"]  # "a range of counterparts"
        if not any(w.lemma_.lower() == "counterpart" for w in words):
            continue
        for word in [*words, *holders]:
            for child in word.children:
                if child.dep_ == "prep" and child.lower_ == "from":
                    found += [o for o in child.children if o.dep_ == "pobj"]
                elif child.dep_ == "prep" and child.lower_ == "including":
                    found += [o for p in child.children for o in (
                        [p] if p.dep_ == "pobj" else p.children if p.lower_ == "from" else [])
                        if o.dep_ == "pobj"]
                elif child.dep_ == "relcl" and child.lemma_.lower() == "include":
                    found += [o for o in child.children if o.dep_ == "dobj"]
    return _with_conjuncts(found)


SEQUENCE = {"then", "later", "afterwards", "afterward", "subsequently", "thereafter", "next"}
SEQUENCE_REACH = 5  # sentences back where the day a narrative goes on from may stand


def _sentences_before(token: Token, reach: int) -> Iterator[Span]:
    """The sentences before the token's own, nearest first, at most ``reach`` of them (a list
    item's number, "3.", is no sentence)."""
    sentence = sentence_of(token)
    told = 0
    while told < reach:
        if sentence.start == 0:
            return
        sentence = sentence_of(token.doc[sentence.start - 1])
        if any(t.is_alpha for t in sentence):
            told += 1
            yield sentence


def _sequence_dates(token: Token) -> list[Token]:
    """"He then went to the White House, where he and President Bush had a meeting": a
    narrative that goes on from a day it named ("That morning, the Secretary-General met …")
    stays on that day, when the trigger's clause dates nothing itself. Only a day: "later"
    after a year or a month may be any time in it."""
    if _dates_near(token):
        return []
    clause = [token, *token.ancestors]
    if not any(c.dep_ == "advmod" and c.lower_ in SEQUENCE for t in clause for c in t.children):
        return []
    for sentence in _sentences_before(token, SEQUENCE_REACH):
        dates = [t for t in sentence if t._.cls == "Date"]
        if dates:
            days = [t for t in dates[:1] for v in t._.values
                    if isinstance(v, DateValue) and v.first.day is not None]
            return days
    return []


def _after_another(verb: Token) -> bool:
    """A clause told as before or after the one it hangs on: its date is not that one's."""
    return verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in SEQUENCE_MARKS
                                        for c in verb.children)


def _dates_of_head(token: Token) -> list[Token]:
    """Dates of the trigger's own phrase or of the word it depends on ("the establishment of
    relations on 2 March 1992"), never of a clause around it ("Today marks the anniversary of
    the establishment of relations": today is not when they were established)."""
    if token.dep_ == "pobj" and token.head.lower_ == "during":
        # "On May 21, during his visit to Chicago, X held a meeting": the date is the
        # meeting's; the visit may have begun before
        return _dates_under(token)[:1]
    head = token.head
    while head.dep_ in ("prep", "pobj", "agent") and head.head.i != head.i:
        head = head.head
    if _after_another(token):
        head = token  # "… restored relations on D, after X recognised Y": not on D
    found = [t for t in (*_dates_under(token), *_dates_under(head))
             if not _in_other_clause(t, token)]
    # "visited New Zealand in 2014 and 2017": each date coordinated with the first
    return found[:1] + [c for c in found[:1][0].conjuncts if c._.cls == "Date"] if found else []


def _dates_under(token: Token) -> list[Token]:
    """The dates in a phrase, nearest the word first (the parse's order of a subtree is not the
    text's: "X visited Y on D, the first visit since D2" lists D2 first), without the date a
    "first … since" compares with ("the first visit since 2017": not when this one was)."""
    def depth(date: Token) -> int:
        steps = 0
        for ancestor in date.ancestors:
            steps += 1
            if ancestor.i == token.i:
                break
        return steps
    return sorted((t for t in token.subtree if t._.cls == "Date" and not _compared_since(t)),
                  key=lambda t: (depth(t), t.i))


def _compared_since(date: Token) -> bool:
    """"The first visit … since 2017", "the largest delegation since 1990": a date a
    superlative or ordinal counts from, never the date of the thing itself; also a date
    deeper inside the "since" phrase ("our first since his appointment in November")."""
    since = next((a for a in list(date.ancestors)[:5] if a.lower_ == "since"), None)
    if since is None:
        return False
    # "the first visit since 2017", or "the first" itself ("…, the first by a premier since")
    return _ordinal(since.head) or any(c.dep_ in ("amod", "nummod") and _ordinal(c)
                                       for c in since.head.children)


def _ordinal(word: Token) -> bool:
    return word.ent_type_ == "ORDINAL" or word.tag_ == "JJS" or word.lower_ in ("first", "last")


def _in_other_clause(date: Token, trigger: Token) -> bool:
    """Whether a date stands in a clause of its own that the trigger is not in: one describing
    another noun ("the Summit held earlier this year"), or another verb's ("The meeting saw
    them discuss X and follow-up held earlier this year")."""
    for ancestor in (date, *date.ancestors):
        if ancestor.i == trigger.i:
            return False
        if ancestor.dep_ in ("acl", "relcl", "ccomp", "conj", "parataxis") and (
                ancestor.head.i != trigger.i and trigger not in ancestor.subtree):
            return True
    return False


PERSONAL = {"he", "she", "him", "his", "her"}
SPEAKERS = {"i", "we", "me", "us", "you"}  # never what "he" or "his" stands for
IMPERSONAL = {"it", "its"}
# "X congratulated Y on its presidency", "thanked Y for his support": the one credited
CREDITING = {"congratulate", "thank", "commend", "praise", "applaud", "compliment", "laud",
             "credit", "felicitate"}
SUBJECTS = ("nsubj", "nsubjpass")
PRONOUN_REACH = 2  # sentences back that a pronoun may reach


PLURAL = {"they", "their", "them"}


def _values(token: Token) -> list:
    if not token._.values and token.lower_ == "which" and token.head.dep_ == "relcl" and (
            token.dep_ in SUBJECTS and (_of_kind(token.head.head, ("Person",))
                                        or token.head.head._.cls == "PostKind")):
        return _thing_before(token)  # "X, Foreign Minister of Denmark, which holds …": Denmark
    if not token._.values and token.lower_ in ("who", "which", "that") and (
            token.head.dep_ == "relcl" and token.dep_ in SUBJECTS):
        return list(token.head.head._.values)  # "X, who was visiting Japan": X
    if not token._.values and token.pos_ == "PRON" and token.lower_ in PERSONAL | IMPERSONAL:
        return _antecedent(token)
    if not token._.values and token.pos_ == "PRON" and token.lower_ in PLURAL:
        return _plural_antecedent(token)
    return list(token._.values)


THING_REACH = 6  # tokens back where "which" may find its antecedent


def _thing_before(which: Token) -> list:
    """What "which" stands for when the parser hung its clause on a person ("which" is never a
    person): the nearest state or body named just before it."""
    doc = which.doc
    for i in range(which.i - 1, max(-1, which.i - 1 - THING_REACH), -1):
        found = [v for v in doc[i]._.values if getattr(v, "cls", "") in (
            "State", "IntergovernmentalOrganization", "Organization")]
        if found:
            return found
    return []


def _plural_antecedent(pronoun: Token) -> list:
    """What "they" or "their" stands for: the people or states named in the subject before it
    ("Rex Tillerson and Wang Yi … held their first talks"), in its own sentence or the one
    before; nothing unless that names two or more."""
    doc = pronoun.doc
    own = sentence_of(pronoun)
    around = [own] + ([sentence_of(doc[own.start - 1])] if own.start > 0 else [])
    for sentence in around:
        subjects = [t for t in sentence if t.dep_ in SUBJECTS and t.i < pronoun.i
                    and t.i != pronoun.i]
        for subject in reversed(subjects):
            values = [v for t in subject.subtree for v in t._.values]
            people = [v for v in values if getattr(v, "cls", "") == "Person"]
            named = _unique_values(people or [v for v in values
                                              if getattr(v, "cls", "") == "State"])
            if len(named) >= 2:
                return named
            if named:
                break
        if sentence is own:  # "signed by the leaders of X and Y at their summit": the list
            lists = [t for t in own if t.i < pronoun.i and len(_unique_values([  # before it
                v for v in t._.values if getattr(v, "cls", "") in ("Person", "State")])) >= 2]
            if lists:
                return _unique_values(list(lists[-1]._.values))
    return []


def _unique_values(values: list) -> list:
    return list(dict.fromkeys(values))


def _antecedent(pronoun: Token) -> list:
    """What "he", "his", "it" or "its" stands for: the subject of its own clause when that is
    someone else ("President Lula said his visit …"), else the subject of the nearest sentence
    before it that has one of the right kind ("Haiti … It is also a founding member of …").
    The subject, the centre of attention, is the usual antecedent; an object is not guessed.
    A pronoun asked for again while it is being resolved stands for nothing there ("its
    ambassador has hinted …": the subject is a title whose state is the pronoun itself)."""
    resolving: set[int] = pronoun.doc.user_data.setdefault(RESOLVING, set())
    if pronoun.i in resolving:
        return []
    resolving.add(pronoun.i)
    try:
        return _antecedent_of(pronoun)
    finally:
        resolving.discard(pronoun.i)


def _antecedent_of(pronoun: Token) -> list:
    wanted = ("Person",) if pronoun.lower_ in PERSONAL else (
        "State", "IntergovernmentalOrganization", "Organization")
    ahead = _fronted_subject(pronoun)  # "During his visit to Brazil, President X met …"
    if ahead is not None and _of_kind(ahead, wanted):
        return list(ahead._.values)
    asked = _controller(pronoun)  # "X asked the Minister to report on his meeting": his is the
    if asked is not None:         # Minister's, whoever the sentence's subject is
        if asked._.cls == "PostKind":
            named = _named_holders(asked)
            return list(named[0]._.values) if named else _title_state(asked)
        return list(asked._.values) if _of_kind(asked, wanted) else []
    if ahead is None and pronoun.lower_ in PERSONAL and _fronted_title(pronoun):
        # "During his visit to Canberra, the Indonesian President met …": his is that president,
        # named by his state only, never someone of an earlier sentence
        return _title_state(_fronted_title(pronoun))  # type: ignore[arg-type]
    verb = governing_verb(pronoun)  # "congratulated Vietnam on its hosting of APEC": the object
    objects = [c for c in verb.children if c.dep_ == "dobj" and c.i < pronoun.i
               and _of_kind(c, wanted)] if verb is not None else []
    if objects and verb is not None and verb.lemma_.lower() in CREDITING:
        return list(objects[0]._.values)  # whoever the subject is
    own = [t for t in _subjects(sentence_of(pronoun)) if t.i < pronoun.i
           and _of_kind(t, wanted) and t.lower_ not in SPEAKERS]
    own += [c for t in sentence_of(pronoun) if t.dep_ in SUBJECTS and t.i < pronoun.i
            and not t._.values for c in t.children if c.dep_ == "poss" and _of_kind(c, wanted)]
    own.sort(key=lambda t: t.i)  # "Modi's visit … was his first": the subject's possessor
    if own:
        return list(own[-1]._.values)
    if objects and pronoun.lower_ in IMPERSONAL:
        return list(objects[0]._.values)
    met = [c for c in verb.children if c.dep_ == "dobj" and c.i < pronoun.i
           and _of_kind(c, wanted)] if verb is not None else []
    if met and any(t.lower_ in SPEAKERS for t in _subjects(sentence_of(pronoun))):
        return list(met[0]._.values)  # "I accompanied Secretary X on his visit": X's
    doc = pronoun.doc
    sentence = sentence_of(pronoun)
    for _ in range(PRONOUN_REACH):
        if sentence.start == 0:
            break
        sentence = sentence_of(doc[sentence.start - 1])
        subjects = _subjects(sentence)
        if not subjects and pronoun.lower_ in IMPERSONAL and any(
                t.dep_ in SUBJECTS and t.lower_ in PERSONAL for t in sentence) and (
                _state_possessed(sentence)):
            return _state_possessed(sentence)  # "he was … in China's Mission. … its Embassy"
        if subjects:
            first = subjects[0]  # the main clause's subject comes first in most sentences
            if _of_kind(first, wanted):
                return list(first._.values)
            if pronoun.lower_ in IMPERSONAL and _of_kind(first, ("Person",)):
                return _state_possessed(sentence)  # "X was China's envoy. … its Ambassador"
            return []
    return []


def _state_possessed(sentence: Span) -> list:
    """The one state a sentence about a person names as a possessor ("Mr. Ma was China's
    Permanent Representative"): what "its" in the next sentence stands for ("He previously
    served as its Ambassador to Australia")."""
    states = _unique_values([v for t in sentence if t.dep_ == "poss"
                             for v in t._.values if getattr(v, "cls", "") == "State"])
    return states if len(states) == 1 else []


def _fronted_subject(pronoun: Token) -> Token | None:
    """The subject of the clause a fronted phrase holding the word belongs to ("During his
    visit to Brazil, President X met …": his is X's; "Since the establishment of relations in
    1992, X and Y have …")."""
    phrase = pronoun
    for _ in range(12):  # bounded: a repaired parse may hold a cycle
        if phrase.head is phrase or (phrase.head.pos_ in VERB_POS
                                     and phrase.head.dep_ != "prep"):  # "Following …"
            break
        phrase = phrase.head
    verb = phrase.head
    if phrase is pronoun or verb is phrase or phrase.dep_ not in ("prep", "advcl", "npadvmod"):
        return None
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects or not phrase.i < subjects[0].i:
        return None
    subject = subjects[0]
    if subject._.cls == "PostKind":  # "… , Prime Minister Modi paid": the title's holder
        holders = _named_holders(subject)
        return holders[0] if holders else None
    return subject


def _controller(pronoun: Token) -> Token | None:
    """The object that is the subject of the infinitive the word stands in ("asked the
    Tánaiste to report on his recent meeting", "urged Japan to honour its pledges")."""
    verb = pronoun
    for _ in range(12):  # bounded: a repaired parse may hold a cycle
        if verb.head is verb:
            return None
        verb = verb.head
        if verb.pos_ in VERB_POS and verb.dep_ in ("xcomp", "ccomp") and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            objects = [c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i]
            return objects[0] if objects and (objects[0]._.values or objects[0]._.cls) else None
        if verb.pos_ in VERB_POS:
            return None
    return None


def _fronted_title(pronoun: Token) -> Token | None:
    """The subject of the clause a fronted phrase belongs to when it is a title nobody named
    holds ("During his visit, the Indonesian President met …")."""
    phrase = pronoun
    for _ in range(12):
        if phrase.head is phrase or (phrase.head.pos_ in VERB_POS and phrase.head.dep_ != "prep"):
            break
        phrase = phrase.head
    if phrase is pronoun or phrase.dep_ not in ("prep", "advcl", "npadvmod"):
        return None
    subjects = [c for c in phrase.head.children if c.dep_ in SUBJECTS and phrase.i < c.i]
    if subjects and subjects[0]._.cls == "PostKind" and not _named_holders(subjects[0]):
        return subjects[0]
    return None


def _subjects(sentence: Span) -> list[Token]:
    """The subjects of a sentence that name something, a title standing for its holder
    ("Prime Minister Modi paid a visit": the subject the parser chose is the title)."""
    out = []
    for token in sentence:
        if token.dep_ not in SUBJECTS:
            continue
        if token.lower_ in ("who", "which") and token.head.dep_ == "relcl":
            token = token.head.head  # "X, who began his visit …": the relative's antecedent
        if token._.cls == "PostKind":  # "The Secretary-General then attended …": its holder
            out += (_named_holders(token) or _holders(token))[:1]
        elif token._.values:
            out.append(token)
    return out


def _keys(values: list) -> list[str]:
    return [getattr(v, "key", str(v)) for v in values]


def _of_kind(token: Token, classes: tuple[str, ...]) -> bool:
    return any(getattr(v, "cls", "") in classes for v in token._.values)


def _fits(value: object, classes: tuple[str, ...]) -> bool:
    if isinstance(value, DateValue):
        return "Date" in classes
    if isinstance(value, (EntityRef, Placeholder)):
        return value.cls in classes
    return False


def _unique(items: list) -> list:
    return list(dict.fromkeys(items))
