// Briefsearch client: a small ES module for the Briefsearch HTTP API, with
// no dependencies. The search page and the <briefsearch-search> widget use
// it; so can any web app:
//
//   import { Client } from "https://briefs.example.org/client.js";
//   const briefs = new Client({ endpoint: "https://briefs.example.org/", apiKey: "SEARCH-KEY" });
//   const res = await briefs.search({ q: "Iran plots", country: ["Iran"], facets: ["country", "topic"] });
//
// A page on another origin may call the API only if its origin is listed in
// the server's server.cors_origins. Errors are thrown as BriefsearchError,
// carrying the API's problem+json (detail, and position for a query syntax
// error).

/**
 * Options of a Client.
 * @typedef {object} ClientOptions
 * @property {string | URL} [endpoint] Base URL of the API, with its mount prefix
 *   ("https://briefs.example.org/" or ".../briefs/"). Default: where this
 *   module was loaded from.
 * @property {string} [apiKey] A search key, for servers that require one. It is
 *   visible to anyone who can read the page: never an admin key.
 * @property {string | Record<string, string | string[]>} [filters] Fixed
 *   filters added to every search, similar and facets request, as a query
 *   string ("country=Iran&after=2024-01-01") or an object. A fixed parameter
 *   replaces the same parameter of a request, so a request cannot widen it.
 *   (Only a scoped search key is enforced by the server.)
 * @property {typeof fetch} [fetch] The fetch function to use (default: the global one).
 */

/**
 * Parameters of a search (GET /v1/search). Arrays repeat a parameter: OR
 * within a field, AND across fields. Keys not listed here are sent as they
 * are, so parameters added to the API later work with this client.
 * @typedef {object} SearchParams
 * @property {string} [q] The query.
 * @property {string | string[]} [country]
 * @property {string | string[]} [actor]
 * @property {string | string[]} [topic]
 * @property {string | string[]} [source]
 * @property {string} [after] YYYY-MM-DD or RFC 3339, inclusive.
 * @property {string} [before] YYYY-MM-DD (the whole day) or RFC 3339, inclusive.
 * @property {string | string[]} [facets] Fields to count: country, actor, topic, source; published for a date histogram.
 * @property {"day" | "week" | "month" | "year"} [interval] The histogram's bucket (default month).
 * @property {"paragraphs" | "articles"} [facet_count] What facet values count.
 * @property {"article"} [group] One result per article (groups).
 * @property {number} [group_size] Paragraphs per article, 1 to 10.
 * @property {string} [recency] A recency boost half-life: 30d, 2w, 12h, 1y.
 * @property {number} [fragments] Highlight fragments per hit; 0 for the whole paragraph.
 * @property {number} [fragment_size] A fragment's length in characters.
 * @property {string} [highlight_pre] Written before each match (with highlight_post).
 * @property {string} [highlight_post] Written after each match.
 * @property {number} [facet_size] Values per facet.
 * @property {number} [limit] Page size.
 * @property {number} [offset] Hits to skip.
 * @property {"relevance" | "newest" | "oldest"} [sort]
 * @property {number} [context] 0 to 3 paragraphs of context before and after each hit.
 * @property {boolean} [typos] false turns typo tolerance off.
 * @property {boolean} [literal] true matches the words only as written.
 */

/**
 * @typedef {object} FacetValue
 * @property {string} value
 * @property {number} count
 * @property {string} [start] A published bucket's first instant (RFC 3339).
 * @property {string} [end] A published bucket's last instant (RFC 3339).
 */

/**
 * One matching paragraph.
 * @typedef {object} Hit
 * @property {string} id Paragraph id, "<article id>#<n>".
 * @property {string} article_id
 * @property {number} paragraph 1-based position in its article.
 * @property {number} score
 * @property {string} [title]
 * @property {string} [source]
 * @property {string} [url]
 * @property {string} [published] RFC 3339.
 * @property {string} text The whole paragraph, plain text: insert it as text.
 * @property {string[]} highlights HTML-safe fragments: escaped text and <mark> tags (see highlight).
 * @property {{start: number, end: number}[]} [matches] Matched ranges of text in code points: [...text].slice(start, end).
 * @property {string} [title_highlight] The title with <mark> tags, when the query matched it.
 * @property {string[]} [before] Paragraphs before, nearest last (with context).
 * @property {string[]} [after] Paragraphs after, nearest first (with context).
 * @property {string[]} country
 * @property {string[]} actor
 * @property {string[]} topic
 */

/**
 * What the query was understood as.
 * @typedef {object} Understood
 * @property {string[]} [country]
 * @property {string[]} [actor]
 * @property {string[]} [topic]
 * @property {string[]} [expansions]
 * @property {string[]} [corrections]
 */

