// leannet playground: the page. Plain JavaScript, no build step, nothing fetched from elsewhere.
// The server trains; this file sends commands over one WebSocket and draws the snapshots.
"use strict";

const DATASETS = [
  ["circle", "Circle"], ["xor", "XOR"], ["gaussians", "Two Gaussians"], ["spiral", "Spiral"],
  ["moons", "Moons"], ["xor4", "4-point XOR (seed)"], ["binary1d", "One-feature binary (seed)"],
  ["plane", "Plane (regression)"], ["curve", "Quadratic curve (regression)"],
  ["noisy_quadratic", "Noisy quadratic (seed)"],
];
const FEATURES = [["x1", "x₁"], ["x2", "x₂"], ["x1^2", "x₁²"], ["x2^2", "x₂²"], ["x1*x2", "x₁·x₂"],
  ["sin(x1)", "sin x₁"], ["sin(x2)", "sin x₂"]];
const STRENGTHS = [0, 1e-5, 3e-5, 1e-4, 3e-4, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1];
const RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];
const REG_CONTROLS = [
  // key, label, values (null = none), kind
  ["l1", "L1 on weights: λ₁·Σ|w|", STRENGTHS],
  ["l2", "L2 on weights: λ₂·Σw²", STRENGTHS],
  ["l1_proximal", "Proximal L1 (soft-threshold: exact zeros)", "bool"],
  ["bias_l1", "L1 on biases", STRENGTHS],
  ["bias_l2", "L2 on biases", STRENGTHS],
  ["weight_decay", "Decoupled weight decay λ: w ← w − η·λ·w", [0, 1e-4, 0.001, 0.01, 0.03, 0.1, 0.3, 1]],
  ["dropout", "Dropout rate after hidden layers", [0, 0.05, 0.1, 0.2, 0.3, 0.5]],
  ["noise", "Input noise σ", [0, 0.05, 0.1, 0.2, 0.5, 1]],
  ["max_norm", "Max-norm of each unit's weights", [null, 0.5, 1, 2, 3, 5]],
  ["early_stopping", "Early stopping patience (epochs, on test loss)", [0, 5, 10, 20, 50, 100]],
];
const ORANGE = [245, 147, 34], BLUE = [8, 119, 189], WHITE = [255, 255, 255];
const PALETTE = [ORANGE, BLUE, [76, 175, 80], [156, 39, 176], [229, 57, 53], [0, 172, 193],
  [121, 85, 72], [96, 125, 139], [255, 193, 7], [63, 81, 181]];
const NET_COLORS = [["#222", "#222"], ["#8e24aa", "#8e24aa"]];

const token = new URLSearchParams(location.search).get("token") || "";
let ws = null, snap = null, points = null, settings = null, selection = null;
let compareOn = false, playing = false;
const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------------------------ helpers
function send(msg) {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}
function setSettings(changes, which) { send({type: "set", changes, which: which || "a"}); }
function fmt(v, digits) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e4)) return v.toExponential(2);
  return v.toFixed(digits === undefined ? 3 : digits);
}
function bytes(b64) {
  const s = atob(b64), out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
function floats(b64) { return new Float32Array(bytes(b64).buffer); }
function mix(a, b, t) { return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * t)); }
function diverging(t) { // 0 = orange, 0.5 = white, 1 = blue
  return t < 0.5 ? mix(ORANGE, WHITE, t * 2) : mix(WHITE, BLUE, (t - 0.5) * 2);
}
function rgb(c, alpha) { return alpha === undefined ? `rgb(${c})` : `rgba(${c},${alpha})`; }
function showMessage(text, kind) {
  const box = $("message");
  box.textContent = text;
  box.className = kind || "info";
  box.hidden = !text;
}
function option(select, value, text) {
  const o = document.createElement("option");
  o.value = String(value);
  o.textContent = text === undefined ? String(value) : text;
  select.appendChild(o);
  return o;
}
function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// ------------------------------------------------------------------------------------ controls
function buildControls() {
  const ds = $("dataset");
  for (const [v, t] of DATASETS) option(ds, v, t);
  option(ds, "upload", "Uploaded CSV").disabled = true;
  ds.addEventListener("change", () => {
    // the seeds' 4-point XOR trains on all four points (a test split would take two of them)
    setSettings(ds.value === "xor4" ? {dataset: ds.value, train_ratio: 1} : {dataset: ds.value});
  });
  for (const [key, scale] of [["n_points", 1], ["data_noise", 1], ["train_ratio", 1]]) {
    const input = $(key);
    input.addEventListener("input", () => { $(key + "-out").textContent = input.value; });
    input.addEventListener("change", () => setSettings({[key]: Number(input.value) * scale}));
  }
  $("regenerate").addEventListener("click", () => send({type: "regenerate"}));
  const feats = $("features");
  for (const [v, t] of FEATURES) {
    const id = "feat-" + v.replace(/[^a-z0-9]/g, "_");
    const label = el("label", {class: "feature", for: id});
    const box = el("input", {type: "checkbox", id, "data-feature": v});
    const thumb = el("canvas", {width: 28, height: 28, class: "thumb", "aria-hidden": "true"});
    label.append(box, thumb, document.createTextNode(" " + t));
    feats.appendChild(label);
    box.addEventListener("change", () => {
      const chosen = [...feats.querySelectorAll("input:checked")].map((b) => b.dataset.feature);
      setSettings({features: chosen});
    });
  }
  for (const v of RATES) option($("lr"), v);
  for (const key of ["optimizer", "lr", "momentum", "lr_schedule", "lr_decay", "lr_every", "lr_epochs", "batch_size"]) {
    $(key).addEventListener("change", () => {
      const v = $(key).value;
      setSettings({[key]: key === "optimizer" || key === "lr_schedule" ? v : Number(v)});
    });
  }
  $("activation").addEventListener("change", () => setSettings({activation: $("activation").value}));
  $("seed").addEventListener("change", () => setSettings({seed: Math.max(0, parseInt($("seed").value, 10) || 0)}));
  $("add-layer").addEventListener("click", () => {
    if (settings.hidden.length < 6) setSettings({hidden: [...settings.hidden, 4]});
  });
  $("remove-layer").addEventListener("click", () => {
    if (settings.hidden.length > 0) setSettings({hidden: settings.hidden.slice(0, -1)});
  });
  $("play").addEventListener("click", togglePlay);
  $("step").addEventListener("click", () => send({type: "step"}));
  $("epoch-btn").addEventListener("click", () => send({type: "epoch"}));
  $("reset").addEventListener("click", () => send({type: "reset"}));
  $("speed").addEventListener("change", () => send({type: "speed", value: Number($("speed").value)}));
  $("compare").addEventListener("change", () => {
    send({type: "compare", on: $("compare").checked, overrides: {l2: 0.01}});
  });
  const exportNet = () => (compareOn ? Number($("export-net").value) : 0);
  $("save").addEventListener("click", () => { showMessage("saving…"); send({type: "save", net: exportNet()}); });
  $("code").addEventListener("click", () => send({type: "code", net: exportNet()}));
  $("link").addEventListener("click", copyLink);
  $("show-test").addEventListener("change", () => drawAll());
  $("discretize").addEventListener("change", () => drawAll());
  $("csv").addEventListener("change", uploadFile);
  $("use-columns").addEventListener("click", () => {
    const features = [...$("feature-cols").querySelectorAll("input:checked")].map((b) => b.value);
    send({type: "use_columns", target: $("target").value, features});
  });
  $("target").addEventListener("change", () => fillFeatureColumns(null));
  for (const id of ["pick-net", "pick-layer", "pick-i", "pick-j"]) $(id).addEventListener("change", pickFromSelects);
  document.addEventListener("keydown", (e) => {
    const tag = (e.target.tagName || "").toLowerCase();
    if (["input", "select", "textarea"].includes(tag) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === " ") {
      if (tag === "button") return; // Space already presses the focused button
      e.preventDefault(); togglePlay();
    }
    else if (e.key === "s") send({type: "step"});
    else if (e.key === "e") send({type: "epoch"});
    else if (e.key === "r") send({type: "reset"});
  });
}

