// The SPARQL page: YASGUI (static/yasgui-<version>/), set up for this service. The page gives
// its configuration in data-config: the endpoint, the prefixes of the JSON-LD context, the base
// of minted IRIs, the shipped examples and the example the address asks for (?example=N).
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  var config = JSON.parse(root.dataset.config);
  var endpoint = new URL(config.endpoint, window.location.href).href;  // Yasqe needs it absolute
  var params = new URLSearchParams(window.location.search);
  var Yasqe = Yasgui.Yasqe;

  // Autocompletion stays on this origin: the variables in the query, and prefixes: this
  // project's first, then the list bundled with YASGUI. Class and property completion asks
  // Linked Open Vocabularies on another origin, which the content security policy forbids.
  var local = ["variables", "prefixes"];
  Yasqe.defaults.autocompleters = local.slice();
  Yasgui.defaults.yasqe.autocompleters = local.slice();
  var prefixCompleter = Yasqe.Autocompleters.prefixes;
  var bundledPrefixes = prefixCompleter.get;
  var ours = Object.keys(config.prefixes).map(function (p) { return p + ": <" + config.prefixes[p] + ">"; });
  prefixCompleter.get = function (yasqe) {
    return Promise.resolve(bundledPrefixes.call(this, yasqe)).then(function (bundled) {
      return ours.concat((bundled || []).filter(function (line) {
        return !Object.prototype.hasOwnProperty.call(config.prefixes, line.split(":")[0]);
      }));
    });
  };

  var yasgui = new Yasgui(root, {
    // Tabs, queries and results are kept in the browser under this project's name, not under
    // YASGUI's default (which any other YASGUI page on this origin would share).
    persistenceId: "nkru-query",
    autoAddOnInit: false,
    copyEndpointOnNewTab: false,
    requestConfig: { endpoint: endpoint, method: "POST" },
    // ?query= (and YASGUI's share links) open a tab with that query and run it; the page's
    // own parameters are not passed on to the endpoint.
    populateFromUrl: function (tab) {
      tab.requestConfig.args = (tab.requestConfig.args || []).filter(function (arg) {
        return arg.name !== "example" && arg.name !== "run";
      });
      return tab;
    },
    yasqe: { value: "" },
    yasr: { prefixes: config.prefixes },
  });

  // The examples are tabs, always there: a tab of an example closed on an earlier visit comes
  // back, and a tab kept from an earlier visit keeps the user's edits unless the address asks
  // for that example.
  var wanted = config.example;
  var current = yasgui.getTab();
  var target = wanted !== null ? "example-" + wanted : (current ? null : "example-0");
  config.examples.forEach(function (example, i) {
    var id = "example-" + i;
    if (!yasgui.getTab(id)) {
      yasgui.addTab(id === target && !yasgui.getTab(), {
        id: id, name: example.title, yasqe: { value: example.query },
        requestConfig: { endpoint: endpoint },
      }, { atIndex: i });
    }
  });
  if (target && (!yasgui.getTab() || yasgui.getTab().getId() !== target)) {
    if (yasgui.getTab()) {
      yasgui.selectTabId(target);
    } else {
      yasgui.persistentConfig.setActive(target);
      yasgui.markTabSelected(target);
    }
  }
  var tab = yasgui.getTab();
  if (wanted !== null && tab) {
    var example = config.examples[wanted];
    if (tab.getQuery() !== example.query) { tab.setQuery(example.query); }
    tab.setEndpoint(endpoint);
    if (params.get("run") === "1") { tab.query().catch(function () { /* shown by YASR */ }); }
  }

  // Minted IRIs in results link to their pages on this service (/id/...); other http(s) IRIs
  // link out; an IRI of any other scheme (javascript:, data:, urn:...) stays text.
  function localise(link) {
    var href = link.getAttribute("href");
    if (href === null || link.dataset.local) { return; }
    if (href.indexOf(config.base) === 0) {
      link.setAttribute("href", "/" + href.slice(config.base.length));
      link.removeAttribute("target");
      link.dataset.local = "1";
    } else if (!/^https?:\/\/\S/i.test(href)) {
      link.removeAttribute("href");
    }
  }
  new MutationObserver(function () {
    Array.prototype.forEach.call(root.querySelectorAll(".yasr a.iri"), localise);
  }).observe(root, { childList: true, subtree: true });

  // A syntax error is shown beside the editor: the service's message, the offending line with
  // a caret under the column ("excerpt"), and the place marked in the editor.
  var marks = [];
  function clearError() {
    marks.forEach(function (m) { if (m.clear) { m.clear(); } else { m.yasqe.removeLineClass(m.line, "background", "cm-error-line"); } });
    marks = [];
    var box = document.getElementById("query-error");
    if (box) { box.remove(); }
  }
  function showError(tab, yasqe, error) {
    var problem = null;
    try { problem = JSON.parse(error.message); } catch (e) { return; }  // not the service's
    if (!problem || !problem.message) { return; }
    var panel = document.getElementById(tab.getId());
    var wrapper = panel && panel.querySelector(".editorwrapper");
    if (!wrapper) { return; }
    var box = document.createElement("div");
    box.id = "query-error";
    box.className = "error";
    box.setAttribute("role", "alert");
    box.textContent = problem.message;
    if (problem.excerpt) {
      var pre = document.createElement("pre");
      pre.className = "excerpt";
      pre.textContent = problem.excerpt;
      box.appendChild(pre);
    }
    wrapper.appendChild(box);
    if (problem.line) {
      var line = Math.min(problem.line - 1, yasqe.lineCount() - 1);
      var length = yasqe.getLine(line).length;
      var ch = Math.max(0, Math.min((problem.column || 1) - 1, length - 1));
      yasqe.addLineClass(line, "background", "cm-error-line");
      marks.push({ yasqe: yasqe, line: line });
      marks.push(yasqe.markText({ line: line, ch: ch }, { line: line, ch: Math.min(length, ch + 1) },
                                { className: "cm-error-mark", title: problem.message }));
    }
  }
  function watch(tab) {
    var yasqe = tab && tab.getYasqe();
    if (yasqe && !yasqe.kgWatched) {
      yasqe.kgWatched = true;
      yasqe.on("queryResponse", function (y, response) {
        if (response instanceof Error) { showError(tab, y, response); }
      });
    }
  }
  watch(yasgui.getTab());  // a query from the address is already running
  yasgui.on("queryBefore", function (instance, tab) { clearError(); watch(tab); });
})();