/**
 * @typedef {object} SearchResponse
 * @property {string} query
 * @property {number} total Matching paragraphs.
 * @property {number} took_ms
 * @property {number} limit
 * @property {number} offset
 * @property {Hit[]} hits
 * @property {Record<string, FacetValue[]>} [facets]
 * @property {number} [total_articles] With group=article: articles with a matching paragraph.
 * @property {{article_id: string, title?: string, source?: string, url?: string, published?: string, score: number, matches: number, hits: Hit[]}[]} [groups] With group=article.
 * @property {Understood} [understood]
 */

/**
 * @typedef {object} ArticleParagraph
 * @property {number} paragraph
 * @property {string} text Plain text.
 * @property {string[]} country
 * @property {string[]} actor
 * @property {string[]} topic
 */

/**
 * An article with its paragraphs (GET /v1/articles/{id}).
 * @typedef {object} ArticleView
 * @property {string} id
 * @property {string} [title]
 * @property {string} [source]
 * @property {string} [url]
 * @property {string} [published]
 * @property {ArticleParagraph[]} paragraphs
 */

/**
 * An RFC 9457 problem, as the API answers errors.
 * @typedef {object} Problem
 * @property {string} type
 * @property {string} title
 * @property {number} status
 * @property {string} detail What is wrong.
 * @property {number} [position] For a query syntax error: where, in characters (code points) of q from 0.
 */

/**
 * @typedef {object} RequestOptions
 * @property {AbortSignal} [signal] Aborts the request (the promise then rejects with an AbortError).
 */

/** An error from the API, or no answer from it. */
export class BriefsearchError extends Error {
  /**
   * @param {string} message
   * @param {{status?: number, problem?: Problem | null, retryAfter?: number, requestId?: string, cause?: unknown}} [info]
   */
  constructor(message, info = {}) {
    super(message, { cause: info.cause });
    this.name = "BriefsearchError";
    /** HTTP status; 0 when no answer could be read (server down, network, or CORS refused). @type {number} */
    this.status = info.status ?? 0;
    /** The problem+json the API answered, if any. @type {Problem | null} */
    this.problem = info.problem ?? null;
    /** The problem's detail, or the message. @type {string} */
    this.detail = this.problem?.detail || message;
    /** For a query syntax error: its position in q (code points, from 0). @type {number | undefined} */
    this.position = typeof this.problem?.position === "number" ? this.problem.position : undefined;
    /** Seconds to wait, for a 429. @type {number | undefined} */
    this.retryAfter = info.retryAfter;
    /** The answer's X-Request-ID, to find it in the server's log. @type {string | undefined} */
    this.requestId = info.requestId;
  }

  /** True when no answer could be read: the server is down or unreachable, or refused this page's origin (CORS). */
  get unreachable() {
    return this.status === 0;
  }
}