function regPanel(which) {
  const box = el("div", {class: "reg-panel", "data-which": which});
  if (compareOn) box.appendChild(el("h3", {}, which === "a" ? "Network A" : "Network B"));
  for (const [key, label, values] of REG_CONTROLS) {
    const id = (which === "b" ? "b-" : "") + key;
    const row = el("div", {class: "row"});
    if (values === "bool") {
      const input = el("input", {type: "checkbox", id});
      const lab = el("label", {for: id, class: "toggle"});
      lab.append(input, document.createTextNode(" " + label));
      row.appendChild(lab);
      input.addEventListener("change", () => setSettings({[key]: input.checked}, which));
    } else {
      row.appendChild(el("label", {for: id}, label));
      const select = el("select", {id});
      for (const v of values) option(select, v === null ? "none" : v, v === null ? "none" : String(v));
      row.appendChild(select);
      select.addEventListener("change", () => {
        const v = select.value === "none" ? null : Number(select.value);
        setSettings({[key]: v}, which);
      });
    }
    box.appendChild(row);
  }
  return box;
}

function buildRegPanels() {
  const host = $("reg-panels");
  host.replaceChildren(regPanel("a"));
  if (compareOn) host.appendChild(regPanel("b"));
}

function togglePlay() { send({type: playing ? "pause" : "play"}); }

function copyLink() {
  const query = snap ? snap.query : "";
  const link = location.origin + "/" + (query ? "?" + query : "");
  const done = () => showMessage("Link copied (settings only, no token): " + link +
    " — it opens these settings in a browser that has opened this playground with its token.");
  if (navigator.clipboard) navigator.clipboard.writeText(link).then(done, () => showMessage("Link: " + link));
  else showMessage("Link: " + link);
}

async function uploadFile() {
  const file = $("csv").files[0];
  if (!file) return;
  if (file.size > 2000000) {
    showMessage(`${file.name}: ${(file.size / 1e6).toFixed(1)} MB is over the playground's limit of 2 MB`, "error");
    return;
  }
  const text = await file.text();
  send({type: "upload", name: file.name, text});
}

let uploadColumns = [];
function showColumns(msg) {
  uploadColumns = msg.columns;
  const target = $("target");
  target.replaceChildren();
  for (const c of msg.columns) option(target, c);
  target.value = msg.columns[msg.columns.length - 1];
  fillFeatureColumns(msg.columns.filter((c) => c !== target.value).slice(0, 2));
  $("columns").hidden = false;
  showMessage(`${msg.name}: ${msg.columns.length} columns; pick the target and one or two features`);
}
function fillFeatureColumns(chosen) {
  const host = $("feature-cols");
  const previous = chosen || [...host.querySelectorAll("input:checked")].map((b) => b.value);
  host.replaceChildren();
  uploadColumns.forEach((c, k) => {
    if (c === $("target").value) return;
    const id = "col-" + k;
    const lab = el("label", {for: id, class: "toggle"});
    const box = el("input", {type: "checkbox", id, value: c});
    box.checked = previous.includes(c);
    lab.append(box, document.createTextNode(" " + c));
    host.appendChild(lab);
  });
}

