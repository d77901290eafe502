"""Text → sentences → entity tokens, over a statistical English model and curated names.

spaCy's small English model (a pinned dependency, loaded from site-packages, never fetched)
gives sentences, parts of speech, lemmas, a dependency parse and named entities. A SpanRuler fed
from the gazetteer and the ontology's concepts finds known names; entity rules (data) and the
date recogniser find more; the model's own entities (PERSON, ORG, GPE …) fill what is left,
typed by the recognizer rules (data) and cleaned of honorifics. Each entity, and each
coordinated list of entities of one class ("Turkey and Kazakhstan"), is then merged into one
token carrying its values, so rules can say ``{ent = "State"}`` whatever the name's length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, field

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span, Token
from spacy.util import compile_infix_regex, compile_suffix_regex

from kg.extract.antecedents import DESCRIBED
from kg.extract.dates import DateMention, PartialDate, find_dates
from kg.extract.elliptic import elliptic_names
from kg.extract.model import DateValue, EntityRef, Placeholder
from kg.extract.nlp import NAMES, load_model
from kg.extract.sentences import sentence_of
from kg.inputs.frame_rules import Recognizer
from kg.inputs.gazetteer import Gazetteer
from kg.inputs.ontology import Concept
from kg.inputs.patterns import EntityRule, Names
from kg.text import fold, slug

Value = EntityRef | Placeholder | DateValue
_LIST_WORDS = {",", "and", "or", "the", "&"}
_NAME = re.compile(r"^[\w .'’&()-]+$")  # what a name the model finds may be made of
PLACES = {"State", "City", "Region", "Place"}
REFERENCE_MARKS = (r"\[\d+\]",)  # Wikipedia's footnote marks

for _name, _default in (("cls", ""), ("values", ()), ("inner", ())):
    if not Token.has_extension(_name):
        Token.set_extension(_name, default=_default)


DOCUMENT_DATE = "kg.document_date"  # doc.user_data: the source's own date, if known
REFERRING_DATES = "kg.referring_dates"  # doc.user_data: where "that morning"-like dates start


@dataclass
class EntityToken:
    """An entity span before merging: where it is, its class and what it refers to."""

    start: int
    end: int
    cls: str
    values: list[Value] = field(default_factory=list)
    priority: int = 1  # equal spans: gazetteer names 2 > rules and dates 1 > words 0
    rule: str = ""  # the entity rule that found it, if any
    inner: list[Value] = field(default_factory=list)  # names inside it ("Japan-U.S. Treaty")


@Language.component("line_breaks")
def _line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: titles and captions have no full stop. So does a news
    dateline's dash ("ADDIS ABABA — Ethiopia and Guinea have signed …", "COLOMBO, Jan. 24
    (Xinhua) -- …"): the parser otherwise makes the place the sentence's subject."""
    starts = [0] + [t.i + 1 for t in doc[:-1] if "\n" in t.text_with_ws]
    for token in doc[:-1]:
        if "\n" in token.text_with_ws:
            doc[token.i + 1].is_sent_start = True
        elif not (token.is_space or doc[token.i + 1].is_space
                  or token.text.endswith(SENTENCE_ENDS)):
            doc[token.i + 1].is_sent_start = False  # no sentence begins mid-line without
            # a full stop before it ("… held a Japan-Lao PDR Summit Meeting, which …")
    for start in starts:
        dash = _dateline_dash(doc, start)
        if dash is not None:
            doc[dash + 1].is_sent_start = True
    return doc


GROUP = "StateGroup"  # the span ruler's label of a phrase naming several states
REPEATED_VERB = re.compile(r"^[Rr]e-[a-z]{3,}$")
SENTENCE_ENDS = (".", "!", "?", ":", "]", '"', "'", "”", "’", "…")
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
DATELINE_DASHES = ("—", "--", "–", "-")
DATELINE_LONGEST = 10  # tokens of a dateline before its dash


def _dateline_dash(doc: Doc, start: int) -> int | None:
    """The dash that ends a dateline opening a paragraph: place names, a date and an agency in
    brackets, each word capitalised or a number, then a dash set off by spaces and a capital.
    A plain hyphen only after a place in capitals ("WASHINGTON - …"), never after "The" or a
    pronoun ("The Minister - who …", "President Ruto — who …" are no datelines)."""
    if doc[start].lower_ in NOT_DATELINE:
        return None
    for i in range(start, min(len(doc) - 1, start + DATELINE_LONGEST + 1)):
        token = doc[i]
        if token.text in DATELINE_DASHES and i > start and token.whitespace_ and (
                doc[i - 1].whitespace_):
            capitals = doc[start].is_upper and len(doc[start].text) > 1
            return i if doc[i + 1].text[:1].isupper() and (capitals or token.text != "-") else None
        if not (token.text[:1].isupper() or token.like_num or token.text in (",", ".", "(", ")")):
            return None
    return None


NOT_DATELINE = {"the", "a", "an", "this", "that", "these", "those", "he", "she", "it", "we",
                "they", "i", "you", "our", "their", "his", "her", "its", "my", "in", "on", "at"}