/** A client of one Briefsearch server. */
export class Client {
  /** @param {ClientOptions} [options] */
  constructor(options = {}) {
    const base = new URL(options.endpoint ?? new URL(".", import.meta.url), globalThis.location?.href);
    if (!base.pathname.endsWith("/")) base.pathname += "/";
    base.search = base.hash = "";
    /** Base URL of the API, ending in "/". @type {string} */
    this.endpoint = base.href;
    /** @type {string} */
    this.apiKey = options.apiKey || "";
    /** @type {URLSearchParams} */
    this.filters = toParams(options.filters ?? {});
    /** @type {typeof fetch} */
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /**
   * Searches paragraphs.
   * @param {SearchParams & Record<string, unknown>} [params]
   * @param {RequestOptions} [options]
   * @returns {Promise<SearchResponse>}
   */
  search(params = {}, options = {}) {
    return this.get("v1/search", this.withFilters(params), options);
  }

  /**
   * Paragraphs like the paragraph id ("<article id>#<n>"): the search
   * parameters apply, except q.
   * @param {string} id
   * @param {SearchParams & {same_article?: boolean} & Record<string, unknown>} [params]
   * @param {RequestOptions} [options]
   * @returns {Promise<SearchResponse>}
   */
  similar(id, params = {}, options = {}) {
    const { q, ...rest } = params;
    return this.get("v1/similar/" + encodeURIComponent(id), this.withFilters(rest), options);
  }

  /**
   * One article with all its paragraphs (those in the key's scope).
   * @param {string} id
   * @param {RequestOptions} [options]
   * @returns {Promise<ArticleView>}
   */
  article(id, options = {}) {
    return this.get("v1/articles/" + encodeURIComponent(id), new URLSearchParams(), options);
  }

  /**
   * Facet counts of the result set of params (a search of one hit).
   * @param {string[]} fields country, actor, topic, source
   * @param {SearchParams & Record<string, unknown>} [params]
   * @param {RequestOptions} [options]
   * @returns {Promise<Record<string, FacetValue[]>>}
   */
  async facets(fields, params = {}, options = {}) {
    const res = await this.search({ ...params, facets: fields, limit: 1, offset: 0 }, options);
    return res.facets ?? {};
  }

  /**
   * The URL of an API path with parameters.
   * @param {string} path relative to the endpoint, e.g. "v1/search"
   * @param {URLSearchParams} [params]
   * @returns {URL}
   */
  url(path, params = new URLSearchParams()) {
    const u = new URL(path, this.endpoint);
    u.search = params.toString();
    return u;
  }

  /**
   * @param {SearchParams & Record<string, unknown>} params
   * @returns {URLSearchParams}
   */
  withFilters(params) {
    const p = toParams(params);
    for (const name of new Set(this.filters.keys())) {
      p.delete(name);
      for (const v of this.filters.getAll(name)) p.append(name, v);
    }
    return p;
  }

  /**
   * @param {string} path
   * @param {URLSearchParams} params
   * @param {RequestOptions} options
   * @returns {Promise<any>}
   */
  async get(path, params, options) {
    /** @type {Record<string, string>} */
    const headers = { Accept: "application/json" };
    if (this.apiKey) headers.Authorization = "Bearer " + this.apiKey;
    let res;
    try {
      res = await this.fetchFn(this.url(path, params), { headers, signal: options.signal });
    } catch (err) {
      if (isAbort(err)) throw err;
      throw new BriefsearchError(`cannot reach ${this.endpoint}: the server is down or unreachable, or does not allow this page's origin (server.cors_origins)`, { cause: err });
    }
    let body = null;
    try {
      body = await res.json();
    } catch (err) {
      if (isAbort(err)) throw err;
    }
    if (!res.ok) {
      const problem = body && typeof body === "object" && typeof body.detail === "string" ? /** @type {Problem} */ (body) : null;
      const retry = Number(res.headers.get("Retry-After"));
      throw new BriefsearchError(problem?.detail || `${res.status} ${res.statusText}`.trim(), {
        status: res.status, problem, retryAfter: retry > 0 ? retry : undefined,
        requestId: res.headers.get("X-Request-ID") ?? undefined,
      });
    }
    if (body === null) throw new BriefsearchError("the answer is not JSON", { status: res.status });
    return body;
  }
}

/**
 * Turns parameters into a query string: arrays repeat a name, booleans are
 * "true"/"false", undefined, null and "" are left out.
 * @param {string | URLSearchParams | Record<string, unknown>} params
 * @returns {URLSearchParams}
 */
export function toParams(params) {
  if (typeof params === "string" || params instanceof URLSearchParams) return new URLSearchParams(params);
  const p = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v === undefined || v === null || v === "") continue;
      p.append(name, String(v));
    }
  }
  return p;
}

/**
 * Renders a highlight fragment of the API (escaped text with <mark> tags)
 * as DOM nodes without parsing it as HTML: only <mark> becomes an element,
 * everything else is text, so nothing in it can run even if a server sent
 * markup. Needs no HTML parsing, so it also works under a Trusted Types policy.
 * @param {string} fragment
 * @param {Document} [doc]
 * @returns {DocumentFragment}
 */
export function highlight(fragment, doc = document) {
  const out = doc.createDocumentFragment();
  /** @type {Node} */
  let into = out;
  let text = "";
  const flush = () => {
    if (text) into.appendChild(doc.createTextNode(text));
    text = "";
  };
  const re = /<(\/?)mark>|&(#x[0-9a-f]+|#[0-9]+|[a-z]+);|[^<&]+|[<&]/gi;
  for (const [token, close, entity] of fragment.matchAll(re)) {
    if (token[0] === "<" && token.length > 1) {
      flush();
      if (close) into = out;
      else if (into === out) into = out.appendChild(doc.createElement("mark"));
    } else if (entity !== undefined) {
      text += decodeEntity(entity) ?? token;
    } else {
      text += token;
    }
  }
  flush();
  return out;
}

/** @type {Record<string, string>} */
const ENTITIES = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'", nbsp: "\u00a0" };

/**
 * @param {string} entity without & and ;
 * @returns {string | undefined}
 */
function decodeEntity(entity) {
  if (entity[0] !== "#") return ENTITIES[entity.toLowerCase()];
  const n = entity[1] === "x" || entity[1] === "X" ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
  return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : undefined;
}

/**
 * The URL if it is an absolute http or https URL, else null: an article's
 * url comes from whoever ingested it and must not become a javascript: link.
 * @param {string | undefined} url
 * @returns {string | null}
 */
export function safeURL(url) {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * @param {unknown} err
 * @returns {boolean}
 */
function isAbort(err) {
  return err instanceof DOMException && err.name === "AbortError";
}
