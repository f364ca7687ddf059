// The search page. It talks to the API through client.js (served beside the
// page at ../client.js), and inserts every value from the API as text:
// highlights become text and <mark> elements (client.js highlight), never
// parsed HTML, and links to originals are http(s) only (safeURL).
import { Client, highlight, safeURL } from "../client.js";

const FACETS = ["country", "actor", "actor_kind", "topic", "source"];
const CHIP_FIELDS = ["country", "actor", "topic"];
const LIMIT = 10;
const KEY = "briefsearch.key";

/** @type {{q: string, sort: string, after: string, before: string, offset: number, like: string, likeLabel: string, filters: Record<string, string[]>}} */
const state = { q: "", sort: "relevance", after: "", before: "", offset: 0, like: "", likeLabel: "", group: false, filters: {} };
for (const f of FACETS) state.filters[f] = [];

/** @param {string} id */
const $ = id => /** @type {HTMLElement} */ (document.getElementById(id));
const q = /** @type {HTMLInputElement} */ ($("q"));
const keyInput = /** @type {HTMLInputElement} */ ($("key"));
const hitsBox = $("hits");
const problemBox = $("problem");
const reader = /** @type {HTMLDialogElement} */ ($("reader"));

// The API key, for servers that require one, lives in session storage:
// it is sent with every request from this tab and forgotten with it.
const client = new Client({ endpoint: new URL("../", import.meta.url), apiKey: sessionStorage.getItem(KEY) || "" });
keyInput.value = client.apiKey;
keyInput.hidden = keyInput.value === "";
keyInput.addEventListener("change", () => {
  client.apiKey = keyInput.value.trim();
  sessionStorage.setItem(KEY, client.apiKey);
  state.offset = 0;
  run();
});

/**
 * @param {string} tag
 * @param {string} [cls]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** @param {string} text @param {string} [cls] @param {string} [label] */
function button(text, cls, label) {
  const b = /** @type {HTMLButtonElement} */ (el("button", cls, text));
  b.type = "button";
  if (label) b.setAttribute("aria-label", label);
  return b;
}

/** The parameters of the search (or the similar search) the page shows. */
function apiParams() {
  /** @type {Record<string, unknown>} */
  const p = { sort: state.sort === "relevance" ? undefined : state.sort, after: state.after, before: state.before };
  for (const f of FACETS) p[f] = state.filters[f];
  p.facets = [...FACETS, "published"].join(",");
  p.interval = interval();
  p.limit = LIMIT;
  p.offset = state.offset || undefined;
  if (state.group && !state.like) p.group = "article";
  return state.like ? p : { q: state.q || undefined, ...p };
}

/**
 * The timeline's bucket: days within two months, months within three years,
 * else years.
 */
function interval() {
  if (!state.after || !state.before) return "year";
  const days = (Date.parse(state.before) - Date.parse(state.after)) / 864e5;
  return days <= 62 ? "day" : days <= 3 * 366 ? "month" : "year";
}

/**
 * The page's own URL: the search, and the article open in the reader.
 * @param {{article?: string, para?: number}} [open]
 */
function pageURL(open = {}) {
  const p = client.withFilters(apiParams());
  p.delete("interval"); // follows the dates
  if (state.like) {
    p.set("like", state.like);
    if (state.q) p.set("q", state.q); // kept for when "more like this" is removed
  }
  if (open.article) p.set("article", open.article);
  if (open.para) p.set("para", String(open.para));
  return "?" + p.toString();
}

/** What identifies the result list (not the reader): a change runs a search. */
const searchKey = () => JSON.stringify([apiParams(), state.like]);