// ------------------------------------------------------------------------------------ syncing
function syncControls() {
  const s = settings;
  $("dataset").value = s.dataset;
  for (const key of ["n_points", "data_noise", "train_ratio"]) {
    $(key).value = s[key];
    $(key + "-out").textContent = s[key];
  }
  const generated = s.dataset !== "upload"; // points, noise and data seed belong to the generators
  for (const id of ["n_points", "data_noise", "regenerate"]) $(id).disabled = !generated;
  const dims = snap.dims;
  for (const box of $("features").querySelectorAll("input")) {
    const f = box.dataset.feature;
    box.checked = s.features.includes(f);
    box.disabled = dims === 0 || (dims === 1 && f.includes("x2"));
  }
  for (const key of ["optimizer", "lr", "momentum", "lr_schedule", "lr_decay", "lr_every", "lr_epochs", "batch_size"]) {
    ensureOption($(key), s[key]);
  }
  $("momentum-row").hidden = s.optimizer !== "sgd";
  $("decay-row").hidden = s.lr_schedule === "constant" || s.lr_schedule === "cosine";
  $("cosine-row").hidden = s.lr_schedule !== "cosine";
  $("activation").value = s.activation;
  if (document.activeElement !== $("seed")) $("seed").value = s.seed;
  $("layer-count").textContent = `${s.hidden.length} hidden layer${s.hidden.length === 1 ? "" : "s"}`;
  const units = $("unit-buttons");
  units.replaceChildren();
  s.hidden.forEach((n, k) => {
    const g = el("span", {class: "units"});
    const minus = el("button", {type: "button", "aria-label": `Remove a unit from layer ${k + 1}`}, "−");
    const plus = el("button", {type: "button", "aria-label": `Add a unit to layer ${k + 1}`}, "+");
    minus.addEventListener("click", () => { if (n > 1) setSettings({hidden: s.hidden.map((h, i) => i === k ? h - 1 : h)}); });
    plus.addEventListener("click", () => { if (n < 32) setSettings({hidden: s.hidden.map((h, i) => i === k ? h + 1 : h)}); });
    g.append(minus, el("span", {}, `${n} unit${n === 1 ? "" : "s"}`), plus);
    units.appendChild(g);
  });
  snap.nets.forEach((net, i) => {
    const prefix = i === 0 ? "" : "b-";
    for (const [key, , values] of REG_CONTROLS) {
      const input = $(prefix + key);
      if (!input) continue;
      if (values === "bool") input.checked = !!net.settings[key];
      else ensureOption(input, net.settings[key] === null ? "none" : net.settings[key]);
    }
  });
}
function ensureOption(select, value) {
  const v = String(value);
  if (![...select.options].some((o) => o.value === v)) option(select, v);
  select.value = v;
}

// ------------------------------------------------------------------------------------ messages
function onMessage(event) {
  const msg = JSON.parse(event.data);
  if (msg.type === "snapshot") {
    const restart = !!msg.points;
    if (msg.points) points = msg.points;
    if (msg.settings) settings = msg.settings;
    else settings = Object.assign({}, settings, msg.nets[0].settings);
    const wasCompare = compareOn;
    compareOn = msg.nets.length > 1;
    $("compare").checked = compareOn;
    $("export-net").hidden = !compareOn;
    if (restart || wasCompare !== compareOn) buildRegPanels();
    if (!msg.inspect) selection = null;
    snap = msg;
    playing = msg.playing;
    $("play").textContent = playing ? "❚❚ Pause" : "▶ Play";
    $("play").setAttribute("aria-pressed", String(playing));
    $("play").setAttribute("aria-label", playing ? "Pause" : "Play");
    syncControls();
    drawAll();
    const url = "?" + [token ? "token=" + encodeURIComponent(token) : "", msg.query].filter(Boolean).join("&");
    if (location.search !== url) history.replaceState(null, "", url);
    if (msg.paused_reason) showMessage(msg.paused_reason, "warn");
  } else if (msg.type === "error") {
    showMessage(msg.message, "error");
  } else if (msg.type === "info") {
    showMessage(msg.message);
  } else if (msg.type === "columns") {
    showColumns(msg);
  } else if (msg.type === "saved") {
    const test = msg.metrics.test || msg.metrics.train;
    const which = msg.metrics.test ? "test" : "train";
    const metric = "accuracy" in test ? "accuracy" : "r2";
    const box = $("message");
    showMessage(`Saved ${msg.run_dir} — ${which}: data loss ${fmt(test.data_loss, 4)}, ` +
      `${metric} ${fmt(test[metric], 4)}. ${msg.note}. Repeat it: ${msg.command}`);
    box.dataset.runDir = msg.run_dir;
  } else if (msg.type === "code") {
    showCode(msg);
  }
}

function showCode(msg) {
  const body = $("dialog-body");
  body.replaceChildren(
    el("p", {class: msg.reproducible ? "ok" : "warn"}, msg.note + "."),
    el("h3", {}, "Command line (next to the saved data.csv)"),
    el("pre", {id: "code-command"}, msg.command),
    el("h3", {}, "Python"),
    el("pre", {id: "code-python"}, msg.python),
  );
  $("dialog-title").textContent = "Show as code";
  $("dialog").showModal();
}

