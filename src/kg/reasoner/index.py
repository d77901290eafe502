"""The triple store the rules join against: two indexes per predicate, all ints.

``sp[p][s]`` is the set of objects and ``po[p][o]`` the set of subjects, so every rule body atom
with a known predicate is one or two dict look-ups. The per-term indexes that owl:sameAs
replacement needs (every triple of a subject, every triple of an object) cost an extra set per
term, so they are built only when the first owl:sameAs between two different terms shows up.
"""

from __future__ import annotations

from collections.abc import Iterator

Triple = tuple[int, int, int]
_EMPTY: frozenset[int] = frozenset()


class TripleStore:
    def __init__(self) -> None:
        self.sp: dict[int, dict[int, set[int]]] = {}
        self.po: dict[int, dict[int, set[int]]] = {}
        self.size = 0
        self.subject_predicates: dict[int, set[int]] | None = None
        self.object_predicates: dict[int, set[int]] | None = None

    def __len__(self) -> int:
        return self.size

    def __contains__(self, triple: Triple) -> bool:
        s, p, o = triple
        by_subject = self.sp.get(p)
        return by_subject is not None and o in by_subject.get(s, _EMPTY)

    def add(self, s: int, p: int, o: int) -> bool:
        """Add a triple; False if it was there already."""
        by_subject = self.sp.get(p)
        if by_subject is None:
            by_subject = self.sp[p] = {}
            self.po[p] = {}
        objects = by_subject.get(s)
        if objects is None:
            by_subject[s] = {o}
        elif o in objects:
            return False
        else:
            objects.add(o)
        by_object = self.po[p]
        subjects = by_object.get(o)
        if subjects is None:
            by_object[o] = {s}
        else:
            subjects.add(s)
        self.size += 1
        if self.subject_predicates is not None and self.object_predicates is not None:
            self.subject_predicates.setdefault(s, set()).add(p)
            self.object_predicates.setdefault(o, set()).add(p)
        return True

    def add_all(self, triples: list[Triple]) -> list[Triple]:
        """Add many triples; returns those that were new (in order, without repeats)."""
        sp, po, new = self.sp, self.po, []
        for t in triples:
            s, p, o = t
            by_subject = sp.get(p)
            if by_subject is None:
                by_subject = sp[p] = {}
                po[p] = {}
            objects = by_subject.get(s)
            if objects is None:
                by_subject[s] = {o}
            elif o in objects:
                continue
            else:
                objects.add(o)
            subjects = po[p].get(o)
            if subjects is None:
                po[p][o] = {s}
            else:
                subjects.add(s)
            new.append(t)
        self.size += len(new)
        if self.subject_predicates is not None and self.object_predicates is not None:
            for s, p, o in new:
                self.subject_predicates.setdefault(s, set()).add(p)
                self.object_predicates.setdefault(o, set()).add(p)
        return new

    def mentions(self, term: int) -> bool:
        """Whether term is the subject or object of a triple."""
        return any(term in by_subject for by_subject in self.sp.values()) or any(
            term in by_object for by_object in self.po.values())

    def objects(self, s: int, p: int) -> set[int] | frozenset[int]:
        by_subject = self.sp.get(p)
        return _EMPTY if by_subject is None else by_subject.get(s, _EMPTY)

    def subjects(self, p: int, o: int) -> set[int] | frozenset[int]:
        by_object = self.po.get(p)
        return _EMPTY if by_object is None else by_object.get(o, _EMPTY)

    def pairs(self, p: int) -> list[tuple[int, int]]:
        """Every (subject, object) of p, copied: callers add triples while they loop."""
        by_subject = self.sp.get(p)
        if by_subject is None:
            return []
        return [(s, o) for s, objects in by_subject.items() for o in objects]

    def first_object(self, s: int, p: int) -> int | None:
        for o in self.objects(s, p):
            return o
        return None

    def index_terms(self) -> None:
        """Start the per-term indexes (for eq-rep-s and eq-rep-o)."""
        if self.subject_predicates is not None:
            return
        subject_predicates: dict[int, set[int]] = {}
        object_predicates: dict[int, set[int]] = {}
        for p, by_subject in self.sp.items():
            for s in by_subject:
                subject_predicates.setdefault(s, set()).add(p)
            for o in self.po[p]:
                object_predicates.setdefault(o, set()).add(p)
        self.subject_predicates = subject_predicates
        self.object_predicates = object_predicates

    def with_subject(self, s: int) -> list[Triple]:
        assert self.subject_predicates is not None
        return [(s, p, o) for p in tuple(self.subject_predicates.get(s, ()))
                for o in self.sp[p].get(s, ())]

    def with_object(self, o: int) -> list[Triple]:
        assert self.object_predicates is not None
        return [(s, p, o) for p in tuple(self.object_predicates.get(o, ()))
                for s in self.po[p].get(o, ())]

    def __iter__(self) -> Iterator[Triple]:
        for p, by_subject in self.sp.items():
            for s, objects in by_subject.items():
                for o in objects:
                    yield s, p, o
