"use strict";
// The dashboard: polls /api/models for what is new since its last look and draws it with uPlot.
// The data are the engine's eddy.metrics reports as published (one per task and interval), so every
// plotted point and every number in the tables is a value some report carried.
const Eddy = (() => {
  const POLL_MS = 2000;
  const KEEP_REPORTS = 3600;
  const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
  // Each chart plots the fields a model's reports carry among these; charts marked always show even empty.
  const CHARTS = [
    {id: "loss", title: "Prequential loss", fields: ["logLoss", "baselineLogLoss", "loss"]},
    {id: "quality", title: "Accuracy / AUC / recall@k", fields: ["accuracy", "auc"], match: /^recall/i},
    {id: "rmse", title: "RMSE", fields: ["rmse"]},
    {id: "rate", title: "Events/s", fields: ["eventsPerSecond"], always: true},
    {id: "latency", title: "Latency, ms (p50, p99)", fields: ["p50Ms", "p99Ms"], always: true},
    {id: "dlq", title: "Rejected to eddy.dlq (total)", fields: ["rejected"], always: true},
    // alarm counts since each task started; lastDriftAtEvent and lastDriftTimestamp are positions, not counts
    {id: "drift", title: "Drift alarms (total)", fields: ["driftAlarms"], match: /^drift/i, always: true},
  ];
  const QUALITY = ["logLoss", "baselineLogLoss", "loss", "accuracy", "auc", "rmse"];
  const NOT_FIGURES = new Set(["model", "task", "timestamp", "seq", "stale"]);

  const models = new Map(); // name -> {reports: Map task -> [report], card, charts: {id: {plot, signature}}}
  const state = {lastSeq: 0, refreshes: 0, error: null};
  let only = null;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value !== undefined && value !== null) {
        node.setAttribute(key, value);
      }
    }
    for (const child of children) {
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  /** A published value as text: exactly as the report had it. */
  function fmt(value) {
    if (value === null || value === undefined) {
      return "\u2013";
    }
    return String(value);
  }

  function isFigure(value) {
    return typeof value === "number" || typeof value === "boolean";
  }

  async function refresh() {
    const query = "since=" + state.lastSeq + (only ? "&name=" + encodeURIComponent(only) : "");
    try {
      const response = await fetch("/api/models?" + query, {cache: "no-store"});
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      const view = await response.json();
      apply(view);
      state.error = null;
      document.getElementById("updated").textContent = "updated " + new Date(view.now).toLocaleTimeString();
    } catch (error) {
      state.error = String(error);
      document.getElementById("updated").textContent = "cannot reach the engine: " + error;
    }
    state.refreshes++;
    setTimeout(refresh, POLL_MS);
  }

  function apply(view) {
    const present = new Set();
    for (const model of view.models) {
      present.add(model.name);
      let entry = models.get(model.name);
      if (!entry || entry.incarnation !== model.definition.incarnation) {
        if (entry) {
          entry.card.remove();
        }
        entry = {reports: new Map(), card: null, charts: Object.create(null),
          incarnation: model.definition.incarnation};
        models.set(model.name, entry);
      }
      for (const report of model.history) {
        const list = entry.reports.get(report.task) || [];
        list.push(report);
        if (list.length > KEEP_REPORTS) {
          list.shift();
        }
        entry.reports.set(report.task, list);
      }
      render(model, entry);
    }
    for (const [name, entry] of models) {
      if (!present.has(name)) {
        entry.card.remove();
        models.delete(name);
      }
    }
    state.lastSeq = view.lastSeq;
    document.getElementById("empty").style.display = models.size ? "none" : "";
  }

  function render(model, entry) {
    const definition = model.definition;
    if (!entry.card) {
      entry.card = el("section", {"class": "model", "data-model": model.name});
      entry.card.append(el("h2"), el("div", {"class": "stats"}), el("div", {"class": "charts"}));
      document.getElementById("models").append(entry.card);
    }
    const title = entry.card.querySelector("h2");
    const reporting = model.summary.reporting;
    title.replaceChildren(
        only ? el("span", {}, model.name) : el("a", {href: "/model?name=" + encodeURIComponent(model.name)},
            model.name),
        el("span", {"class": "badge", "data-stat": "type"}, definition.type),
        el("span", {"class": "badge " + definition.status, "data-stat": "status"}, definition.status),
        el("span", {"class": "badge" + (reporting ? "" : " stale")},
            reporting ? "reporting" : (model.summary.tasks ? "not reporting" : "no report yet")),
        el("span", {"class": "badge"}, model.runningHere ? "runs in this engine" : "runs elsewhere"));
    entry.card.querySelector(".stats").replaceChildren(...stats(model));
    renderCharts(entry);
    if (only) {
      renderDetails(model);
    }
  }

  function stat(key, label, value) {
    return el("div", {"class": "stat"}, el("b", {"data-stat": key}, fmt(value)), el("span", {}, label));
  }

  function stats(model) {
    const summary = model.summary;
    const fresh = model.tasks.filter((task) => !task.stale);
    const maxOf = (field) => {
      const values = fresh.map((task) => task[field]).filter((v) => typeof v === "number");
      return values.length ? Math.max(...values) : null;
    };
    const list = [
      stat("generation", "generation", model.definition.generation),
      stat("updates", "updates absorbed", summary.updates),
      stat("seen", "events seen", summary.seen),
      stat("eventsPerSecond", "events/s", summary.eventsPerSecond),
      stat("p50Ms", "p50 ms", maxOf("p50Ms")),
      stat("p99Ms", "p99 ms", maxOf("p99Ms")),
      stat("rejected", "rejected (eddy.dlq)", summary.rejected),
    ];
    for (const field of QUALITY) {
      const values = model.tasks.map((task) => task[field]).filter((v) => typeof v === "number");
      if (values.length) {
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        const label = values.length > 1 ? field + " (mean of " + values.length + " tasks)" : field;
        list.push(stat(field, label, values.length > 1 ? Math.round(mean * 1e4) / 1e4 : values[0]));
      }
    }
    if (typeof summary.driftAlarms === "number") {
      const alarms = stat("driftAlarms", "drift alarms", summary.driftAlarms);
      if (summary.driftAlarms > 0) {
        alarms.classList.add("alarm");
      }
      const last = summary.lastDriftTimestamp;
      list.push(alarms, stat("lastDriftTimestamp", "last drift alarm",
          typeof last === "number" ? new Date(last).toLocaleTimeString() : "none"));
    }
    return list;
  }

  /** The (task, field) series of one chart, in a fixed order, and the points they have. */
  function seriesOf(chart, entry) {
    const series = [];
    for (const [task, reports] of [...entry.reports.entries()].sort()) {
      const fields = new Set();
      for (const report of reports) {
        for (const [key, value] of Object.entries(report)) {
          if (typeof value === "number" && (chart.fields.includes(key) || (chart.match && chart.match.test(key)))) {
            fields.add(key);
          }
        }
      }
      const ordered = [...fields].sort((a, b) => order(chart, a) - order(chart, b));
      for (const field of ordered) {
        series.push({task, field, reports});
      }
    }
    return series;
  }

  function order(chart, field) {
    const index = chart.fields.indexOf(field);
    return index < 0 ? chart.fields.length : index;
  }

  function paddedRange(u, min, max) {
    if (min == null || max == null) {
      return [0, 1];
    }
    const span = max - min;
    const pad = span > 0 ? span * 0.08 : Math.max(Math.abs(max) * 0.08, 1);
    return [min - pad, max + pad];
  }

  function chartData(series) {
    const times = new Set();
    for (const s of series) {
      for (const report of s.reports) {
        if (typeof report[s.field] === "number") {
          times.add(report.timestamp / 1000);
        }
      }
    }
    const xs = [...times].sort((a, b) => a - b);
    const data = [xs];
    for (const s of series) {
      const byTime = new Map();
      for (const report of s.reports) {
        if (typeof report[s.field] === "number") {
          byTime.set(report.timestamp / 1000, report[s.field]);
        }
      }
      data.push(xs.map((x) => (byTime.has(x) ? byTime.get(x) : null)));
    }
    return data;
  }

  function renderCharts(entry) {
    const container = entry.card.querySelector(".charts");
    const name = entry.card.getAttribute("data-model");
    // maps without a prototype: a model may be named "__proto__" or "constructor"
    if (!Object.hasOwn(window.eddyCharts, name)) {
      window.eddyCharts[name] = Object.create(null);
    }
    for (const chart of CHARTS) {
      const series = seriesOf(chart, entry);
      let slot = container.querySelector('[data-chart="' + chart.id + '"]');
      if (!series.length && !chart.always) {
        if (slot) {
          slot.remove();
        }
        continue;
      }
      if (!slot) {
        slot = el("div", {"class": "chart", "data-chart": chart.id}, el("h3", {}, chart.title), el("div"));
        container.append(slot);
      }
      const body = slot.lastChild;
      const signature = series.map((s) => s.task + "/" + s.field).join(",");
      const existing = entry.charts[chart.id];
      if (!series.length) {
        if (existing) {
          existing.plot.destroy();
          delete entry.charts[chart.id];
          delete window.eddyCharts[name][chart.id];
        }
        body.replaceChildren(el("div", {"class": "none"}, "none reported"));
        continue;
      }
      const data = chartData(series);
      if (existing && existing.signature === signature) {
        existing.plot.setData(data);
        continue;
      }
      if (existing) {
        existing.plot.destroy();
      }
      body.replaceChildren();
      const tasks = new Set(series.map((s) => s.task));
      const plot = new uPlot({
        width: Math.max(300, slot.clientWidth - 4),
        height: 170,
        // room above and below the data, so that a line at its extreme (a p50 latency of 0 ms, say) is
        // drawn inside the plot rather than on its edge
        scales: {x: {time: true}, y: {range: paddedRange}},
        axes: [{}, {size: 56}],
        series: [{}].concat(series.map((s, i) => ({
          label: tasks.size > 1 ? s.field + " " + s.task : s.field,
          stroke: COLORS[i % COLORS.length],
          width: 2,
          dash: s.field.startsWith("baseline") ? [6, 4] : undefined,
          spanGaps: true,
        }))),
      }, data, body);
      entry.charts[chart.id] = {plot, signature};
      window.eddyCharts[name][chart.id] = plot;
    }
  }

  function table(headers, rows, attrs) {
    return el("table", attrs || {}, el("tr", {}, ...headers.map((h) => el("th", {}, h))), ...rows);
  }

  function renderDetails(model) {
    const definition = model.definition;
    const details = document.getElementById("details");
    const params = Object.keys(definition.params || {}).sort().map((key) => el("tr", {"data-param": key},
        el("td", {}, key), el("td", {"class": "num"}, fmt(definition.params[key])),
        el("td", {"class": "num"}, fmt((definition.initialParams || {})[key]))));
    const snapshots = (definition.snapshots || []).map((s) => el("tr", {"data-snapshot": s.name},
        el("td", {}, s.name), el("td", {"class": "num"}, fmt(s.generation)), el("td", {}, s.createdAt)));
    const about = [["input topic", definition.inputTopic], ["output topic", definition.outputTopic],
      ["partitions", definition.partitions], ["backend", definition.backend || "the engine's"],
      ["application id", definition.applicationId], ["created", definition.createdAt],
      ["last changed", definition.updatedAt]].map(([k, v]) => el("tr", {}, el("td", {}, k), el("td", {}, fmt(v))));
    const fields = [];
    for (const task of model.tasks) {
      for (const [key, value] of Object.entries(task)) {
        if (!NOT_FIGURES.has(key) && (isFigure(value) || value === null) && !fields.includes(key)) {
          fields.push(key);
        }
      }
    }
    const taskRows = model.tasks.map((task) => el("tr", {"data-task": task.task, "data-timestamp": task.timestamp},
        el("td", {}, task.task + (task.stale ? " (not reporting)" : "")),
        el("td", {}, new Date(task.timestamp).toLocaleTimeString()),
        ...fields.map((field) => el("td", {"class": "num", "data-field": field}, fmt(task[field])))));
    details.replaceChildren(
        el("h3", {}, "Latest report of each task"),
        el("div", {"class": "scroll"}, table(["task", "at"].concat(fields), taskRows, {id: "tasks"})),
        el("h3", {}, "Parameters"),
        params.length ? table(["parameter", "now", "at create"], params, {id: "params"})
            : el("p", {"class": "muted"}, "none"),
        el("h3", {}, "Snapshots"),
        snapshots.length ? table(["snapshot", "generation", "taken"], snapshots, {id: "snapshots"})
            : el("p", {"class": "muted"}, "none yet"),
        el("h3", {}, "Definition"),
        el("table", {id: "definition"}, ...about));
  }

  function start(model) {
    only = model;
    window.eddyCharts = Object.create(null);
    window.eddyState = state;
    if (only) {
      document.title = "Eddy: " + only;
    }
    document.addEventListener("DOMContentLoaded", refresh);
  }

  return {start, fmt};
})();