// ------------------------------------------------------------------------------------ drawing
function drawAll() {
  if (!snap) return;
  drawMetrics();
  drawBoundaries();
  drawNetworks();
  drawCharts();
  drawInspector();
  $("epoch").textContent = String(snap.nets[0].epoch).padStart(3, "0");
  $("stepcount").textContent = String(snap.nets[0].step);
  $("rate").textContent = playing ? String(Math.round(snap.steps_per_sec)) : "0";
  const w = snap.nets[0].weights;
  $("norm").textContent = fmt(w.norm, 3);
  $("zeros").textContent = String(w.zeros);
  $("nweights").textContent = String(w.n_weights);
  drawFeatureThumbs();
}

function last(arr) { for (let i = arr.length - 1; i >= 0; i--) if (arr[i] !== null) return arr[i]; return null; }

function drawMetrics() {
  const cls = snap.task === "classification";
  $("h-metric").textContent = cls ? "Accuracy: train — test - -" : "R²: train — test - -";
  const table = el("table", {});
  const head = el("tr", {});
  head.append(el("th", {}, ""));
  snap.nets.forEach((_, i) => head.append(el("th", {scope: "col"}, snap.nets.length > 1 ? (i ? "B" : "A") : "")));
  table.append(head);
  const rows = [["train loss", "train_loss"], ["test loss", "test_loss"], ["penalty", "penalty"],
    [cls ? "train accuracy" : "train R²", "train_metric"], [cls ? "test accuracy" : "test R²", "test_metric"]];
  for (const [label, key] of rows) {
    const tr = el("tr", {});
    tr.append(el("th", {scope: "row"}, label));
    snap.nets.forEach((net, i) => {
      const v = last(net.curves[key]);
      const td = el("td", {id: `metric-${key}-${i}`, "data-value": v === null ? "" : String(v)}, fmt(v, 4));
      tr.append(td);
    });
    table.append(tr);
  }
  $("metrics").replaceChildren(table);
}

function boundaryCanvas(i, size) {
  let c = $("boundary-" + i);
  if (!c || c.width !== size) {
    c = el("canvas", {id: "boundary-" + i, width: size, height: size, role: "img", class: "boundary"});
  }
  return c;
}

function drawBoundaries() {
  const host = $("boundaries");
  const n = snap.nets.length;
  const size = n > 1 ? 153 : 250;
  const canvases = snap.nets.map((_, i) => boundaryCanvas(i, size));
  if (host.children.length !== n || [...host.children].some((c, i) => c !== canvases[i])) host.replaceChildren(...canvases);
  snap.nets.forEach((net, i) => {
    const c = canvases[i];
    const label = n > 1 ? (i ? "Network B" : "Network A") : "Network";
    const test = last(net.curves.test_metric);
    c.setAttribute("aria-label", `${label}: ${snap.dims === 2 ? "decision boundary" : snap.dims === 1 ? "fitted curve" : "no boundary (more than two inputs)"}` +
      (test === null ? "" : `, test ${snap.task === "classification" ? "accuracy" : "R²"} ${fmt(test, 3)}`));
    drawBoundary(c, net);
  });
}

function cellColor(out, k, discretize) {
  const v = out.vals[k] / 255;
  if (out.kind === "binary") return diverging(discretize ? (v > 0.5 ? 1 : 0) : v);
  if (out.kind === "classes") {
    const c = PALETTE[out.cls[k] % PALETTE.length];
    return mix(WHITE, c, discretize ? 0.75 : Math.max(0, (v - 0.3) / 0.7) * 0.85);
  }
  return diverging(v);
}

function decodeOutput(net) {
  if (!net.output) return null;
  if (!net._out) {
    net._out = {kind: net.output.kind, vals: bytes(net.output.values),
      cls: net.output.classes ? bytes(net.output.classes) : null};
  }
  return net._out;
}

