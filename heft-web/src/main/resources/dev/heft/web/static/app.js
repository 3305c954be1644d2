// heft serve page. Plain JavaScript, no build step and nothing fetched from anywhere but this server.
// Charts are small SVGs drawn here from the API's JSON (the same numbers the tables show), styled by app.css so
// they follow the light/dark colour scheme.
"use strict";

const DTYPES = ["fp32", "bf16", "fp8", "int8", "Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M", "Q2_K", "IQ4_XS",
  "gptq-4bit-g128", "awq-4bit-g128", "nf4-dq"];
const DEFAULTS = { model: "llama-3-8b", dtype: "bf16", context: "4096", batch: "1", mode: "inference",
  optimizer: "adamw", recipe: "mixed", lora: "0", device: "h100-sxm", devices: "", compare: "", config: "" };
const MAX_HEADER = 100000008; // safetensors' cap on a header plus its 8-byte length
const $ = (id) => document.getElementById(id);

// ---- units, as the CLI prints them (heft-core report.Units) ----
function fmtBytes(n) {
  if (n < 1024) return n + " B";
  const suffix = [" B", " KiB", " MiB", " GiB", " TiB", " PiB"];
  let v = n, i = 0;
  while (v >= 1024 && i < suffix.length - 1) { v /= 1024; i++; }
  return v.toFixed(2) + suffix[i];
}
function fmtCount(n) {
  const suffix = ["", " K", " M", " B", " T"];
  let v = n, i = 0;
  while (Math.abs(v) >= 1000 && i < suffix.length - 1) { v /= 1000; i++; }
  return i === 0 ? String(n) : v.toFixed(v >= 100 ? 1 : 2) + suffix[i];
}
function fmtFlops(v) {
  const suffix = ["", " K", " M", " G", " T", " P", " E"];
  let i = 0;
  while (v >= 1000 && i < suffix.length - 1) { v /= 1000; i++; }
  return v.toFixed(v >= 100 ? 1 : 2) + suffix[i] + "FLOP";
}
const exact = (n) => Number(n).toLocaleString("en-US");

// ---- state <-> URL ----
function readState() {
  const q = new URLSearchParams(location.search);
  const s = {};
  for (const k of Object.keys(DEFAULTS)) s[k] = q.get(k) ?? DEFAULTS[k];
  return s;
}
function writeState(s) {
  const q = new URLSearchParams();
  for (const k of Object.keys(DEFAULTS)) if (s[k] !== DEFAULTS[k] && s[k] !== "") q.set(k, s[k]);
  const url = q.toString() ? "?" + q : location.pathname;
  history.replaceState(null, "", url);
}
function formState() {
  return {
    model: $("model").value, dtype: $("dtype").value, context: $("context").value.trim(), batch: $("batch").value,
    mode: $("mode-training").checked ? "training" : "inference", optimizer: $("optimizer").value,
    recipe: $("recipe").value, lora: $("lora").value || "0", device: $("device").value,
    devices: [...$("devices").selectedOptions].map((o) => o.value).join(","), compare: $("compare").value,
    config: state.config,
  };
}
function applyState(s) {
  $("model").value = s.model; $("dtype").value = matchOption($("dtype"), s.dtype); $("context").value = s.context;
  $("batch").value = s.batch; $("mode-training").checked = s.mode === "training";
  $("mode-inference").checked = s.mode !== "training"; $("optimizer").value = s.optimizer; $("recipe").value = s.recipe;
  $("lora").value = s.lora; $("device").value = s.device; $("compare").value = s.compare;
  const chosen = new Set(s.devices ? s.devices.split(",") : []);
  for (const o of $("devices").options) o.selected = chosen.has(o.value);
  $("training-controls").hidden = s.mode !== "training";
  if (s.config) { $("config").value = s.config; $("config-box").open = true; }
}
function matchOption(select, v) {
  for (const o of select.options) if (o.value.toLowerCase() === String(v).toLowerCase()) return o.value;
  return v;
}

