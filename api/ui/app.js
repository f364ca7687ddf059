"use strict";
// Every value from the API is inserted with textContent, except the
// highlights, which the API escapes (only <mark> tags are markup).
const FACETS = ["country", "actor", "topic", "source"];
const LIMIT = 10;
const state = { q: "", sort: "relevance", after: "", before: "", offset: 0, filters: { country: [], actor: [], topic: [], source: [] } };

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function params() {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  if (state.sort !== "relevance") p.set("sort", state.sort);
  if (state.after) p.set("after", state.after);
  if (state.before) p.set("before", state.before);
  for (const f of FACETS) for (const v of state.filters[f]) p.append(f, v);
  p.set("facets", FACETS.join(","));
  p.set("limit", LIMIT);
  if (state.offset) p.set("offset", state.offset);
  return p;
}

// The API key, for servers that require one, lives in session storage:
// it is sent with every request from this tab and forgotten with it.
const KEY = "briefsearch.key";
const keyInput = document.getElementById("key");
keyInput.value = sessionStorage.getItem(KEY) || "";
keyInput.hidden = keyInput.value === "";
keyInput.addEventListener("change", () => {
  sessionStorage.setItem(KEY, keyInput.value.trim());
  state.offset = 0;
  run();
});

async function run() {
  const p = params();
  history.replaceState(null, "", "?" + p.toString());
  const headers = {};
  const key = sessionStorage.getItem(KEY);
  if (key) headers["Authorization"] = "Bearer " + key;
  const res = await fetch("v1/search?" + p.toString(), { headers });
  const body = await res.json();
  const problem = document.getElementById("problem");
  if (!res.ok) {
    if (res.status === 401 || res.status === 403) {
      keyInput.hidden = false;
      keyInput.focus();
    }
    problem.textContent = body.detail || res.statusText;
    problem.style.display = "block";
    return;
  }
  problem.style.display = "none";
  render(body);
}

function render(res) {
  const from = res.total === 0 ? 0 : res.offset + 1;
  document.getElementById("summary").textContent =
    `${from}–${res.offset + res.hits.length} of ${res.total} paragraphs (${res.took_ms} ms)`;
  // What the query was understood as: entities, aliases, typo corrections.
  const u = res.understood || {};
  const parts = [];
  if (u.corrections) parts.push("read as " + u.corrections.join(", "));
  for (const f of ["country", "actor", "topic"]) if (u[f]) parts.push(f + ": " + u[f].join(", "));
  if (u.expansions) parts.push("also searched: " + u.expansions.join(", "));
  document.getElementById("understood").textContent = parts.length ? "Understood — " + parts.join(" · ") : "";
  const hits = document.getElementById("hits");
  hits.replaceChildren();
  for (const h of res.hits) {
    const a = el("article");
    const title = el("h3", "", h.title || h.article_id);
    if (h.title_highlight) title.innerHTML = h.title_highlight; // escaped by the API except <mark>
    a.append(title);
    const date = h.published ? h.published.slice(0, 10) : "undated";
    a.append(el("div", "meta", `${h.source || "unknown source"} · ${date} · paragraph ${h.paragraph} · ${h.id}`));
    if (h.highlights.length) {
      for (const frag of h.highlights) {
        const p = el("p");
        p.innerHTML = frag; // escaped by the API except <mark>
        a.append(p);
      }
    } else {
      a.append(el("p", "", h.text));
    }
    const tags = el("div", "tags");
    for (const v of [...h.country, ...h.actor, ...h.topic]) tags.append(el("span", "tag", v));
    a.append(tags);
    hits.append(a);
  }
  const aside = document.getElementById("facets");
  aside.replaceChildren();
  for (const f of FACETS) {
    const values = (res.facets && res.facets[f]) || [];
    const selected = state.filters[f];
    const shown = values.map(v => v.value);
    for (const v of selected) if (!shown.includes(v)) values.push({ value: v, count: 0 });
    if (!values.length) continue;
    aside.append(el("h2", "", f));
    for (const v of values) {
      const label = el("label");
      const left = el("span");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = selected.includes(v.value);
      box.addEventListener("change", () => {
        state.filters[f] = box.checked ? [...selected, v.value] : selected.filter(x => x !== v.value);
        state.offset = 0;
        run();
      });
      left.append(box, document.createTextNode(" " + v.value));
      label.append(left, el("span", "count", String(v.count)));
      aside.append(label);
    }
  }
  document.getElementById("prev").disabled = res.offset === 0;
  document.getElementById("next").disabled = res.offset + res.hits.length >= res.total;
}

document.getElementById("form").addEventListener("submit", e => {
  e.preventDefault();
  state.q = document.getElementById("q").value.trim();
  state.sort = document.getElementById("sort").value;
  state.after = document.getElementById("after").value;
  state.before = document.getElementById("before").value;
  state.offset = 0;
  run();
});
document.getElementById("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - LIMIT); run(); });
document.getElementById("next").addEventListener("click", () => { state.offset += LIMIT; run(); });

// Start from the URL, so searches can be bookmarked and shared.
const start = new URLSearchParams(location.search);
state.q = start.get("q") || "";
state.sort = start.get("sort") || "relevance";
state.after = start.get("after") || "";
state.before = start.get("before") || "";
state.offset = Number(start.get("offset")) || 0;
for (const f of FACETS) state.filters[f] = start.getAll(f);
document.getElementById("q").value = state.q;
document.getElementById("sort").value = state.sort;
document.getElementById("after").value = state.after;
document.getElementById("before").value = state.before;
run();