function drawBoundary(c, net) {
  const ctx = c.getContext("2d");
  const W = c.width, H = c.height;
  ctx.clearRect(0, 0, W, H);
  const out = decodeOutput(net);
  if (!out) {
    ctx.fillStyle = "#f4f4f4"; ctx.fillRect(0, 0, W, H);
    ctx.fillStyle = "#555"; ctx.font = "13px sans-serif";
    ctx.fillText("more than two inputs:", 10, H / 2 - 8);
    ctx.fillText("see the curves and weights", 10, H / 2 + 10);
    return;
  }
  const dom = snap.domain, discretize = $("discretize").checked;
  const showTest = $("show-test").checked;
  if (snap.dims === 2) {
    const G = snap.grid;
    const img = new ImageData(G, G);
    for (let k = 0; k < G * G; k++) {
      const col = mix(cellColor(out, k, discretize), WHITE, 0.35);
      img.data.set([col[0], col[1], col[2], 255], k * 4);
    }
    const off = new OffscreenCanvas(G, G);
    off.getContext("2d").putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(off, 0, 0, W, H);
    const px = (x) => (x - dom[0][0]) / (dom[0][1] - dom[0][0]) * W;
    const py = (y) => H - (y - dom[1][0]) / (dom[1][1] - dom[1][0]) * H;
    const r = W > 200 ? 3.2 : 2.4;
    const drawSet = (pts, ys, stroke) => {
      pts.forEach((p, k) => {
        ctx.beginPath();
        ctx.arc(px(p[0]), py(p[1]), r, 0, 2 * Math.PI);
        ctx.fillStyle = pointColor(ys[k]);
        ctx.fill();
        ctx.lineWidth = 1; ctx.strokeStyle = stroke; ctx.stroke();
      });
    };
    drawSet(points.train, points.train_y, "#fff");
    if (showTest) drawSet(points.test, points.test_y, "#000");
  } else {
    // 1-D: the fitted curve (probability of class 1, or the prediction) over the inputs
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, W, H);
    const cls = snap.task === "classification";
    const [lo, hi] = cls ? [-0.1, 1.1] : snap.target_range;
    const px = (x) => (x - dom[0][0]) / (dom[0][1] - dom[0][0]) * W;
    const py = (y) => H - (y - lo) / (hi - lo) * H;
    ctx.strokeStyle = "#ddd"; ctx.lineWidth = 1;
    for (const y of cls ? [0, 0.5, 1] : []) { ctx.beginPath(); ctx.moveTo(0, py(y)); ctx.lineTo(W, py(y)); ctx.stroke(); }
    const drawSet = (pts, ys, stroke) => {
      pts.forEach((p, k) => {
        const y = cls ? ys[k] + ((k * 37) % 11 - 5) * 0.008 : ys[k];
        ctx.beginPath();
        ctx.arc(px(p[0]), py(y), 2.6, 0, 2 * Math.PI);
        ctx.fillStyle = cls ? pointColor(ys[k]) : "#0877bd";
        ctx.fill(); ctx.strokeStyle = stroke; ctx.lineWidth = 1; ctx.stroke();
      });
    };
    drawSet(points.train, points.train_y, "#fff");
    if (showTest) drawSet(points.test, points.test_y, "#000");
    ctx.beginPath();
    const n = snap.grid;
    for (let k = 0; k < n; k++) {
      const x = dom[0][0] + (dom[0][1] - dom[0][0]) * k / (n - 1);
      const v = out.vals[k] / 255;
      const y = cls ? v : lo + v * (hi - lo);
      if (k === 0) ctx.moveTo(px(x), py(y)); else ctx.lineTo(px(x), py(y));
    }
    ctx.strokeStyle = "#222"; ctx.lineWidth = 2; ctx.stroke();
  }
}

function pointColor(y) {
  if (snap.task === "classification") return rgb(PALETTE[y % PALETTE.length]);
  const [lo, hi] = snap.target_range;
  return rgb(diverging((y - lo) / (hi - lo)));
}

// ---- the network diagram
function netCanvas(i) {
  let c = $("net-" + i);
  if (!c) {
    c = el("canvas", {id: "net-" + i, class: "netdiagram", tabindex: "0", role: "img"});
    c.addEventListener("click", (e) => clickLink(i, c, e));
    c.addEventListener("mousemove", (e) => hoverLink(i, c, e));
  }
  return c;
}

function layout(net, W, H) {
  const sizes = [net.weights.layers[0].shape[0], ...net.weights.layers.map((l) => l.shape[1])];
  const cols = sizes.length;
  const nodes = sizes.map((n, l) => {
    const x = 30 + (W - 60) * l / (cols - 1);
    const box = Math.max(6, Math.min(30, (H - 12) / n - 4));
    return Array.from({length: n}, (_, k) => ({x, y: H / 2 + (k - (n - 1) / 2) * (box + 4), box}));
  });
  return nodes;
}

function drawNetworks() {
  const host = $("net-views");
  const n = snap.nets.length;
  const canvases = snap.nets.map((_, i) => netCanvas(i));
  if (host.children.length !== n || [...host.children].some((c, i) => c !== canvases[i])) host.replaceChildren(...canvases);
  const W = Math.max(300, host.clientWidth - 4);
  const H = n > 1 ? 190 : 330;
  snap.nets.forEach((net, i) => {
    const c = canvases[i];
    if (c.width !== W) c.width = W;
    if (c.height !== H) c.height = H;
    const w = net.weights;
    c.setAttribute("aria-label", `${n > 1 ? (i ? "Network B" : "Network A") : "Network"} diagram: ` +
      `${w.n_weights} weights, ${w.zeros} exactly zero, norm ${fmt(w.norm, 3)}; links coloured by sign, ` +
      "thickness by size; zero weights are not drawn");
    drawNetwork(c, net, i);
  });
}

function weightsOf(net) {
  if (!net._W) net._W = net.weights.layers.map((l) => floats(l.W));
  return net._W;
}