/** Reads the state from the URL, so searches can be bookmarked and shared. */
function readURL() {
  const u = new URLSearchParams(location.search);
  state.q = u.get("q") || "";
  state.sort = u.get("sort") || "relevance";
  state.after = u.get("after") || "";
  state.before = u.get("before") || "";
  state.offset = Number(u.get("offset")) || 0;
  state.group = u.get("group") === "article";
  if (state.like !== (u.get("like") || "")) state.likeLabel = "";
  state.like = u.get("like") || "";
  for (const f of FACETS) state.filters[f] = u.getAll(f);
  q.value = state.q;
  /** @type {HTMLSelectElement} */ ($("sort")).value = state.sort;
  /** @type {HTMLInputElement} */ ($("group")).checked = state.group;
  /** @type {HTMLInputElement} */ ($("after")).value = state.after;
  /** @type {HTMLInputElement} */ ($("before")).value = state.before;
  return { article: u.get("article") || "", para: Number(u.get("para")) || 0 };
}

let shown = "";      // searchKey of the list on screen
let seq = 0;         // the latest search; older answers are dropped
/** @type {import("../client.js").Hit[]} */
let hits = [];

async function run() {
  const mine = ++seq;
  shown = searchKey();
  history.replaceState(history.state, "", pageURL(reader.open ? readerAt : {}));
  renderActive();
  hitsBox.setAttribute("aria-busy", "true");
  try {
    const res = state.like ? await client.similar(state.like, apiParams()) : await client.search(apiParams());
    if (mine !== seq) return;
    problemBox.hidden = true;
    render(res);
  } catch (err) {
    if (mine !== seq) return;
    showProblem(/** @type {import("../client.js").BriefsearchError} */ (err));
  } finally {
    if (mine === seq) hitsBox.removeAttribute("aria-busy");
  }
}

/** @param {import("../client.js").BriefsearchError} err */
function showProblem(err) {
  hits = [];
  hitsBox.replaceChildren();
  $("summary").textContent = "";
  $("understood").textContent = "";
  $("empty").hidden = true;
  /** @type {HTMLButtonElement} */ ($("prev")).disabled = /** @type {HTMLButtonElement} */ ($("next")).disabled = true;
  problemBox.replaceChildren();
  if (err.unreachable) {
    problemBox.append("Cannot reach the Briefsearch server: it may be down or restarting. ");
    const retry = button("Try again");
    retry.addEventListener("click", run);
    problemBox.append(retry);
  } else if (err.status === 401 || err.status === 403) {
    problemBox.append(`${err.detail}. Enter an API key (it is kept for this tab only).`);
    keyInput.hidden = false;
    keyInput.focus();
  } else if (err.status === 429) {
    problemBox.append(`Too many requests: ${err.detail}` + (err.retryAfter ? ` Try again in ${err.retryAfter} s.` : ""));
  } else if (err.status >= 500) {
    problemBox.append(`The server could not answer: ${err.detail}` + (err.requestId ? ` (request ${err.requestId})` : ""));
  } else {
    problemBox.append(err.detail || String(err));
    if (err.position !== undefined && !state.like) showPosition(err.position);
  }
  problemBox.hidden = false;
}

/**
 * Points at a syntax error: the query with the character at position
 * (code points from 0) marked, and the cursor put there.
 * @param {number} position
 */
function showPosition(position) {
  const chars = Array.from(state.q);
  const at = Math.max(0, Math.min(position, chars.length));
  const code = el("code");
  const mark = el("mark", "", chars[at] ?? " ");
  code.append(chars.slice(0, at).join(""), mark, chars.slice(at + 1).join(""));
  code.setAttribute("aria-label", `position ${at + 1} of the query`);
  problemBox.append(" ", el("span", "", `(at character ${at + 1})`), code);
  const index = chars.slice(0, at).join("").length; // in UTF-16 units, for the input
  q.focus();
  q.setSelectionRange(index, index + (chars[at]?.length ?? 0));
}

