// fetch-sparql-endpoint (npm) used as its README shows, for tests/test_clients.py:
//   node fetch-sparql.cjs ENDPOINT QUERY [GET|POST|direct] [TOKEN]
// prints one JSON line: {"kind", "result"}; bindings and triples as plain strings (RDF terms
// in N-Triples-like form from rdf-string), ASK as a boolean, an update as "done".
// Exit 1 with the client's error message on stderr when the endpoint refuses.
"use strict";

const { SparqlEndpointFetcher } = require("fetch-sparql-endpoint");
const { termToString } = require("rdf-string");

const [endpoint, query, method = "POST", token] = process.argv.slice(2);

const defaultHeaders = new Headers();
if (token) defaultHeaders.append("Authorization", `Bearer ${token}`);
const fetcher = new SparqlEndpointFetcher({
  method: method === "GET" ? "GET" : "POST",
  directPost: method === "direct",
  defaultHeaders,
});

function collect(stream, convert) {
  return new Promise((resolve, reject) => {
    const out = [];
    stream.on("data", (item) => out.push(convert(item)));
    stream.on("error", reject);
    stream.on("end", () => resolve(out));
  });
}

async function run() {
  const kind = fetcher.getQueryType(query);
  if (kind === "SELECT") {
    const rows = await collect(await fetcher.fetchBindings(endpoint, query), (bindings) =>
      Object.fromEntries(Object.entries(bindings).map(([name, term]) => [name, termToString(term)])));
    return { kind, result: rows };
  }
  if (kind === "ASK") return { kind, result: await fetcher.fetchAsk(endpoint, query) };
  if (kind === "CONSTRUCT" || kind === "DESCRIBE") {
    const quads = await collect(await fetcher.fetchTriples(endpoint, query), (quad) =>
      [quad.subject, quad.predicate, quad.object].map(termToString));
    return { kind, result: quads };
  }
  await fetcher.fetchUpdate(endpoint, query);
  return { kind, result: "done" };
}

run().then(
  (answer) => process.stdout.write(JSON.stringify(answer) + "\n"),
  (error) => {
    process.stderr.write(String(error && error.message ? error.message : error) + "\n");
    process.exit(1);
  },
);