// ---- API ----
async function api(path, body) {
  const r = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body) });
  const j = await r.json();
  if (!r.ok) throw new Error(j.error || ("HTTP " + r.status));
  return j;
}
function modelOf(s, which) {
  if (which) return { model: which };
  if (s.config) {
    let c;
    try { c = JSON.parse(s.config); } catch (e) { throw new Error("config.json is not valid JSON: " + e.message); }
    return { config: c };
  }
  return { model: s.model };
}
function scalingContexts(ctx) {
  // Token counts as the engine reads them (Options.Tokens): 8k = 8,192, 1m = 1,048,576.
  const t = String(ctx).trim().toLowerCase().replace(/_/g, "");
  const mult = t.endsWith("k") ? 1024 : t.endsWith("m") ? 1048576 : 1;
  const n = (Number(mult === 1 ? t : t.slice(0, -1)) * mult) || 4096;
  const out = [];
  for (let k = 1; k <= 8; k++) out.push(Math.max(1, Math.round(n * k / 8)));
  return [...new Set(out)].join(",");
}
function memoryRequest(s, base) {
  const m = { ...base, context: s.context, batch: s.batch };
  if (s.mode === "training") {
    Object.assign(m, { train: true, optimizer: s.optimizer, recipe: s.recipe });
    if (Number(s.lora) > 0) m.lora = s.lora;
  } else {
    m.dtype = s.dtype;
  }
  return m;
}

// ---- charts: rendered by the server (/api/chart) from the numbers the JSON API returned ----
// The page sends the data; heft-web draws the SVG (geometry, units, escaping) and app.css colours it for light and
// dark mode. Only SVG that heft's own server wrote is inserted.
async function chart(target, spec) {
  const r = await fetch("/api/chart", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify(spec) });
  const text = await r.text();
  if (!r.ok) throw new Error("chart: " + text);
  target.innerHTML = text;
  return target;
}
function barChart(target, rows, unit, label) {
  return chart(target, { type: "bar", rows, unit, label });
}
function stackChart(target, parts, capacity, capLabel) {
  return chart(target, { type: "stack", parts, capacity, capacity_label: capLabel });
}
function lineChart(target, title, xs, series, unit) {
  return chart(target, { type: "lines", title, xs, series, unit });
}

// ---- tables ----
function table(target, head, rows) {
  const t = $(target);
  t.replaceChildren();
  const tr = document.createElement("tr");
  head.forEach((h) => { const th = document.createElement("th"); th.textContent = h; tr.append(th); });
  t.append(tr);
  for (const r of rows) {
    const row = document.createElement("tr");
    for (const c of r) {
      const td = document.createElement("td");
      if (c && typeof c === "object") {
        td.textContent = c.text;
        if (c.value !== undefined) td.dataset.value = c.value;
        if (c.id) td.id = c.id;
        if (c.cls) td.className = c.cls;
      } else td.textContent = c;
      row.append(td);
    }
    t.append(row);
  }
}

// ---- render ----
let state = readState();
let devices = [];
let seq = 0;

async function refresh() {
  const my = ++seq;
  const s = formState();
  state = s;
  writeState(s);
  $("training-controls").hidden = s.mode !== "training";
  $("status").dataset.state = "loading";
  $("status").textContent = "computing...";
  try {
    const base = modelOf(s);
    const [est, mem, table2, fit] = await Promise.all([
      api("/api/estimate", { ...base, context: scalingContexts(s.context) }),
      api("/api/memory", memoryRequest(s, base)),
      api("/api/memory", { ...base, context: s.context, batch: s.batch, dtypes: DTYPES.join(",") }),
      api("/api/fit", { ...base, context: s.context, batch: s.batch, dtypes: s.dtype,
        ...(s.devices ? { devices: s.devices } : {}) }),
    ]);
    const cmp = s.compare ? await Promise.all([api("/api/estimate", { model: s.compare, context: s.context }),
      api("/api/memory", memoryRequest(s, { model: s.compare }))]) : null;
    if (my !== seq) return; // a newer request is on its way
    await render(s, est, mem, table2, fit, cmp);
    $("status").dataset.state = "ready";
    $("status").textContent = "";
  } catch (e) {
    if (my !== seq) return;
    $("status").dataset.state = "error";
    $("status").textContent = e.message;
  }
}