/** @param {import("../client.js").SearchResponse} res */
function render(res) {
  const groups = res.groups;
  hits = groups ? groups.flatMap(g => g.hits) : res.hits;
  const shown = groups ? groups.length : res.hits.length;
  const from = res.total === 0 ? 0 : res.offset + 1;
  const like = state.like ? ` like ${state.likeLabel || state.like}` : "";
  $("summary").textContent = groups
    ? `${from}–${res.offset + shown} of ${res.total_articles} articles, ${res.total} paragraphs (${res.took_ms} ms)`
    : `${from}–${res.offset + shown} of ${res.total} paragraphs${like} (${res.took_ms} ms)`;
  // What the query was understood as: entities, aliases, typo corrections.
  const u = res.understood || {};
  const parts = [];
  if (u.corrections) parts.push("read as " + u.corrections.join(", "));
  for (const f of /** @type {const} */ (["country", "actor", "topic"])) if (u[f]) parts.push(f + ": " + u[f].join(", "));
  if (u.expansions) parts.push("also searched: " + u.expansions.join(", "));
  $("understood").textContent = parts.length ? "Understood — " + parts.join(" · ") : "";
  renderEmpty(res);
  if (groups) {
    let i = 0;
    hitsBox.replaceChildren(...groups.map(g => renderGroup(g, g.hits.map(h => renderHit(h, i++, true)))));
  } else {
    hitsBox.replaceChildren(...res.hits.map((h, i) => renderHit(h, i)));
  }
  renderFacets(res);
  renderTimeline(res);
  /** @type {HTMLButtonElement} */ ($("prev")).disabled = res.offset === 0;
  /** @type {HTMLButtonElement} */ ($("next")).disabled = res.offset + shown >= (groups ? res.total_articles || 0 : res.total);
}

/** @param {import("../client.js").SearchResponse} res */
function renderEmpty(res) {
  const box = $("empty");
  box.hidden = res.hits.length > 0;
  if (!box.hidden) {
    const filtered = FACETS.some(f => state.filters[f].length) || state.after || state.before;
    let text;
    if (res.total > 0) text = "No more paragraphs: this page is past the last one.";
    else if (state.like) text = "No other paragraphs are like this one" + (filtered ? " with these filters." : ".");
    else text = `No paragraphs match “${state.q}”` + (filtered ? " with these filters. Remove a filter above to widen the search." : ". Try fewer or other words.");
    box.textContent = text;
  }
}

/**
 * An article of a grouped result: its title, its number of matching
 * paragraphs and its best paragraphs.
 * @param {NonNullable<import("../client.js").SearchResponse["groups"]>[number]} g
 * @param {HTMLElement[]} paragraphs
 */
function renderGroup(g, paragraphs) {
  const box = el("section", "group");
  const title = el("h3");
  const link = /** @type {HTMLAnchorElement} */ (el("a", "open", g.title || g.article_id));
  link.href = pageURL({ article: g.article_id });
  link.addEventListener("click", e => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    openArticle(g.article_id, g.hits[0]?.paragraph || 0, link, g.hits[0]);
  });
  title.append(link);
  const date = g.published ? g.published.slice(0, 10) : "undated";
  box.append(title, el("div", "meta", `${g.source || "unknown source"} · ${date} · ${g.matches} matching paragraph${g.matches === 1 ? "" : "s"}`), ...paragraphs);
  box.setAttribute("aria-label", g.title || g.article_id);
  return box;
}

/**
 * @param {import("../client.js").Hit} h
 * @param {number} i
 * @param {boolean} [inGroup] under its article's heading: the paragraph only
 */