class TextPipeline:
    """Finds sentences and entity tokens in a text; built once, used for every source."""

    def __init__(self, gazetteer: Gazetteer, concepts: Iterable[Concept],
                 rules: Iterable[EntityRule], recognizers: Iterable[Recognizer] = (),
                 names: Names | None = None):
        self.gazetteer = gazetteer
        names = names or Names()
        self.nlp = load_model()
        tokenizer: Tokenizer = self.nlp.tokenizer
        # Reference marks glued to words ("Grigoriyev,[5]", "2008.[6]Igor") stand apart.
        defaults = self.nlp.Defaults
        tokenizer.infix_finditer = compile_infix_regex(
            [*(defaults.infixes or ()), *REFERENCE_MARKS]).finditer
        tokenizer.suffix_search = compile_suffix_regex(
            [*(defaults.suffixes or ()), *REFERENCE_MARKS]).search
        # "re-established", "re-elected" are one verb: split at the hyphen, the model parsed
        # "re" as the sentence's verb
        tokenizer.token_match = REPEATED_VERB.match
        for word in names.honorifics:  # "Hon." is one token, not a sentence end
            if word.endswith(".") and " " not in word:
                tokenizer.add_special_case(word, [{ORTH: word}])
        self.nlp.add_pipe("line_breaks", before="parser")
        # Names match as written ("Turkey", not "turkey"); concept words in any case.
        ruler = self.nlp.add_pipe("span_ruler", config={
            "spans_key": NAMES, "annotate_ents": False, "phrase_matcher_attr": "ORTH"})
        ruler.add_patterns(_ruler_patterns(  # type: ignore[attr-defined]
            gazetteer, concepts, lambda text: [t.lower_ for t in tokenizer(text)]))
        ruler.add_patterns([{"label": GROUP, "pattern": form, "id": phrase}  # type: ignore
                            for phrase, _ in names.groups
                            for form in {phrase, phrase[:1].upper() + phrase[1:]}])
        self._groups = dict(names.groups)
        self.recognizers = {r.label: r for r in recognizers}
        self.names = names
        self._honorifics = {w.lower().rstrip(".") for w in names.honorifics}
        self._not_names = {w.lower() for w in names.not_names}
        self._headline_verbs = set(names.headline_verbs)
        self.rules = {rule.id: rule for rule in rules}
        self.rule_matcher = Matcher(self.nlp.vocab)
        for rule in self.rules.values():
            self.rule_matcher.add(rule.id, [list(rule.tokens.specs)], greedy="LONGEST")
        self._concepts = {c.iri: c for c in concepts}

    def entity_doc(self, text: str | Doc, anchor: PartialDate | None = None) -> tuple[
            Doc, list[EntityToken]]:
        """Parse text (unless parsed already) and find its entities (not yet merged).

        Known names, rules and dates first; the model's entities only where none of those is,
        so a gazetteer name always beats the model's reading of the same words."""
        doc = self.nlp(text) if isinstance(text, str) else text
        doc.user_data[DOCUMENT_DATE] = anchor  # relative dates and anniversaries are read on it
        found = [self._ruler_entity(span) for span in doc.spans[NAMES]]
        found += self._shared_heads(doc, found)
        titles = {i for e in found if e.cls == "PostKind" for i in range(e.start, e.end)}
        model = [self._without_leading_place(_person_by_title(e, doc, titles), doc)
                 for e in self._model_entities(doc, titles)]
        # A person the model finds competes with rules by length ("George H. W. Bush" beats a
        # rule's "George"); its other entities only fill what names, rules and dates left.
        persons = [e for e in model if e.cls == "Person"] + _named_after_title_state(
            doc, found, titles, self.gazetteer)
        chosen = _without_overlaps(found + self._date_entities(doc, anchor)
                                   + self._rule_entities(doc) + persons)
        taken = {i for e in chosen for i in range(e.start, e.end)}
        recognized = [e for e in model if e.cls != "Person"
                      and not taken & set(range(e.start, e.end))]
        kept = [e for e in _without_overlaps(chosen + recognized)
                if not _currency_mark(doc[e.start:e.end])]
        for entity in kept:  # the names a longer name holds: "Treaty between Japan and Chile"
            entity.inner = [v for e in found if entity.start <= e.start and e.end <= entity.end
                            and (e.start, e.end) != (entity.start, entity.end) for v in e.values]
        return doc, _acronyms(_same_people(_surnames_told(doc, self._elliptic(doc, kept))))

    def _elliptic(self, doc: Doc, entities: list[EntityToken]) -> list[EntityToken]:
        """"The North" in a sentence naming South Korea (elliptic.py), over the model's
        reading of the word as a place."""
        named = [(e.start, e.end, v.key) for e in entities for v in e.values
                 if isinstance(v, EntityRef) and v.origin != "model"]
        found = {i: entry for i, key in elliptic_names(doc, named, self.names.elliptic)
                 if (entry := self.gazetteer.entries.get(key)) is not None}
        return [e for e in entities if not (e.end - e.start == 1 and e.start in found)] + [
            EntityToken(i, i + 1, "State", [EntityRef(entry.key, "State", entry.label)],
                        priority=2) for i, entry in found.items()]

    def _is_name(self, span: Span) -> bool:
        """Some word of it is neither a title of address nor a title word."""
        return any(t.is_alpha and t.lower_ not in self._not_names
                   and t.lower_.rstrip(".") not in self._honorifics for t in span)

    def _first_name(self, token: Token, end: int) -> bool:
        """A capitalised proper noun right before a person's name and attached inside it:
        "Anders" when the model's span began at "Fogh Rasmussen"."""
        return (token.pos_ == "PROPN" and token.is_title and token.dep_ == "compound"
                and token.i < token.head.i < end and not token.ent_type_
                and token.lower_.rstrip(".") not in self._honorifics)

    def _model_entities(self, doc: Doc, titles: Set[int] = frozenset()) -> list[EntityToken]:
        """The model's PERSON, ORG, GPE … spans the recognizer rules type, honorifics and the
        words of a title ("State Councilor Yang Jiechi") cut off a person's name."""
        out = []
        territorial: set[int] = set()
        for ent in doc.ents:
            rule = self.recognizers.get(ent.label_)
            if rule is None or any(t.lower_ in rule.unless_words for t in ent):
                continue
            start, end = ent.start, ent.end
            while start < end and (doc[start].lower_.rstrip(".") in self._honorifics
                                   or doc[start].lower_ in ("the", "his", "her")
                                   or rule.cls == "Person" and start in titles):
                start += 1
            verb = next((k for k in range(start + 2, end) if rule.cls == "Person"
                         and doc[k].lower_ in self._headline_verbs), None)
            end = verb if verb is not None else end  # "… Wind Campbell Presents Credentials"
            while end > start and (doc[end - 1].text in ("'s", "’s", "'", ".", ",")
                                   or doc[end - 1].lower_ in self._headline_verbs
                                   or rule.cls == "Person" and doc[end - 1].lower_ in WEEKDAYS):
                end -= 1  # "President Bush Discusses War …": a headline's verb ends the name;
                # "President Joko Widodo Wednesday arrived …": news style dates the verb
            while rule.cls == "Person" and end + 1 < len(doc) and _glued_tail(doc, end):
                end += 2  # "Song Min-soon", "Moon Jae-in": the model's span stopped at "-"
            if rule.cls == "Person" and doc[end - 1].lower_ in NAME_PARTICLES:
                while end < len(doc) and doc[end].is_title and doc[end].pos_ == "PROPN":
                    end += 1  # "José de Freitas Ferraz": the model stopped after "de"
            while rule.cls == "Person" and start > 0 and start - 1 not in titles and (
                    self._first_name(doc[start - 1], end)):
                start -= 1  # "Anders Fogh Rasmussen": the model's span began at "Fogh"
            if rule.cls == "Person" and end - start > 1 and doc[end - 1].lower_ == "of":
                end -= 1  # "Lord Ahmad of Wimbledon": "of Wimbledon" is his title's, not his
                territorial.add(end + 1)  # name, and Wimbledon is no person
            if rule.cls == "Person" and start in territorial:
                continue
            opened = [k for k in range(start, end) if doc[k].text == "("]
            if opened and not any(doc[k].text == ")" for k in range(opened[0], end)):
                end = opened[0]  # "Authority on Development (IGAD": the bracket is no name's
            if rule.cls == "Person":
                end = self._without_state_after(doc, start, end)  # "Elbio Rosselli of Uruguay"
            span = doc[start:end]
            words = [t for t in span if t.is_alpha]
            if rule.cls == "Person" and any(t.tag_ == "VBZ" and t.pos_ == "VERB" for t in span):
                continue  # "Foreign Minister Completes Successful Week": a headline's verb
            if not words or not any(t.text[:1].isupper() for t in words) or all(
                    t.lower_ in self._not_names or t.lower_.rstrip(".") in self._honorifics
                    for t in words):
                continue
            if len(span) == 1 and len([t for t in sentence_of(span[0]) if t.is_alpha]) <= 4:
                continue  # a one-word heading ("Recognition", "Summary") is no name
            if span[0].lower_ in ("of", "for", "to", "in", "at", "on", "and"):
                continue  # "the King of Tonga" less its title: "of Tonga" is no name
            if not _NAME.match(span.text) or rule.cls == "Person" and (
                    self._leading_place(span) and not self._named_after_place(span)):
                continue  # "Bookmark/Search", or a caption like "Kazakhstan Map"
            entry = self.gazetteer.find(span.text)
            value = (EntityRef(entry.key, entry.cls, entry.label) if entry else
                     EntityRef(slug(span.text), rule.cls, span.text, "model"))
            out.append(EntityToken(start, end, value.cls, [value], priority=0, rule=rule.id))
        return out

    def _without_state_after(self, doc: Doc, start: int, end: int) -> int:
        """Where a person's name ends that the model ran on into "of" and a state ("Elbio
        Rosselli of Uruguay": the state is his, not his name)."""
        for k in range(start + 2, end - 1):
            if doc[k].lower_ == "of":
                entry = self.gazetteer.find(doc[k + 1:end].text)
                if entry is not None and entry.cls == "State":
                    return k
        return end

    def _without_leading_place(self, entity: EntityToken, doc: Doc) -> EntityToken:
        """"… of Japan Takeshi Iwaya": a person's name the model began with the state that
        ends a title's tail."""
        place = self._named_after_place(doc[entity.start:entity.end]) if (
            entity.cls == "Person") else 0
        if not place:
            return entity
        name = doc[entity.start + place:entity.end].text
        return EntityToken(entity.start + place, entity.end, "Person",
                           [_person_named(self.gazetteer, name, "model")], entity.priority,
                           entity.rule)

    def _named_after_place(self, span: Span) -> int:
        """How many words of a place begin a span that goes on with a name of two words or
        more ("Japan Takeshi Iwaya"); 0 when it does not."""
        place = self._leading_place(span)
        rest = span[place:]
        return place if place and len(rest) >= 2 and all(
            t.is_title and t.is_alpha for t in rest) else 0

    def _leading_place(self, span: Span) -> int:
        """How many words at the start of a span name a place the gazetteer knows."""
        for k in range(min(3, len(span)), 0, -1):
            entry = self.gazetteer.find(span[:k].text)
            if entry is not None and entry.cls in PLACES:
                return k
        return 0

    def merge(self, doc: Doc, entities: list[EntityToken]) -> Doc:
        """Merge entities, and coordinated lists of one class, into single tokens."""
        _verbs_read_as_adjectives(doc)
        _names_read_as_clauses(doc)
        groups = _coordinated(doc, entities)
        for group in groups:
            _hang_on_first(doc, group)
            for entity in group:
                _one_place(doc, entity)
        taken = {i for group in groups for i in range(group[0].start, group[-1].end)}
        with doc.retokenize() as retokenizer:
            for group in groups:
                values = [v for e in group for v in e.values]
                inner = [v for e in group for v in e.inner]
                span = doc[group[0].start:group[-1].end]
                retokenizer.merge(span, attrs={"_": {"cls": group[0].cls, "values": values,
                                                     "inner": inner}})
            for start, end, lemma in _compound_words(doc, taken):
                retokenizer.merge(doc[start:end], attrs={"LEMMA": lemma})
        return doc

    def _shared_heads(self, doc: Doc, found: list[EntityToken]) -> list[EntityToken]:
        """"North and South Korea", "East and West Germany": a word coordinated with the first
        word of a name stands for the name it makes with the rest, when the gazetteer knows it."""
        out = []
        for entity in found:
            if entity.priority < 2 or entity.end - entity.start < 2 or entity.start < 2:
                continue
            word, conj = doc[entity.start - 2], doc[entity.start - 1]
            if conj.lower_ not in ("and", "or") or not word.is_title or not word.is_alpha:
                continue
            rest = doc[entity.start + 1:entity.end].text
            entry = self.gazetteer.find(f"{word.text} {rest}")
            value = entity.values[0]
            if entry is not None and isinstance(value, EntityRef) and entry.cls == value.cls \
                    and entry.key != value.key:
                out.append(EntityToken(word.i, word.i + 1, entry.cls,
                                       [EntityRef(entry.key, entry.cls, entry.label)], priority=2))
        return out

    def _ruler_entity(self, ent: Span) -> EntityToken:
        key, label = ent.id_, ent.label_
        if label == GROUP:  # "the two Koreas": both, as a list of them would be
            members = [self.gazetteer.entries[k] for k in self._groups[key]]
            return EntityToken(ent.start, ent.end, "State",
                               [EntityRef(m.key, m.cls, m.label) for m in members], priority=2)
        if label == "Demonym":
            entry = self.gazetteer.entries[key]
            return EntityToken(ent.start, ent.end, "Demonym",
                               [EntityRef(key, "State", entry.label)], priority=0)
        if key in self._concepts:
            concept = self._concepts[key]
            return EntityToken(ent.start, ent.end, label,
                               [EntityRef(key, label, concept.names[0], "concept")], priority=0)
        entry = self.gazetteer.entries[key]
        return EntityToken(ent.start, ent.end, label, [EntityRef(key, entry.cls, entry.label)],
                           priority=2)

    def _date_entities(self, doc: Doc, anchor: PartialDate | None) -> list[EntityToken]:
        out = []
        mentions = find_dates(doc.text, anchor)
        doc.user_data[REFERRING_DATES] = {m.start for m in mentions if m.referring}
        for mention in mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            first, last = mention.first, mention.last
            if anchor is not None and _told_in_past_after(span, mention, anchor):
                first, last = _year_before(first), _year_before(last)
            out.append(EntityToken(span.start, span.end, "Date",
                                   [DateValue(first, last, mention.anchored)]))
        return out

    def _rule_entities(self, doc: Doc) -> list[EntityToken]:
        out = []
        matches = self.rule_matcher(doc, with_alignments=True)
        for match_id, start, end, alignment in matches:  # type: ignore[misc]
            rule = self.rules[self.nlp.vocab.strings[match_id]]
            if not rule.tokens.within_limits(alignment) or \
                    sentence_of(doc[start]).start != sentence_of(doc[end - 1]).start:
                continue
            named = [start + i for i, a in enumerate(alignment) if rule.tokens.roles[a] == "name"]
            first, last = (named[0], named[-1] + 1) if named else (start, end)
            span = doc[first:last]
            value: Value
            if rule.resolve in DESCRIBED and _goes_on_naming(doc, end):
                continue  # "the Organization of American States": a name, not "the organization"
            if rule.resolve:
                value = Placeholder(rule.resolve, rule.cls)
            elif rule.cls == "Person" and not self._is_name(span):
                continue  # "Ambassador Extraordinary and Plenipotentiary" names no one
            elif any(t.lower_ in self._headline_verbs for t in span) or (
                    rule.cls == "Person" and any(t.tag_ == "VBZ" and t.pos_ == "VERB"
                                                 for t in span)):
                continue  # "Vietnam Sign Land Border Treaty", "Minister Completes Week …":
                # a headline, not a name
            else:
                entry = self.gazetteer.find(span.text)
                cls = self.names.refined(rule.cls, [t.lower_ for t in span])
                value = (EntityRef(entry.key, entry.cls, entry.label) if entry
                         else EntityRef(slug(span.text), cls, span.text, "rule"))
            out.append(EntityToken(first, last, value.cls, [value], rule=rule.id))
        return out


