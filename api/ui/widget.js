// <briefsearch-search>: a Briefsearch search box for any web page, as a
// web component with no dependencies. One tag loads it:
//
//   <script type="module" src="https://briefs.example.org/widget.js"></script>
//   <briefsearch-search query="Iran plots" filters="country=Iran" facets="country,topic"></briefsearch-search>
//
// Attributes:
//   endpoint     base URL of the API (default: where widget.js came from)
//   query        a search to run at once (the box starts with it)
//   placeholder  the search box's placeholder
//   filters      fixed filters as a query string (country=Iran&after=2024-01-01):
//                every search has them and the visitor cannot widen them
//   facets       comma list of facet fields to offer as filters (default country,topic;
//                "" for none); a field with a fixed filter is not offered
//   api-key      a search key, for servers that require one (it is visible in the page:
//                use a key with a scope, never an admin key)
//   limit        hits per page (default 10)
//
// Events (bubbling, composed): briefsearch:results (detail: the search answer and
// the parameters sent), briefsearch:select (detail: the hit; cancelable: the
// default opens the hit's original URL in a new tab), briefsearch:error (detail:
// status, detail, position).
//
// Theming: CSS custom properties on the element (--briefsearch-bg, -fg, -muted,
// -accent, -accent-fg, -border, -surface, -mark, -mark-fg, -error, -radius, -font,
// -font-size), and ::part(form|input|button|facets|facet|status|hits|hit|title|
// snippet|meta|pager). Light and dark follow prefers-color-scheme. The widget
// lives in a Shadow DOM: the page's CSS does not reach inside it and its CSS does
// not leak out.
//
// A page on another origin may call the API only if that origin is listed in the
// server's server.cors_origins.

import { BriefsearchError, Client, highlight, safeURL } from "./client.js";

const FIELDS = ["country", "actor", "topic", "source"];
/** @type {Record<string, string>} */
const LABELS = { country: "Country", actor: "Actor", topic: "Topic", source: "Source" };

const css = `
:host { all: initial; display: block; contain: content; color-scheme: light dark;
  --_bg: var(--briefsearch-bg, #ffffff); --_fg: var(--briefsearch-fg, #1d2433);
  --_muted: var(--briefsearch-muted, #5a6478); --_accent: var(--briefsearch-accent, #2456c8);
  --_accent-fg: var(--briefsearch-accent-fg, #ffffff); --_border: var(--briefsearch-border, #cfd5df);
  --_surface: var(--briefsearch-surface, #f1f3f7); --_mark: var(--briefsearch-mark, #ffe58a);
  --_mark-fg: var(--briefsearch-mark-fg, #1d2433); --_error: var(--briefsearch-error, #a32020);
  --_radius: var(--briefsearch-radius, 6px);
  --_font: var(--briefsearch-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  --_size: var(--briefsearch-font-size, 15px); }
@media (prefers-color-scheme: dark) {
  :host { --_bg: var(--briefsearch-bg, #161b26); --_fg: var(--briefsearch-fg, #e5e8ee);
    --_muted: var(--briefsearch-muted, #a0a9ba); --_accent: var(--briefsearch-accent, #7aa2ff);
    --_accent-fg: var(--briefsearch-accent-fg, #0d1220); --_border: var(--briefsearch-border, #3a4356);
    --_surface: var(--briefsearch-surface, #222a38); --_mark: var(--briefsearch-mark, #6b5a10);
    --_mark-fg: var(--briefsearch-mark-fg, #fff6d0); --_error: var(--briefsearch-error, #ff9c9c); }
}
:host([hidden]) { display: none; }
[hidden] { display: none !important; }
.root { box-sizing: border-box; background: var(--_bg); color: var(--_fg); font-family: var(--_font);
  font-size: var(--_size); font-weight: normal; font-style: normal; line-height: 1.45; text-align: start;
  text-transform: none; letter-spacing: normal; word-spacing: normal; white-space: normal;
  padding: 12px; border: 1px solid var(--_border); border-radius: var(--_radius); }
.root * { box-sizing: border-box; }
form { display: flex; gap: 6px; }
input { flex: 1; min-width: 0; font: inherit; color: var(--_fg); background: var(--_bg);
  padding: 6px 10px; border: 1px solid var(--_border); border-radius: var(--_radius); }
button { font: inherit; cursor: pointer; border-radius: var(--_radius); }
form button, .pager button { padding: 6px 12px; border: 1px solid var(--_accent);
  background: var(--_accent); color: var(--_accent-fg); }
.pager button { background: transparent; color: var(--_accent); }
button:disabled { opacity: .45; cursor: default; }
:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
.facets { display: flex; flex-direction: column; gap: 4px; margin-top: 8px; }
.facets:empty { display: none; }
.facet { display: flex; flex-wrap: wrap; align-items: center; gap: 4px; }
.facet .name { font-size: .8em; color: var(--_muted); text-transform: uppercase; letter-spacing: .04em; margin-right: 2px; }
.facet button { font-size: .85em; padding: 1px 8px; border: 1px solid var(--_border); border-radius: 999px;
  background: var(--_surface); color: var(--_fg); }
.facet button[aria-pressed="true"] { background: var(--_accent); border-color: var(--_accent); color: var(--_accent-fg); }
.facet .count { opacity: .7; margin-left: 4px; }
.status { color: var(--_muted); font-size: .85em; margin: 8px 0 4px; min-height: 1.2em; }
.error { color: var(--_error); margin: 8px 0 4px; }
ol { list-style: none; margin: 0; padding: 0; }
li { padding: 8px 0; border-top: 1px solid var(--_border); }
li:first-child { border-top: 0; }
.title { display: inline; font: inherit; font-weight: 600; color: var(--_accent); text-decoration: none;
  background: none; border: 0; padding: 0; text-align: start; }
a.title:hover, button.title:hover { text-decoration: underline; }
.meta { color: var(--_muted); font-size: .8em; }
.snippet { margin: 2px 0 0; }
mark { background: var(--_mark); color: var(--_mark-fg); padding: 0 1px; border-radius: 2px; }
.pager { display: flex; gap: 6px; align-items: center; justify-content: flex-end; margin-top: 6px; }
.pager:has(button:disabled + button:disabled) { display: none; }
`;

