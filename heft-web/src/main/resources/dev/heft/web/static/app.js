// heft serve page. Plain JavaScript modules, no build step, nothing fetched from anywhere but this server.
// One model (a catalog id, a pasted config.json, or an uploaded header) flows into every view; every number shown is
// the JSON API's, and each view says what it assumes.
import { api, ApiError, chart, get, uploadHeader } from "/api.js";
import * as fmt from "/format.js";
import { Checklist, Combobox, el, fillTable } from "/ui.js";

// ---- what the page offers ------------------------------------------------------------------------------------------

/** Precisions for transformers, by family; the table and the verdict try every one that applies. */
const LLM_PRECISIONS = [
  { label: "Floating point", items: ["fp32", "bf16", "fp8"] },
  { label: "Integer", items: ["int8"] },
  { label: "llama.cpp (GGUF)", items: ["Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q4_0", "Q3_K_M", "IQ4_XS", "Q2_K"] },
  { label: "4-bit GPU formats", items: ["gptq-4bit-g128", "awq-4bit-g128", "nf4-dq", "mxfp4"] },
];
/** Networks and headers without an architecture: formats planned per linear layer, no llama.cpp types. */
const LINEAR_PRECISIONS = [
  { label: "Floating point", items: ["fp32", "bf16", "fp16", "fp8"] },
  { label: "Integer", items: ["int8"] },
];
const AS_STORED = "native";
const CATEGORY_NAMES = { local: "This machine", "datacenter-gpu": "Data-centre GPUs", "consumer-gpu": "Consumer GPUs",
  "apple-silicon": "Apple silicon", cpu: "CPUs", edge: "Edge boards", phone: "Phones", browser: "Browsers" };
const PART_NAMES = { kv_cache: "KV cache", autocast_copies: "autocast copies" };
const SCALING_POINTS = 8;

// dtype "" is the model's own default: bf16 for a language model, fp32 for a vision network, as stored for an upload.
const DEFAULTS = { model: "llama-3-8b", dtype: "", context: "4096", batch: "1", input: "", mode: "inference",
  optimizer: "adamw", recipe: "mixed", method: "full", lora: "16", zero: "0", gpus: "1", checkpointing: "",
  offload: "", device: "h100-sxm", devices: "", compare: "", config: "" };

const $ = (id) => document.getElementById(id);

// ---- state: the URL holds everything but an upload (a local file cannot be linked to) ------------------------------

let state = readUrl();
let catalog = [];
let devices = [];
let defaultFitDevices = [];
let upload = null; // { model: "upload:ID", name, size, sent, inspect, config }
let hubEnabled = false;
let seq = 0;
let modelCombo, deviceCombo, compareCombo, deviceList;

function readUrl() {
  const q = new URLSearchParams(location.search);
  const s = {};
  for (const k of Object.keys(DEFAULTS)) s[k] = q.get(k) ?? DEFAULTS[k];
  return s;
}

function writeUrl(s) {
  const q = new URLSearchParams();
  for (const k of Object.keys(DEFAULTS)) if (s[k] !== DEFAULTS[k] && s[k] !== "") q.set(k, s[k]);
  history.replaceState(null, "", q.toString() ? "?" + q : location.pathname);
}

function readForm() {
  return {
    ...state,
    model: modelCombo.value || state.model, dtype: state.dtype,
    context: $("context").value.trim(), batch: $("batch").value || "1", input: $("input").value.trim(),
    mode: $("mode-training").checked ? "training" : "inference", optimizer: $("optimizer").value,
    recipe: $("recipe").value, method: $("method").value, lora: $("lora").value || "16", zero: $("zero").value,
    gpus: $("gpus").value || "1", checkpointing: $("checkpointing").checked ? "1" : "",
    offload: $("offload").checked ? "1" : "", device: deviceCombo.value || state.device,
    devices: deviceList.value.join(","), compare: compareCombo.value,
  };
}

function applyForm(s) {
  modelCombo.value = upload ? "" : s.model;
  if (upload) $("model").value = "uploaded: " + upload.name;
  $("context").value = s.context; $("batch").value = s.batch; $("input").value = s.input;
  $("mode-training").checked = s.mode === "training"; $("mode-inference").checked = s.mode !== "training";
  $("optimizer").value = s.optimizer; $("recipe").value = s.recipe; $("method").value = s.method;
  $("lora").value = s.lora; $("zero").value = s.zero; $("gpus").value = s.gpus;
  $("checkpointing").checked = !!s.checkpointing; $("offload").checked = !!s.offload;
  deviceCombo.value = s.device; compareCombo.value = s.compare;
  deviceList.value = s.devices ? s.devices.split(",") : [];
  $("devices-count").textContent = s.devices ? "(" + s.devices.split(",").length + " chosen)" : "(default list)";
  if (s.config) { $("config").value = s.config; $("config-box").open = true; }
}

// ---- what the model is ---------------------------------------------------------------------------------------------

/** The page's model: an upload, a pasted config, or a catalog entry; with what the views can show for it. */
function subject(s) {
  if (upload) return { request: { model: upload.model }, kind: "upload", label: upload.name };
  if (s.config) {
    let c;
    try { c = JSON.parse(s.config); } catch (e) { throw new Error("config.json is not valid JSON: " + e.message); }
    return { request: { config: c }, kind: "llm", label: c._name_or_path || "config.json" };
  }
  const entry = catalog.find((m) => m.id === s.model);
  if (!entry) throw new Error("'" + s.model + "' is not in the catalog; pick a model from the list");
  return { request: { model: s.model }, kind: entry.kind === "vision" ? "vision" : "llm", label: s.model, entry };
}

function precisionsFor(subj, hasArchitecture) {
  return subj.kind === "vision" || !hasArchitecture ? LINEAR_PRECISIONS : LLM_PRECISIONS;
}

/**
 * Fills the precision list for this model and selects the user's choice, or the model's default when the choice is
 * not offered (a llama.cpp type for a vision network) or none was made. Returns the precision the views use.
 */
function setPrecisionOptions(groups, withStored, storedLabel, chosen, fallback) {
  const sel = $("dtype");
  sel.replaceChildren();
  if (withStored) sel.append(el("option", { value: AS_STORED }, "as stored" + (storedLabel ? " (" + storedLabel + ")" : "")));
  for (const g of groups) sel.append(el("optgroup", { label: g.label }, g.items.map((d) => el("option", { value: d }, d))));
  const all = [...sel.options].map((o) => o.value);
  const match = all.find((v) => v.toLowerCase() === String(chosen).toLowerCase());
  sel.value = match ?? fallback;
  return sel.value;
}

// ---- requests ------------------------------------------------------------------------------------------------------

function workload(s) {
  return { context: s.context, batch: s.batch };
}

function trainingOptions(s) {
  const t = { train: true, optimizer: s.optimizer, recipe: s.recipe, context: s.context, batch: s.batch,
    zero: s.zero, gpus: s.gpus };
  if (s.checkpointing) t.checkpointing = true;
  if (s.offload) t.offload = true;
  if (s.method !== "full") t.lora = s.lora;
  if (s.method === "qlora") t.qlora = true;
  return t;
}