def _ruler_patterns(gazetteer: Gazetteer, concepts: Iterable[Concept],
                    words: Callable[[str], list[str]]) -> list[dict]:
    patterns: list[dict] = []

    for entry in gazetteer:
        for name in entry.names():
            patterns.append({"label": entry.cls, "pattern": name, "id": entry.key})
        for name in entry.demonym_forms():
            patterns.append({"label": "Demonym", "pattern": name, "id": entry.key})
    for concept in concepts:
        names = list(concept.names)
        if concept.cls == "PostKind":  # "Senators Levin and Reid", "the Foreign Ministers"
            names += [plural for name in names if (plural := _plural_title(name)) != name]
        for name in names:
            tokens = [{"LOWER": word} for word in words(name)]
            patterns.append({"label": concept.cls, "pattern": tokens, "id": concept.iri})
    return patterns


# Lower-case words inside personal names ("José de Freitas", "Ursula von der Leyen")
NAME_PARTICLES = {"de", "da", "do", "dos", "das", "del", "della", "di", "du", "van", "von",
                  "der", "den", "la", "le", "bin", "al", "ibn"}


def _currency_mark(span: Span) -> bool:
    """Whether a short capitalised name marks a currency: "US $150 million", "A$ 2 billion"."""
    doc = span.doc
    return span.end < len(doc) and doc[span.end].text == "$" and span.text.isupper() and len(
        span.text.replace(".", "")) <= 3