function drawNetwork(c, net, which) {
  const ctx = c.getContext("2d");
  const W = c.width, H = c.height;
  ctx.clearRect(0, 0, W, H);
  const nodes = layout(net, W, H);
  const Ws = weightsOf(net);
  let maxAbs = 1e-9, links = 0;
  for (const arr of Ws) for (const v of arr) maxAbs = Math.max(maxAbs, Math.abs(v));
  net.weights.layers.forEach((layer, l) => {
    const [nin, nout] = layer.shape, arr = Ws[l];
    for (let i = 0; i < nin; i++) {
      for (let j = 0; j < nout; j++) {
        const v = arr[i * nout + j];
        if (v === 0) continue; // an exact zero: the link is gone
        const a = nodes[l][i], b = nodes[l + 1][j];
        ctx.beginPath();
        ctx.moveTo(a.x + a.box / 2, a.y);
        ctx.lineTo(b.x - b.box / 2, b.y);
        ctx.strokeStyle = rgb(v > 0 ? BLUE : ORANGE, 0.35 + 0.65 * Math.min(1, Math.abs(v) / maxAbs));
        ctx.lineWidth = 0.4 + 5 * Math.abs(v) / maxAbs;
        ctx.stroke();
        links++;
      }
    }
  });
  c.dataset.links = String(links); // links drawn: every weight that is not exactly zero
  if (selection && selection.net === which && selection.j !== null) {
    const a = nodes[selection.layer][selection.i], b = nodes[selection.layer + 1][selection.j];
    if (a && b) {
      ctx.beginPath(); ctx.moveTo(a.x + a.box / 2, a.y); ctx.lineTo(b.x - b.box / 2, b.y);
      ctx.setLineDash([4, 3]); ctx.strokeStyle = "#000"; ctx.lineWidth = 2; ctx.stroke(); ctx.setLineDash([]);
    }
  }
  // nodes: inputs show their feature, hidden units their own heat map, the output the boundary
  const U = snap.unit_grid;
  nodes.forEach((col, l) => {
    col.forEach((node, k) => {
      const x0 = node.x - node.box / 2, y0 = node.y - node.box / 2;
      let drawn = false;
      if (l > 0 && l < nodes.length - 1 && net.units && node.box >= 4) {
        drawUnitMap(ctx, bytes(net.units[l - 1][k]), U, x0, y0, node.box);
        drawn = true;
      } else if (l === 0 && snap.dims > 0 && node.box >= 4) {
        drawn = drawFeatureMap(ctx, k, x0, y0, node.box);
      } else if (l === nodes.length - 1 && net.output_units && node.box >= 4) {
        drawUnitMap(ctx, bytes(net.output_units[k]), U, x0, y0, node.box);
        drawn = true;
      } else if (l === nodes.length - 1 && col.length === 1 && snap.dims > 0) {
        const thumb = $("boundary-" + which);
        if (thumb) { ctx.drawImage(thumb, x0, y0, node.box, node.box); drawn = true; }
      }
      if (!drawn) { ctx.fillStyle = "#eee"; ctx.fillRect(x0, y0, node.box, node.box); }
      ctx.strokeStyle = "#555"; ctx.lineWidth = 1;
      ctx.strokeRect(x0, y0, node.box, node.box);
    });
  });
  ctx.fillStyle = "#333"; ctx.font = "10px sans-serif";
  nodes[0].forEach((node, k) => {
    const name = snap.feature_names[k] || "";
    ctx.fillText(name.length > 7 ? name.slice(0, 7) + "…" : name, 0, node.y - node.box / 2 - 2);
  });
}

function drawUnitMap(ctx, vals, U, x0, y0, box) {
  if (snap.dims === 2) {
    const img = new ImageData(U, U);
    for (let k = 0; k < U * U; k++) {
      const col = diverging(vals[k] / 255);
      img.data.set([col[0], col[1], col[2], 255], k * 4);
    }
    const off = new OffscreenCanvas(U, U);
    off.getContext("2d").putImageData(img, 0, 0);
    ctx.drawImage(off, x0, y0, box, box);
  } else {
    ctx.fillStyle = "#fff"; ctx.fillRect(x0, y0, box, box);
    ctx.beginPath();
    for (let k = 0; k < vals.length; k++) {
      const x = x0 + box * k / (vals.length - 1), y = y0 + box * (1 - vals[k] / 255);
      if (k === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    }
    ctx.strokeStyle = "#0877bd"; ctx.lineWidth = 1; ctx.stroke();
  }
}

const FEATURE_FNS = {"x1": (a) => a, "x2": (a, b) => b, "x1^2": (a) => a * a, "x2^2": (a, b) => b * b,
  "x1*x2": (a, b) => a * b, "sin(x1)": (a) => Math.sin(a), "sin(x2)": (a, b) => Math.sin(b)};

function featureValues(name, n) {
  const dom = snap.domain, f = FEATURE_FNS[name];
  const vals = [];
  if (snap.dims === 2) {
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
      const x = dom[0][0] + (dom[0][1] - dom[0][0]) * c / (n - 1);
      const y = dom[1][1] - (dom[1][1] - dom[1][0]) * r / (n - 1);
      vals.push(f(x, y));
    }
  } else {
    for (let c = 0; c < n; c++) vals.push(f(dom[0][0] + (dom[0][1] - dom[0][0]) * c / (n - 1), 0));
  }
  const m = Math.max(1e-9, ...vals.map(Math.abs));
  return Uint8Array.from(vals.map((v) => Math.round((v / m + 1) / 2 * 255)));
}

function usedFeatures() {
  return settings.features.filter((f) => snap.dims === 2 || !f.includes("x2"));
}

function drawFeatureMap(ctx, k, x0, y0, box) {
  const name = usedFeatures()[k];
  if (!name || !FEATURE_FNS[name]) return false;
  drawUnitMap(ctx, featureValues(name, snap.unit_grid), snap.unit_grid, x0, y0, box);
  return true;
}

function drawFeatureThumbs() {
  for (const canvas of $("features").querySelectorAll("canvas")) {
    const box = canvas.parentElement.querySelector("input");
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, 28, 28);
    if (snap.dims === 0 || box.disabled) continue;
    drawUnitMap(ctx, featureValues(box.dataset.feature, snap.unit_grid), snap.unit_grid, 0, 0, 28);
  }
}