function methodName(method, rank) {
  return method === "full" ? "full fine-tuning" : method === "lora" ? "LoRA r=" + rank : "QLoRA r=" + rank;
}

/** The engine's estimate, or null when the model has no architecture (a bare safetensors header). */
async function estimateOf(base, extra = {}) {
  try {
    return await api("estimate", { ...base, ...extra });
  } catch (e) {
    if (e instanceof ApiError && e.status === 400 && /no architecture/.test(e.message)) return null;
    throw e;
  }
}

/**
 * The memory endpoint's precision table for every precision the page tries. A precision that cannot be made of the
 * model (llama-quantize has no fallback for Q8_0 when a row length is not a multiple of 32) comes back from the engine
 * as an n/a row with its reason; a precision the engine refuses outright (a llama.cpp type for a model without
 * transformer facts) fails the whole request, so on a refusal each precision is asked alone and the table is asked
 * again for those accepted; the refused ones become n/a rows carrying the engine's reason.
 * Returns { report, accepted, refused }.
 */
async function precisionTable(req, dtypes) {
  try {
    return { report: await api("memory", { ...req, dtypes: dtypes.join(",") }), accepted: dtypes, refused: [] };
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 400) || dtypes.length < 2) throw e;
  }
  const answers = await Promise.all(dtypes.map((d) => api("memory", { ...req, dtype: d }).then(() => null, (e) => {
    if (e instanceof ApiError && e.status === 400) return { dtype: d, reason: e.message };
    throw e;
  })));
  const refused = answers.filter((a) => a);
  const accepted = dtypes.filter((d) => !refused.some((r) => r.dtype === d));
  if (!accepted.length) throw new ApiError(refused[0].reason, 400);
  const report = await api("memory", { ...req, dtypes: accepted.join(",") });
  report.precisions = [...report.precisions, ...refused.map((r) => ({ dtype: r.dtype, applicable: false,
    not_applicable_reason: r.reason }))];
  return { report, accepted, refused };
}

/** Contexts for the scaling charts: up to the model's own limit, with the chosen context among them. */
function scalingContexts(limit, chosen) {
  const top = Math.max(limit || chosen, chosen);
  const out = new Set([chosen]);
  for (let k = 1; k <= SCALING_POINTS; k++) out.add(Math.max(1, Math.round(top * k / SCALING_POINTS)));
  return [...out].sort((a, b) => a - b);
}

// ---- refresh: ask the API, then draw -------------------------------------------------------------------------------

async function refresh() {
  const my = ++seq;
  const s = readForm();
  state = s;
  writeUrl(s);
  document.body.dataset.mode = s.mode;
  setStatus("loading", "computing...");
  try {
    const subj = subject(s);
    const base = subj.request;
    const vision = subj.kind === "vision";
    const ctx = fmt.parseTokens(s.context);
    if (!vision && !(ctx >= 1)) throw new Error("context: '" + s.context + "' is not a token count (8192, 8k, 128k)");
    const est = await estimateOf(base, vision && s.input ? { input: s.input } : {});
    const hasArch = vision || est != null;
    const groups = precisionsFor(subj, hasArch);
    const stored = subj.kind === "upload" ? upload.inspect.format : null;
    const dtype = setPrecisionOptions(groups, subj.kind === "upload", stored, s.dtype,
      subj.kind === "upload" ? AS_STORED : vision ? "fp32" : "bf16");
    if (s.dtype && s.dtype.toLowerCase() !== dtype.toLowerCase()) { s.dtype = ""; state.dtype = ""; writeUrl(s); }
    showModeControls(subj, hasArch);
    const training = s.mode === "training" && !vision && hasArch;
    const tried = [...(subj.kind === "upload" ? [AS_STORED] : []), ...groups.flatMap((g) => g.items)];
    const fitDevices = s.devices ? s.devices.split(",") : defaultFitDevices;
    const jobs = { est };
    if (training) {
      jobs.train = api("memory", { ...base, ...trainingOptions(s) });
      jobs.setups = trainingSetups(base, s);
      jobs.engineVerdict = s.zero === "0" && s.gpus === "1" && !s.offload
        ? api("fit", { ...base, devices: s.device, dtypes: dtype === AS_STORED ? "bf16" : dtype, train: true,
          optimizer: s.optimizer, recipe: s.recipe, ...(s.checkpointing ? { checkpointing: true } : {}), lora: s.lora,
          ...workload(s) })
        : null;
      jobs.scaling = hasArch && est && !vision
        ? Promise.all(scalingContexts(est.max_positions, ctx).map((c) =>
          api("memory", { ...base, ...trainingOptions(s), context: c }).then((m) => ({ context: c, m }))))
        : null;
    } else {
      const w = vision ? { batch: s.batch } : workload(s);
      jobs.mem = api("memory", { ...base, dtype, ...w });
      const table = precisionTable({ ...base, ...w }, tried);
      jobs.table = table.then((t) => t.report);
      jobs.fit = api("fit", { ...base, ...w, dtypes: dtype, devices: fitDevices.join(",") });
      const verdictFor = (dtypes) => api("fit", { ...base, ...w, devices: s.device,
        dtypes: [...new Set([dtype, ...dtypes])].join(",") });
      jobs.verdict = verdictFor(tried).catch(async (e) => {
        // A precision the engine refuses for this model: the verdict weighs those it accepts.
        const t = await table;
        if (!(e instanceof ApiError && e.status === 400) || !t.refused.length) throw e;
        return verdictFor(t.accepted);
      });
      if (est && !vision) {
        const xs = scalingContexts(est.max_positions, ctx);
        jobs.scaling = Promise.all(xs.map((c) => api("memory", { ...base, dtype, ...w, context: c })
          .then((m) => ({ context: c, m }))));
        jobs.flops = api("estimate", { ...base, context: xs.join(",") });
      }
      if (vision) jobs.speed = api("speed", { ...base, device: s.device, dtype, batch: s.batch }).catch(() => null);
    }
    if (s.compare) jobs.compare = compareJobs(s, training, dtype);
    const r = {};
    for (const [k, v] of Object.entries(jobs)) r[k] = await v;
    if (my !== seq) return; // a newer request is on its way
    await render(s, subj, r, { training, vision, hasArch, dtype, ctx, fitDevices });
    if (my !== seq) return;
    setStatus("ready", "");
  } catch (e) {
    if (my !== seq) return;
    if (e instanceof ApiError && e.status === 410 && upload) {
      // The server let the upload go (it keeps the most recent ones): send the header again, then redo this view.
      setStatus("loading", "sending the header of " + upload.name + " again...");
      try { await sendUpload(upload.file, upload.config); } catch (e2) { setStatus("error", e2.message); return; }
      return refresh();
    }
    setStatus("error", e.message);
  }
}

function setStatus(stateName, text) {
  $("status").dataset.state = stateName;
  $("status").textContent = text;
}