# Two words that are one noun: "the Consulate General of India", "the Consulate-General" (the
# parser makes "General" the head, and the consulate a modifier of it)
COMPOUND_WORDS = {("consulate", "general"): "consulate-general"}


def _compound_words(doc: Doc, taken: Set[int]) -> list[tuple[int, int, str]]:
    """(start, end, lemma) of each two-word noun outside the entities."""
    out: list[tuple[int, int, str]] = []
    for token in doc[:-1]:
        hyphen = token.i + 2 < len(doc) and doc[token.i + 1].text == "-"
        end = token.i + (3 if hyphen else 2)
        lemma = COMPOUND_WORDS.get((token.lower_, doc[end - 1].lower_))
        if lemma and not set(range(token.i, end)) & taken and (
                not out or out[-1][1] <= token.i):
            out.append((token.i, end, lemma))
    return out


def _glued_tail(doc: Doc, end: int) -> bool:
    """A hyphen and a word glued to the end of a name ("Min" "-" "soon")."""
    last, dash, word = doc[end - 1], doc[end], doc[end + 1]
    return (dash.text == "-" and not last.whitespace_ and not dash.whitespace_
            and word.is_alpha and word.lower_ not in ("based", "led", "born", "era", "style"))


def _plural_title(title: str) -> str:
    """A title in the plural: its head noun takes the ending ("ministers of foreign affairs",
    "consuls general", "under-secretaries-general", "prime ministers"); a title of several
    nouns ("ambassador extraordinary and plenipotentiary") or already in -s stays as it is."""
    words = title.split(" ")
    head = next((i - 1 for i, w in enumerate(words) if w in ("of", "for") and i), len(words) - 1)
    if words[head] == "general" and head:
        head -= 1
    if "and" in words or words[head].endswith("s"):
        return title
    if words[head].endswith("-general"):
        words[head] = _plural_word(words[head][:-len("-general")]) + "-general"
    else:
        words[head] = _plural_word(words[head])
    return " ".join(words)


