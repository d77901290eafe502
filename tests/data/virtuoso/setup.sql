-- What a deployer of diplo-kg's remote store runs once on a new Virtuoso (isql-vt as dba).
-- Writes through the SPARQL endpoint (/sparql) and its Graph Store (/sparql-graph-crud):
-- keep Virtuoso on a private network that only the kg serve processes reach.
GRANT SPARQL_UPDATE TO "SPARQL";
-- Virtuoso's own graphs (its quad-map schema, LDP terms, service description) are private,
-- so the union default graph and the graph list hold only the data.
DB.DBA.RDF_GRAPH_GROUP_CREATE ('http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs', 1);
DB.DBA.RDF_GRAPH_GROUP_INS ('http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs', 'http://www.openlinksw.com/schemas/virtrdf#');
DB.DBA.RDF_GRAPH_GROUP_INS ('http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs', 'http://www.w3.org/ns/ldp#');
DB.DBA.RDF_GRAPH_GROUP_INS ('http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs', 'http://localuriqaserver/sparql');
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 0, 1);
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);
