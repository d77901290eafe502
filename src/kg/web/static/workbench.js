/* The workbench's enhancement of the plain query form at /: YASGUI (bundled by `make assets`)
 * replaces the form, and this file ties it to this server. Nothing here reaches another host:
 * queries go to /sparql, entity completions to /api/search, and YASQE's LOV and prefix.cc
 * look-ups are switched off. */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("workbench-config").textContent);
  const form = document.getElementById("query-form");
  const host = document.getElementById("yasgui");
  const panel = document.getElementById("query-panel");
  const errorBox = document.getElementById("query-error");
  const tools = document.getElementById("result-tools");
  const downloads = document.getElementById("download-links");
  const copyStatus = document.getElementById("copy-status");
  const Yasgui = window.Yasgui;
  if (!Yasgui || !form || !host) return; // the plain form stays: it works on its own

  const endpoint = new URL(config.endpoint, window.location.href).href;
  const GRAPH_QUERIES = ["CONSTRUCT", "DESCRIBE"];
  const AUTO_WIDTH_CELLS = 2000;
  let errorLine = null;
  let currentExample = findExample(config.example);

  /* --- Where an IRI is served: the JavaScript twin of kg.web.links.Linker.href --- */
  function localHref(iri) {
    const ontologyNs = config.ontologyIri + "#";
    if (iri === config.ontologyIri) return "/ontology";
    if (iri.startsWith(ontologyNs)) {
      const local = iri.slice(ontologyNs.length);
      return "/ontology" + (local ? "#" + local : "");
    }
    if (iri.startsWith(config.baseIri)) return "/" + iri.slice(config.baseIri.length);
    return null;
  }

  /* YASR's page-size menu has no label of its own; a screen reader would announce nothing. */
  function labelTableControls(root) {
    root.querySelectorAll("select.tableSizer:not([aria-label])").forEach(function (menu) {
      menu.setAttribute("aria-label", "Rows per page");
    });
  }

  function linkLocalIris(root) {
    root.querySelectorAll("a.iri").forEach(function (anchor) {
      const iri = anchor.dataset.iri || anchor.getAttribute("href");
      const href = iri && localHref(iri);
      if (!href || anchor.getAttribute("href") === href) return;
      anchor.dataset.iri = iri;
      anchor.setAttribute("href", href);
      anchor.removeAttribute("target");
      anchor.title = iri;
    });
  }

  /* --- Completion: our prefixes first, entities from /api/search, nothing from outside --- */
  const Yasqe = Yasgui.Yasqe;
  const bundledPrefixes = Yasqe.Autocompleters.prefixes;

  Yasqe.forkAutocompleter("prefixes", {
    name: "kgPrefixes",
    persistenceId: null,
    get: function (yasqe) {
      const ours = Object.keys(config.prefixes).map(function (name) {
        return name + ": <" + config.prefixes[name] + ">";
      });
      return Promise.resolve(bundledPrefixes.get(yasqe)).then(function (bundled) {
        const others = (bundled || []).filter(function (line) {
          return !Object.prototype.hasOwnProperty.call(config.prefixes, line.split(":")[0]);
        });
        return ours.concat(others);
      });
    },
  }, false);

  const entityLabels = new Map();
  // Local names a prefixed name can carry unescaped (SPARQL's PN_LOCAL, ASCII part); others
  // such as `partnership/a_b` are inserted as full IRIs.
  const PLAIN_LOCAL_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$/;

  function entityToken(yasqe) {
    const token = yasqe.getCompleteToken();
    const text = token.string || "";
    const colon = text.indexOf(":");
    if (text.startsWith("?") || text.startsWith("$") || colon < 0) return null;
    const namespace = yasqe.getPrefixesFromQuery()[text.slice(0, colon)];
    if (namespace !== config.baseIri + "id/") return null;
    const words = text.slice(colon + 1);
    return words.length >= 2 ? { prefix: text.slice(0, colon + 1), words: words } : null;
  }

  Yasqe.registerAutocompleter({
    name: "kgEntities",
    bulk: false,
    autoShow: true,
    persistenceId: null,
    isValidCompletionPosition: function (yasqe) { return entityToken(yasqe) !== null; },
    get: function (yasqe) {
      const token = entityToken(yasqe);
      if (!token) return [];
      const url = config.searchApi + "?" + new URLSearchParams({ q: token.words, limit: "15" });
      return fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (body) {
          return (body.results || []).filter(function (hit) {
            return typeof hit.iri === "string" && hit.iri.startsWith(config.baseIri + "id/");
          }).map(function (hit) {
            const local = hit.iri.slice((config.baseIri + "id/").length);
            const text = PLAIN_LOCAL_NAME.test(local) ? token.prefix + local
              : "<" + hit.iri + ">";
            entityLabels.set(text, [hit.label, (hit.types || []).join(", ")]
              .filter(Boolean).join(" · "));
            return text;
          });
        })
        .catch(function () { return []; }); // no search API yet, or offline: no suggestions
    },
    postprocessHints: function (_yasqe, hints) {
      return hints.map(function (hint) {
        const about = entityLabels.get(hint.text);
        return about ? Object.assign(hint, { displayText: hint.text + "  " + about }) : hint;
      });
    },
  }, false);

  /* --- Library defaults that YASGUI reads when it builds a tab (no other way to set them) --- */
  Yasgui.defaults.yasqe.autocompleters = ["variables", "kgPrefixes", "kgEntities"];
  Yasgui.defaults.yasqe.editorHeight = "26rem"; // a tab's own (unset) height overrides config
  Yasgui.Yasr.defaults.pluginOrder = ["table", "response"];
  Yasgui.Yasr.defaults.errorRenderers = [renderProblemInResults];
  Yasgui.Yasr.plugins.table.defaults.openIriInNewWindow = false;
  fastLargeTables(Yasgui.Yasr.plugins.table);

  const textarea = form.querySelector("textarea[name=query]");
  host.hidden = false; // CodeMirror measures itself when built: it must be visible by then
  const yasgui = new Yasgui(host, {
    persistenceId: null, // nothing kept in localStorage: the URL is the state
    populateFromUrl: false, // the server puts ?query= in the form; no ?endpoint= redirects
    autofocus: false,
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return []; } },
    requestConfig: { endpoint: endpoint, method: "POST" },
    yasqe: { value: textarea.value, resizeable: true },
    yasr: { prefixes: config.prefixes },
  });
  const tab = yasgui.getTab();
  const yasqe = tab.getYasqe();
  const yasr = tab.getYasr();

  form.hidden = true;
  panel.hidden = false;
  yasr.rootEl.parentNode.insertBefore(panel, yasr.rootEl);
  labelEditor();

  new MutationObserver(function () {
    linkLocalIris(yasr.rootEl);
    labelTableControls(yasr.rootEl);
  }).observe(yasr.rootEl, { childList: true, subtree: true });

  yasqe.on("query", function () {
    clearError();
    tools.hidden = true;
    showTruncation(null);
    shareQuery(yasqe.getValue());
  });
  yasqe.on("queryResponse", function (_yasqe, response) {
    if (response instanceof Error) {
      showError(response.message);
    } else {
      showDownloads(yasqe.getValue(), yasqe.getQueryType());
      showTruncation(response.headers && response.headers.get("KG-Result-Truncated"));
    }
  });
  yasqe.on("change", function () {
    if (errorLine !== null) clearError();
  });

  document.getElementById("example-list").addEventListener("click", function (event) {
    const link = event.target.closest("a[data-example]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    loadExample(link.dataset.example);
  });
  document.getElementById("copy-link").addEventListener("click", copyLink);

  if (currentExample && exampleLink(currentExample.id)) {
    revealExample(exampleLink(currentExample.id));
  }
  if (host.dataset.autorun === "true") runQuery();

  function runQuery() {
    yasqe.query().catch(function () {}); // the failure is shown by showError
  }

  function findExample(id) {
    return config.examples.find(function (item) { return item.id === id; }) || null;
  }

  function loadExample(id) {
    const example = findExample(id);
    if (!example) return;
    currentExample = example;
    document.querySelectorAll("#example-list a[aria-current]").forEach(function (link) {
      link.removeAttribute("aria-current");
    });
    const current = exampleLink(id);
    if (current) current.setAttribute("aria-current", "true");
    document.getElementById("example-question").textContent = example.question;
    document.getElementById("example-expected").textContent = example.expected;
    document.getElementById("example-info").hidden = false;
    yasqe.setValue(example.query);
    runQuery();
  }

  /* The page's own URL is the share link: an example by name while it is unchanged. */
  function exampleLink(id) {
    return document.querySelector('#example-list a[data-example="' + CSS.escape(id) + '"]');
  }

  /* Scroll the list (not the page) to the example in the editor. */
  function revealExample(link) {
    const list = document.getElementById("example-list");
    const offset = link.getBoundingClientRect().top - list.getBoundingClientRect().top;
    if (offset < 0 || offset > list.clientHeight - link.offsetHeight) {
      list.scrollTop += offset - list.clientHeight / 3;
    }
  }

  function shareQuery(query) {
    const url = new URL("/", window.location.href);
    if (currentExample && currentExample.query === query) {
      url.searchParams.set("example", currentExample.id);
    } else {
      url.searchParams.set("query", query);
    }
    window.history.replaceState(null, "", url.pathname + url.search);
  }

  function copyLink() {
    const link = window.location.href;
    const done = function () { copyStatus.textContent = "Link copied."; };
    const fallback = function () {
      // Without the clipboard API (plain http on another host), select the link to copy.
      const field = document.createElement("input");
      field.value = link;
      field.readOnly = true;
      field.setAttribute("aria-label", "Link to this query");
      field.className = "share-field";
      copyStatus.replaceChildren(field, " Press Ctrl+C to copy.");
      field.select();
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(link).then(done, fallback);
    } else {
      fallback();
    }
  }

  function showDownloads(query, queryType) {
    const graph = GRAPH_QUERIES.indexOf(queryType) >= 0;
    const formats = graph ? config.formats.graph : config.formats.results;
    const links = formats.map(function (format) {
      const anchor = document.createElement("a");
      const params = new URLSearchParams({ query: query, format: format.name });
      anchor.href = config.endpoint + "?" + params;
      anchor.textContent = format.title;
      anchor.dataset.format = format.name;
      anchor.download = "result." + format.extension;
      return anchor;
    });
    downloads.replaceChildren.apply(downloads, links);
    copyStatus.textContent = "";
    tools.hidden = false;
  }

  /* The endpoint cuts results at the max_rows setting and says so in a header. */
  function showTruncation(header) {
    const note = document.getElementById("result-truncated");
    const limit = /limit=(\d+)/.exec(header || "");
    note.hidden = !header;
    note.textContent = header ? "Only the first " + (limit ? limit[1] + " " : "") +
      "rows are shown: the server cuts results at its max_rows setting." : "";
  }

  /* --- Errors: the endpoint answers problem+json (RFC 9457) with the parser's line --- */
  function problemOf(text) {
    try {
      const body = JSON.parse(text);
      return body && typeof body.detail === "string" ? body : null;
    } catch (_error) {
      return null;
    }
  }

  function showError(text) {
    const problem = problemOf(text);
    const title = document.createElement("strong");
    title.textContent = problem ? problem.title : "The query failed";
    const detail = document.createElement("span");
    detail.textContent = problem ? problem.detail : text;
    errorBox.replaceChildren(title, ": ", detail);
    if (problem && Number.isInteger(problem.line) && problem.line >= 1) {
      errorLine = Math.min(problem.line, yasqe.lineCount()) - 1;
      yasqe.addLineClass(errorLine, "wrap", "kg-error-line");
      yasqe.scrollIntoView({ line: errorLine, ch: 0 });
    }
  }

  function clearError() {
    errorBox.replaceChildren();
    if (errorLine !== null) yasqe.removeLineClass(errorLine, "wrap", "kg-error-line");
    errorLine = null;
  }

  function renderProblemInResults(error) {
    if (!problemOf(error && error.text)) return undefined; // YASR's own message for the rest
    const note = document.createElement("p");
    note.className = "kg-results-note";
    note.textContent = "No results: the query failed (the message is above).";
    return note;
  }

  /* YASR's table renders every cell of every page to size its columns (through DOMPurify) and
   * again to detect their types, sort and filter: half a minute at 10,000 rows. Compared values
   * are never shown, so they skip DOMPurify; columns are sized to their content only while
   * that is cheap. */
  function fastLargeTables(Table) {
    const columns = Table.prototype.getColumns;
    const draw = Table.prototype.draw;
    Table.prototype.getColumns = function () {
      return columns.call(this).map(function (column) {
        const render = column.render;
        if (!render) return column;
        return Object.assign({}, column, {
          render: function (data, type, row, meta) {
            const compared = type === "sort" || type === "filter" || type === "type";
            const plain = compared && data && data.value;
            return typeof plain === "string" ? plain : render(data, type, row, meta);
          },
        });
      });
    };
    Table.prototype.draw = function () {
      const results = this.yasr.results;
      const cells = results ? results.getBindings().length * results.getVariables().length : 0;
      this.config.tableConfig = Object.assign({}, this.config.tableConfig,
                                              { autoWidth: cells <= AUTO_WIDTH_CELLS });
      return draw.apply(this, arguments);
    };
  }

  /* CodeMirror's hidden textarea is what keyboards and screen readers reach: name it. */
  function labelEditor() {
    const input = host.querySelector(".CodeMirror textarea");
    if (input) input.setAttribute("aria-label", "SPARQL query");
  }
})();