def _plural_word(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    return word + "s"


def _one_place(doc: Doc, entity: EntityToken) -> None:
    """A name stands where its first word stands: the parser may hang a later word of it
    elsewhere ("welcome X to Washington, D.C.": "D.C." on the verb), and the merged name would
    then lose its place ("to Washington")."""
    inside = range(entity.start, entity.end)
    outward = [t for t in doc[entity.start:entity.end] if t.head.i not in inside]
    if len(outward) < 2 or any(t.head is t for t in outward):
        return
    first = outward[0]
    for token in outward[1:]:
        if token not in first.ancestors:
            token.head = first
            token.dep_ = "appos" if token.dep_ == "punct" else token.dep_


def _verbs_read_as_adjectives(doc: Doc) -> None:
    """"Egypt's President X hosted Turkish President Y in Cairo": between two long names the
    model may read the sentence's verb as an adjective of the second name and make that name
    the root. A past or present verb that has its own subject, hung as an adjective on a
    name that roots the sentence, is the root, and the name its object."""
    for token in doc:
        root = token.head
        while root.dep_ == "compound" and root.head.i > root.i:  # "Turkish President Y"
            root = root.head
        if token.tag_ in ("VBD", "VBZ", "VBP") and token.dep_ == "amod" and (
                root.dep_ == "ROOT" and root.pos_ == "PROPN" and root.i > token.i) and any(
                c.dep_ == "nsubj" for c in token.children):
            token.head, token.dep_ = token, "ROOT"
            root.head, root.dep_ = token, "dobj"
            for child in [c for c in root.children if c.dep_ == "prep" and c.i > root.i]:
                child.head = token  # "in Cairo on 14 February": where and when it happened


def _names_read_as_clauses(doc: Doc) -> None:
    """"President Ruto welcomed Prime Minister Modi to Nairobi": the model may read the name
    after a verb as a clause of its own. A proper noun hung on a verb as a clausal complement,
    with no subject, auxiliary or verb of its own, is the verb's object."""
    for token in doc:
        if token.dep_ == "ccomp" and token.pos_ == "PROPN" and token.head.pos_ == "VERB" and (
                token.i > token.head.i) and not any(
                c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "cop", "mark")
                or c.pos_ in ("VERB", "AUX") for c in token.children) and not any(
                c.dep_ == "dobj" for c in token.head.children):
            token.dep_ = "dobj"