function showModeControls(subj, hasArch) {
  const vision = subj.kind === "vision";
  const canTrain = !vision && hasArch;
  $("mode-training").disabled = !canTrain;
  $("mode-training").parentElement.title = canTrain ? ""
    : vision ? "training memory is modelled for transformers" : "training needs an architecture: add the config.json";
  if (!canTrain && $("mode-training").checked) { $("mode-inference").checked = true; state.mode = "inference"; }
  const training = $("mode-training").checked;
  $("training-controls").hidden = !training;
  $("dtype-field").hidden = training;
  $("context-field").hidden = vision;
  $("input-field").hidden = !vision;
  $("batch-label").textContent = vision ? "Batch (images)" : training ? "Micro-batch" : "Batch";
  $("lora-field").hidden = $("method").value === "full";
}

/** Full fine-tuning under each recipe, LoRA and QLoRA: training's precision table, all with the user's other options. */
function trainingSetups(base, s) {
  const common = { ...trainingOptions(s) };
  delete common.lora; delete common.qlora;
  const rank = s.lora || "16";
  const setups = [
    { name: "full \u00b7 fp32", method: "full", req: { ...common, recipe: "fp32" } },
    { name: "full \u00b7 mixed", method: "full", req: { ...common, recipe: "mixed" } },
    { name: "full \u00b7 fp16-mixed", method: "full", req: { ...common, recipe: "fp16-mixed" } },
    { name: "full \u00b7 bf16", method: "full", req: { ...common, recipe: "bf16" } },
    { name: "LoRA r=" + rank + " \u00b7 " + s.recipe, method: "lora", req: { ...common, lora: rank } },
    { name: "QLoRA r=" + rank + " \u00b7 " + s.recipe, method: "qlora", req: { ...common, lora: rank, qlora: true } },
  ];
  if (!s.checkpointing) {
    // What checkpointing would buy for the chosen setup: the verdict offers it when the setup does not fit.
    setups.push({ name: methodName(s.method, rank) + " \u00b7 " + s.recipe + " + checkpointing", method: s.method,
      extra: true, req: { ...trainingOptions(s), checkpointing: true } });
  }
  return Promise.all(setups.map((x) => api("memory", { ...base, ...x.req }).then((m) => ({ ...x, m }))));
}

/** The compare model at the same workload: the same precision where it has it, else its own default. */
async function compareJobs(s, training, dtype) {
  const other = { model: s.compare };
  const entry = catalog.find((m) => m.id === s.compare);
  const vision = entry && entry.kind === "vision";
  const [est, mem] = await Promise.all([
    estimateOf(other),
    training && !vision ? api("memory", { ...other, ...trainingOptions(s) })
      : api("memory", { ...other, ...(vision ? { batch: s.batch } : workload(s)),
        ...(dtype !== AS_STORED && (!vision || LINEAR_PRECISIONS.some((g) => g.items.includes(dtype)))
          ? { dtype } : {}) })]);
  let fit = null;
  if (!training) {
    fit = await api("fit", { ...other, ...(vision ? { batch: s.batch } : workload(s)), devices: s.device,
      dtypes: mem.dtype && !/file|native/.test(mem.dtype) ? mem.dtype : "bf16" }).catch(() => null);
  }
  return { est, mem, fit };
}

// ---- drawing -------------------------------------------------------------------------------------------------------

function deviceOf(id) {
  return devices.find((d) => d.id === id) || { id, name: id, usable_bytes: 0 };
}

async function render(s, subj, r, o) {
  const dev = deviceOf(s.device);
  const charts = [];
  renderSummary(s, subj, r, o);
  if (o.training) {
    renderTrainingVerdict(s, subj, r, dev);
    charts.push(renderTrainingMemory(s, r, dev));
    renderTrainingSetups(s, r, dev);
    charts.push(renderTrainingSetupChart(s, r, dev));
    renderTrainingFit(s, r);
  } else {
    renderVerdict(s, subj, r, dev, o);
    charts.push(renderMemory(s, r, dev, o));
    renderPrecisionTable(s, subj, r, o);
    charts.push(renderPrecisionChart(s, r, dev, o));
    renderFit(s, r, o);
  }
  charts.push(renderKinds(s, subj, r));
  charts.push(renderVision(s, subj, r, o));
  charts.push(renderScaling(s, r, dev, o));
  charts.push(renderCompare(s, subj, r, dev, o));
  await Promise.all(charts);
}

function renderSummary(s, subj, r, o) {
  const sum = $("summary");
  sum.replaceChildren();
  const params = r.est ? r.est.parameters : upload ? upload.inspect.parameters : null;
  if (params == null) return;
  const total = o.training ? r.train.peak_bytes : r.mem.total_bytes;
  const what = o.training ? " at peak to train (" + methodName(s.method, s.lora) + ", " + s.optimizer + ", "
    + s.recipe + ", micro-batch " + s.batch + " \u00d7 " + fmt.exact(r.train.context) + " tokens)"
    : o.vision ? " to run at " + r.mem.dtype + ", batch " + r.mem.batch
      : " to run at " + r.mem.dtype + ", context " + fmt.exact(r.mem.context) + ", batch " + r.mem.batch;
  sum.append(el("p", {},
    el("span", { class: "big", id: "param-count", dataset: { value: params } }, fmt.count(params) + " parameters"),
    " (" + fmt.exact(params) + ") \u2014 ",
    el("span", { class: "big", id: "total-bytes", dataset: { value: total } }, fmt.bytes(total)), what));
  const src = r.est ? r.est.model + (r.est.model_class ? " (" + r.est.model_class + ")" : "") + ", " + r.est.source
    : upload.name + ": " + upload.inspect.format + " header, no architecture (add its config.json for KV cache, "
      + "activations, speed and training)";
  sum.append(el("p", { class: "hint" }, src));
}

// -- inference verdict: the answer for the chosen device first ------------------------------------------------------