function renderHit(h, i, inGroup = false) {
  const a = el("article", "hit");
  a.tabIndex = i === 0 ? 0 : -1;
  a.dataset.index = String(i);
  a.dataset.id = h.id;
  a.dataset.article = h.article_id;
  const titleID = "hit-title-" + i;
  a.setAttribute("aria-labelledby", titleID);
  if (inGroup) {
    const head = el("h4", "", `Paragraph ${h.paragraph}`);
    head.id = titleID;
    a.append(head);
    for (const frag of h.highlights.length ? h.highlights : [""]) {
      const p = el("p");
      if (frag) p.append(highlight(frag)); else p.textContent = h.text;
      a.append(p);
    }
    a.append(chips(h));
    return a;
  }
  const title = el("h3");
  title.id = titleID;
  const link = /** @type {HTMLAnchorElement} */ (el("a", "open"));
  link.href = pageURL({ article: h.article_id, para: h.paragraph });
  if (h.title_highlight) link.append(highlight(h.title_highlight));
  else link.textContent = h.title || h.article_id;
  link.addEventListener("click", e => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return; // a new tab opens it from the URL
    e.preventDefault();
    openArticle(h.article_id, h.paragraph, a, h);
  });
  title.append(link);
  a.append(title);
  const date = h.published ? h.published.slice(0, 10) : "undated";
  a.append(el("div", "meta", `${h.source || "unknown source"} · ${date} · paragraph ${h.paragraph} · ${h.id}`));
  if (h.highlights.length) {
    for (const frag of h.highlights) {
      const p = el("p");
      p.append(highlight(frag));
      a.append(p);
    }
  } else {
    a.append(el("p", "", h.text));
  }
  const tags = chips(h);
  const like = button("More like this", "like", `More like this: ${h.title || h.article_id}, paragraph ${h.paragraph}`);
  like.addEventListener("click", () => {
    state.like = h.id;
    state.likeLabel = `“${h.title || h.article_id}” ¶${h.paragraph}`;
    state.offset = 0;
    run();
    hitsBox.focus();
  });
  tags.append(like);
  a.append(tags);
  return a;
}

/**
 * Facet chips that filter on click (a chip of an active filter removes it).
 * @param {{country: string[], actor: string[], topic: string[]}} values
 * @param {() => void} [after] called after a click, before the search
 */
function chips(values, after) {
  const tags = el("div", "tags");
  for (const f of CHIP_FIELDS) {
    for (const v of values[/** @type {"country"|"actor"|"topic"} */ (f)] || []) {
      const on = state.filters[f].includes(v);
      const b = button(v, "chip", `${on ? "Remove filter" : "Filter by"} ${f}: ${v}`);
      b.dataset.field = f;
      b.dataset.value = v;
      b.setAttribute("aria-pressed", String(on));
      b.addEventListener("click", () => {
        after?.();
        setFilter(f, v, !on);
      });
      tags.append(b);
    }
  }
  return tags;
}

/** @param {string} field @param {string} value @param {boolean} on */
function setFilter(field, value, on) {
  const now = state.filters[field].filter(x => x !== value);
  state.filters[field] = on ? [...now, value] : now;
  state.offset = 0;
  run();
}

/** The active filters as chips that remove them. */
function renderActive() {
  const box = $("active");
  /** @type {[string, string, () => void][]} */
  const active = [];
  if (state.like) active.push([`like: ${state.likeLabel || state.like}`, "Back to the search: remove “more like this”", () => { state.like = ""; }]);
  for (const f of FACETS) {
    for (const v of state.filters[f]) active.push([`${f}: ${v}`, `Remove filter ${f}: ${v}`, () => { state.filters[f] = state.filters[f].filter(x => x !== v); }]);
  }
  if (state.after) active.push([`after ${state.after}`, `Remove filter after ${state.after}`, () => { state.after = ""; /** @type {HTMLInputElement} */ ($("after")).value = ""; }]);
  if (state.before) active.push([`before ${state.before}`, `Remove filter before ${state.before}`, () => { state.before = ""; /** @type {HTMLInputElement} */ ($("before")).value = ""; }]);
  const buttons = active.map(([text, label, remove], i) => {
    const b = button(text, "chip", label);
    const x = el("span", "", " ✕");
    x.setAttribute("aria-hidden", "true");
    b.append(x);
    b.addEventListener("click", () => {
      remove();
      state.offset = 0;
      run();
      const left = /** @type {NodeListOf<HTMLButtonElement>} */ (box.querySelectorAll("button"));
      (left[Math.min(i, left.length - 1)] ?? q).focus();
    });
    return b;
  });
  if (active.length > 1) {
    const all = button("Clear all", "chip", "Clear all filters");
    all.addEventListener("click", () => {
      state.like = state.after = state.before = "";
      /** @type {HTMLInputElement} */ ($("after")).value = /** @type {HTMLInputElement} */ ($("before")).value = "";
      for (const f of FACETS) state.filters[f] = [];
      state.offset = 0;
      run();
      q.focus();
    });
    buttons.push(all);
  }
  box.replaceChildren(...buttons);
}

