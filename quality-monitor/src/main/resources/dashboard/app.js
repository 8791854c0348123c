// The quality dashboard: products by state, from GET /products, kept live by the server-sent
// events of GET /stream. Plain JavaScript, no build step.
(function () {
  "use strict";
  var STATES = ["BREACHED", "STALE", "DEGRADED", "UNKNOWN", "HEALTHY"];
  var products = new Map(); // productId -> health view
  var domainFilter = document.getElementById("domain-filter");
  var connection = document.getElementById("connection");
  var source = null;

  function fmtRate(v) { return v === null || v === undefined ? "–" : (v * 100).toFixed(1) + " %"; }
  function fmtNum(v) { return v === null || v === undefined ? "–" : String(v); }
  function fmtAge(ms) {
    if (ms === null || ms === undefined) { return "–"; }
    var s = Math.round(ms / 1000);
    return s < 120 ? s + " s" : s < 7200 ? Math.round(s / 60) + " min" : Math.round(s / 3600) + " h";
  }

  function setConnection(status, text) {
    connection.dataset.status = status;
    connection.textContent = text;
  }

  function render(flashId) {
    var domain = domainFilter.value;
    var counts = {};
    STATES.forEach(function (s) { counts[s] = 0; });
    var domains = new Set();
    var board = document.getElementById("board");
    board.replaceChildren();
    var columns = {};
    STATES.forEach(function (s) {
      var col = document.createElement("section");
      col.className = "column";
      col.dataset.state = s;
      var h = document.createElement("h2");
      col.appendChild(h);
      columns[s] = col;
      board.appendChild(col);
    });
    var sorted = Array.from(products.values()).sort(function (a, b) {
      return a.productId < b.productId ? -1 : 1;
    });
    sorted.forEach(function (p) {
      domains.add(p.domain);
      if (domain && p.domain !== domain) { return; }
      var state = STATES.indexOf(p.state) >= 0 ? p.state : "UNKNOWN";
      counts[state]++;
      columns[state].appendChild(card(p, state, p.productId === flashId));
    });
    STATES.forEach(function (s) {
      columns[s].querySelector("h2").textContent = s + " (" + counts[s] + ")";
      if (counts[s] === 0) {
        var empty = document.createElement("p");
        empty.className = "empty";
        empty.textContent = "none";
        columns[s].appendChild(empty);
      }
    });
    renderTotals(counts);
    renderDomains(domains);
    document.getElementById("updated").textContent =
      "updated " + new Date().toLocaleTimeString();
  }

  function card(p, state, flash) {
    var node = document.getElementById("card").content.firstElementChild.cloneNode(true);
    node.dataset.product = p.productId;
    node.dataset.state = state;
    node.id = "product-" + p.productId;
    if (flash) { node.classList.add("flash"); }
    node.querySelector(".product").textContent = p.productId;
    var dl = node.querySelector(".figures");
    var figures = [["state", state], ["pass rate", fmtRate(p.passRate)], ["volume", fmtNum(p.volume)],
     ["rejected", fmtRate(p.rejectionRate)], ["staleness", fmtAge(p.stalenessMs)]];
    // Accountability: how the owner answers the product's issues (once it has any).
    var i = p.issues;
    if (i) {
      var bySeverity = Object.keys(i.openBySeverity || {}).filter(function (k) { return i.openBySeverity[k] > 0; })
        .map(function (k) { return i.openBySeverity[k] + " " + k; }).join(", ");
      figures.push(["open issues", i.openIssues + (bySeverity ? " (" + bySeverity + ")" : "")],
        ["unacknowledged", i.oldestUnacknowledgedSince ? "for " + fmtAge(Date.now() - Date.parse(i.oldestUnacknowledgedSince)) : "none"],
        ["acknowledge p50", fmtAge(i.acknowledgeP50Ms)], ["resolve p50", fmtAge(i.resolveP50Ms)]);
    }
    figures.forEach(function (f) {
        var dt = document.createElement("dt"); dt.textContent = f[0];
        var dd = document.createElement("dd"); dd.textContent = f[1];
        dd.className = "figure-" + f[0].replace(/ /g, "-");
        dl.appendChild(dt); dl.appendChild(dd);
      });
    var ul = node.querySelector(".reasons");
    (p.reasons || []).forEach(function (r) {
      var li = document.createElement("li"); li.textContent = r; ul.appendChild(li);
    });
    return node;
  }

  function renderTotals(counts) {
    var totals = document.getElementById("totals");
    totals.replaceChildren();
    STATES.forEach(function (s) {
      var div = document.createElement("div");
      div.className = "total";
      div.dataset.state = s;
      var b = document.createElement("b");
      b.textContent = counts[s];
      div.appendChild(b);
      div.appendChild(document.createTextNode(s.toLowerCase()));
      totals.appendChild(div);
    });
  }

  function renderDomains(domains) {
    var current = domainFilter.value;
    var known = Array.from(domainFilter.options).map(function (o) { return o.value; });
    Array.from(domains).sort().forEach(function (d) {
      if (known.indexOf(d) < 0) {
        var o = document.createElement("option"); o.value = d; o.textContent = d;
        domainFilter.appendChild(o);
      }
    });
    domainFilter.value = current;
  }

  function load() {
    // From the origin, never relative to the page's URL: opened as http://user:pass@host/, the
    // page's URL holds credentials, which fetch and EventSource refuse in a URL; the browser sends
    // the credentials it logged in with (HTTP Basic) by itself.
    return fetch(location.origin + "/products", { headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error("GET /products answered " + r.status); }
        return r.json();
      })
      .then(function (list) {
        products.clear();
        list.forEach(function (p) { products.set(p.productId, p); });
        render();
      });
  }

  function connect() {
    if (source) { source.close(); }
    source = new EventSource(location.origin + "/stream");
    source.addEventListener("hello", function () {
      setConnection("live", "live");
      // Changes made while we were away: take the whole list again.
      load().catch(function (e) { setConnection("down", e.message); });
    });
    source.addEventListener("health", function (e) {
      var p = JSON.parse(e.data);
      products.set(p.productId, p);
      render(p.productId);
    });
    source.addEventListener("removed", function (e) {
      products.delete(JSON.parse(e.data).productId);
      render();
    });
    source.onerror = function () {
      setConnection("down", "reconnecting…");
    };
  }

  // The console's links: configured on the server, else this host's port 8081.
  document.querySelectorAll("a[data-console-link]").forEach(function (a) {
    var href = a.getAttribute("href");
    if (href.charAt(0) === "#") {
      a.href = location.protocol + "//" + location.hostname + ":8081/console" + href;
    }
  });
  domainFilter.addEventListener("change", function () { render(); });
  connect();
})();