function renderVerdict(s, subj, r, dev, o) {
  const rows = r.verdict.rows;
  const chosen = rows.find((x) => x.dtype.toLowerCase() === r.mem.dtype.toLowerCase()) || rows[0];
  const engine = (r.verdict.verdicts || []).find((v) => v.device === s.device);
  const fitting = rows.filter((x) => x.fits);
  const bits = (x) => bitsOf(r.table, x.dtype);
  const best = fitting.slice().sort((a, b) => bits(b) - bits(a))[0];
  const smallest = fitting.slice().sort((a, b) => bits(a) - bits(b))[0];
  const card = $("verdict");
  const name = dev.name;
  let outcome, title;
  const who = subj.label + " at " + chosen.dtype;
  if (chosen.fits) {
    outcome = "fits"; title = who + " fits on " + name;
  } else if (chosen.offload) {
    outcome = "offloaded"; title = who + " does not fit on " + name + "; it runs with layers offloaded";
  } else {
    outcome = "does_not_fit"; title = who + " does not fit on " + name;
  }
  card.dataset.outcome = outcome;
  $("verdict-title").replaceChildren(el("span", { class: "mark", "aria-hidden": "true" },
    outcome === "fits" ? "\u2714 " : outcome === "offloaded" ? "\u25d1 " : "\u2716 "), title);
  const lead = chosen.fits
    ? "Needs " + fmt.bytes(chosen.total_bytes) + " of " + fmt.bytes(chosen.usable_bytes) + " usable"
      + (o.vision ? " at batch " + s.batch + "." : " at context " + fmt.exact(r.verdict.context) + ", batch "
        + r.verdict.batch + ".")
    : "Needs " + fmt.bytes(chosen.total_bytes) + "; " + name + " has " + fmt.bytes(chosen.usable_bytes) + " usable ("
      + fmt.bytes(-chosen.headroom_bytes) + " short).";
  $("verdict-lead").textContent = lead;
  const facts = [
    ["needs", "Needs", fmt.bytes(chosen.total_bytes), chosen.total_bytes],
    ["usable", "Usable on " + dev.id, fmt.bytes(chosen.usable_bytes), chosen.usable_bytes],
    ["headroom", "Headroom", (chosen.headroom_bytes < 0 ? "\u2212" : "") + fmt.bytes(Math.abs(chosen.headroom_bytes)),
      chosen.headroom_bytes],
  ];
  if (!o.vision) {
    facts.push(["max-context", "Longest context", chosen.max_context ? fmt.exact(chosen.max_context) + " tokens"
      : "does not fit", chosen.max_context]);
    facts.push(["decode", chosen.offload ? "Decode, offloaded" : "Decode", chosen.decode_tokens_per_s == null ? "no speed"
      : "~" + fmt.rate(chosen.decode_tokens_per_s) + " tok/s", chosen.decode_tokens_per_s ?? ""]);
    if (chosen.prefill_tokens_per_s != null) {
      facts.push(["prefill", "Prefill", "~" + fmt.rate(chosen.prefill_tokens_per_s) + " tok/s", chosen.prefill_tokens_per_s]);
    }
  } else if (r.speed && r.speed.images_per_s != null) {
    facts.push(["images", "Images/s", "~" + fmt.rate(r.speed.images_per_s), r.speed.images_per_s]);
  }
  facts.push(["best", "Best precision that fits", best ? best.dtype : "none fits", best ? best.dtype : ""]);
  $("verdict-facts").replaceChildren(...facts.map(([id, k, v, value]) =>
    el("div", {}, el("dt", {}, k), el("dd", { id: "fact-" + id, dataset: { value } }, v))));
  const more = [];
  if (!chosen.fits && smallest) {
    more.push(smallest.dtype + " fits" + (smallest.max_context ? " up to " + fmt.tokens(smallest.max_context) + " tokens"
      : "") + " (" + fmt.bytes(smallest.total_bytes) + ")" + (best && best !== smallest ? "; the best quality that fits is "
      + best.dtype + " (" + fmt.bytes(best.total_bytes) + ")" : "") + ".");
  }
  if (chosen.offload) {
    const p = chosen.offload;
    more.push((p.kind === "moe_experts" ? "Keep the experts of " + p.cpu_moe_layers + " layers in host memory"
      : "Offload: " + p.gpu_layers + " of " + p.total_layers + " layers on the GPU, the rest in host memory")
      + " (llama.cpp " + p.flags + "), " + fmt.bytes(p.device_bytes) + " on " + dev.id + " + " + fmt.bytes(p.host_bytes)
      + " in host memory" + (chosen.decode_tokens_per_s != null ? ", ~" + fmt.rate(chosen.decode_tokens_per_s)
        + " tok/s decode." : "."));
  } else if (!chosen.fits && chosen.no_speed_reason) {
    more.push("No speed: " + chosen.no_speed_reason + ".");
  }
  if (chosen.fits && best && best.dtype !== chosen.dtype && bits(best) > bits(chosen)) {
    more.push(best.dtype + " also fits (" + fmt.bytes(best.total_bytes) + "), at more bits per weight.");
  }
  if (chosen.speed_placement && chosen.fits && !o.vision) more.push("Speed: " + chosen.speed_placement + ", "
    + chosen.runtime + ".");
  $("verdict-more").replaceChildren(...more.map((t) => el("li", {}, t)));
  $("verdict-engine").textContent = engine ? "heft fit: " + engine.verdict : "";
}

function bitsOf(table, dtype) {
  const row = (table.precisions || []).find((p) => p.dtype.toLowerCase() === dtype.toLowerCase());
  return row ? row.bits_per_weight : 0;
}

// -- memory ----------------------------------------------------------------------------------------------------------

function partName(p) {
  return PART_NAMES[p] || p.replace(/_/g, " ");
}

function renderMemory(s, r, dev, o) {
  const mem = r.mem;
  $("memory-title").textContent = "Memory on " + dev.name + (o.vision ? "" : " at context " + fmt.exact(mem.context));
  fillTable($("memory"), ["part", "bytes", "", "how"], [
    ...mem.parts.map((x) => [partName(x.part), { text: fmt.exact(x.bytes), value: x.bytes,
      id: x.part.replace(/_/g, "-") + "-bytes" }, fmt.bytes(x.bytes), x.formula]),
    { cls: "chosen", cells: ["total", { text: fmt.exact(mem.total_bytes), value: mem.total_bytes, id: "memory-total" },
      fmt.bytes(mem.total_bytes), "sum of the parts"] }]);
  $("memory-assumptions").replaceChildren(...(mem.assumptions || []).map((a) => el("li", {}, a)));
  return chart($("memory-chart"), { type: "stack", label: "memory parts of " + mem.model + " against " + dev.name,
    parts: mem.parts.map((x) => [partName(x.part), x.bytes]), capacity: dev.usable_bytes || null,
    capacity_label: dev.id + " usable" });
}

// -- precision table and trade-off chart -----------------------------------------------------------------------------

function sortedPrecisions(table) {
  // By bits per weight, most first; n/a rows (the format does not apply to this model) last.
  return (table.precisions || []).slice().sort((a, b) => (b.applicable - a.applicable)
    || (b.bits_per_weight - a.bits_per_weight) || a.dtype.localeCompare(b.dtype));
}

function renderPrecisionTable(s, subj, r, o) {
  $("precisions-title").textContent = "Precision trade-off";
  const rows = sortedPrecisions(r.table);
  $("precisions-hint").textContent = "Sorted by bits per weight. \u201csaved vs 16-bit\u201d is 1 \u2212 weights \u00f7 "
    + "(parameters \u00d7 2 bytes): the saving against bf16 or fp16 weights, which are the same size. Totals are at "
    + (o.vision ? "batch " + r.table.batch : "context " + fmt.exact(r.table.context) + ", batch " + r.table.batch)
    + ". n/a: the format does not apply to this model (the row's tooltip says why).";
  fillTable($("precisions"), ["format", "bits/weight", "weights",
    { text: "saved vs 16-bit", title: "1 \u2212 weights \u00f7 (parameters \u00d7 2 B): against bf16/fp16 weights" },
    "total memory"], rows.map((p) => {
    const stored = p === r.table.precisions[0] && subj.kind === "upload";
    const name = stored ? "as stored (" + p.dtype + ")" : p.dtype;
    const chosen = p.dtype.toLowerCase() === r.mem.dtype.toLowerCase();
    if (!p.applicable) {
      return { cls: "na", dataset: { dtype: p.dtype }, cells: [name, "n/a", "n/a", "n/a",
        { text: "n/a", title: p.not_applicable_reason || "" }] };
    }
    const saved = Math.abs(p.savings_vs_fp16) < 5e-5 ? "\u00b10.0 %"
      : (p.savings_vs_fp16 > 0 ? "\u2212" : "+") + Math.abs(100 * p.savings_vs_fp16).toFixed(1) + " %";
    return { cls: chosen ? "chosen" : "", dataset: { dtype: p.dtype }, cells: [name,
      { text: p.bits_per_weight.toFixed(3), value: p.bits_per_weight }, { text: fmt.bytes(p.weights_bytes),
        value: p.weights_bytes }, { text: saved, value: p.savings_vs_fp16 },
      { text: fmt.bytes(p.total_bytes), value: p.total_bytes }] };
  }));
}

