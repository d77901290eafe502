"""SPARQL: parse, execute (one executor with deadline and caps), worker processes, stores."""
