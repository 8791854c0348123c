// The mesh console: the catalogue, a product's page, a domain's page, read from the registry API
// it is served beside (same origin, so a browser logged in with HTTP Basic sends its credentials
// with every request). Plain JavaScript, no build step. Pages are hash routes: #/ (catalogue),
// #/product/<id>, #/domains, #/domain/<name>.
(function () {
  "use strict";
  var HEALTH = ["HEALTHY", "DEGRADED", "BREACHED", "STALE", "UNKNOWN"];
  var CLASSIFICATIONS = ["UNCLASSIFIED", "PUBLIC", "INTERNAL", "CONFIDENTIAL", "PII", "PHI"];
  var STATUSES = ["ACTIVE", "DEPRECATED", "RETIRED"];
  var view = document.getElementById("view");
  var me = { principal: null, domain: null, platform: false, security: true };
  var healthCache = new Map(); // productId -> health state (from the lists and GET /products/{id})
  var pageGone = null; // what to stop when the page changes (a notification stream)
  var searchTimer = null;

  // ---- helpers ----

  // From the origin, never relative to the page: opened as http://user:pass@host/console, the
  // page's URL holds credentials, which fetch refuses in a URL.
  function api(path, options) {
    options = options || {};
    var headers = { Accept: "application/json" };
    if (options.domain) { headers["X-Mesh-Domain"] = options.domain; }
    if (options.body) { headers["Content-Type"] = "application/json"; }
    return fetch(location.origin + path, {
      method: options.method || "GET", headers: headers,
      body: options.body ? JSON.stringify(options.body) : undefined
    }).then(function (r) {
      return r.text().then(function (text) {
        var body = text ? JSON.parse(text) : null;
        if (!r.ok) {
          var e = new Error((body && body.message) || (path + " answered " + r.status));
          e.status = r.status; throw e;
        }
        return body;
      });
    });
  }

  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; }
      else if (k === "className") { node.className = attrs[k]; }
      else if (k.indexOf("on") === 0) { node.addEventListener(k.substring(2), attrs[k]); }
      else if (attrs[k] !== null && attrs[k] !== undefined) { node.setAttribute(k, attrs[k]); }
    });
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) { continue; }
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return node;
  }
  function badge(state) { return el("span", { className: "badge", "data-state": state, text: state }); }
  function productLink(id) { return el("a", { href: "#/product/" + id, className: "product-link", text: id }); }
  function domainLink(d) { return el("a", { href: "#/domain/" + d, text: d }); }
  function section(title, id) {
    var s = el("section", { className: "panel", id: id }, el("h2", { text: title }));
    return s;
  }
  function dl(pairs) {
    var list = el("dl", { className: "pairs" });
    pairs.forEach(function (p) {
      if (p[1] === null || p[1] === undefined || p[1] === "") { return; }
      list.appendChild(el("dt", { text: p[0] }));
      list.appendChild(el("dd", null, typeof p[1] === "object" ? p[1] : String(p[1])));
    });
    return list;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function pct(v) { return v === null || v === undefined ? "–" : (v * 100).toFixed(1) + " %"; }
  function duration(ms) {
    if (ms === null || ms === undefined) { return "–"; }
    var s = Math.round(ms / 1000);
    return s < 120 ? s + " s" : s < 7200 ? Math.round(s / 60) + " min" : Math.round(s / 3600) + " h";
  }
  function when(iso) { return iso ? new Date(iso).toLocaleString() : "–"; }
  function problem(text) {
    var p = document.getElementById("problem");
    p.hidden = !text; p.textContent = text || "";
  }
  function fail(e) { problem(e.message); }
  // Whether the console may act as a domain: an open mesh believes anyone; the platform role acts
  // for any domain (logged); a domain only as itself.
  function mayActAs(domain) { return !me.security || me.platform || me.domain === domain; }

  // ---- navigation ----

  function route() {
    if (pageGone) { pageGone(); pageGone = null; }
    problem(null);
    var hash = location.hash.replace(/^#/, "") || "/";
    var parts = hash.split("/").filter(Boolean).map(decodeURIComponent);
    document.querySelectorAll(".mesh-nav a").forEach(function (a) { a.removeAttribute("aria-current"); });
    view.replaceChildren();
    if (parts[0] === "product" && parts[1]) { return productPage(parts[1]); }
    if (parts[0] === "domain" && parts[1]) { current("nav-domains"); return domainPage(parts[1]); }
    if (parts[0] === "domains") { current("nav-domains"); return domainsPage(); }
    current("nav-catalogue");
    return cataloguePage();
  }
  function current(id) { document.getElementById(id).setAttribute("aria-current", "page"); }

  // ---- catalogue ----

  function cataloguePage() {
    var search = el("input", { id: "search", type: "search", placeholder: "id, name, description, glossary term",
      "aria-label": "search products", autocomplete: "off" });
    var filters = {
      domain: select("filter-domain", "all domains", []),
      tag: select("filter-tag", "all tags", []),
      classification: select("filter-classification", "any classification", CLASSIFICATIONS),
      owner: select("filter-owner", "all owners", []),
      status: select("filter-status", "any status", STATUSES),
      health: select("filter-health", "any health", HEALTH)
    };
    var results = el("tbody", { id: "results" });
    var count = el("p", { id: "result-count", className: "muted" });
    view.appendChild(el("section", { className: "panel search" },
      el("h2", { text: "Catalogue" }), search,
      el("div", { className: "filters" },
        label("Domain", filters.domain), label("Tag", filters.tag),
        label("Classification", filters.classification), label("Owner", filters.owner),
        label("Status", filters.status), label("Health", filters.health)),
      count,
      el("table", { className: "results" },
        el("thead", null, el("tr", null, th("Product"), th("Name"), th("Owner"), th("Status"),
          th("Health"), th("Classification"), th("Tags"))), results)));
    search.focus();
    // The filters' choices come from the whole catalogue (one page of up to 500 products).
    api("/products?limit=500").then(function (page) {
      var domains = new Set(), tags = new Set(), owners = new Set();
      page.items.forEach(function (p) {
        domains.add(p.domain); (p.tags || []).forEach(function (t) { tags.add(t); });
        if (p.ownerTeam) { owners.add(p.ownerTeam); }
      });
      fill(filters.domain, domains); fill(filters.tag, tags); fill(filters.owner, owners);
    }).catch(fail);

    var asked = 0;
    function run() {
      var n = ++asked;
      var q = new URLSearchParams();
      if (search.value.trim()) { q.set("q", search.value.trim()); }
      ["domain", "tag", "classification", "owner", "status", "health"].forEach(function (k) {
        if (filters[k].value) { q.set(k, filters[k].value); }
      });
      q.set("limit", "200");
      api("/products?" + q.toString()).then(function (page) {
        if (n !== asked) { return; } // a later keystroke's answer wins
        var wanted = filters.health.value;
        // Each item carries its health; the API filters on it too.
        page.items.forEach(function (p) { healthCache.set(p.id, p.health || "UNKNOWN"); });
        var rows = page.items;
        results.replaceChildren.apply(results, rows.map(resultRow));
        count.textContent = rows.length + (rows.length === 1 ? " product" : " products") +
          (page.nextCursor ? " (first 200 matches)" : "");
        results.dataset.query = q.toString() + "|" + wanted;
      }).catch(fail);
    }
    search.addEventListener("input", function () { clearTimeout(searchTimer); searchTimer = setTimeout(run, 150); });
    Object.keys(filters).forEach(function (k) { filters[k].addEventListener("change", run); });
    run();
  }
  function healthOf(id) { return healthCache.get(id) || "UNKNOWN"; }
  function resultRow(p) {
    return el("tr", { className: "result", "data-product": p.id },
      el("td", null, productLink(p.id)), el("td", { text: p.name || "" }),
      el("td", { className: "owner", text: p.ownerTeam || "–" }),
      el("td", { className: "status" }, badge(p.status)),
      el("td", { className: "health" }, badge(healthOf(p.id))),
      el("td", { text: p.classification || "" }), el("td", { text: (p.tags || []).join(", ") }));
  }
  function th(text) { return el("th", { scope: "col", text: text }); }
  function label(text, control) { return el("label", null, text + " ", control); }
  function select(id, none, values) {
    var s = el("select", { id: id }, none === null ? null : el("option", { value: "", text: none }));
    values.forEach(function (v) { s.appendChild(el("option", { value: v, text: v })); });
    return s;
  }
  function fill(s, values) {
    Array.from(values).sort().forEach(function (v) { s.appendChild(el("option", { value: v, text: v })); });
  }

  // ---- product ----

  function productPage(id) {
    api("/products/" + encodeURIComponent(id)).then(function (p) {
      var d = p.descriptor || {};
      var health = p.health ? p.health.state : "UNKNOWN";
      healthCache.set(id, health);
      document.title = "meshbone · " + id;
      view.appendChild(el("section", { className: "panel product-head", id: "product", "data-product": id },
        el("h2", null, d.name || id, " ", badge(p.lifecycle.status), " ", badge(health)),
        el("p", { className: "muted" }, id, " · owned by ", domainLink(p.domain),
          d.owner ? " · team " + d.owner.team + (d.owner.contact ? " (" + d.owner.contact + ")" : "") : ""),
        d.description ? el("p", { text: d.description }) : null));
      var grid = el("div", { className: "grid" });
      view.appendChild(grid);
      grid.appendChild(descriptorPanel(p, d));
      grid.appendChild(lifecyclePanel(p.lifecycle));
      grid.appendChild(healthPanel(p, d));
      var stats = section("Validator counts", "stats");
      grid.appendChild(stats);
      statsPanel(stats, id);
      var subs = section("Subscribers", "subscribers");
      view.appendChild(subs);
      subscribersPanel(subs, p);
      if (p.lifecycle.status === "DEPRECATED") { view.appendChild(retirementPanel(id)); }
      if (mayActAs(p.domain)) { view.appendChild(readersPanel(id, p.domain)); }
      view.appendChild(issuesPanel(p));
      view.appendChild(contractPanel(p));
      view.appendChild(lineagePanel(id));
      view.appendChild(historyPanel(id));
    }).catch(function (e) {
      view.appendChild(el("section", { className: "panel" }, el("h2", { text: id }), el("p", { text: e.message })));
    });
  }

  function descriptorPanel(p, d) {
    var s = section("Descriptor", "descriptor");
    s.appendChild(dl([
      ["classification", d.classification], ["tags", (d.tags || []).join(", ")],
      ["glossary terms", (d.glossaryTerms || []).join(", ")],
      ["inputs", (d.inputs || []).length ? list((d.inputs || []).map(productLink)) : null],
      ["subscription policy", d.subscriptionPolicy], ["contract subject", p.contract.subject],
      ["records topic", p.topics && p.topics.records], ["dead letters", p.topics && p.topics.deadLetters]
    ]));
    s.appendChild(el("details", null, el("summary", { text: "as JSON" }),
      el("pre", { text: JSON.stringify(d, null, 2) })));
    return s;
  }
  function list(nodes) {
    var span = el("span");
    nodes.forEach(function (n, i) { if (i) { span.appendChild(document.createTextNode(", ")); } span.appendChild(n); });
    return span;
  }

  function lifecyclePanel(l) {
    var s = section("Lifecycle", "lifecycle");
    s.appendChild(dl([
      ["status", badge(l.status)], ["version", l.version], ["last change", l.lastChange],
      ["changed", when(l.changedAt)], ["by", l.actor],
      ["sunset", l.sunsetAt ? el("strong", { id: "sunset", text: new Date(l.sunsetAt).toDateString() }) : "none planned"],
      ["reason", l.reason]
    ]));
    return s;
  }

  function healthPanel(p, d) {
    var s = section("Health and SLOs", "health");
    var h = p.health || { state: "UNKNOWN", reasons: [] };
    var slo = d.slos || {};
    var rows = el("tbody");
    function row(name, value, objective) {
      rows.appendChild(el("tr", null, el("td", { text: name }), el("td", { text: value }), el("td", { text: objective })));
    }
    row("pass rate", pct(h.passRate), slo.minPassRate !== null && slo.minPassRate !== undefined ? "≥ " + pct(slo.minPassRate) : "none");
    row("rejection rate", pct(h.rejectionRate), slo.maxRejectionRate !== null && slo.maxRejectionRate !== undefined ? "≤ " + pct(slo.maxRejectionRate) : "none");
    row("volume", h.volume === null || h.volume === undefined ? "–" : String(h.volume), slo.minVolume ? "≥ " + slo.minVolume + " per " + duration(slo.volumeWindowMs) : "none");
    row("staleness", duration(h.stalenessMs), slo.maxStalenessMs ? "≤ " + duration(slo.maxStalenessMs) : "none");
    s.appendChild(el("p", null, badge(h.state), " evaluated ", when(h.evaluatedAt)));
    s.appendChild(el("table", { className: "slos" },
      el("thead", null, el("tr", null, th("figure"), th("now"), th("objective"))), rows));
    if ((h.reasons || []).length) {
      s.appendChild(el("ul", { className: "reasons" }, ...h.reasons.map(function (r) { return el("li", { text: r }); })));
    }
    var checks = Object.keys(h.passRateByCheck || {});
    if (checks.length) {
      s.appendChild(el("p", { className: "muted", text: "by check: " + checks.map(function (c) {
        return c + " " + pct(h.passRateByCheck[c]); }).join(", ") }));
    }
    var chart = el("div", { className: "health-chart", id: "health-chart" });
    s.appendChild(chart);
    healthChart(chart, p.id);
    s.appendChild(el("p", { className: "muted" }, "Each change in full and the live view: ",
      el("a", { href: qualityUrl(), text: "quality dashboard" })));
    return s;
  }

  // The recent window (GET /products/{id}/health): pass rate and rejection rate as lines over
  // time, each point coloured by the product's state then.
  function healthChart(box, id) {
    api("/products/" + encodeURIComponent(id) + "/health").then(function (trail) {
      var points = trail.points || [];
      if (!points.length) {
        box.appendChild(el("p", { className: "muted", text: "no health published yet" }));
        return;
      }
      var W = 560, H = 120, L = 40, R = 10, T = 8, B = 22;
      var t0 = Date.parse(points[0].at), t1 = Date.parse(points[points.length - 1].at);
      var span = Math.max(1, t1 - t0);
      function x(p) { return L + (W - L - R) * (points.length === 1 ? 1 : (Date.parse(p.at) - t0) / span); }
      function y(v) { return T + (H - T - B) * (1 - v); }
      var root = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", width: "100%",
        "aria-label": "pass rate and rejection rate of " + id + " from " + when(points[0].at) + " to " + when(points[points.length - 1].at) });
      [0, 0.5, 1].forEach(function (v) {
        root.appendChild(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid-line" }));
        var label = svg("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end", class: "axis" });
        label.textContent = (v * 100) + " %";
        root.appendChild(label);
      });
      [["passRate", "pass-rate"], ["rejectionRate", "rejection-rate"]].forEach(function (figure) {
        var known = points.filter(function (p) { return p[figure[0]] !== null && p[figure[0]] !== undefined; });
        if (known.length > 1) {
          root.appendChild(svg("polyline", { class: "line " + figure[1], points: known.map(function (p) {
            return x(p).toFixed(1) + "," + y(p[figure[0]]).toFixed(1); }).join(" ") }));
        }
        known.forEach(function (p) {
          var dot = svg("circle", { cx: x(p).toFixed(1), cy: y(p[figure[0]]).toFixed(1), r: 3, class: "dot " + figure[1], "data-state": p.state });
          var tip = svg("title", {});
          tip.textContent = when(p.at) + " · " + p.state + " · " + figure[0] + " " + pct(p[figure[0]]);
          dot.appendChild(tip);
          root.appendChild(dot);
        });
      });
      [[points[0], "start"], [points[points.length - 1], "end"]].forEach(function (edge) {
        var label = svg("text", { x: edge[1] === "start" ? L : W - R, y: H - 6, "text-anchor": edge[1], class: "axis" });
        label.textContent = new Date(edge[0].at).toLocaleTimeString();
        root.appendChild(label);
      });
      box.appendChild(root);
      box.appendChild(el("p", { className: "muted legend" },
        el("span", { className: "key pass-rate" }), " pass rate ", el("span", { className: "key rejection-rate" }),
        " rejection rate · dots coloured by state · " + points.length + " points, the latest of each " + trail.spacingSeconds + " s"));
    }).catch(function (e) {
      box.appendChild(el("p", { className: "muted", text: e.message }));
    });
  }

  function statsPanel(s, id) {
    api("/products/" + encodeURIComponent(id) + "/stats").then(function (st) {
      s.appendChild(dl([["valid", st.valid], ["invalid (dead-lettered)", st.invalid],
        ["rejection rate", pct(st.rejectionRate)], ["last record", when(st.lastRecordAt)]]));
      var reasons = Object.keys(st.invalidByReason || {});
      var total = st.invalid || 1;
      if (reasons.length) {
        s.appendChild(el("h3", { text: "Dead letters by reason" }));
        var bars = el("div", { className: "bars", id: "dlq-reasons" });
        reasons.sort(function (a, b) { return st.invalidByReason[b] - st.invalidByReason[a]; }).forEach(function (r) {
          var n = st.invalidByReason[r];
          bars.appendChild(el("div", { className: "bar" }, el("span", { className: "bar-label", text: r }),
            el("span", { className: "bar-track" }, el("span", { className: "bar-fill", style: "width:" + Math.max(2, 100 * n / total) + "%" })),
            el("span", { className: "bar-value", text: n + " (" + pct(n / Math.max(1, st.valid + st.invalid)) + " of all)" })));
        });
        s.appendChild(bars);
      }
    }).catch(function (e) {
      s.appendChild(el("p", { className: "muted", text: e.status === 404 ? "no records counted yet" : e.message }));
    });
  }

  function subscribersPanel(s, p) {
    api("/products/" + encodeURIComponent(p.id) + "/subscribers").then(function (list) {
      var subs = list.subscribers || [];
      if (!subs.length) { s.appendChild(el("p", { className: "muted", text: "no subscribers" })); return; }
      s.appendChild(subscriptionTable(subs, p.domain, false));
    }).catch(fail);
  }

  // Subscriptions as a table; the owner (or whoever may act as it) gets approve and reject buttons.
  function subscriptionTable(subs, owner, showProduct) {
    var body = el("tbody");
    subs.forEach(function (sub) {
      var actions = el("td", { className: "actions" });
      if (sub.state === "REQUESTED" && mayActAs(owner)) {
        actions.appendChild(decisionButton(sub, owner, "approval", "Approve"));
        actions.appendChild(decisionButton(sub, owner, "rejection", "Reject"));
      }
      body.appendChild(el("tr", { className: "subscription", "data-product": sub.productId, "data-consumer": sub.consumerDomain, "data-state": sub.state },
        showProduct ? el("td", null, productLink(sub.productId)) : null,
        el("td", null, domainLink(sub.consumerDomain)), el("td", null, badge(sub.state)),
        el("td", { text: sub.purpose || "" }), el("td", { className: "fields", text: (sub.fields || []).join(", ") || "all" }),
        el("td", { text: when(sub.requestedAt) }),
        el("td", { text: sub.decidedBy || "" }), actions));
    });
    return el("table", { className: "subscriptions" }, el("thead", null, el("tr", null,
      showProduct ? th("Product") : null, th("Consumer"), th("State"), th("Purpose"), th("Reads"), th("Requested"), th("Decided by"), th(""))), body);
  }
  function decisionButton(sub, owner, kind, text) {
    return el("button", { type: "button", className: "decide " + kind, "data-decision": kind, onclick: function (ev) {
      var b = ev.currentTarget;
      b.disabled = true;
      api("/products/" + encodeURIComponent(sub.productId) + "/subscriptions/" + encodeURIComponent(sub.consumerDomain) + "/" + kind,
        { method: "POST", domain: owner }).then(function (done) {
        var row = b.closest("tr");
        row.dataset.state = done.state;
        row.querySelector(".badge").replaceWith(badge(done.state));
        row.querySelector(".actions").replaceChildren(el("span", { className: "muted", text: done.state.toLowerCase() + " as " + owner }));
      }).catch(function (e) { b.disabled = false; fail(e); });
    } }, text);
  }

  // ---- readers, sunset, issues, history ----

  // The consumer groups seen reading the product's topic (its owner's view: who reads without a
  // subscription is the owner's business, not every reader's).
  function readersPanel(id, owner) {
    var s = section("Observed readers", "readers");
    // An open mesh believes the acting domain it is told: tell it the owner's.
    api("/products/" + encodeURIComponent(id) + "/readers", me.security ? {} : { domain: owner }).then(function (r) {
      var readers = r.readers || [];
      s.appendChild(el("p", { className: "muted", text: "consumer groups with committed offsets on " + r.topic +
        (r.observedAt ? ", observed " + when(r.observedAt) : ", not observed yet") }));
      if (!readers.length) { s.appendChild(el("p", { className: "muted", text: "no group reads it" })); return; }
      var body = el("tbody");
      readers.forEach(function (g) {
        body.appendChild(el("tr", { className: "reader", "data-group": g.groupId, "data-standing": g.standing },
          el("td", { text: g.groupId }), el("td", null, g.domain ? domainLink(g.domain) : "–"),
          el("td", null, badge(g.standing), g.flagged ? " flagged" : ""), el("td", { text: String(g.lag) }),
          el("td", { text: when(g.lastCommitAt) })));
      });
      s.appendChild(el("table", null, el("thead", null, el("tr", null,
        th("Group"), th("Domain"), th("Standing"), th("Lag"), th("Last commit"))), body));
    }).catch(function (e) { s.appendChild(el("p", { className: "muted", text: e.message })); });
    return s;
  }

  function retirementPanel(id) {
    var s = section("Sunset", "retirement");
    api("/products/" + encodeURIComponent(id) + "/retirement").then(function (r) {
      s.appendChild(dl([
        ["sunset", when(r.sunsetAt)], ["ready", r.ready ? "yes" : "no"],
        ["blocked by", (r.blockers || []).join(", ") || "nobody"],
        ["reminders sent", (r.remindersSent || []).join(", ") || "none yet"]
      ]));
      var body = el("tbody");
      (r.consumers || []).forEach(function (c) {
        body.appendChild(el("tr", { className: "sunset-consumer", "data-consumer": c.domain, "data-status": c.status },
          el("td", null, domainLink(c.domain)), el("td", null, badge(c.status)),
          el("td", { text: (c.groups || []).join(", ") }), el("td", { text: String(c.lag) })));
      });
      if ((r.consumers || []).length) {
        s.appendChild(el("table", null, el("thead", null, el("tr", null,
          th("Consumer"), th("Status"), th("Groups"), th("Lag"))), body));
      }
    }).catch(function (e) { s.appendChild(el("p", { className: "muted", text: e.message })); });
    return s;
  }

  // The product's issues with its owner's figures; each issue's thread is read when opened.
  function issuesPanel(p) {
    var s = section("Issues", "issues");
    var a = p.accountability;
    if (a && (a.openIssues || a.acknowledgedCount || a.resolvedCount)) {
      var bySeverity = Object.keys(a.openBySeverity || {}).filter(function (k) { return a.openBySeverity[k] > 0; })
        .map(function (k) { return a.openBySeverity[k] + " " + k; }).join(", ");
      s.appendChild(dl([
        ["open", a.openIssues + (bySeverity ? " (" + bySeverity + ")" : "")],
        ["time to acknowledge, p50", duration(a.acknowledgeP50Ms)],
        ["oldest unacknowledged", duration(a.oldestUnacknowledgedMs)],
        ["time to resolve, p50", duration(a.resolveP50Ms)]
      ]));
    }
    api("/products/" + encodeURIComponent(p.id) + "/issues").then(function (list) {
      var issues = (list.issues || []).slice().reverse();
      if (!issues.length) { s.appendChild(el("p", { className: "muted", text: "no issues reported" })); return; }
      issues.forEach(function (i) {
        var thread = el("ol", { className: "thread" });
        var item = el("details", { className: "issue", "data-issue": i.issueId, "data-state": i.state },
          el("summary", null, badge(i.state), " ", el("strong", { text: i.title }), " ",
            el("span", { className: "muted", text: i.kind + " · " + i.severity + " · by " + i.reporterDomain + " · " + when(i.openedAt) })),
          thread);
        item.addEventListener("toggle", function () {
          if (!item.open || thread.childElementCount) { return; }
          api("/products/" + encodeURIComponent(p.id) + "/issues/" + encodeURIComponent(i.issueId)).then(function (full) {
            if (full.description) { thread.appendChild(el("li", { text: full.description })); }
            (full.thread || []).forEach(function (e) {
              var what = e.action === "CHANGE_STATE" ? (e.fromState + " → " + e.toState) : e.action.toLowerCase();
              thread.appendChild(el("li", null, el("span", { className: "when", text: when(e.at) + " " + e.actor + ": " }),
                what + (e.text ? " · " + e.text : "")));
            });
          }).catch(fail);
        });
        s.appendChild(item);
      });
    }).catch(function (e) { s.appendChild(el("p", { className: "muted", text: e.message })); });
    return s;
  }

  // The latest changes, newest first; the API pages oldest first, so read to the end.
  var HISTORY_SHOWN = 25;
  function historyPanel(id) {
    var s = section("History", "history");
    var changes = [];
    function page(after, pages) {
      return api("/products/" + encodeURIComponent(id) + "/history?limit=1000" + (after ? "&after=" + after : "")).then(function (h) {
        changes = changes.concat(h.changes || []).slice(-HISTORY_SHOWN);
        return h.nextAfter && pages < 20 ? page(h.nextAfter, pages + 1) : null;
      });
    }
    page(null, 1).then(function () {
      var body = el("tbody");
      changes.slice().reverse().forEach(function (c) {
        body.appendChild(el("tr", { className: "change", "data-kind": c.kind },
          el("td", { text: when(c.at) }), el("td", { text: c.actor }), el("td", { text: c.kind }),
          el("td", { text: (c.changes || []).map(function (f) {
            return f.field + ": " + (f.before === null ? "–" : f.before) + " → " + (f.after === null ? "–" : f.after);
          }).join("; ") })));
      });
      s.appendChild(el("p", { className: "muted", text: "the latest " + changes.length + " changes, newest first; every one, and the product as of any instant: GET /products/" + id + "/history, ?asOf=" }));
      s.appendChild(el("table", { className: "history" }, el("thead", null, el("tr", null,
        th("When"), th("Who"), th("Kind"), th("What changed"))), body));
    }).catch(function (e) { s.appendChild(el("p", { className: "muted", text: e.message })); });
    return s;
  }

  // ---- contract ----

  function contractPanel(p) {
    var s = section("Contract", "contract");
    var versions = (p.contract.versions || []).slice().sort(function (a, b) { return a.version - b.version; });
    s.appendChild(el("p", { className: "muted", text: "subject " + p.contract.subject + ": " +
      (versions.length ? versions.length + " version" + (versions.length > 1 ? "s" : "") : "no versions yet") }));
    if (!versions.length) { return s; }
    var left = select("diff-left", null, []), right = select("diff-right", null, []);
    [left, right].forEach(function (sel) {
      sel.replaceChildren.apply(sel, versions.map(function (v) {
        return el("option", { value: String(v.version), text: "version " + v.version + " (id " + v.schemaId + ")" });
      }));
    });
    left.value = String(versions[Math.max(0, versions.length - 2)].version);
    right.value = String(versions[versions.length - 1].version);
    var out = el("div", { id: "diff" });
    var rules = el("div", { id: "rules" });
    function show() {
      var a = versions.find(function (v) { return String(v.version) === left.value; });
      var b = versions.find(function (v) { return String(v.version) === right.value; });
      out.replaceChildren(diffTable(pretty(a.schema), pretty(b.schema), a.version, b.version));
      rulesInWords(rules, p.contract.subject, b.version);
    }
    left.addEventListener("change", show); right.addEventListener("change", show);
    s.appendChild(el("div", { className: "filters" }, label("Compare", left), label("with", right)));
    s.appendChild(out);
    s.appendChild(rules);
    show();
    return s;
  }
  function pretty(schema) {
    try { return JSON.stringify(JSON.parse(schema), null, 2).split("\n"); } catch (e) { return schema.split("\n"); }
  }
  // A line diff (longest common subsequence), shown side by side.
  function diffTable(a, b, va, vb) {
    var n = a.length, m = b.length, lcs = [];
    for (var i = 0; i <= n; i++) { lcs.push(new Array(m + 1).fill(0)); }
    for (i = n - 1; i >= 0; i--) {
      for (var j = m - 1; j >= 0; j--) {
        lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    var rows = [], dels = [], adds = [];
    function flush() {
      for (var k = 0; k < Math.max(dels.length, adds.length); k++) {
        rows.push([dels[k], adds[k], dels[k] !== undefined && adds[k] !== undefined ? "changed" : dels[k] !== undefined ? "removed" : "added"]);
      }
      dels = []; adds = [];
    }
    i = 0; j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[i] === b[j]) { flush(); rows.push([a[i], b[j], "same"]); i++; j++; }
      else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) { adds.push(b[j++]); }
      else { dels.push(a[i++]); }
    }
    flush();
    var body = el("tbody");
    // Unchanged runs longer than six lines fold to their first and last three.
    var shown = [], run = [];
    function fold() {
      if (run.length > 6) {
        shown.push.apply(shown, run.slice(0, 3));
        shown.push([null, null, "fold", run.length - 6]);
        shown.push.apply(shown, run.slice(run.length - 3));
      } else { shown.push.apply(shown, run); }
      run = [];
    }
    rows.forEach(function (r) { if (r[2] === "same") { run.push(r); } else { fold(); shown.push(r); } });
    fold();
    shown.forEach(function (r) {
      if (r[2] === "fold") {
        body.appendChild(el("tr", { className: "diff-fold" }, el("td", { colspan: "2", text: "… " + r[3] + " unchanged lines" })));
        return;
      }
      body.appendChild(el("tr", { className: "diff-" + r[2] },
        el("td", { className: "left" }, el("code", { text: r[0] === undefined ? "" : r[0] })),
        el("td", { className: "right" }, el("code", { text: r[1] === undefined ? "" : r[1] }))));
    });
    var changed = rows.filter(function (r) { return r[2] !== "same"; }).length;
    return el("div", null,
      el("p", { className: "muted", id: "diff-summary", text: va === vb ? "the same version on both sides" :
        changed + " line" + (changed === 1 ? "" : "s") + " differ between version " + va + " and version " + vb }),
      el("table", { className: "diff" }, el("thead", null, el("tr", null, th("version " + va), th("version " + vb))), body));
  }
  function rulesInWords(target, subject, version) {
    target.replaceChildren(el("h3", { text: "Data rules of version " + version }));
    api("/subjects/" + encodeURIComponent(subject) + "/versions/" + version).then(function (v) {
      var rules = (v.ruleSet && v.ruleSet.domainRules) || [];
      if (!rules.length) { target.appendChild(el("p", { className: "muted", text: "no data rules" })); return; }
      target.appendChild(el("ul", { className: "rules" }, ...rules.map(function (r) {
        return el("li", null, el("strong", { text: r.name }), ": " + ruleWords(r));
      })));
    }).catch(fail);
  }
  function ruleWords(r) {
    if (r.type !== "MESH") { return "a " + r.type + " rule, which meshbone does not check"; }
    var p = r.params || {}, f = p.field || "?", parts = [];
    if (p.required === "true") { parts.push("must be present"); }
    if (p.min !== undefined && p.max !== undefined) { parts.push("between " + p.min + " and " + p.max); }
    else if (p.min !== undefined) { parts.push("at least " + p.min); }
    else if (p.max !== undefined) { parts.push("at most " + p.max); }
    if (p.pattern !== undefined) { parts.push("matches " + p.pattern); }
    if (p.allowed !== undefined) {
      var allowed = p.allowed.trim().charAt(0) === "[" ? JSON.parse(p.allowed) : p.allowed.split(",");
      parts.push("one of " + allowed.map(function (a) { return String(a).trim(); }).join(", "));
    }
    if (p.minLength !== undefined) { parts.push("at least " + p.minLength + " long"); }
    if (p.maxLength !== undefined) { parts.push("at most " + p.maxLength + " long"); }
    return f + " " + (parts.length ? parts.join("; ") : "(no constraint)") + (r.disabled ? " (disabled)" : "") +
      " — a record that breaks it goes to the dead-letter topic";
  }

  // ---- lineage ----

  function lineagePanel(id) {
    var s = section("Lineage", "lineage");
    var depth = select("lineage-depth", null, []);
    [1, 2, 3, 4, 5].forEach(function (d) { depth.appendChild(el("option", { value: String(d), text: d + (d === 1 ? " step" : " steps") })); });
    depth.value = "2";
    var direction = select("lineage-direction", null, []);
    [["both", "upstream and downstream"], ["upstream", "upstream"], ["downstream", "downstream"]].forEach(function (o) {
      direction.appendChild(el("option", { value: o[0], text: o[1] }));
    });
    var graph = el("div", { id: "lineage-graph", className: "lineage" });
    s.appendChild(el("div", { className: "filters" }, label("Depth", depth), label("Direction", direction),
      el("span", { className: "muted", text: "click a product to open it; data flows left to right" })));
    s.appendChild(graph);
    function load() {
      api("/products/" + encodeURIComponent(id) + "/lineage?depth=" + depth.value + "&direction=" + direction.value)
        .then(function (g) { graph.replaceChildren(lineageSvg(g)); }).catch(fail);
    }
    depth.addEventListener("change", load); direction.addEventListener("change", load);
    load();
    return s;
  }
  // Columns by signed distance from the root: inputs to the left, readers to the right.
  function lineageSvg(g) {
    var level = new Map([[g.root, 0]]);
    var queue = [g.root];
    while (queue.length) {
      var at = queue.shift(), l = level.get(at);
      g.edges.forEach(function (e) {
        if (e.to === at && !level.has(e.from) && l <= 0) { level.set(e.from, l - 1); queue.push(e.from); }
        if (e.from === at && !level.has(e.to) && l >= 0) { level.set(e.to, l + 1); queue.push(e.to); }
      });
    }
    // Products reached by turning around (an input of a reader, a reader of an input): beside the
    // product they connect to.
    for (var changed = true; changed;) {
      changed = false;
      g.edges.forEach(function (e) {
        if (level.has(e.to) && !level.has(e.from)) { level.set(e.from, level.get(e.to) - 1); changed = true; }
        if (level.has(e.from) && !level.has(e.to)) { level.set(e.to, level.get(e.from) + 1); changed = true; }
      });
    }
    g.nodes.forEach(function (n) { if (!level.has(n.id)) { level.set(n.id, n.distance || 0); } });
    var levels = Array.from(new Set(level.values())).sort(function (a, b) { return a - b; });
    var W = 270, H = 46, GX = 60, GY = 18, pos = new Map(), rows = 0;
    levels.forEach(function (lv, col) {
      var ids = g.nodes.map(function (n) { return n.id; }).filter(function (i) { return level.get(i) === lv; }).sort();
      rows = Math.max(rows, ids.length);
      ids.forEach(function (i, row) { pos.set(i, { x: 10 + col * (W + GX), y: 10 + row * (H + GY) }); });
    });
    var width = 20 + levels.length * (W + GX) - GX, height = 20 + rows * (H + GY) - GY;
    var root = svg("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "img",
      "aria-label": "lineage of " + g.root });
    var defs = svg("defs", {});
    var marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto" });
    marker.appendChild(svg("path", { d: "M0,0L10,5L0,10z", fill: "#7b8794" }));
    defs.appendChild(marker); root.appendChild(defs);
    g.edges.forEach(function (e) {
      var a = pos.get(e.from), b = pos.get(e.to);
      if (!a || !b) { return; }
      var x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2;
      if (x2 <= x1) { x1 = a.x + W / 2; y1 = a.y + H; x2 = b.x + W / 2; y2 = b.y; } // a cycle's closing edge
      root.appendChild(svg("path", { d: "M" + x1 + "," + y1 + " C" + (x1 + 35) + "," + y1 + " " + (x2 - 35) + "," + y2 + " " + x2 + "," + y2,
        fill: "none", stroke: "#7b8794", "stroke-width": "1.5", "marker-end": "url(#arrow)", "class": "edge",
        "data-from": e.from, "data-to": e.to }));
    });
    g.nodes.forEach(function (n) {
      var p = pos.get(n.id);
      var group = svg("g", { "class": "node" + (n.id === g.root ? " root" : "") + (n.registered ? "" : " unregistered"),
        "data-product": n.id, transform: "translate(" + p.x + "," + p.y + ")" });
      group.appendChild(svg("rect", { width: W, height: H, rx: 8 }));
      var t1 = svg("text", { x: 10, y: 19, "class": "node-id" }); t1.textContent = n.id;
      var t2 = svg("text", { x: 10, y: 36, "class": "node-meta" });
      t2.textContent = n.registered ? (n.name || "") + (n.status && n.status !== "ACTIVE" ? " · " + n.status : "") : "not registered";
      group.appendChild(t1); group.appendChild(t2);
      if (n.registered && n.id !== g.root) {
        group.setAttribute("tabindex", "0"); group.setAttribute("role", "link");
        group.addEventListener("click", function () { location.hash = "#/product/" + n.id; });
        group.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { location.hash = "#/product/" + n.id; } });
      }
      root.appendChild(group);
    });
    return root;
  }

  // ---- domains ----

  function domainsPage() {
    var s = section("Domains", "domains");
    view.appendChild(s);
    api("/domains").then(function (list) {
      var body = el("tbody");
      list.domains.forEach(function (d) {
        body.appendChild(el("tr", { "data-domain": d.domain }, el("td", null, domainLink(d.domain)),
          el("td", { text: String(d.products) }), el("td", { text: String(d.active) }),
          el("td", { text: String(d.deprecated) }), el("td", { text: String(d.retired) })));
      });
      s.appendChild(el("table", null, el("thead", null, el("tr", null, th("Domain"), th("Products"), th("Active"),
        th("Deprecated"), th("Retired"))), body));
    }).catch(fail);
  }

  function domainPage(domain) {
    document.title = "meshbone · " + domain;
    var acting = mayActAs(domain);
    view.appendChild(el("section", { className: "panel product-head", id: "domain", "data-domain": domain },
      el("h2", { text: domain }),
      el("p", { className: "muted", text: !me.security ? "open mesh: the console acts as " + domain + " here, unchecked"
        : acting ? (me.platform ? me.principal + " (platform) acts for " + domain + " here; each act is audited" : "signed in as " + domain)
          : "signed in as " + (me.domain || me.principal) + ": only " + domain + " (or the platform role) sees its notifications and decides its requests" })));
    var grid = el("div", { className: "grid" });
    view.appendChild(grid);
    var products = section("Products", "domain-products");
    var pending = section("Waiting for approval", "pending");
    var subscribers = section("Subscribers to its products", "domain-subscribers");
    var own = section("Its subscriptions", "domain-subscriptions");
    view.insertBefore(products, grid);
    grid.appendChild(pending);
    view.appendChild(subscribers); view.appendChild(own);
    var items = [];
    // Requests and subscribers; read again when a live notification says a subscription moved.
    function loadSubscribers() {
      return Promise.all(items.map(function (p) {
        return api("/products/" + encodeURIComponent(p.id) + "/subscribers").then(function (l) { return l.subscribers || []; });
      })).then(function (lists) {
        var all = [].concat.apply([], lists);
        var waiting = all.filter(function (s) { return s.state === "REQUESTED"; });
        var others = all.filter(function (s) { return s.state !== "REQUESTED"; });
        pending.replaceChildren(pending.firstChild, waiting.length ? subscriptionTable(waiting, domain, true)
          : el("p", { className: "muted", text: "nothing waiting" }));
        subscribers.replaceChildren(subscribers.firstChild, others.length ? subscriptionTable(others, domain, true)
          : el("p", { className: "muted", text: "none" }));
      }).catch(fail);
    }
    if (acting) {
      grid.appendChild(notificationsPanel(domain, function (n) {
        if (n.type.indexOf("SUBSCRIPTION_") === 0) { loadSubscribers(); }
      }));
    }
    api("/domains/" + encodeURIComponent(domain) + "/products?limit=500").then(function (page) {
      page.items.forEach(function (p) { healthCache.set(p.id, p.health || "UNKNOWN"); });
      return page.items;
    }).then(function (found) {
      items = found;
      var body = el("tbody");
      items.forEach(function (p) { body.appendChild(resultRow(p)); });
      products.appendChild(el("table", { className: "results" }, el("thead", null, el("tr", null, th("Product"), th("Name"),
        th("Owner"), th("Status"), th("Health"), th("Classification"), th("Tags"))), body));
      return loadSubscribers();
    }).catch(fail);
    // Its own subscriptions: the API has no per-consumer list, so the console reads the subscribers
    // of every product (up to 500) and keeps this domain's.
    api("/products?limit=500").then(function (page) {
      return Promise.all(page.items.filter(function (p) { return p.domain !== domain; }).map(function (p) {
        return api("/products/" + encodeURIComponent(p.id) + "/subscribers").then(function (l) {
          return (l.subscribers || []).filter(function (s) { return s.consumerDomain === domain; });
        });
      }));
    }).then(function (lists) {
      var mine = [].concat.apply([], lists);
      own.appendChild(mine.length ? subscriptionTable(mine, null, true) : el("p", { className: "muted", text: "none" }));
    }).catch(fail);
  }

  // The latest notifications, then live ones from the server-sent-event stream. Read with fetch
  // rather than EventSource, which cannot send the X-Mesh-Domain header.
  function notificationsPanel(domain, onLive) {
    var s = section("Notifications", "notifications");
    var state = el("span", { id: "stream-state", className: "badge", "data-state": "UNKNOWN", text: "connecting" });
    var items = el("ul", { id: "notification-list", className: "notifications" });
    s.querySelector("h2").append(" ", state);
    s.appendChild(items);
    var seen = new Set();
    function add(n, live) {
      if (!n || !n.id || seen.has(n.id)) { return; }
      seen.add(n.id);
      var li = el("li", { className: "notification" + (live ? " live" : ""), "data-type": n.type, "data-product": n.productId || "" },
        el("span", { className: "when", text: when(n.createdAt) }), " ",
        el("strong", { text: n.type }), " ", n.summary || "");
      if (live) { items.insertBefore(li, items.firstChild); } else { items.appendChild(li); }
    }
    var controller = new AbortController();
    pageGone = function () { controller.abort(); };
    var path = "/domains/" + encodeURIComponent(domain) + "/notifications";
    api(path + "?limit=20", { domain: domain }).then(function (list) {
      (list.notifications || []).forEach(function (n) { add(n, false); });
    }).catch(fail);
    fetch(location.origin + path + "/stream", { headers: { Accept: "text/event-stream", "X-Mesh-Domain": domain },
      signal: controller.signal }).then(function (r) {
      if (!r.ok) { throw new Error("the notification stream answered " + r.status); }
      state.textContent = "live"; state.dataset.state = "HEALTHY";
      var reader = r.body.getReader(), decoder = new TextDecoder(), buffer = "";
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) { state.textContent = "ended"; state.dataset.state = "STALE"; return; }
          buffer += decoder.decode(chunk.value, { stream: true });
          var events = buffer.split(/\r?\n\r?\n/);
          buffer = events.pop();
          events.forEach(function (block) {
            var data = block.split(/\r?\n/).filter(function (l) { return l.indexOf("data:") === 0; })
              .map(function (l) { return l.substring(5).replace(/^ /, ""); }).join("\n");
            if (data) { var n = JSON.parse(data); if (n.type) { add(n, true); onLive(n); } }
          });
          return pump();
        });
      }
      return pump();
    }).catch(function (e) {
      if (e.name === "AbortError") { return; }
      state.textContent = "down"; state.dataset.state = "BREACHED"; fail(e);
    });
    return s;
  }

  // ---- start ----

  function qualityUrl() {
    return me.qualityUrl || (location.protocol + "//" + location.hostname + ":8083/");
  }

  api("/console/me").then(function (who) {
    me = who;
    document.getElementById("nav-quality").href = qualityUrl();
    document.getElementById("who").textContent = !who.security ? "security OFF (open mesh)"
      : who.principal ? "signed in as " + who.principal + (who.platform ? " (platform)" : "") : "anonymous";
  }).catch(fail).then(function () {
    window.addEventListener("hashchange", route);
    route();
  });
})();