function renderPrecisionChart(s, r, dev, o) {
  const rows = sortedPrecisions(r.table).filter((p) => p.applicable);
  const seen = new Set();
  const unique = rows.filter((p) => !seen.has(p.dtype) && seen.add(p.dtype));
  return chart($("precisions-chart"), { type: "bar", unit: "bytes",
    label: "total memory at each precision against " + dev.name,
    rows: unique.map((p) => [p.dtype + " \u00b7 " + p.bits_per_weight.toFixed(2) + " bits", p.total_bytes,
      [dev.usable_bytes && p.total_bytes > dev.usable_bytes ? "over" : "",
        p.dtype.toLowerCase() === r.mem.dtype.toLowerCase() ? "chosen" : ""].filter(Boolean).join(" ")]),
    capacity: dev.usable_bytes || null, capacity_label: dev.id + " usable" });
}

// -- fit table -------------------------------------------------------------------------------------------------------

function renderFit(s, r, o) {
  $("fit-title").textContent = "Which hardware fits";
  $("fit-hint").textContent = "At " + r.mem.dtype + (o.vision ? ", batch " + r.fit.batch : ", context "
    + fmt.exact(r.fit.context) + ", batch " + r.fit.batch) + ". Needs is what the device holds (weights, "
    + (o.vision ? "" : "KV cache, ") + "activations, runtime). Speeds are roofline estimates; offloaded rows run "
    + "part of the model from host memory.";
  const head = ["device", "fits", "needs", "usable", "headroom"];
  if (!o.vision) head.push("longest context", "decode tok/s", "prefill tok/s");
  fillTable($("fit"), head, r.fit.rows.map((x) => {
    const status = x.fits ? { text: "yes", cls: "yes" } : x.offload ? { text: "offloaded", cls: "offl",
      title: x.speed_placement || "" } : { text: "no", cls: "no", title: x.why };
    const cells = [{ text: x.device, title: deviceOf(x.device).name + (x.runtime ? ", " + x.runtime : "") },
      status, { text: fmt.bytes(x.total_bytes), value: x.total_bytes }, { text: fmt.bytes(x.usable_bytes),
        value: x.usable_bytes },
      { text: (x.headroom_bytes < 0 ? "\u2212" : "") + fmt.bytes(Math.abs(x.headroom_bytes)), value: x.headroom_bytes }];
    if (!o.vision) {
      cells.push(x.max_context ? fmt.exact(x.max_context) : "-",
        { text: x.decode_tokens_per_s == null ? "-" : fmt.rate(x.decode_tokens_per_s), value: x.decode_tokens_per_s ?? "",
          title: x.no_speed_reason || x.speed_placement || "" },
        x.prefill_tokens_per_s == null ? "-" : fmt.rate(x.prefill_tokens_per_s));
    }
    return { cls: x.device === s.device ? "chosen" : "", dataset: { device: x.device }, cells };
  }));
}

// -- training --------------------------------------------------------------------------------------------------------

function trainingParts(t) {
  return t.parts.filter((p) => p.bytes > 0 && p.part !== "kv_cache");
}

function renderTrainingVerdict(s, subj, r, dev) {
  const t = r.train;
  const fits = dev.usable_bytes > 0 && t.peak_bytes <= dev.usable_bytes;
  const card = $("verdict");
  card.dataset.outcome = fits ? "fits" : "does_not_fit";
  const setup = methodName(s.method, s.lora) + " (" + s.optimizer + ", " + s.recipe
    + (s.checkpointing ? ", checkpointing" : "") + (s.zero !== "0" ? ", ZeRO-" + s.zero + " over " + s.gpus + " GPUs" : "")
    + (s.offload ? ", optimizer states in CPU memory" : "") + ")";
  $("verdict-title").replaceChildren(el("span", { class: "mark", "aria-hidden": "true" }, fits ? "\u2714 " : "\u2716 "),
    "Training " + subj.label + (fits ? " fits on " : " does not fit on ") + dev.name);
  $("verdict-lead").textContent = setup + " at micro-batch " + t.batch + " \u00d7 " + fmt.exact(t.context)
    + " tokens: peak " + fmt.bytes(t.peak_bytes) + (Number(s.gpus) > 1 ? " per GPU" : "") + ", "
    + fmt.bytes(dev.usable_bytes) + " usable.";
  const head = dev.usable_bytes - t.peak_bytes;
  const facts = [
    ["peak", "Peak (what coexists)", fmt.bytes(t.peak_bytes), t.peak_bytes],
    ["usable", "Usable on " + dev.id, fmt.bytes(dev.usable_bytes), dev.usable_bytes],
    ["headroom", "Headroom", (head < 0 ? "\u2212" : "") + fmt.bytes(Math.abs(head)), head],
    ["sum", "Sum of the parts", fmt.bytes(t.total_bytes), t.total_bytes],
  ];
  $("verdict-facts").replaceChildren(...facts.map(([id, k, v, value]) =>
    el("div", {}, el("dt", {}, k), el("dd", { id: "fact-" + id, dataset: { value } }, v))));
  const more = r.setups.filter((x) => x.extra || x.method !== s.method || x.m.recipe !== s.recipe).map((x) => {
    const ok = x.m.peak_bytes <= dev.usable_bytes;
    return x.name + (ok ? " fits" : " does not fit") + " (peak " + fmt.bytes(x.m.peak_bytes) + ").";
  });
  $("verdict-more").replaceChildren(...more.map((x) => el("li", {}, x)));
  const engine = r.engineVerdict && (r.engineVerdict.training_verdicts || []).find((v) => v.device === s.device);
  $("verdict-engine").textContent = engine ? "heft fit --train: " + engine.verdict : "";
}

function renderTrainingMemory(s, r, dev) {
  const t = r.train;
  $("memory-title").textContent = "Training memory on " + dev.name;
  fillTable($("memory"), ["part", "bytes", "", "how"], [
    ...t.parts.map((x) => [partName(x.part), { text: fmt.exact(x.bytes), value: x.bytes,
      id: x.part.replace(/_/g, "-") + "-bytes" }, fmt.bytes(x.bytes), x.formula]),
    ["sum of the parts", { text: fmt.exact(t.total_bytes), value: t.total_bytes, id: "memory-total" },
      fmt.bytes(t.total_bytes), "everything the step allocates at some point"],
    { cls: "chosen", cells: ["peak", { text: fmt.exact(t.peak_bytes), value: t.peak_bytes, id: "memory-peak" },
      fmt.bytes(t.peak_bytes), "what coexists at the worst moment: gradients grow as activations are freed"] }]);
  $("memory-assumptions").replaceChildren(...(t.assumptions || []).map((a) => el("li", {}, a)));
  return chart($("memory-chart"), { type: "stack", label: "training memory parts against " + dev.name,
    parts: trainingParts(t).map((x) => [partName(x.part), x.bytes]), capacity: dev.usable_bytes || null,
    capacity_label: dev.id + " usable", marker: t.peak_bytes, marker_label: "peak", total_label: "sum of parts" });
}