def _hang_on_first(doc: Doc, group: list[EntityToken]) -> None:
    """A list ("the UN, the AU and the Commonwealth") stands where its first name stands: the
    parser may hang later names on the word governing the list ("member … the AU"), and the
    merged token would then take their place in the tree instead of the first one's."""
    if len(group) < 2:
        return
    first = doc[group[0].start:group[0].end].root
    inside = range(group[0].start, group[-1].end)
    for entity in group[1:]:
        root = doc[entity.start:entity.end].root
        if root.head.i not in inside and root not in first.ancestors and root is not first:
            root.head = first
            root.dep_ = "conj"


def _person_by_title(entity: EntityToken, doc: Doc, titles: set[int]) -> EntityToken:
    """A name the model took for an organisation or a place is a person when a title of a post
    names it: "the President of Ghana, Nana Akufo-Addo" (in apposition either way), "President
    Akufo-Addo" (right after the title)."""
    value = entity.values[0] if entity.values else None
    if entity.cls not in ("Organization", "Place") or not isinstance(value, EntityRef) or (
            value.origin != "model") or titles & set(range(entity.start, entity.end)) or (
            doc[entity.end - 1].lower_ in _BODY_WORDS):  # "Premier League" names no premier
        return entity
    if entity.start > 1 and doc[entity.start - 1].lower_ == "of" and (
            doc[entity.start - 2].ent_type_ == "PERSON"):
        return entity  # "Lord Ahmad of Wimbledon, Minister …": the place of his peerage
    root = doc[entity.start:entity.end].root
    before = entity.start - 1
    while before >= 0 and doc[before].lower_.rstrip(".") in _TITLE_WORDS:
        before -= 1
    titled = titles | {t.i for t in doc if t.lower_ in _PERSON_NOUNS}  # "her counterpart X"
    titled_name = (root.dep_ == "appos" and root.head.i in titled) or before in titled or any(
        c.dep_ == "appos" and c.i in titled for c in root.children) or (
        before > 0 and doc[before].text == "," and before - 1 in titled)  # "the Minister, X"
    if not titled_name:
        return entity
    person = EntityRef(value.key, "Person", value.label, "model")
    return EntityToken(entity.start, entity.end, "Person", [person], entity.priority, entity.rule)


_BODY_WORDS = {"league", "cup", "party", "club", "council", "union", "company", "bank",
               "group", "university", "college", "school", "association", "federation",
               "committee", "commission", "office", "ministry", "department", "agency"}
# Nouns that stand for a person holding an office without naming it.
_PERSON_NOUNS = {"counterpart", "counterparts"}
_TITLE_WORDS = {"mr", "mrs", "ms", "dr", "h.e", "he", "hon", "his", "her", "excellency"}