/** @type {CSSStyleSheet | undefined} */
let sheet;

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string>} [attrs]
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The <briefsearch-search> element. */
export class BriefsearchSearch extends HTMLElement {
  static observedAttributes = ["endpoint", "api-key", "filters", "facets", "query", "placeholder", "limit"];

  /** @type {ShadowRoot} */ #root;
  /** @type {Client} */ #client = new Client();
  /** @type {string[]} */ #fields = [];
  #q = "";
  #offset = 0;
  #limit = 10;
  /** @type {Record<string, string[]>} */ #selected = {};
  /** @type {AbortController | undefined} */ #abort;
  #connected = false;
  #searched = false;
  /** @type {{field: string, value: string} | undefined} */ #refocus;
  #ui;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
    // A constructed stylesheet: not blocked by a host page's CSP style-src.
    sheet ??= new CSSStyleSheet();
    if (!sheet.cssRules.length) sheet.replaceSync(css);
    this.#root.adoptedStyleSheets = [sheet];
    const ui = {
      root: el("div", { class: "root", part: "root" }),
      form: el("form", { role: "search", part: "form" }),
      input: el("input", { type: "search", part: "input", "aria-label": "Search", autocomplete: "off", enterkeyhint: "search" }),
      button: el("button", { type: "submit", part: "button" }, "Search"),
      facets: el("div", { class: "facets", part: "facets" }),
      status: el("p", { class: "status", part: "status", role: "status", "aria-live": "polite" }),
      error: el("p", { class: "error", part: "error", role: "alert", hidden: "" }),
      hits: el("ol", { class: "hits", part: "hits", "aria-label": "Results" }),
      pager: el("nav", { class: "pager", part: "pager", "aria-label": "Result pages" }),
      prev: el("button", { type: "button", disabled: "" }, "Previous"),
      next: el("button", { type: "button", disabled: "" }, "Next"),
    };
    ui.form.append(ui.input, ui.button);
    ui.pager.append(ui.prev, ui.next);
    ui.root.append(ui.form, ui.facets, ui.status, ui.error, ui.hits, ui.pager);
    this.#root.append(ui.root);
    this.#ui = ui;
    ui.form.addEventListener("submit", e => {
      e.preventDefault();
      this.search(ui.input.value.trim());
    });
    ui.prev.addEventListener("click", () => { this.#offset = Math.max(0, this.#offset - this.#limit); this.#run(); });
    ui.next.addEventListener("click", () => { this.#offset += this.#limit; this.#run(); });
  }

  connectedCallback() {
    if (this.#connected) return;
    this.#connected = true;
    this.#configure();
    this.#ui.input.placeholder = this.getAttribute("placeholder") ?? "Search briefings";
    if (this.hasAttribute("query")) this.search(this.getAttribute("query") ?? "");
  }

  disconnectedCallback() {
    this.#connected = false;
    this.#abort?.abort();
  }

  /**
   * @param {string} name
   * @param {string | null} old
   * @param {string | null} value
   */
  attributeChangedCallback(name, old, value) {
    if (!this.#connected || old === value) return;
    if (name === "placeholder") {
      this.#ui.input.placeholder = value ?? "Search briefings";
    } else if (name === "query") {
      this.search(value ?? "");
    } else {
      this.#configure();
      if (this.#searched) {
        this.#offset = 0;
        this.#run();
      }
    }
  }

  /** The client this widget searches with (see client.js). */
  get client() {
    return this.#client;
  }

  /**
   * Searches for q from the first page, keeping the chosen facet filters.
   * @param {string} q
   * @returns {Promise<void>}
   */
  search(q) {
    this.#q = q;
    this.#ui.input.value = q;
    this.#offset = 0;
    return this.#run();
  }

  #configure() {
    const filters = this.getAttribute("filters") ?? "";
    this.#client = new Client({
      endpoint: this.getAttribute("endpoint") || undefined,
      apiKey: this.getAttribute("api-key") || "",
      filters,
    });
    const fixed = new URLSearchParams(filters);
    const wanted = (this.getAttribute("facets") ?? "country,topic").split(",").map(f => f.trim());
    this.#fields = FIELDS.filter(f => wanted.includes(f) && !fixed.has(f));
    for (const f of Object.keys(this.#selected)) if (!this.#fields.includes(f)) delete this.#selected[f];
    const limit = Number(this.getAttribute("limit"));
    this.#limit = Number.isInteger(limit) && limit > 0 ? limit : 10;
  }

  async #run() {
    this.#searched = true;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    /** @type {Record<string, unknown>} */
    const params = { q: this.#q, limit: this.#limit, offset: this.#offset };
    if (this.#fields.length) {
      params.facets = this.#fields;
      params.facet_size = 6;
    }
    for (const f of this.#fields) params[f] = this.#selected[f];
    const ui = this.#ui;
    ui.root.setAttribute("aria-busy", "true");
    try {
      const res = await this.#client.search(params, { signal: abort.signal });
      ui.error.hidden = true;
      this.#render(res);
      this.#emit("briefsearch:results", { ...res, params: this.#client.withFilters(params).toString() });
    } catch (err) {
      if (abort.signal.aborted) return;
      this.#fail(err);
    } finally {
      if (this.#abort === abort) ui.root.removeAttribute("aria-busy");
    }
  }

  /** @param {unknown} err */
  #fail(err) {
    const ui = this.#ui;
    const e = err instanceof BriefsearchError ? err : new BriefsearchError(String(err));
    let message;
    if (e.unreachable) {
      message = "Search is unavailable: the search server could not be reached.";
      console.warn(`briefsearch-search: ${e.message}`);
    } else if (e.status === 401 || e.status === 403) {
      message = "Search is unavailable: the search key was refused.";
    } else if (e.status === 429) {
      message = "Too many searches: wait a moment and try again.";
    } else if (e.status >= 500) {
      message = "Search failed on the server: " + e.detail;
    } else {
      message = e.detail + (e.position !== undefined ? ` (at character ${e.position + 1})` : "");
    }
    ui.error.textContent = message;
    ui.error.hidden = false;
    ui.status.textContent = "";
    ui.hits.replaceChildren();
    ui.prev.disabled = ui.next.disabled = true;
    this.#emit("briefsearch:error", { status: e.status, detail: e.detail, position: e.position, message: e.message });
  }

  /** @param {import("./client.js").SearchResponse} res */
  #render(res) {
    const ui = this.#ui;
    const last = res.offset + res.hits.length;
    ui.status.textContent = res.total === 0
      ? (this.#q ? `No results for “${this.#q}”.` : "No results.")
      : `${res.offset + 1}–${last} of ${res.total} ${res.total === 1 ? "result" : "results"}`;
    ui.hits.replaceChildren(...res.hits.map(h => this.#hit(h)));
    ui.prev.disabled = res.offset === 0;
    ui.next.disabled = last >= res.total;
    this.#renderFacets(res.facets ?? {});
  }

  /**
   * @param {import("./client.js").Hit} h
   * @returns {HTMLLIElement}
   */
  #hit(h) {
    const li = el("li", { part: "hit" });
    const url = safeURL(h.url);
    const title = url
      ? el("a", { class: "title", part: "title", href: url, target: "_blank", rel: "noopener noreferrer" })
      : el("button", { class: "title", part: "title", type: "button" });
    if (h.title_highlight) title.append(highlight(h.title_highlight));
    else title.textContent = h.title || h.article_id;
    title.addEventListener("click", e => {
      const go = this.#emit("briefsearch:select", { hit: h, id: h.id, article_id: h.article_id, url }, true);
      if (!go) e.preventDefault();
    });
    const meta = [h.source, h.published?.slice(0, 10)].filter(Boolean).join(" · ");
    li.append(title);
    if (meta) li.append(el("div", { class: "meta", part: "meta" }, meta));
    const frags = h.highlights.length ? h.highlights.slice(0, 2) : [];
    for (const f of frags) {
      const p = el("p", { class: "snippet", part: "snippet" });
      p.append(highlight(f));
      li.append(p);
    }
    if (!frags.length) li.append(el("p", { class: "snippet", part: "snippet" }, h.text.length > 240 ? h.text.slice(0, 240) + "…" : h.text));
    return li;
  }

  /** @param {Record<string, import("./client.js").FacetValue[]>} facets */
  #renderFacets(facets) {
    const groups = [];
    for (const f of this.#fields) {
      const selected = this.#selected[f] ?? [];
      const values = [...(facets[f] ?? [])];
      for (const v of selected) if (!values.some(x => x.value === v)) values.push({ value: v, count: 0 });
      if (!values.length) continue;
      const id = "facet-" + f;
      const group = el("div", { class: "facet", part: "facet", role: "group", "aria-labelledby": id });
      group.append(el("span", { class: "name", id }, LABELS[f]));
      for (const v of values) {
        const on = selected.includes(v.value);
        const b = el("button", { type: "button", "aria-pressed": String(on), "data-field": f, "data-value": v.value }, v.value);
        b.append(el("span", { class: "count", "aria-hidden": "true" }, String(v.count)));
        b.setAttribute("aria-label", `${v.value}, ${v.count} ${v.count === 1 ? "result" : "results"}`);
        b.addEventListener("click", () => {
          this.#refocus = { field: f, value: v.value };
          this.#selected[f] = on ? selected.filter(x => x !== v.value) : [...selected, v.value];
          this.#offset = 0;
          this.#run();
        });
        group.append(b);
      }
      groups.push(group);
    }
    this.#ui.facets.replaceChildren(...groups);
    // Keep the keyboard where it was: the button just pressed was replaced.
    const want = this.#refocus;
    this.#refocus = undefined;
    if (want) {
      for (const b of this.#ui.facets.querySelectorAll("button")) {
        if (b.dataset.field === want.field && b.dataset.value === want.value) b.focus();
      }
    }
  }

  /**
   * Dispatches a bubbling, composed event from the element.
   * @param {string} type
   * @param {unknown} detail
   * @param {boolean} [cancelable]
   * @returns {boolean} false if a listener called preventDefault
   */
  #emit(type, detail, cancelable = false) {
    return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
  }
}

if (!customElements.get("briefsearch-search")) customElements.define("briefsearch-search", BriefsearchSearch);