function renderTrainingSetups(s, r, dev) {
  $("precisions-title").textContent = "Training setups";
  $("precisions-hint").textContent = "Each row is heft memory --train with this page's optimizer, micro-batch, context, "
    + "checkpointing, ZeRO and GPUs; only the method and the recipe change (mixed: fp32 master weights with bf16 "
    + "autocast; QLoRA: LoRA over an NF4 base). Peak is what coexists; fits compares it with " + dev.name + " ("
    + fmt.bytes(dev.usable_bytes) + " usable).";
  const rows = r.setups.filter((x) => !x.extra).sort((a, b) => b.m.peak_bytes - a.m.peak_bytes);
  fillTable($("precisions"), ["setup", "weights", "gradients", "optimizer", "activations", "peak", "fits on " + dev.id],
    rows.map((x) => {
      const p = (name) => (x.m.parts.find((q) => q.part === name) || { bytes: 0 }).bytes;
      const ok = x.m.peak_bytes <= dev.usable_bytes;
      const chosen = x.method === s.method && (x.method !== "full" || x.m.recipe === s.recipe);
      return { cls: chosen ? "chosen" : "", dataset: { setup: x.method + ":" + x.m.recipe }, cells: [x.name,
        fmt.bytes(p("weights")), fmt.bytes(p("gradients")), fmt.bytes(p("optimizer")), fmt.bytes(p("activations")),
        { text: fmt.bytes(x.m.peak_bytes), value: x.m.peak_bytes }, { text: ok ? "yes" : "no", cls: ok ? "yes" : "no" }] };
    }));
}

function renderTrainingSetupChart(s, r, dev) {
  const rows = r.setups.filter((x) => !x.extra).sort((a, b) => b.m.peak_bytes - a.m.peak_bytes);
  return chart($("precisions-chart"), { type: "bar", unit: "bytes", label: "training peak of each setup against "
    + dev.name, rows: rows.map((x) => [x.name, x.m.peak_bytes, [dev.usable_bytes && x.m.peak_bytes > dev.usable_bytes
    ? "over" : "", x.method === s.method && (x.method !== "full" || x.m.recipe === s.recipe) ? "chosen" : ""]
    .filter(Boolean).join(" ")]), capacity: dev.usable_bytes || null, capacity_label: dev.id + " usable" });
}

function renderTrainingFit(s, r) {
  const t = r.train;
  const list = (s.devices ? s.devices.split(",") : defaultFitDevices).map(deviceOf);
  const setups = r.setups.filter((x) => !x.extra && (x.method !== "full" || x.m.recipe === s.recipe));
  $("fit-title").textContent = "Which hardware can train it";
  $("fit-hint").textContent = "Peak training memory" + (Number(s.gpus) > 1 ? " per GPU" : "") + " against each "
    + "device's usable memory: your setup (" + methodName(s.method, s.lora) + ", " + fmt.bytes(t.peak_bytes)
    + "), and each method with your other options. The same peaks as the memory chart and the setups table.";
  fillTable($("fit"), ["device", "usable", "your setup", "headroom", ...setups.map((x) => methodName(x.method, s.lora))],
    list.map((d) => {
      const head = d.usable_bytes - t.peak_bytes;
      const ok = head >= 0;
      return { cls: d.id === s.device ? "chosen" : "", dataset: { device: d.id }, cells: [d.id, fmt.bytes(d.usable_bytes),
        { text: ok ? "yes" : "no", cls: ok ? "yes" : "no", value: t.peak_bytes, title: "peak " + fmt.bytes(t.peak_bytes) },
        { text: (head < 0 ? "\u2212" : "") + fmt.bytes(Math.abs(head)), value: head },
        ...setups.map((x) => {
          const fits = x.m.peak_bytes <= d.usable_bytes;
          return { text: fits ? "yes" : "no", cls: fits ? "yes" : "no", value: x.m.peak_bytes,
            title: "peak " + fmt.bytes(x.m.peak_bytes) };
        })] };
    }));
}

// -- where the parameters sit ----------------------------------------------------------------------------------------

function renderKinds(s, subj, r) {
  const fromUpload = subj.kind === "upload";
  const byKind = fromUpload ? upload.inspect.by_kind : r.est ? r.est.by_kind : null;
  $("kinds-section").hidden = !byKind;
  if (!byKind) return null;
  const total = Object.values(byKind).reduce((a, b) => a + b, 0);
  const kinds = Object.entries(byKind).sort((a, b) => b[1] - a[1]);
  const head = ["kind", "parameters", "share"];
  if (fromUpload) head.push("bytes as stored");
  fillTable($("kinds"), head, kinds.map(([k, v]) => {
    const cells = [k, { text: fmt.exact(v), value: v }, fmt.percent(v / total)];
    if (fromUpload) cells.push({ text: fmt.bytes(upload.inspect.by_kind_detail[k].bytes),
      value: upload.inspect.by_kind_detail[k].bytes });
    return cells;
  }));
  $("kinds-hint").textContent = fromUpload ? "As stored in " + upload.name + " (heft inspect of its header)."
    : "Counted from the architecture (heft estimate), as transformers builds it.";
  return chart($("kinds-chart"), { type: "bar", unit: "count", label: "parameters by layer kind", rows: kinds });
}

// -- vision: compute per image ---------------------------------------------------------------------------------------

function renderVision(s, subj, r, o) {
  $("vision-section").hidden = !o.vision;
  if (!o.vision || !r.est) return null;
  const f = r.est.flops;
  const facts = [["FLOPs per forward pass", f.total != null ? fmt.flops(f.total) : "-"],
    ["input", f.input ? f.input.join(" \u00d7 ") : "-"], ["output", f.output ? f.output.join(" \u00d7 ") : "-"],
    ["buffers (not parameters)", fmt.exact(r.est.buffers)]];
  if (r.speed && r.speed.images_per_s != null) facts.push(["images/s on " + s.device, fmt.rate(r.speed.images_per_s)]);
  $("vision-facts").replaceChildren(el("dl", { class: "facts" }, facts.map(([k, v]) =>
    el("div", {}, el("dt", {}, k), el("dd", {}, v)))), el("p", { class: "hint" }, f.convention));
  const ops = Object.entries(f.by_op || {}).sort((a, b) => b[1] - a[1]);
  if (!ops.length) return null;
  return chart($("vision-chart"), { type: "bar", unit: "flops", label: "FLOPs by operation", rows: ops });
}

// -- context scaling -------------------------------------------------------------------------------------------------