/**
 * The timeline: the hits by publication date, a bar per year, month or
 * day; a bar narrows the dates to its span.
 * @param {import("../client.js").SearchResponse} res
 */
function renderTimeline(res) {
  const box = $("timeline");
  const buckets = (res.facets && res.facets.published) || [];
  box.hidden = buckets.length < 2;
  if (box.hidden) return box.replaceChildren();
  const most = Math.max(...buckets.map(b => b.count), 1);
  const day = (/** @type {string | undefined} */ t) => (t || "").slice(0, 10);
  // Dragging across bars (a brush) narrows the dates to their span; a
  // click, to one bar's.
  /** @type {number | null} */
  let anchor = null;
  const narrow = (/** @type {number} */ i, /** @type {number} */ j) => {
    const [lo, hi] = i <= j ? [i, j] : [j, i];
    state.after = day(buckets[lo].start);
    state.before = day(buckets[hi].end);
    /** @type {HTMLInputElement} */ ($("after")).value = state.after;
    /** @type {HTMLInputElement} */ ($("before")).value = state.before;
    state.offset = 0;
    run();
  };
  const mark = (/** @type {number} */ i) => bars.forEach((x, k) => x.classList.toggle("brushed", anchor !== null && k >= Math.min(anchor, i) && k <= Math.max(anchor, i)));
  const bars = buckets.map((b, i) => {
    const bar = button("", "bar", `${b.value}: ${b.count} paragraph${b.count === 1 ? "" : "s"}${b.count ? ", show only these dates" : ""}`);
    bar.addEventListener("pointerdown", e => { anchor = i; mark(i); e.preventDefault(); });
    bar.addEventListener("pointerenter", () => { if (anchor !== null) mark(i); });
    bar.addEventListener("pointerup", () => {
      if (anchor === null || anchor === i) { anchor = null; return; } // a click: handled below
      const from = anchor;
      anchor = null;
      narrow(from, i);
    });
    bar.title = `${b.value}: ${b.count}`;
    bar.disabled = b.count === 0;
    const fill = el("span");
    fill.style.height = `${Math.max(b.count ? 4 : 0, Math.round(100 * b.count / most))}%`;
    bar.append(fill);
    bar.addEventListener("click", () => narrow(i, i));
    return bar;
  });
  box.addEventListener("pointerleave", () => { anchor = null; mark(0); });
  const axis = el("div", "axis");
  axis.append(el("span", "", buckets[0].value), el("span", "", buckets[buckets.length - 1].value));
  const row = el("div", "bars");
  row.append(...bars);
  box.replaceChildren(row, axis);
}

/** @param {import("../client.js").SearchResponse} res */
function renderFacets(res) {
  const aside = $("facets");
  const focused = document.activeElement instanceof HTMLInputElement && aside.contains(document.activeElement)
    ? document.activeElement.dataset.key : undefined;
  aside.replaceChildren();
  for (const f of FACETS) {
    const values = [...((res.facets && res.facets[f]) || [])];
    const selected = state.filters[f];
    for (const v of selected) if (!values.some(x => x.value === v)) values.push({ value: v, count: 0 });
    if (!values.length) continue;
    const set = el("fieldset");
    set.append(el("legend", "", f.replace("_", " ")));
    for (const v of values) {
      const label = el("label");
      const left = el("span");
      const box = /** @type {HTMLInputElement} */ (document.createElement("input"));
      box.type = "checkbox";
      box.checked = selected.includes(v.value);
      box.dataset.key = f + "\u0000" + v.value;
      box.addEventListener("change", () => setFilter(f, v.value, box.checked));
      left.append(box, document.createTextNode(" " + v.value));
      label.append(left, el("span", "count", String(v.count)));
      set.append(label);
      if (box.dataset.key === focused) queueMicrotask(() => box.focus());
    }
    aside.append(set);
  }
}

