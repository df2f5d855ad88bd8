// The SPARQL page: CodeMirror editor, run against /sparql, results as a table, downloads.
(function () {
  "use strict";
  var textarea = document.getElementById("query");
  var editor = window.CodeMirror
    ? CodeMirror.fromTextArea(textarea, { mode: "application/sparql-query", lineNumbers: true,
                                          matchBrackets: true, viewportMargin: Infinity })
    : null;
  var statusEl = document.getElementById("status");
  var results = document.getElementById("results");
  var errorEl = document.getElementById("query-error");
  var marks = [];

  // A syntax error is shown beside the editor: the message, the offending line with a caret
  // under the column (the service's "excerpt"), and the place marked in the editor.
  function clearError() {
    marks.forEach(function (m) { m.clear ? m.clear() : editor.removeLineClass(m, "background", "cm-error-line"); });
    marks = [];
    errorEl.hidden = true;
    errorEl.textContent = "";
  }

  function showError(err) {
    errorEl.textContent = err.message;
    if (err.excerpt) {
      var pre = document.createElement("pre");
      pre.className = "excerpt";
      pre.textContent = err.excerpt;
      errorEl.appendChild(pre);
    }
    errorEl.hidden = false;
    if (editor && err.line) {
      var line = Math.min(err.line - 1, editor.lineCount() - 1);
      var length = editor.getLine(line).length;
      var ch = Math.max(0, Math.min((err.column || 1) - 1, length - 1));
      marks.push(editor.addLineClass(line, "background", "cm-error-line"));
      marks.push(editor.markText({ line: line, ch: ch }, { line: line, ch: Math.max(ch + 1, Math.min(length, ch + 1)) },
                                 { className: "cm-error-mark", title: err.message }));
    }
  }

  function text() { return editor ? editor.getValue() : textarea.value; }

  function fetchResults(accept) {
    var body = new URLSearchParams({ query: text() });
    return fetch("/sparql", {
      method: "POST", body: body,
      headers: { "Accept": accept, "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (resp) {
      if (!resp.ok) {
        return resp.text().then(function (t) {
          var msg = t, j = null;
          try { j = JSON.parse(t); msg = j.message || t; } catch (e) { /* not JSON */ }
          var error = new Error(resp.status + ": " + msg);
          if (j) { error.line = j.line; error.column = j.column; error.excerpt = j.excerpt; }
          throw error;
        });
      }
      return resp;
    });
  }

  function cell(term) {
    var td = document.createElement("td");
    if (!term) { return td; }
    var base = "https://w3id.org/nkru/";
    // Only IRIs minted here and http(s) IRIs become links; javascript:, data: and any other
    // scheme stay text.
    if (term.type === "uri" && (term.value.indexOf(base) === 0 || /^https?:\/\/\S/i.test(term.value))) {
      var a = document.createElement("a");
      a.href = term.value.indexOf(base) === 0 ? "/" + term.value.slice(base.length) : term.value;
      a.textContent = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
      if (term.datatype) { td.title = term.datatype; }
    }
    return td;
  }

  function render(data) {
    results.innerHTML = "";
    if (typeof data.boolean === "boolean") {
      var p = document.createElement("p");
      p.id = "ask-result";
      p.textContent = "ASK: " + data.boolean;
      results.appendChild(p);
      return;
    }
    var vars = data.head.vars;
    var table = document.createElement("table");
    table.id = "results-table";
    table.className = "results";
    var tr = document.createElement("tr");
    vars.forEach(function (v) {
      var th = document.createElement("th"); th.textContent = "?" + v; tr.appendChild(th);
    });
    var thead = document.createElement("thead"); thead.appendChild(tr); table.appendChild(thead);
    var tbody = document.createElement("tbody");
    data.results.bindings.forEach(function (row) {
      var r = document.createElement("tr");
      vars.forEach(function (v) { r.appendChild(cell(row[v])); });
      tbody.appendChild(r);
    });
    table.appendChild(tbody);
    results.appendChild(table);
    statusEl.textContent = data.results.bindings.length + " rows";
  }

  document.getElementById("query-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    clearError();
    statusEl.textContent = "running…";
    fetchResults("application/sparql-results+json")
      .then(function (resp) {
        var type = resp.headers.get("Content-Type") || "";
        if (type.indexOf("json") < 0) {
          return resp.text().then(function (t) {
            results.innerHTML = ""; var pre = document.createElement("pre");
            pre.textContent = t; results.appendChild(pre); statusEl.textContent = "done";
          });
        }
        return resp.json().then(render);
      })
      .catch(function (err) { statusEl.textContent = "error"; results.innerHTML = "";
        showError(err); });
  });

  Array.prototype.forEach.call(document.querySelectorAll(".downloads a"), function (link) {
    link.addEventListener("click", function (ev) {
      ev.preventDefault();
      fetchResults(link.dataset.accept).then(function (resp) { return resp.blob(); })
        .then(function (blob) {
          var a = document.createElement("a");
          a.href = URL.createObjectURL(blob);
          a.download = "results." + link.dataset.ext;
          document.body.appendChild(a); a.click(); a.remove();
        })
        .catch(function (err) { statusEl.textContent = err.message; });
    });
  });
})();

// ?run=1 runs the query on load, so that a link can share a query and its results.
(function () {
  "use strict";
  if (new URLSearchParams(window.location.search).get("run") === "1") {
    var form = document.getElementById("query-form");
    if (form.requestSubmit) { form.requestSubmit(); } else { form.dispatchEvent(new Event("submit")); }
  }
})();