function linkAt(which, c, e) {
  const net = snap.nets[which];
  const rect = c.getBoundingClientRect();
  const mx = (e.clientX - rect.left) * c.width / rect.width, my = (e.clientY - rect.top) * c.height / rect.height;
  const nodes = layout(net, c.width, c.height);
  const Ws = weightsOf(net);
  let best = null, bestD = 6;
  net.weights.layers.forEach((layer, l) => {
    const [nin, nout] = layer.shape;
    for (let i = 0; i < nin; i++) for (let j = 0; j < nout; j++) {
      if (Ws[l][i * nout + j] === 0) continue;
      const a = nodes[l][i], b = nodes[l + 1][j];
      const ax = a.x + a.box / 2, bx = b.x - b.box / 2;
      if (mx < ax || mx > bx) continue;
      const t = (mx - ax) / (bx - ax), y = a.y + t * (b.y - a.y);
      const d = Math.abs(my - y);
      if (d < bestD) { bestD = d; best = {net: which, layer: l, i, j}; }
    }
  });
  return best;
}

function clickLink(which, c, e) {
  const hit = linkAt(which, c, e);
  if (!hit) return;
  select(hit);
}
function hoverLink(which, c, e) {
  const hit = linkAt(which, c, e);
  if (!hit) { c.title = ""; return; }
  const v = weightsOf(snap.nets[which])[hit.layer][hit.i * snap.nets[which].weights.layers[hit.layer].shape[1] + hit.j];
  c.title = `weight ${hit.layer + 1}: ${hit.i + 1} → ${hit.j + 1} = ${fmt(v, 4)} (click for its math)`;
}

function select(sel) {
  selection = sel;
  send({type: "select", ...sel});
  fillPickers();
}

function fillPickers() {
  if (!snap) return;
  const layers = snap.nets[0].weights.layers;
  const pl = $("pick-layer"), pi = $("pick-i"), pj = $("pick-j");
  const sel = selection || {net: 0, layer: 0, i: 0, j: 0};
  $("pick-net-box").hidden = !compareOn;
  $("pick-net").value = String(compareOn ? sel.net : 0);
  const fill = (s, n, labels, value) => {
    if (s.options.length !== labels.length || [...s.options].some((o, k) => o.textContent !== labels[k])) {
      s.replaceChildren();
      labels.forEach((t, k) => option(s, k < n ? k : "bias", t));
    }
    s.value = String(value);
  };
  fill(pl, layers.length, layers.map((l, k) => k === 0 ? "inputs → " + (layers.length > 1 ? "layer 1" : "output") :
    `layer ${k} → ${k === layers.length - 1 ? "output" : "layer " + (k + 1)}`), sel.layer);
  const [nin, nout] = layers[Math.min(sel.layer, layers.length - 1)].shape;
  fill(pi, nin, [...Array.from({length: nin}, (_, k) => sel.layer === 0 ? (snap.feature_names[k] || "input " + (k + 1)) : "unit " + (k + 1)), "bias"],
    sel.j === null ? "bias" : sel.i);
  fill(pj, nout, Array.from({length: nout}, (_, k) => "unit " + (k + 1)), sel.j === null ? sel.i : sel.j);
}

function pickFromSelects() {
  const net = compareOn ? Number($("pick-net").value) : 0;
  const layer = Number($("pick-layer").value);
  const iv = $("pick-i").value, j = Number($("pick-j").value) || 0;
  const shape = snap.nets[0].weights.layers[layer].shape;
  const sel = iv === "bias" ? {net, layer, i: Math.min(j, shape[1] - 1), j: null}
    : {net, layer, i: Math.min(Number(iv), shape[0] - 1), j: Math.min(j, shape[1] - 1)};
  select(sel);
}

function drawInspector() {
  fillPickers();
  const out = $("inspect-out");
  const info = snap.inspect;
  if (!info) { out.replaceChildren(el("p", {class: "hint"}, "No weight selected.")); return; }
  const rows = [["value w", info.value]];
  if (info.grad !== undefined) {
    rows.push(["w before the last step", info.before], ["∂(data loss)/∂w", info.grad_data],
      ["∂(penalty)/∂w", info.grad_penalty], ["gradient used g", info.grad], ["update applied Δw", info.update]);
  }
  const table = el("table", {id: "inspect-table"});
  table.append(el("caption", {}, info.name));
  for (const [k, v] of rows) {
    const tr = el("tr", {});
    tr.append(el("th", {scope: "row"}, k), el("td", {"data-value": String(v)}, fmt(v, 5)));
    table.append(tr);
  }
  out.replaceChildren(table, el("p", {class: "formula"}, info.formula || "Take a step to see the update."));
}