def _named_after_title_state(doc: Doc, found: list[EntityToken], titles: Set[int],
                             gazetteer: Gazetteer) -> list[EntityToken]:
    """"the Minister of Foreign Affairs of the People's Republic of China Wang Yi": the
    capitalised names right after the state a title's tail ends in (with no comma between, or
    one) are its holder (the model reads the whole run as one organisation, or as none)."""
    out = []
    for state in found:
        if state.cls != "State" or state.start < 2 or doc[state.start - 1].lower_ not in (
                "of", "the", "to"):  # "the Ambassador of Brazil to Japan, X"
            continue
        start = state.end + (state.end < len(doc) and doc[state.end].text == ",")
        end = start
        while end < len(doc) and end - start < 6 and (
                doc[end].pos_ == "PROPN" and doc[end].is_title and doc[end].is_alpha or (
                    doc[end].text == "-" and end + 1 < len(doc) and doc[end + 1].is_title
                    and not doc[end].whitespace_)):  # "Akufo-Addo"
            end += 1
        if end - start < 2 or end < len(doc) and doc[end].is_title or any(
                e.cls != "Person" and e.start < end and start < e.end and (
                    e.values and getattr(e.values[0], "origin", "") != "model")
                for e in found):
            continue  # "the President of France, Germany and Italy": no name follows
        sentence = sentence_of(doc[state.start]).start
        before = range(max(sentence, state.start - 14), state.start)
        title = next((i for i in reversed(before) if i in titles), None)
        if title is None or any(doc[k].text in (",", ";", "(") or doc[k].pos_ == "VERB"
                                for k in range(title, state.start)):
            continue
        out.append(EntityToken(start, end, "Person", [_person_named(
            gazetteer, doc[start:end].text, "rule")], rule="person-after-title-state"))
    return out


def _person_named(gazetteer: Gazetteer, name: str, origin: str) -> EntityRef:
    """The gazetteer's person of that name, else a new one."""
    entry = gazetteer.find(name)
    return EntityRef(entry.key, entry.cls, entry.label) if entry and entry.cls == "Person" \
        else EntityRef(slug(name), "Person", name, origin)


def _without_overlaps(candidates: list[EntityToken]) -> list[EntityToken]:
    """Keep the best of overlapping entities: longer, then higher priority, then earlier.

    Longest first lets "Ankara Yildirim Beyazit University" win over the city "Ankara";
    priority settles equal spans, so a gazetteer name beats a rule's guess at the same words.
    """
    chosen: list[EntityToken] = []
    used: set[int] = set()
    for entity in sorted(candidates, key=lambda e: (e.start - e.end, -e.priority, e.start)):
        tokens = set(range(entity.start, entity.end))
        if not tokens & used:
            chosen.append(entity)
            used |= tokens
    return sorted(chosen, key=lambda e: e.start)


def _coordinated(doc: Doc, entities: list[EntityToken]) -> list[list[EntityToken]]:
    """Group entities joined only by ',', 'and', 'or', 'the' or '-' into lists of one class. A
    list ends with its "and": "After the earthquake in Turkey and Syria, the United States sent
    aid" holds the list "Turkey and Syria" and a subject after it."""
    groups: list[list[EntityToken]] = []
    closed = False  # whether the last group's "and" or "or" came already
    for entity in entities:
        if groups and _joins(doc, groups[-1][-1], entity):
            between = {t.lower_ for t in doc[groups[-1][-1].end:entity.start]}
            if not (closed and not between & {"and", "or"}):
                groups[-1].append(entity)
                closed = closed or bool(between & {"and", "or"})
                continue
        groups.append([entity])
        closed = False
    return groups


def _joins(doc: Doc, left: EntityToken, right: EntityToken) -> bool:
    if _family(left.cls) != _family(right.cls) or left.cls in ("Date", "PostKind"):
        return False  # each title its holder
    between = [t.text.lower() for t in doc[left.end:right.start]]
    if left.cls != right.cls and between == [","] and any(
            v.origin == "model" for e in (left, right) for v in e.values
            if isinstance(v, EntityRef)):
        return False  # "the United Nations, Gerhard Pfanzelter": the model's guess at a body
    if left.cls == "Demonym":  # "Turkish-Kazakh"
        return between == ["-"]
    return bool(between) and all(w in _LIST_WORDS for w in between) and (
        "," in between or "and" in between or "or" in between)


def _family(cls: str) -> str:
    """Classes a list may mix: "ECOWAS, the Commonwealth and the African Union" are bodies."""
    return "Organization" if cls in ("Organization", "IntergovernmentalOrganization") else cls


def _surnames_told(doc: Doc, entities: list[EntityToken]) -> list[EntityToken]:
    """"Ruto's two-day visit" after "President William Ruto": a surname the model left unnamed,
    after the one person named in full before it whose name it ends, is that person."""
    taken = {i for e in entities for i in range(e.start, e.end)}
    people = sorted((e.start, v) for e in entities for v in e.values
                    if isinstance(v, EntityRef) and v.cls == "Person" and len(v.label.split()) > 1)
    out = list(entities)
    for token in doc:
        if token.i in taken or token.pos_ != "PROPN" or not token.is_title or len(token) < 3:
            continue
        told = {v.key: v for start, v in people if start < token.i
                and v.label.split()[-1] == token.text}
        if len(told) == 1:
            out.append(EntityToken(token.i, token.i + 1, "Person", list(told.values()),
                                   rule="surname-told"))
    return sorted(out, key=lambda e: e.start)