// The reader: an article with all its paragraphs, the hit's paragraph
// highlighted and scrolled into view.
/** @type {{article?: string, para?: number}} */
let readerAt = {};
/** @type {HTMLElement | null} */
let opener = null;

/**
 * @param {string} articleID
 * @param {number} para the paragraph to show, 0 for none
 * @param {HTMLElement | null} from what to focus again when the reader closes
 * @param {import("../client.js").Hit} [hit] the hit opened, for its highlights
 * @param {boolean} [push] add a history entry, so Back closes the reader
 */
async function openArticle(articleID, para, from, hit, push = true) {
  opener = from;
  readerAt = { article: articleID, para };
  if (push) history.pushState({ reader: true }, "", pageURL(readerAt));
  $("reader-title").textContent = "Loading article…";
  $("reader-meta").replaceChildren();
  $("reader-paragraphs").replaceChildren();
  $("reader-problem").hidden = true;
  if (!reader.open) reader.showModal();
  let art;
  try {
    art = await client.article(articleID);
  } catch (e) {
    if (readerAt.article !== articleID) return;
    const err = /** @type {import("../client.js").BriefsearchError} */ (e);
    $("reader-title").textContent = articleID;
    $("reader-problem").textContent = err.unreachable ? "Cannot reach the Briefsearch server: it may be down or restarting."
      : err.status === 404 ? "This article is not in the index (any more)." : err.detail;
    $("reader-problem").hidden = false;
    return;
  }
  if (readerAt.article !== articleID || !reader.open) return;
  hit ??= hits.find(h => h.article_id === articleID && h.paragraph === para); // opened from the URL
  $("reader-title").textContent = art.title || art.id;
  const meta = $("reader-meta");
  meta.append([art.source || "unknown source", art.published ? art.published.slice(0, 10) : "undated", `${art.paragraphs.length} paragraphs`].join(" · "));
  const url = safeURL(art.url);
  if (url) {
    const a = /** @type {HTMLAnchorElement} */ (el("a", "", "Original article"));
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    meta.append(" · ", a);
  }
  /** @type {HTMLElement | null} */
  let target = null;
  for (const p of art.paragraphs) {
    const li = el("li");
    li.id = "para-" + p.paragraph;
    li.append(el("span", "n", `¶${p.paragraph}`));
    const text = el("p");
    if (hit && hit.paragraph === p.paragraph) text.append(marked(p.text, hit.highlights));
    else text.textContent = p.text;
    li.append(text, chips(p, () => reader.close()));
    if (p.paragraph === para) {
      li.className = "hit";
      li.tabIndex = -1;
      li.setAttribute("aria-current", "true");
      li.prepend(el("span", "visually-hidden", "Matching paragraph. "));
      target = li;
    }
    $("reader-paragraphs").append(li);
  }
  if (target) {
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
  }
}

/**
 * A paragraph's text with the words its hit's fragments mark: each
 * fragment's text (without the "…" where it was cut) is found in the
 * paragraph and its marks are carried over. A fragment not found marks
 * nothing.
 * @param {string} text
 * @param {string[]} fragments
 * @returns {DocumentFragment}
 */
