"""Namespaces used across diplo-kg; nothing else lives here."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

DK = Namespace("https://w3id.org/diplo-kg/ontology#")
ONTOLOGY_IRI = "https://w3id.org/diplo-kg/ontology"
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

PREFIXES: dict[str, Namespace] = {
    "dk": DK,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "dct": Namespace(str(DCTERMS)),
    "prov": Namespace(str(PROV)),
    "nif": NIF,
    "itsrdf": ITSRDF,
    "wd": WD,
    "wdt": WDT,
    "sd": SD,
    "void": VOID,
}

__all__ = ["DCTERMS", "DK", "ITSRDF", "NIF", "ONTOLOGY_IRI", "OWL", "PREFIXES", "PROV", "RDF",
           "RDFS", "SD", "SKOS", "VOID", "WD", "WDT", "XSD"]