// ---- charts
function chart(canvas, series, opts) {
  const ctx = canvas.getContext("2d");
  const W = canvas.width, H = canvas.height, pad = 4;
  ctx.clearRect(0, 0, W, H);
  let xmax = 1, ymin = Infinity, ymax = -Infinity;
  for (const s of series) {
    s.x.forEach((x, k) => {
      if (s.y[k] === null) return;
      xmax = Math.max(xmax, x);
      if (!s.right) { ymin = Math.min(ymin, s.y[k]); ymax = Math.max(ymax, s.y[k]); }
    });
  }
  if (!Number.isFinite(ymin)) { ymin = 0; ymax = 1; }
  if (opts && opts.zero) ymin = Math.min(0, ymin);
  if (opts && opts.range) [ymin, ymax] = opts.range;
  if (ymax - ymin < 1e-12) ymax = ymin + 1;
  ctx.strokeStyle = "#ccc"; ctx.lineWidth = 1;
  ctx.strokeRect(0.5, 0.5, W - 1, H - 1);
  for (const s of series) {
    let lo = ymin, hi = ymax;
    if (s.right) {
      const vals = s.y.filter((v) => v !== null);
      lo = s.range ? s.range[0] : Math.min(0, ...vals); hi = s.range ? s.range[1] : Math.max(1e-12, ...vals);
      if (hi - lo < 1e-12) hi = lo + 1;
    }
    ctx.beginPath();
    let started = false;
    s.x.forEach((x, k) => {
      const y = s.y[k];
      if (y === null) { started = false; return; }
      const px = pad + (W - 2 * pad) * x / xmax, py = H - pad - (H - 2 * pad) * (y - lo) / (hi - lo);
      if (!started) { ctx.moveTo(px, py); started = true; } else ctx.lineTo(px, py);
    });
    ctx.setLineDash(s.dash ? [4, 3] : []);
    ctx.strokeStyle = s.color; ctx.lineWidth = s.width || 1.5; ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.fillStyle = "#666"; ctx.font = "10px sans-serif";
  ctx.fillText(fmt(ymax, 3), 6, 12);
  ctx.fillText(fmt(ymin, 3), 6, H - 6);
  ctx.fillText(`step ${xmax}`, W - 60, H - 6);
  if (opts && opts.legend) {
    let x = W - 8;
    for (const [text, color] of [...opts.legend].reverse()) {
      const w = ctx.measureText(text).width;
      x -= w + 8;
      ctx.fillStyle = "rgba(255,255,255,0.85)"; ctx.fillRect(x - 3, 2, w + 6, 13);
      ctx.fillStyle = color; ctx.fillText(text, x, 12);
    }
  }
}

function drawCharts() {
  const loss = [], pen = [], met = [], norm = [];
  const legend = [[" train —", "#333"], ["test - -", "#333"]];
  snap.nets.forEach((net, i) => {
    const c = net.curves, color = NET_COLORS[i][0];
    loss.push({x: c.step, y: c.train_loss, color}, {x: c.step, y: c.test_loss, color, dash: true});
    pen.push({x: c.step, y: c.penalty, color: i ? "#8e24aa" : "#d32f2f"});
    met.push({x: c.step, y: c.train_metric, color}, {x: c.step, y: c.test_metric, color, dash: true});
    norm.push({x: c.step, y: c.norm, color: i ? "#8e24aa" : "#1565c0"},
      {x: c.step, y: c.zeros, color: i ? "#ce93d8" : "#ef6c00", dash: true, right: true, range: [0, 1]});
  });
  pen.push({x: snap.nets[0].curves.step, y: snap.nets[0].curves.lr, color: "#2e7d32", right: true, width: 1});
  const ab = snap.nets.length > 1 ? [["A", NET_COLORS[0][0]], ["B", NET_COLORS[1][0]]] : [];
  chart($("loss-chart"), loss, {zero: true, legend: [...ab, ...legend]});
  chart($("penalty-chart"), pen, {zero: true, legend: [["penalty", "#d32f2f"], ["lr", "#2e7d32"]]});
  chart($("metric-chart"), met, snap.task === "classification" ? {range: [0, 1]} : {});
  chart($("norm-chart"), norm, {zero: true, legend: [["‖w‖", "#1565c0"], ["zero share", "#ef6c00"]]});
  drawHistogram();
}

function drawHistogram() {
  const c = $("hist"), ctx = c.getContext("2d");
  const W = c.width, H = c.height;
  ctx.clearRect(0, 0, W, H);
  const w = snap.nets[0].weights;
  const n = w.layers.length, rowH = H / n;
  w.layers.forEach((layer, l) => {
    const counts = layer.hist, max = Math.max(1, ...counts), bw = (W - 70) / counts.length;
    const y0 = l * rowH;
    counts.forEach((v, k) => {
      const h = (rowH - 4) * v / max;
      const mid = (k + 0.5) / counts.length;
      ctx.fillStyle = rgb(diverging(mid));
      ctx.fillRect(70 + k * bw, y0 + rowH - 2 - h, bw - 1, h);
    });
    ctx.fillStyle = "#444"; ctx.font = "10px sans-serif";
    ctx.fillText(`W${l + 1}: ${layer.zeros} zero`, 2, y0 + rowH / 2 + 3);
  });
  const [lo, hi] = w.hist_range;
  ctx.fillStyle = "#777";
  ctx.fillText(fmt(lo, 2), 70, H - 1);
  ctx.fillText(fmt(hi, 2), W - 30, H - 1);
  c.setAttribute("aria-label", `Histogram of weights per layer, range ${fmt(lo, 2)} to ${fmt(hi, 2)}`);
}

// ------------------------------------------------------------------------------------ start
function connect() {
  const proto = location.protocol === "https:" ? "wss" : "ws";
  // without a token in the URL, the cookie set by an earlier visit with the token is used
  const query = token ? `?token=${encodeURIComponent(token)}` : "";
  ws = new WebSocket(`${proto}://${location.host}/ws${query}`);
  ws.addEventListener("open", () => {
    const query = new URLSearchParams(location.search);
    query.delete("token");
    send({type: "hello", query: query.toString()});
  });
  ws.addEventListener("message", onMessage);
  ws.addEventListener("close", (e) => {
    showMessage(`The connection to the playground closed (${e.code}${e.reason ? ": " + e.reason : ""}); ` +
      "is `leannet playground` still running? Reload to reconnect.", "error");
  });
}

buildControls();
buildRegPanels();
connect();