async function render(s, est, mem, prec, fit, cmp) {
  const sum = $("summary");
  sum.replaceChildren();
  const p = document.createElement("p");
  const big = document.createElement("span");
  big.className = "big"; big.id = "param-count"; big.dataset.value = est.parameters;
  big.textContent = fmtCount(est.parameters) + " parameters";
  const total = document.createElement("span");
  total.className = "big"; total.id = "total-bytes"; total.dataset.value = mem.total_bytes;
  total.textContent = fmtBytes(mem.total_bytes);
  p.append(big, document.createTextNode(" (" + exact(est.parameters) + ") \u2014 "), total,
    document.createTextNode(s.mode === "training" ? " to train" : " to run at " + mem.dtype + ", context "
      + exact(mem.context) + ", batch " + mem.batch));
  sum.append(p);
  const src = document.createElement("p");
  src.className = "hint"; src.textContent = est.model + " (" + est.model_class + "), " + est.source;
  sum.append(src);

  const kinds = Object.entries(est.by_kind).sort((a, b) => b[1] - a[1]);
  const charts = [barChart($("kinds-chart"), kinds, "count", "parameters by layer kind")];
  table("kinds", ["kind", "parameters", "share"], kinds.map(([k, v]) =>
    [k, { text: exact(v), value: v }, (100 * v / est.parameters).toFixed(1) + " %"]));

  const parts = mem.parts.map((x) => [x.part.replace("_", " "), x.bytes]);
  const dev = devices.find((d) => d.id === s.device);
  charts.push(stackChart($("memory-chart"), parts, dev ? dev.usable_bytes : 0, dev ? dev.name + " usable" : ""));
  table("memory", ["part", "bytes", "", "how"], [
    ...mem.parts.map((x) => [x.part, { text: exact(x.bytes), value: x.bytes, id: x.part.replace("_", "-") + "-bytes" },
      fmtBytes(x.bytes), x.formula]),
    ["total", { text: exact(mem.total_bytes), value: mem.total_bytes }, fmtBytes(mem.total_bytes), "sum of the parts"]]);

  table("precisions", ["format", "bits/weight", "weights", "vs fp16", "total at context " + exact(prec.context)],
    prec.precisions.map((r) => [r.dtype, r.bits_per_weight.toFixed(3), { text: fmtBytes(r.weights_bytes),
      value: r.weights_bytes }, (Math.abs(r.savings_vs_fp16) < 5e-5 ? "" : r.savings_vs_fp16 > 0 ? "-" : "+")
      + Math.abs(100 * r.savings_vs_fp16).toFixed(1) + " %", { text: fmtBytes(r.total_bytes), value: r.total_bytes }]));

  table("fit", ["device", "dtype", "fits", "needs", "usable", "headroom", "max context", "decode tok/s",
    "prefill tok/s"], fit.rows.map((r) => [r.device, r.dtype, { text: r.fits ? "yes" : "no", cls: r.fits ? "yes" : "no" },
    fmtBytes(r.total_bytes), fmtBytes(r.usable_bytes), (r.headroom_bytes < 0 ? "-" : "") + fmtBytes(Math.abs(r.headroom_bytes)),
    r.max_context ? exact(r.max_context) : "-",
    { text: r.decode_tokens_per_s == null ? "-" : r.decode_tokens_per_s.toFixed(1), value: r.decode_tokens_per_s ?? "" },
    r.prefill_tokens_per_s == null ? "-" : exact(Math.round(r.prefill_tokens_per_s))]));

  const xs = est.scaling.map((r) => r.context);
  const weights = mem.weights_bytes;
  const box = document.createElement("div");
  const memBox = document.createElement("span");
  const flopBox = document.createElement("span");
  box.append(memBox, flopBox);
  $("scaling-chart").replaceChildren(box);
  charts.push(lineChart(memBox, "Memory vs context (batch 1, KV bf16)", xs, [
    { name: "weights (" + (mem.dtype || "training") + "): flat", ys: xs.map(() => weights), cls: 1 },
    { name: "KV cache: linear", ys: est.scaling.map((r) => r.kv_cache_bytes), cls: 2 }], "bytes"));
  charts.push(lineChart(flopBox, "Attention FLOPs per sequence", xs, [
    { name: "attention: quadratic", ys: est.scaling.map((r) => r.attention_flops_per_token * r.context), cls: 3 }],
  "flops"));
  await Promise.all(charts);

  $("compare-section").hidden = !cmp;
  if (cmp) {
    const [e2, m2] = cmp;
    const row = (name, a, b, f) => [name, { text: f(a), value: a }, { text: f(b), value: b }];
    table("compare-table", ["", est.model, e2.model], [
      row("parameters", est.parameters, e2.parameters, fmtCount),
      row("weights", mem.weights_bytes, m2.weights_bytes, fmtBytes),
      row("KV cache", mem.kv_cache_bytes, m2.kv_cache_bytes, fmtBytes),
      row("total", mem.total_bytes, m2.total_bytes, fmtBytes),
      row("FLOPs/token", est.flops.per_token.flops_per_token, e2.flops.per_token.flops_per_token, fmtFlops)]);
    const both = [...new Set([...Object.keys(est.by_kind), ...Object.keys(e2.by_kind)])];
    const rows = both.flatMap((k) => [[k + " \u2014 " + est.model, est.by_kind[k] || 0],
      [k + " \u2014 " + e2.model, e2.by_kind[k] || 0]]);
    await barChart($("compare-chart"), rows, "count", "parameters by layer kind, both models");
  }
}

