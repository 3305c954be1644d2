// Numbers as the CLI prints them (heft-core report.Units), so the page and the terminal read the same.

/** Bytes in binary units: 41.37 GiB. */
export function bytes(n) {
  if (n == null) return "-";
  if (Math.abs(n) < 1024) return n + " B";
  const suffix = [" B", " KiB", " MiB", " GiB", " TiB", " PiB"];
  let v = Math.abs(n), i = 0;
  while (v >= 1024 && i < suffix.length - 1) { v /= 1024; i++; }
  return (n < 0 ? "-" : "") + v.toFixed(2) + suffix[i];
}

/** Parameters with SI suffixes: 8.03 B. */
export function count(n) {
  const suffix = ["", " K", " M", " B", " T"];
  let v = n, i = 0;
  while (Math.abs(v) >= 1000 && i < suffix.length - 1) { v /= 1000; i++; }
  return i === 0 ? String(n) : v.toFixed(v >= 100 ? 1 : 2) + suffix[i];
}

export function flops(v) {
  const suffix = [" FLOP", " KFLOP", " MFLOP", " GFLOP", " TFLOP", " PFLOP", " EFLOP"];
  let i = 0;
  while (v >= 1000 && i < suffix.length - 1) { v /= 1000; i++; }
  return v.toFixed(v >= 100 ? 0 : 2) + suffix[i];
}

/** 2,033,408 */
export const exact = (n) => Number(n).toLocaleString("en-US");

/** Contexts as people name them: 8,192 -> 8k, 131,072 -> 128k (as heft's verdicts write them). */
export function tokens(t) {
  if (t >= 1048576 && t % 1048576 === 0) return t / 1048576 + "M";
  if (t >= 1024 && t % 1024 === 0) return t / 1024 + "k";
  return exact(t);
}

/** Token counts as the engine reads them (api.Tokens): 8192, 8k = 8,192, 1m = 1,048,576. */
export function parseTokens(text) {
  const t = String(text).trim().toLowerCase().replace(/[_,]/g, "");
  const m = /^(\d+(?:\.\d+)?)([km]?)$/.exec(t);
  if (!m) return NaN;
  return Math.round(Number(m[1]) * (m[2] === "k" ? 1024 : m[2] === "m" ? 1048576 : 1));
}

export const rate = (v) => (v == null ? "-" : v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(1));
export const seconds = (s) => (s == null ? "-" : s < 1 ? (s * 1000).toFixed(0) + " ms" : s.toFixed(2) + " s");
export const percent = (f) => (100 * f).toFixed(1) + " %";