def _same_people(entities: list[EntityToken]) -> list[EntityToken]:
    """'Abe' is the 'Shinzo Abe' the document names in full: a person named by part of a name
    becomes the one person of the document whose full name ends with (or holds) those words."""
    full: dict[str, EntityRef] = {}
    for entity in entities:
        for value in entity.values:
            if isinstance(value, EntityRef) and value.cls == "Person":
                full.setdefault(value.key, value)
    words = {key: fold(ref.label).replace(".", " ").split() for key, ref in full.items()}
    for entity in entities:
        for i, value in enumerate(entity.values):
            if not (isinstance(value, EntityRef) and value.cls == "Person"):
                continue
            short = words[value.key]
            longer = {key for key, long in words.items() if len(long) > len(short)
                      and long[-len(short):] == short}
            if not longer and len(short) == 1:  # "Boric" of "Gabriel Boric Font": a surname
                longer = {key for key, long in words.items()  # that is not the last word
                          if len(long) > 2 and short[0] in long[1:-1]}
            if not longer and len(short) == 1:  # "Mr. Ban" of "Ban Ki-moon": a family name
                longer = {key for key, long in words.items()  # written first
                          if len(long) > 1 and long[0] == short[0]}
            if not longer and len(short) >= 2:  # "Piper Anne Wind" of "Piper Anne Wind
                longer = {key for key, long in words.items()  # Campbell": a name cut short
                          if len(long) > len(short) and long[:len(short)] == short}
            if len(longer) == 1:
                entity.values[i] = full[longer.pop()]
    return entities


def _goes_on_naming(doc: Doc, end: int) -> bool:
    """Whether the words after "the treaty" or "the organization" make it part of a name or a
    new description ("the Organization of American States", "the treaty between X and Y")."""
    if end >= len(doc):
        return False
    after = doc[end]
    if after.lower_ == "for" and end + 2 < len(doc) and (
            doc[end + 1].lower_ in SPAN_DETERMINERS and doc[end + 2].lower_ in SPANS_OF_TIME):
        return False  # "the 15-member body for the month": a time, not which body
    return after.lower_ in ("of", "for", "on", "between", "to", "among", "with") or (
        after.is_title and after.pos_ == "PROPN") or after.ent_type_ != ""


SPAN_DETERMINERS = {"the", "this", "that", "a"}
SPANS_OF_TIME = {"month", "year", "week", "day", "term", "period"}


ACRONYM = re.compile(r"^[A-Z]{2,6}$")
NOT_INITIALS = {"of", "the", "and", "for", "on", "in", "de", "du", "des", "&"}


def _acronyms(entities: list[EntityToken]) -> list[EntityToken]:
    """'SEATO' is the 'Southeast Asia Treaty Organization' the document names in full: an
    unknown all-capital name becomes the one named thing of the document it abbreviates."""
    named: dict[str, EntityRef] = {}
    for entity in entities:
        for value in entity.values:
            if isinstance(value, EntityRef) and not value.is_concept and value.cls not in (
                    "Person", "Date"):
                named.setdefault(value.key, value)
    words = {key: [w.lower() for w in ref.label.replace("-", " ").split()
                   if w.lower() not in NOT_INITIALS]
             for key, ref in named.items()}
    words = {key: w for key, w in words.items() if len(w) >= 2
             and all(x[:1].isupper() for x in named[key].label.replace("-", " ").split()
                     if x.lower() not in NOT_INITIALS)}
    for entity in entities:
        for i, value in enumerate(entity.values):
            if isinstance(value, EntityRef) and value.origin in ("model", "rule") and (
                    ACRONYM.match(value.label)):
                meant = {key for key, w in words.items() if key != value.key
                         and _abbreviates(value.label.lower(), w)}
                if len(meant) == 1:
                    entity.values[i] = named[meant.pop()]
    return entities


def _abbreviates(acronym: str, words: list[str]) -> bool:
    """Whether each word gives the acronym its first letter and maybe more of its letters, in
    order: "seato" of "southeast asia treaty organization"."""
    if not words:
        return not acronym
    if not acronym or acronym[0] != words[0][0]:
        return False
    rest = words[0][1:]
    for taken in range(len(acronym)):  # letters this word gives beyond its first
        if taken and (acronym[taken] not in rest):
            return False
        if taken:
            rest = rest[rest.index(acronym[taken]) + 1:]
        if _abbreviates(acronym[taken + 1:], words[1:]):
            return True
    return False


def _told_in_past_after(span: Span, mention: DateMention, anchor: PartialDate) -> bool:
    """A day and month the document's year would put after the document's own date, told in
    the past tense ("Kishida travelled to Manila on November 3" in a May article): last year's."""
    if not mention.anchored or mention.first.day is None or anchor.month is None or not (
            mention.first.year == anchor.year and (mention.first.month, mention.first.day)
            > (anchor.month, anchor.day or 31)):
        return False
    verb = span.root
    for _ in range(6):  # bounded: the verb the date's phrase hangs on
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    helpers = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(h.lower_ in ("will", "shall", "'ll", "to") or h.tag_ == "MD" for h in helpers):
        return False
    return verb.tag_ == "VBD" or (verb.tag_ == "VBN" and any(
        h.lower_ in ("had", "has", "have", "was", "were") for h in helpers))


def _year_before(date: PartialDate) -> PartialDate:
    try:
        return PartialDate(date.year - 1, date.month, date.day)
    except ValueError:  # 29 February of a leap year: the year before has none
        return date
