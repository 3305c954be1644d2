// The page's only way to the server: the JSON API, header uploads and server-rendered charts. Nothing is fetched from
// anywhere else.

export class ApiError extends Error {
  constructor(message, status) { super(message); this.status = status; }
}

/** How often a request the server answered 503 with Retry-After (busy: heavy lane or queue full) is sent again. */
const BUSY_RETRIES = 3;

/**
 * POST a JSON request to /api/NAME; the answer is the CLI's --json object for the same options. A 503 with a short
 * Retry-After (the server's heavy lane or queue is full for a moment) is waited out and sent again, a few times.
 */
export async function api(name, body) {
  for (let attempt = 0; ; attempt++) {
    const r = await fetch("/api/" + name, { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body) });
    const retryAfter = r.headers.get("Retry-After");
    const wait = retryAfter === null ? NaN : Number(retryAfter);
    if (r.status === 503 && attempt < BUSY_RETRIES && wait >= 0 && wait <= 10) {
      await new Promise((done) => setTimeout(done, Math.max(wait, 0.2) * 1000));
      continue;
    }
    const j = await r.json().catch(() => ({ error: "HTTP " + r.status }));
    if (!r.ok) throw new ApiError(j.error || "HTTP " + r.status, r.status);
    return j;
  }
}

export async function get(name) {
  const r = await fetch("/api/" + name);
  const j = await r.json();
  if (!r.ok) throw new ApiError(j.error || "HTTP " + r.status, r.status);
  return j;
}

const MAX_HEADER = 100000008; // safetensors' cap on a header plus its 8-byte length

/**
 * Reads a local safetensors or GGUF file's header in the browser and uploads only that: safetensors' 8-byte length
 * and JSON header, or a GGUF prefix grown until the server has the whole header (it answers 422 with need_bytes).
 * The server keeps the parsed model and names it (Heft-Model: upload:ID) for every later request. Returns
 * { model: "upload:ID", inspect, sent } where sent is how many bytes left the browser.
 */
export async function uploadHeader(file, config, onProgress = () => {}) {
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
    onProgress(n);
    const body = await file.slice(0, n).arrayBuffer();
    const q = new URLSearchParams({ name: file.name, size: String(file.size) });
    if (config) q.set("config", JSON.stringify(config));
    const r = await fetch("/api/inspect-header?" + q, { method: "POST",
      headers: { "Content-Type": "application/octet-stream" }, body });
    const j = await r.json();
    if (r.status === 422 && j.need_bytes && j.need_bytes > n && j.need_bytes <= MAX_HEADER) { n = j.need_bytes; continue; }
    if (!r.ok) throw new ApiError(j.error || "HTTP " + r.status, r.status);
    return { model: r.headers.get("Heft-Model"), inspect: j, sent: n };
  }
  throw new Error("the header did not end within the bytes read");
}

/**
 * Draws a chart into target: the page sends the numbers it already has and the width it has for them, heft-web lays
 * the SVG out for that width (axes, ticks, legends, labels that do not clip or overlap) and app.css colours it. Only
 * SVG that heft's own server wrote is inserted.
 */
export async function chart(target, spec) {
  const width = Math.max(240, Math.min(2000, Math.floor(target.clientWidth || target.parentElement.clientWidth || 760)));
  const r = await fetch("/api/chart", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...spec, width }) });
  const text = await r.text();
  if (!r.ok) throw new Error("chart: " + text);
  target.innerHTML = text;
  target.dataset.spec = JSON.stringify(spec);
  return target;
}
