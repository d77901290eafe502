"""What the words around an event trigger say (extract/events.py): the reading a neighbour gives
it ("lifted sanctions" is a RETREAT, "hit X with sanctions" a SANCTION), whether the text states
it, promises it or refuses it ("will impose", "will not withdraw"), or states nothing (negated,
hedged, denied, called false), and what it is the content of ("threatened to impose sanctions").
The words come from data (inputs/event_rules.py)."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.frames import UNREAL_MODIFIERS, governing_verb
from kg.extract.sentences import sentence_of
from kg.inputs.event_rules import EventLexicon, Reading

NEGATIONS = {"not", "n't", "never", "no", "nothing"}
SUBJECTS = {"nsubj", "nsubjpass", "csubj", "expl"}
# prepositions whose object can turn a trigger: "targeted X with sanctions", "the closure of
# the consulate", "sent tanks to the border"
NEAR_PREPOSITIONS = ("with", "as", "of", "to", "toward", "towards", "from")


def turned(trigger: Token, lexicon: EventLexicon) -> Reading | None:
    """The reading a word next to the trigger gives it ("lifted sanctions": a RETREAT, "hit
    Russia with sanctions": a SANCTION), else the first kind of dependent in the table it has
    ("dep:dobj": "demonstrated its resolve" is no protest)."""
    table = lexicon.turned.get(trigger.lemma_.lower(), {})
    if not table:
        return None
    verb = governing_verb(trigger)
    near = [*trigger.children, *([verb] if verb is not None else [])]
    if verb is not None and trigger.dep_ == "dobj" and trigger.head.i == verb.i:
        # the parser hangs the noun's phrase on its verb: "repeated calls for X to …",
        # "held exercises with X", "opened fire at X"
        near += [c for c in verb.children if c.dep_ == "prep"]
    if trigger.dep_ in ("acl", "relcl"):
        near.append(trigger.head)  # "duties targeting US goods", "sanctions targeting X"
    near += [g for c in trigger.children if c.dep_ in ("amod", "compound")
             for g in c.children if g.dep_ in ("amod", "compound")]  # "joint naval exercises"
    near += [g for c in trigger.children if c.dep_ in ("prep", "dative")
             and c.lower_ in NEAR_PREPOSITIONS
             for g in c.children if g.dep_ == "pobj"]  # "targeted X with sanctions"
    # what an amount or a crowd is of: "sent $1 billion in arms", "hundreds of demonstrators"
    near += [g for c in trigger.children if c.dep_ in ("dobj", "nsubj", "nsubjpass")
             for p in c.children if p.dep_ == "prep" and p.lower_ in ("in", "of")
             for g in p.children if g.dep_ == "pobj"]
    # "pulled out of the summit": the object of a preposition after a particle
    near += [g for c in trigger.children if c.lower_ in ("out", "back") for p in c.children
             if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"]
    near += [c for t in list(near) if t.pos_ in ("NOUN", "PROPN") for c in t.conjuncts
             if c.pos_ in ("NOUN", "PROPN")]  # "equipment and arms"
    found = next((table[w] for t in near for w in (t.lemma_.lower(), t.lower_) if w in table),
                 None)  # a lemma, or the word as written ("arms" is no plural of "arm" here)
    deps = {"dep:" + c.dep_ for c in trigger.children}
    return found or next((reading for key, reading in table.items() if key in deps), None)


def stated_as(trigger: Token, lexicon: EventLexicon) -> str | None:
    """"stated", "future" (promised, planned, conditional), "refused" (negated and to come:
    "will not withdraw") or None (negated, hedged, denied)."""
    if any(a.lemma_.lower() in lexicon.denials or _called_false(a, lexicon)
           for a in within(trigger)) or any(
            c.dep_ == "neg" for a in _governors(trigger) for c in a.children):
        return None  # nor under a negated word ("would not call for punishing sanctions")
    chain = [trigger]
    verb = governing_verb(trigger)
    if verb is not None and verb.i != trigger.i:
        chain.append(verb)
    while chain[-1].dep_ in ("xcomp", "ccomp") and chain[-1].head.i != chain[-1].i and (
            chain[-1].dep_ == "xcomp" or chain[-1].head.lemma_.lower() in lexicon.hedges) or (
            _intended(chain[-1], lexicon)):
        chain.append(chain[-1].head)  # "vowed to retaliate", "expected that … would"
    future = refused = False
    for token in chain:
        for child in token.children:
            word = child.lower_
            if child.dep_ == "neg" or word in NEGATIONS and child.dep_ in ("det", "advmod"):
                if token.i != trigger.i or child.dep_ != "neg":
                    return None
                refused = True  # "will not withdraw" refuses; "did not withdraw" is nothing
            if child.dep_ in ("aux", "mark", "advmod") and word in lexicon.hedges:
                return None
            if child.dep_ == "aux" and word in lexicon.future_auxiliaries:
                future = True
            if child.dep_ == "mark" and word in ("if", "unless"):
                future = True  # a condition: the act is to come, if at all
            if token.i == trigger.i and child.dep_ in ("amod", "compound") and (
                    word in UNREAL_MODIFIERS):
                future = True  # "the planned withdrawal", "possible sanctions"
        if token.i != trigger.i:
            lemma = token.lemma_.lower()
            if lemma in lexicon.hedges:
                return None
            if lemma in lexicon.promising_verbs and not (
                    token.i == chain[1].i and trigger.lemma_.lower() in lexicon.said):
                future = True  # but "offered condolences" says them
    if refused:
        return "refused" if future else None
    return "future" if future else "stated"


def _governors(trigger: Token) -> list[Token]:
    """The words a trigger is the complement of, up to a clause of its own: "would not call
    for punishing sanctions" (not the verb of an adjunct: "would not go, accusing the US" is an
    accusation)."""
    out: list[Token] = []
    token = trigger
    while token.dep_ not in ADJUNCTS and token.head.i != token.i:
        token = token.head
        out.append(token)
    return out


ADJUNCTS = {"advcl", "conj", "parataxis", "relcl", "ccomp", "appos", "ROOT"}


def _intended(verb: Token, lexicon: EventLexicon) -> bool:
    """Whether a verb is the infinitive of a noun of intent: "Russia's plan to invade
    Ukraine", "the threat to attack" (the act is to come, as after "planned to")."""
    return verb.dep_ == "acl" and verb.head.pos_ == "NOUN" and (
        verb.head.lemma_.lower() in lexicon.promising_verbs) and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _called_false(word: Token, lexicon: EventLexicon) -> bool:
    """Whether a word the trigger depends on is called false: "a report termed baseless",
    "termed as baseless a news report that …", "dismissed as unfounded claims that …"."""
    near = [c for c in word.children if c.dep_ in ("amod", "acomp", "oprd", "advmod")]
    near += [g for c in word.children if c.dep_ == "prep" for g in c.children
             if g.dep_ in ("pobj", "amod", "acomp")]
    return any(t.lemma_.lower() in lexicon.false_words for t in near)

def within(trigger: Token) -> list[Token]:
    """The trigger's ancestors inside its own sentence, up to a coordinated clause with a
    subject of its own: that is an act of its own ("X expelled Y's envoy, and Y responded by
    expelling X's"), not the content of the first (as "threatened to impose sanctions and
    freeze assets" is)."""
    sentence = sentence_of(trigger)
    out: list[Token] = []
    token = trigger
    while token.head.i != token.i and sentence.start <= token.head.i < sentence.end:
        if token.dep_ == "conj" and any(c.dep_ in SUBJECTS for c in token.children):
            break
        if token.dep_ == "advcl" and token.tag_ == "VBG":
            break  # "would not attend, accusing the US": an act of its own, not the content
        if token.dep_ == "conj" and token.head.pos_ == "VERB":
            # a second verb of the same subject is the content of what its first verb is the
            # content of ("threatened to impose sanctions and expel"), not of the first verb
            # ("warned of sanctions and criticized Russia": two acts)
            token = token.head
            continue
        token = token.head
        out.append(token)
    return out
