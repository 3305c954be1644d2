// Small DOM helpers and the page's two custom controls: a searchable, grouped list (an ARIA combobox) for models and
// devices, and a filterable checklist for the fit table's devices. Everything else is a native form control.

/** An element with attributes and children: el("td", { class: "yes", dataset: { value: 3 } }, "text"). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === "dataset") Object.assign(e.dataset, v);
    else if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c != null) e.append(c);
  return e;
}

/**
 * Fills a table: a header row and body rows. A cell is text, or { text, value, id, cls, title, html: Node }; value
 * goes to data-value so tests and scripts read the exact number behind the rounded text.
 */
export function fillTable(table, head, rows, options = {}) {
  table.replaceChildren();
  if (options.caption) table.append(el("caption", { text: options.caption }));
  table.append(el("thead", {}, el("tr", {}, head.map((h) => typeof h === "object"
    ? el("th", { scope: "col", title: h.title, class: h.cls }, h.text) : el("th", { scope: "col" }, h)))));
  const body = el("tbody");
  for (const r of rows) {
    const tr = el("tr", { class: r.cls, dataset: r.dataset });
    (r.cells || r).forEach((c, i) => {
      const tag = i === 0 ? "th" : "td";
      if (c && typeof c === "object" && !(c instanceof Node)) {
        tr.append(el(tag, { scope: i === 0 ? "row" : null, id: c.id, class: c.cls, title: c.title,
          dataset: c.value !== undefined ? { value: c.value } : undefined }, c.node ?? c.text));
      } else {
        tr.append(el(tag, { scope: i === 0 ? "row" : null }, c instanceof Node ? c : String(c ?? "")));
      }
    });
    body.append(tr);
  }
  table.append(body);
}

let comboCount = 0;

/**
 * A text box with a list of grouped options that narrows as the user types (WAI-ARIA combobox with a listbox popup):
 * arrow keys move through the matches, Enter or a click chooses, Escape closes and restores the choice. The chosen
 * value is `value`; `onChange(value)` runs when the user picks a different one.
 */
export class Combobox {
  constructor(input, { onChange, emptyLabel } = {}) {
    this.input = input;
    this.onChange = onChange || (() => {});
    this.emptyLabel = emptyLabel;
    this.groups = [];
    this.current = "";
    this.active = -1;
    this.list = el("ul", { role: "listbox", id: input.id + "-list", class: "combo-list", hidden: true });
    input.after(this.list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.list.id);
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    input.addEventListener("focus", () => { input.select(); });
    input.addEventListener("input", () => this.open(input.value));
    input.addEventListener("keydown", (e) => this.key(e));
    input.addEventListener("blur", () => { this.close(); this.show(); });
    // pointerdown, not click: the choice lands before the input's blur closes the list.
    this.list.addEventListener("pointerdown", (e) => {
      const li = e.target.closest("[role=option]");
      if (!li) return;
      e.preventDefault();
      this.choose(li.dataset.value);
    });
  }

  /** groups: [{ label, options: [{ value, label, hint }] }] */
  setGroups(groups) {
    this.groups = groups;
    this.show();
  }

  get value() { return this.current; }

  set value(v) {
    this.current = v ?? "";
    this.show();
  }

  option(v) {
    for (const g of this.groups) for (const o of g.options) if (o.value === v) return o;
    return null;
  }

  show() {
    const o = this.option(this.current);
    this.input.value = o ? o.label : (this.current ? this.current : (this.emptyLabel || ""));
  }

  matches(query) {
    const q = query.trim().toLowerCase();
    const out = [];
    for (const g of this.groups) {
      const opts = g.options.filter((o) => !q || o.label.toLowerCase().includes(q) || o.value.toLowerCase().includes(q)
        || (o.hint || "").toLowerCase().includes(q) || g.label.toLowerCase().includes(q));
      if (opts.length) out.push({ label: g.label, options: opts });
    }
    return out;
  }

  open(query = "") {
    const groups = this.matches(query);
    this.list.replaceChildren();
    this.flat = [];
    for (const g of groups) {
      const gid = "combo" + (++comboCount);
      const ul = el("ul", { role: "group", "aria-labelledby": gid });
      for (const o of g.options) {
        const li = el("li", { role: "option", id: gid + "-" + this.flat.length, dataset: { value: o.value },
          "aria-selected": o.value === this.current ? "true" : "false" }, o.label,
        o.hint ? el("span", { class: "hint" }, " " + o.hint) : null);
        this.flat.push(li);
        ul.append(li);
      }
      this.list.append(el("li", { role: "presentation", class: "group" },
        el("span", { id: gid, class: "group-label" }, g.label), ul));
    }
    if (!this.flat.length) this.list.append(el("li", { role: "presentation", class: "empty" }, "no match"));
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.setActive(this.flat.findIndex((li) => li.dataset.value === this.current));
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  }

  setActive(i) {
    if (this.active >= 0 && this.flat[this.active]) this.flat[this.active].classList.remove("active");
    this.active = i;
    if (i >= 0 && this.flat[i]) {
      this.flat[i].classList.add("active");
      this.input.setAttribute("aria-activedescendant", this.flat[i].id);
      this.flat[i].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  }

  key(e) {
    const openNow = !this.list.hidden;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!openNow) { this.open(""); return; }
      const n = this.flat.length;
      if (!n) return;
      const step = e.key === "ArrowDown" ? 1 : -1;
      this.setActive(this.active < 0 ? (step > 0 ? 0 : n - 1) : (this.active + step + n) % n);
    } else if (e.key === "Enter") {
      if (!openNow) return;
      e.preventDefault();
      const li = this.flat[this.active >= 0 ? this.active : 0];
      if (li) this.choose(li.dataset.value); else { this.close(); this.show(); }
    } else if (e.key === "Escape") {
      if (openNow) { e.preventDefault(); this.close(); this.show(); this.input.select(); }
    }
  }

  choose(v) {
    const changed = v !== this.current;
    this.current = v;
    this.close();
    this.show();
    if (changed) this.onChange(v);
  }
}

/**
 * Checkboxes grouped under headings with a filter box above them: the fit table's devices. `value` is the checked ids
 * in catalog order; `onChange` runs when the user ticks or unticks one.
 */
export class Checklist {
  constructor(root, filter, { onChange } = {}) {
    this.root = root;
    this.filter = filter;
    this.onChange = onChange || (() => {});
    filter.addEventListener("input", () => this.narrow(filter.value));
    root.addEventListener("change", () => this.onChange(this.value));
  }

  setGroups(groups) {
    this.root.replaceChildren();
    for (const g of groups) {
      const fs = el("fieldset", { class: "check-group" }, el("legend", {}, g.label));
      for (const o of g.options) {
        fs.append(el("label", { class: "check", dataset: { search: (o.value + " " + o.label + " " + g.label).toLowerCase() } },
          el("input", { type: "checkbox", value: o.value }), " " + o.label,
          o.hint ? el("span", { class: "hint" }, " " + o.hint) : null));
      }
      this.root.append(fs);
    }
  }

  get value() {
    return [...this.root.querySelectorAll("input:checked")].map((i) => i.value);
  }

  set value(ids) {
    const chosen = new Set(ids);
    for (const i of this.root.querySelectorAll("input")) i.checked = chosen.has(i.value);
  }

  narrow(text) {
    const q = text.trim().toLowerCase();
    for (const fs of this.root.querySelectorAll("fieldset")) {
      let any = false;
      for (const l of fs.querySelectorAll("label")) {
        const show = !q || l.dataset.search.includes(q);
        l.hidden = !show;
        any ||= show;
      }
      fs.hidden = !any;
    }
  }
}