function renderScaling(s, r, dev, o) {
  const show = !!r.scaling;
  $("scaling-section").hidden = !show;
  if (!show) return null;
  const pts = r.scaling;
  const xs = pts.map((p) => p.context);
  const ctx = o.ctx;
  const limit = r.est.max_positions;
  $("scaling-hint").textContent = "Up to the model's declared limit" + (limit ? " (" + fmt.exact(limit) + " tokens)"
    : "") + "; the dotted line marks your context. "
    + (o.training ? "Training has no KV cache: what grows with context is the activations kept for the backward pass."
      : "Weights stay flat; the KV cache grows linearly with context.");
  const part = (m, name) => (m.parts.find((q) => q.part === name) || { bytes: 0 }).bytes;
  const memSpec = o.training
    ? { title: "Training peak vs context (micro-batch " + s.batch + ")", series: [
      { name: "peak", ys: pts.map((p) => p.m.peak_bytes), cls: 1 },
      { name: "activations", ys: pts.map((p) => part(p.m, "activations")), cls: 3 },
      { name: "weights + gradients + optimizer", ys: pts.map((p) => part(p.m, "weights") + part(p.m, "gradients")
        + part(p.m, "optimizer")), cls: 2 }] }
    : { title: "Memory vs context at " + r.mem.dtype + ", batch " + s.batch, series: [
      { name: "total", ys: pts.map((p) => p.m.total_bytes), cls: 1 },
      { name: "KV cache (" + (r.mem.kv_dtype || "") + ")", ys: pts.map((p) => part(p.m, "kv_cache")), cls: 2 },
      { name: "activations", ys: pts.map((p) => part(p.m, "activations")), cls: 3 },
      { name: "weights", ys: pts.map((p) => part(p.m, "weights")), cls: 4 }] };
  const jobs = [chart($("scaling-memory"), { type: "lines", unit: "bytes", xs, ...memSpec,
    limit: dev.usable_bytes || null, limit_label: dev.id + " usable", mark_x: ctx,
    mark_label: "your context " + fmt.tokens(ctx) })];
  if (r.flops && r.flops.scaling) {
    $("scaling-flops").hidden = false;
    const rows = r.flops.scaling;
    jobs.push(chart($("scaling-flops"), { type: "lines", unit: "flops", title: "FLOPs per token vs context",
      xs: rows.map((x) => x.context), series: [
        { name: "total", ys: rows.map((x) => x.flops_per_token), cls: 1 },
        { name: "attention (linear in context)", ys: rows.map((x) => x.attention_flops_per_token), cls: 5 },
        { name: "weights (flat)", ys: rows.map((x) => x.weight_flops_per_token), cls: 4 }],
      mark_x: ctx, mark_label: fmt.tokens(ctx) }));
  } else {
    $("scaling-flops").replaceChildren();
    $("scaling-flops").hidden = true;
  }
  return Promise.all(jobs);
}

// -- compare ---------------------------------------------------------------------------------------------------------

function renderCompare(s, subj, r, dev, o) {
  const c = r.compare;
  $("compare-section").hidden = !c;
  if (!c) return null;
  const a = { name: subj.label, est: r.est, mem: o.training ? r.train : r.mem,
    params: r.est ? r.est.parameters : upload.inspect.parameters,
    byKind: subj.kind === "upload" ? upload.inspect.by_kind : r.est.by_kind,
    fit: o.training ? null : r.verdict.rows.find((x) => x.dtype.toLowerCase() === r.mem.dtype.toLowerCase()) };
  const b = { name: s.compare, est: c.est, mem: c.mem, params: c.est ? c.est.parameters : c.mem.parameters,
    byKind: c.est ? c.est.by_kind : {}, fit: c.fit ? c.fit.rows[0] : null };
  const total = (m) => (o.training ? m.peak_bytes : m.total_bytes);
  const part = (m, name) => (m.parts.find((q) => q.part === name) || { bytes: 0 }).bytes;
  const row = (label, f, show) => ({ cells: [label, ...[a, b].map((x) => {
    const v = f(x);
    return v == null ? "-" : { text: show(v), value: v };
  })] });
  const rows = [
    row("parameters", (x) => x.params, fmt.count),
    row("precision", (x) => x.mem.dtype || x.mem.recipe, String),
    row("weights", (x) => x.mem.weights_bytes, fmt.bytes),
  ];
  if (!o.training && !o.vision) rows.push(row("KV cache at " + fmt.tokens(o.ctx), (x) => x.mem.kv_cache_bytes, fmt.bytes));
  rows.push(row(o.training ? "training peak" : "memory total", (x) => total(x.mem), fmt.bytes));
  if (!o.vision) {
    rows.push(row("FLOPs per token", (x) => x.est && x.est.flops.per_token ? x.est.flops.per_token.flops_per_token : null,
      fmt.flops));
  }
  if (o.training) {
    rows.push({ cells: ["fits on " + dev.id, ...[a, b].map((x) => {
      const ok = total(x.mem) <= dev.usable_bytes;
      return { text: ok ? "yes" : "no", cls: ok ? "yes" : "no" };
    })] });
  } else {
    rows.push({ cells: ["fits on " + dev.id, ...[a, b].map((x) => x.fit ? { text: x.fit.fits ? "yes" : x.fit.offload
      ? "offloaded" : "no", cls: x.fit.fits ? "yes" : x.fit.offload ? "offl" : "no" } : "-")] });
    rows.push(row("headroom on " + dev.id, (x) => x.fit ? x.fit.headroom_bytes : null,
      (v) => (v < 0 ? "\u2212" : "") + fmt.bytes(Math.abs(v))));
    if (!o.vision) {
      rows.push(row("longest context on " + dev.id, (x) => x.fit ? x.fit.max_context : null, fmt.exact));
      rows.push(row("decode tok/s on " + dev.id, (x) => x.fit ? x.fit.decode_tokens_per_s : null, fmt.rate));
    }
  }
  fillTable($("compare-table"), ["", a.name, b.name], rows);
  const parts = [...new Set([...a.mem.parts, ...b.mem.parts].filter((p) => p.bytes > 0).map((p) => p.part))];
  const kinds = [...new Set([...Object.keys(a.byKind), ...Object.keys(b.byKind)])];
  return Promise.all([
    chart($("compare-memory-chart"), { type: "grouped", unit: "bytes", label: "memory by part, both models",
      categories: parts.map(partName), series: [a, b].map((x) => ({ name: x.name, values: parts.map((p) => part(x.mem, p)) })) }),
    chart($("compare-chart"), { type: "grouped", unit: "count", label: "parameters by layer kind, both models",
      categories: kinds, series: [a, b].map((x) => ({ name: x.name, values: kinds.map((k) => x.byKind[k] || 0) })) }),
  ]);
}

// ---- uploads -------------------------------------------------------------------------------------------------------

async function sendUpload(file, config) {
  const started = Date.now();
  const r = await uploadHeader(file, config, (n) => setStatus("loading", "reading the header of " + file.name
    + " (" + fmt.bytes(n) + " of " + fmt.bytes(file.size) + ")..."));
  upload = { model: r.model, name: file.name, size: file.size, sent: r.sent, inspect: r.inspect, file, config,
    ms: Date.now() - started };
  return upload;
}