// ---- a local model file: the header only ----
async function readHeader(file) {
  const first = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  const isGguf = first[0] === 0x47 && first[1] === 0x47 && first[2] === 0x55 && first[3] === 0x46;
  let n;
  if (isGguf) {
    n = Math.min(file.size, 1 << 20);
  } else {
    if (first.length < 9) throw new Error("not a safetensors or GGUF file (too short)");
    const len = new DataView(first.buffer).getBigUint64(0, true);
    if (len > BigInt(MAX_HEADER - 8)) throw new Error("safetensors header length " + len + " is over the 100 MB cap");
    n = Math.min(file.size, 8 + Number(len));
  }
  for (let round = 0; round < 12; round++) {
    const body = await file.slice(0, n).arrayBuffer();
    const q = new URLSearchParams({ name: file.name, size: String(file.size) });
    const r = await fetch("/api/inspect-header?" + q, { method: "POST",
      headers: { "Content-Type": "application/octet-stream" }, body });
    const j = await r.json();
    if (r.status === 422 && j.need_bytes && j.need_bytes > n && j.need_bytes <= MAX_HEADER) { n = j.need_bytes; continue; }
    if (!r.ok) throw new Error(j.error);
    return { inspect: j, sent: n };
  }
  throw new Error("the header did not end within the bytes read");
}

async function onModelFile() {
  const f = $("model-file").files[0];
  if (!f) return;
  $("status").dataset.state = "loading";
  $("status").textContent = "reading the header of " + f.name + "...";
  try {
    const { inspect, sent } = await readHeader(f);
    $("upload-section").hidden = false;
    const p = document.createElement("p");
    const pc = document.createElement("span");
    pc.id = "upload-parameters"; pc.dataset.value = inspect.parameters; pc.className = "big";
    pc.textContent = fmtCount(inspect.parameters) + " parameters";
    const tb = document.createElement("span");
    tb.id = "upload-tensor-bytes"; tb.dataset.value = inspect.tensor_bytes;
    tb.textContent = fmtBytes(inspect.tensor_bytes);
    p.append(pc, document.createTextNode(" (" + exact(inspect.parameters) + "), " + inspect.format + ", "
      + inspect.tensors + " tensors, "), tb, document.createTextNode(" of tensors; " + exact(sent) + " of "
      + exact(f.size) + " bytes read (the header only)"));
    $("upload-summary").replaceChildren(p);
    const kinds = Object.entries(inspect.by_kind).sort((a, b) => b[1] - a[1]);
    await barChart($("upload-chart"), kinds, "count", "uploaded model parameters by layer kind");
    table("upload-kinds", ["kind", "parameters", "bytes"], kinds.map(([k, v]) =>
      [k, { text: exact(v), value: v }, fmtBytes(inspect.by_kind_detail[k].bytes)]));
    $("upload-section").dataset.state = "ready";
    $("status").dataset.state = "ready";
    $("status").textContent = "";
  } catch (e) {
    $("status").dataset.state = "error";
    $("status").textContent = f.name + ": " + e.message;
  }
}

async function init() {
  const [catalog, devs] = await Promise.all([
    fetch("/api/catalog").then((r) => r.json()), fetch("/api/devices").then((r) => r.json())]);
  devices = devs.devices;
  // The page's views (KV cache, context scaling, tokens/s) are about language models; vision networks are in the API.
  for (const m of catalog.models.filter((x) => x.kind === "llm")) {
    $("model").append(new Option(m.id + " (" + fmtCount(m.parameters) + ")", m.id));
    $("compare").append(new Option(m.id, m.id));
  }
  for (const d of DTYPES) $("dtype").append(new Option(d, d));
  for (const d of devices) {
    $("device").append(new Option(d.name + " (" + fmtBytes(d.usable_bytes) + ")", d.id));
    $("devices").append(new Option(d.id, d.id));
  }
  applyState(state);
  $("controls").addEventListener("change", (e) => {
    if (e.target.id === "model-file" || e.target.id === "config-file" || e.target.id === "config") return;
    if (e.target.id === "model") state.config = "";
    refresh();
  });
  $("controls").addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
  $("context").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); refresh(); } });
  $("model-file").addEventListener("change", onModelFile);
  $("config-file").addEventListener("change", async () => {
    const f = $("config-file").files[0];
    if (f) $("config").value = await f.text();
  });
  $("config-use").addEventListener("click", () => { state.config = $("config").value.trim(); refresh(); });
  $("config-clear").addEventListener("click", () => { state.config = ""; $("config").value = ""; refresh(); });
  refresh();
}

init().catch((e) => { $("status").dataset.state = "error"; $("status").textContent = e.message; });
