"""A deterministic LUBM data generator following the rules of the benchmark's UBA 1.7.

The Lehigh University Benchmark (Guo, Pan, Heflin, J. Web Semantics 3(2), 2005) generates its
data with UBA; the ranges below are UBA's. The output uses UBA's IRIs and univ-bench terms, so
it joins with univ-bench.owl and runs the 14 queries. It is not byte-identical to UBA's (another
random generator), but one university has UBA's shape and size (about 100k triples).

    python bench/lubm.py --universities 1 -o build/lubm-1.nt
    python bench/lubm.py --universities 1 --departments 1 -o build/lubm-d1.nt
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path

UB = "http://www.lehigh.edu/~zhp2/2004/0401/univ-bench.owl#"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# UBA 1.7's ranges (inclusive).
DEPARTMENTS = (15, 25)
FACULTY = {"FullProfessor": (7, 10), "AssociateProfessor": (10, 14),
           "AssistantProfessor": (8, 11), "Lecturer": (5, 7)}
PUBLICATIONS = {"FullProfessor": (15, 20), "AssociateProfessor": (10, 18),
                "AssistantProfessor": (5, 10), "Lecturer": (0, 5)}
UNDERGRADUATES_PER_FACULTY = (8, 14)
GRADUATES_PER_FACULTY = (3, 4)
COURSES_PER_FACULTY = (1, 2)  # undergraduate courses, and as many graduate courses
RESEARCH_GROUPS = (10, 20)
UNDERGRADUATE_COURSES = (2, 4)
GRADUATE_COURSES = (1, 3)
GRADUATE_PUBLICATIONS = (0, 5)  # co-authored with faculty
UNDERGRADUATE_ADVISED_ONE_IN = 5
TEACHING_ASSISTANT_ONE_IN = (4, 5)
RESEARCH_ASSISTANT_ONE_IN = (3, 4)
RESEARCH_INTERESTS = 30
UNIVERSITY_POOL = 1000  # degrees come from any of 1000 universities


def iri(value: str) -> str:
    return f"<{value}>"


def literal(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Generator:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.universities_seen: set[int] = set()

    def between(self, bounds: tuple[int, int]) -> int:
        return self.random.randint(*bounds)

    def university(self, number: int) -> str:
        return f"http://www.University{number}.edu"

    def degree(self) -> str:
        number = self.random.randrange(UNIVERSITY_POOL)
        self.universities_seen.add(number)
        return self.university(number)

    def generate(self, universities: int, departments: int | None) -> Iterator[str]:
        for u in range(universities):
            self.universities_seen.add(u)
            university = self.university(u)
            yield self.triple(university, UB + "name", literal(f"University{u}"))
            count = departments if departments is not None else self.between(DEPARTMENTS)
            for d in range(count):
                yield from self.department(u, d, university)
        for number in sorted(self.universities_seen):
            yield self.triple(self.university(number), TYPE, iri(UB + "University"))

    def triple(self, s: str, p: str, o: str) -> str:
        return f"<{s}> <{p}> {o} .\n"

    def person(self, node: str, kind: str, name: str, dept: str) -> Iterator[str]:
        domain = dept.removeprefix("http://www.")
        yield self.triple(node, TYPE, iri(UB + kind))
        yield self.triple(node, UB + "name", literal(name))
        yield self.triple(node, UB + "emailAddress", literal(f"{name}@{domain}"))
        yield self.triple(node, UB + "telephone", literal("xxx-xxx-xxxx"))

    def department(self, u: int, d: int, university: str) -> Iterator[str]:
        t = self.triple
        dept = f"http://www.Department{d}.University{u}.edu"
        yield t(dept, TYPE, iri(UB + "Department"))
        yield t(dept, UB + "name", literal(f"Department{d}"))
        yield t(dept, UB + "subOrganizationOf", iri(university))
        for g in range(self.between(RESEARCH_GROUPS)):
            group = f"{dept}/ResearchGroup{g}"
            yield t(group, TYPE, iri(UB + "ResearchGroup"))
            yield t(group, UB + "subOrganizationOf", iri(dept))

        faculty: list[tuple[str, str]] = []
        courses: list[str] = []
        graduate_courses: list[str] = []
        for kind, bounds in FACULTY.items():
            for i in range(self.between(bounds)):
                node = f"{dept}/{kind}{i}"
                faculty.append((node, kind))
                yield from self.person(node, kind, f"{kind}{i}", dept)
                yield t(node, UB + "worksFor", iri(dept))
                yield t(node, UB + "researchInterest",
                        literal(f"Research{self.random.randrange(RESEARCH_INTERESTS)}"))
                for degree in ("undergraduateDegreeFrom", "mastersDegreeFrom",
                               "doctoralDegreeFrom"):
                    yield t(node, UB + degree, iri(self.degree()))
                for catalogue, kind_name in ((courses, "Course"),
                                             (graduate_courses, "GraduateCourse")):
                    for _ in range(self.between(COURSES_PER_FACULTY)):
                        course = f"{dept}/{kind_name}{len(catalogue)}"
                        catalogue.append(course)
                        yield t(course, TYPE, iri(UB + kind_name))
                        yield t(course, UB + "name", literal(f"{kind_name}{len(catalogue) - 1}"))
                        yield t(node, UB + "teacherOf", iri(course))
        head = self.random.choice([n for n, kind in faculty if kind == "FullProfessor"])
        yield t(head, UB + "headOf", iri(dept))
        professors = [n for n, kind in faculty if kind != "Lecturer"]

        publications: list[str] = []
        for node, kind in faculty:
            for i in range(self.between(PUBLICATIONS[kind])):
                publication = f"{node}/Publication{i}"
                publications.append(publication)
                yield t(publication, TYPE, iri(UB + "Publication"))
                yield t(publication, UB + "name", literal(f"Publication{i}"))
                yield t(publication, UB + "publicationAuthor", iri(node))

        undergraduates = len(faculty) * self.between(UNDERGRADUATES_PER_FACULTY)
        for i in range(undergraduates):
            node = f"{dept}/UndergraduateStudent{i}"
            yield from self.person(node, "UndergraduateStudent", f"UndergraduateStudent{i}", dept)
            yield t(node, UB + "memberOf", iri(dept))
            for course in self.random.sample(courses, min(len(courses),
                                                          self.between(UNDERGRADUATE_COURSES))):
                yield t(node, UB + "takesCourse", iri(course))
            if self.random.randrange(UNDERGRADUATE_ADVISED_ONE_IN) == 0:
                yield t(node, UB + "advisor", iri(self.random.choice(professors)))

        graduates = len(faculty) * self.between(GRADUATES_PER_FACULTY)
        assistant_one_in = self.between(TEACHING_ASSISTANT_ONE_IN)
        research_one_in = self.between(RESEARCH_ASSISTANT_ONE_IN)
        for i in range(graduates):
            node = f"{dept}/GraduateStudent{i}"
            yield from self.person(node, "GraduateStudent", f"GraduateStudent{i}", dept)
            yield t(node, UB + "memberOf", iri(dept))
            yield t(node, UB + "undergraduateDegreeFrom", iri(self.degree()))
            yield t(node, UB + "advisor", iri(self.random.choice(professors)))
            for course in self.random.sample(graduate_courses,
                                             min(len(graduate_courses),
                                                 self.between(GRADUATE_COURSES))):
                yield t(node, UB + "takesCourse", iri(course))
            if self.random.randrange(assistant_one_in) == 0:
                yield t(node, TYPE, iri(UB + "TeachingAssistant"))
                yield t(node, UB + "teachingAssistantOf", iri(self.random.choice(courses)))
            if self.random.randrange(research_one_in) == 0:
                yield t(node, TYPE, iri(UB + "ResearchAssistant"))
            for publication in self.random.sample(publications, min(
                    len(publications), self.between(GRADUATE_PUBLICATIONS))):
                yield t(publication, UB + "publicationAuthor", iri(node))


def generate(universities: int, seed: int = 0, departments: int | None = None) -> Iterator[str]:
    """N-Triples lines of a LUBM data set: `universities` universities, each with UBA's random
    number of departments (or exactly `departments`)."""
    return Generator(seed).generate(universities, departments)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--universities", type=int, default=1)
    parser.add_argument("--departments", type=int, default=None,
                        help="departments per university (default: UBA's 15-25 at random)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path, default=None, help="default: stdout")
    args = parser.parse_args(argv)
    lines = generate(args.universities, args.seed, args.departments)
    if args.output is None:
        sys.stdout.writelines(lines)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        with args.output.open("w", encoding="utf-8") as out:
            out.writelines(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