async function onModelFile() {
  const f = $("model-file").files[0];
  if (!f) return;
  let config = null;
  const cf = $("model-config-file").files[0];
  try {
    if (cf) config = JSON.parse(await cf.text());
  } catch (e) {
    setStatus("error", cf.name + ": not valid JSON: " + e.message);
    return;
  }
  try {
    await sendUpload(f, config);
  } catch (e) {
    setStatus("error", f.name + ": " + e.message);
    return;
  }
  state.config = "";
  $("config").value = "";
  showUpload();
  state.dtype = ""; // the upload's default: as stored
  applyForm(state);
  refresh();
}

function showUpload() {
  $("upload-section").hidden = !upload;
  if (!upload) return;
  const i = upload.inspect;
  $("upload-summary").replaceChildren(
    el("p", {}, el("span", { id: "upload-parameters", class: "big", dataset: { value: i.parameters } },
      fmt.count(i.parameters) + " parameters"), " (" + fmt.exact(i.parameters) + "), " + i.format + ", " + i.tensors
      + " tensors, ", el("span", { id: "upload-tensor-bytes", dataset: { value: i.tensor_bytes } }, fmt.bytes(i.tensor_bytes)),
      " of tensors; " + fmt.exact(upload.sent) + " of " + fmt.exact(upload.size) + " bytes read (the header only)."),
    el("p", { class: "hint" }, "This header is the page's model in every view below" + (upload.config
      ? ", with its config.json" : "") + ". It is not part of the page's link; choose a catalog model to leave it."),
    el("button", { type: "button", id: "upload-clear" }, "Back to the catalog"));
  $("upload-clear").addEventListener("click", () => leaveUpload());
  $("upload-section").dataset.state = "ready";
}

function leaveUpload() {
  upload = null;
  $("model-file").value = "";
  showUpload();
  if (state.dtype === AS_STORED) state.dtype = "";
  applyForm(state);
  refresh();
}

// ---- Hub ids (when the server was started with the Hub allowed) ----------------------------------------------------

async function onHub() {
  const id = $("hub").value.trim();
  if (!/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/.test(id)) {
    setStatus("error", "a Hub id is OWNER/NAME, e.g. Qwen/Qwen2.5-0.5B");
    return;
  }
  const started = Date.now();
  const timer = setInterval(() => setStatus("loading", "fetching the headers of " + id + " from the Hub... "
    + Math.round((Date.now() - started) / 1000) + " s"), 500);
  setStatus("loading", "fetching the headers of " + id + " from the Hub...");
  try {
    await api("estimate", { model: "hf://" + id }).catch((e) => {
      if (!(e instanceof ApiError && /no architecture/.test(e.message))) throw e;
    });
    clearInterval(timer);
    upload = null;
    showUpload();
    state.config = "";
    state.model = "hf://" + id;
    catalog.push({ id: state.model, kind: "llm", parameters: 0 });
    modelCombo.setGroups(modelGroups());
    applyForm(state);
    refresh();
  } catch (e) {
    clearInterval(timer);
    setStatus("error", id + ": " + e.message);
  }
}

// ---- start ---------------------------------------------------------------------------------------------------------

function modelGroups() {
  const groups = [
    { label: "Language models", options: catalog.filter((m) => m.kind !== "vision") },
    { label: "Vision models", options: catalog.filter((m) => m.kind === "vision") },
  ];
  return groups.map((g) => ({ label: g.label, options: g.options.map((m) => ({ value: m.id, label: m.id,
    hint: m.parameters ? fmt.count(m.parameters) : "" })) }));
}

function deviceGroups() {
  const order = ["local", ...Object.keys(CATEGORY_NAMES).filter((k) => k !== "local")];
  const cats = [...new Set(devices.map((d) => (d.id === "local" ? "local" : d.category)))]
    .sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  return cats.map((c) => ({ label: CATEGORY_NAMES[c] || c, options: devices
    .filter((d) => (d.id === "local" ? "local" : d.category) === c)
    .map((d) => ({ value: d.id, label: d.id === "local" ? "this machine: " + d.name : d.name,
      hint: fmt.bytes(d.usable_bytes) })) }));
}

let resizeTimer;
function redrawCharts() {
  for (const c of document.querySelectorAll(".chart[data-spec]")) {
    if (c.closest("[hidden]")) continue;
    chart(c, JSON.parse(c.dataset.spec)).catch(() => {});
  }
}

async function init() {
  const [cat, devs, openapi, server] = await Promise.all([get("catalog"), get("devices"),
    fetch("/api/openapi.json").then((r) => r.json()), get("server").catch(() => ({}))]);
  catalog = cat.models;
  devices = devs.devices;
  hubEnabled = !!server.hub;
  $("hub-box").hidden = !hubEnabled;
  // The fit table's default devices are the engine's (documented with /api/fit's parameters).
  const param = openapi.paths["/api/fit"].get.parameters.find((p) => p.name === "devices");
  defaultFitDevices = String(param.schema.default || "").split(",").filter((d) => devices.some((x) => x.id === d));

  modelCombo = new Combobox($("model"), { onChange: (v) => {
    state.model = v; state.config = ""; $("config").value = "";
    if (upload) { upload = null; $("model-file").value = ""; showUpload(); }
    refresh();
  } });
  modelCombo.setGroups(modelGroups());
  deviceCombo = new Combobox($("device"), { onChange: () => refresh() });
  deviceCombo.setGroups(deviceGroups());
  compareCombo = new Combobox($("compare"), { onChange: () => refresh(), emptyLabel: "" });
  compareCombo.setGroups([{ label: "Nothing", options: [{ value: "", label: "(none)" }] }, ...modelGroups()]);
  deviceList = new Checklist($("devices"), $("devices-filter"), { onChange: () => refresh() });
  deviceList.setGroups(deviceGroups());
  applyForm(state);

  const form = $("controls");
  form.addEventListener("change", (e) => {
    const id = e.target.id;
    if (["model-file", "model-config-file", "config-file", "config", "devices-filter", "hub"].includes(id)) return;
    if (e.target.closest(".combo") || e.target.closest("#devices")) return; // their own onChange
    if (id === "method") $("lora-field").hidden = $("method").value === "full";
    if (id === "dtype") state.dtype = $("dtype").value;
    refresh();
  });
  form.addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
  for (const id of ["context", "batch", "lora", "gpus", "input"]) {
    $(id).addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); refresh(); } });
  }
  $("model-file").addEventListener("change", onModelFile);
  // A config.json chosen after the weights: send the header again with it attached.
  $("model-config-file").addEventListener("change", () => { if ($("model-file").files[0]) onModelFile(); });
  $("config-file").addEventListener("change", async () => {
    const f = $("config-file").files[0];
    if (f) $("config").value = await f.text();
  });
  $("config-use").addEventListener("click", () => {
    state.config = $("config").value.trim();
    if (upload) { upload = null; $("model-file").value = ""; showUpload(); }
    refresh();
  });
  $("config-clear").addEventListener("click", () => { state.config = ""; $("config").value = ""; refresh(); });
  $("devices-default").addEventListener("click", () => { deviceList.value = []; refresh(); });
  $("hub-use").addEventListener("click", onHub);
  $("hub").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); onHub(); } });
  window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(redrawCharts, 200); });
  refresh();
}

init().catch((e) => setStatus("error", e.message));
