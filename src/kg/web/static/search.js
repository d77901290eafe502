// Completion for the header search box: an ARIA combobox with a listbox of suggestions from
// /api/search. Without this script the box is a plain form that opens /search.
(function () {
  "use strict";
  var input = document.getElementById("site-search");
  // Once per page, even if a page also names this script itself.
  if (!input || !window.fetch || input.getAttribute("role") === "combobox") { return; }
  var form = input.form;
  var LIMIT = 8;
  var DELAY_MS = 120;

  var list = document.createElement("ul");
  list.id = "site-search-list";
  list.className = "search-list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.appendChild(list);
  form.appendChild(status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  var options = [];
  var active = -1;
  var timer = null;
  var pending = null;
  var asked = 0;

  function open(show) {
    list.hidden = !show;
    input.setAttribute("aria-expanded", show ? "true" : "false");
    if (!show) { choose(-1); }
  }

  function choose(index) {
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({block: "nearest"});
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function go(option) {
    window.location.assign(option.getAttribute("data-href"));
  }

  function show(results) {
    list.textContent = "";
    options = results.map(function (hit, i) {
      var option = document.createElement("li");
      option.id = "site-search-option-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-href", hit.href);
      var label = document.createElement("span");
      label.className = "search-label";
      label.textContent = hit.label;
      option.appendChild(label);
      var notes = hit.types.slice();
      if (hit.matched !== hit.label) { notes.unshift("“" + hit.matched + "”"); }
      if (notes.length) {
        var note = document.createElement("span");
        note.className = "search-note";
        note.textContent = notes.join(" · ");
        option.appendChild(note);
      }
      option.addEventListener("mousedown", function (event) { event.preventDefault(); });
      option.addEventListener("click", function () { go(option); });
      list.appendChild(option);
      return option;
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    status.textContent = results.length ? results.length + " suggestions" : "No suggestions";
    open(results.length > 0);
  }

  function ask() {
    var text = input.value.trim();
    if (pending) { pending.abort(); pending = null; }
    if (!text) { show([]); status.textContent = ""; return; }
    var mine = ++asked;
    pending = new AbortController();
    var url = "/api/search?limit=" + LIMIT + "&q=" + encodeURIComponent(text);
    fetch(url, {signal: pending.signal, headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : {results: []}; })
      .then(function (body) { if (mine === asked) { show(body.results); } })
      .catch(function (error) { if (error.name !== "AbortError") { show([]); } });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, DELAY_MS);
  });

  input.addEventListener("keydown", function (event) {
    var count = options.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!count) { return; }
      event.preventDefault();
      if (list.hidden) { open(true); }
      var step = event.key === "ArrowDown" ? 1 : -1;
      choose(active < 0 ? (step > 0 ? 0 : count - 1) : (active + step + count) % count);
    } else if (event.key === "Enter") {
      if (!list.hidden && active >= 0) {
        event.preventDefault();
        go(options[active]);
      }  // else the form submits: the full results page
    } else if (event.key === "Escape") {
      // A suggestion on its way is for a list the user has just closed: drop it.
      window.clearTimeout(timer);
      if (pending) { pending.abort(); pending = null; }
      asked++;
      if (!list.hidden) {
        event.preventDefault();
        open(false);
      } else if (input.value) {
        event.preventDefault();
        input.value = "";
      }
    }
  });

  input.addEventListener("blur", function () { open(false); });
  input.addEventListener("focus", function () { if (options.length && input.value.trim()) { open(true); } });
}());