function marked(text, fragments) {
  /** @type {[number, number][]} */
  const ranges = [];
  for (const frag of fragments) {
    let plain = "";
    /** @type {[number, number][]} */
    const local = [];
    for (const n of highlight(frag).childNodes) {
      const t = n.textContent || "";
      if (n.nodeName === "MARK") local.push([plain.length, plain.length + t.length]);
      plain += t;
    }
    const lead = plain.startsWith("… ") ? 2 : 0;
    const core = plain.slice(lead, plain.endsWith(" …") ? -2 : undefined);
    const at = core ? text.indexOf(core) : -1;
    if (at < 0) continue;
    for (const [s, e] of local) ranges.push([at + s - lead, at + e - lead]);
  }
  ranges.sort((x, y) => x[0] - y[0]);
  const out = document.createDocumentFragment();
  let pos = 0;
  for (const [s, e] of ranges) {
    if (s < pos) continue;
    out.append(text.slice(pos, s), el("mark", "", text.slice(s, e)));
    pos = e;
  }
  out.append(text.slice(pos));
  return out;
}

$("reader-close").addEventListener("click", () => reader.close());
reader.addEventListener("close", () => {
  readerAt = {};
  if (new URLSearchParams(location.search).has("article")) {
    if (history.state && history.state.reader) history.back();
    else history.replaceState(null, "", pageURL());
  }
  const back = opener && opener.isConnected ? opener : hitsBox;
  back.focus();
});
addEventListener("popstate", () => {
  const open = readURL();
  if (searchKey() !== shown) run();
  if (!open.article && reader.open) reader.close();
  if (open.article && open.article !== readerAt.article) openArticle(open.article, open.para, null, undefined, false);
});

// Keyboard: "/" focuses the search box; arrows move through the hits,
// Enter opens the one with focus.
/** @param {EventTarget | null} t */
function typing(t) {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return true;
  return t instanceof HTMLInputElement && !["checkbox", "radio", "button", "submit"].includes(t.type);
}
document.addEventListener("keydown", e => {
  if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e.target) && !reader.open) {
    e.preventDefault();
    q.focus();
    q.select();
  }
});
/** @param {number} i */
function focusHit(i) {
  const all = /** @type {NodeListOf<HTMLElement>} */ (hitsBox.querySelectorAll("article.hit"));
  if (!all.length) return;
  const n = Math.max(0, Math.min(i, all.length - 1));
  all.forEach((a, j) => { a.tabIndex = j === n ? 0 : -1; });
  all[n].focus();
}
q.addEventListener("keydown", e => {
  if (e.key === "ArrowDown" && hits.length) {
    e.preventDefault();
    focusHit(0);
  }
});
hitsBox.addEventListener("keydown", e => {
  const art = e.target instanceof HTMLElement ? e.target.closest("article.hit") : null;
  if (!(art instanceof HTMLElement)) return;
  const i = Number(art.dataset.index);
  switch (e.key) {
    case "ArrowDown": focusHit(i + 1); break;
    case "ArrowUp": if (i === 0) q.focus(); else focusHit(i - 1); break;
    case "Home": focusHit(0); break;
    case "End": focusHit(hits.length - 1); break;
    case "Enter":
      if (e.target !== art) return; // a button or link inside does its own thing
      openArticle(hits[i].article_id, hits[i].paragraph, art, hits[i]);
      break;
    default: return;
  }
  e.preventDefault();
});

$("form").addEventListener("submit", e => {
  e.preventDefault();
  state.q = q.value.trim();
  state.sort = /** @type {HTMLSelectElement} */ ($("sort")).value;
  state.group = /** @type {HTMLInputElement} */ ($("group")).checked;
  state.after = /** @type {HTMLInputElement} */ ($("after")).value;
  state.before = /** @type {HTMLInputElement} */ ($("before")).value;
  state.like = "";
  state.offset = 0;
  run();
});
$("group").addEventListener("change", () => {
  state.group = /** @type {HTMLInputElement} */ ($("group")).checked;
  state.offset = 0;
  run();
});
$("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - LIMIT); run(); });
$("next").addEventListener("click", () => { state.offset += LIMIT; run(); });

const start = readURL();
run();
if (start.article) openArticle(start.article, start.para, null, undefined, false);
