package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/briefsearch/briefsearch/api"
	"github.com/briefsearch/briefsearch/search"
)

// hostPage is a web app on another origin that embeds two widgets, with CSS
// that would wreck them if it reached inside: red text, huge letters, red
// marks and buttons, borders on every li. It records the widgets' events
// and cancels briefsearch:select (as an app that shows the hit itself
// would). API is replaced with the API server's URL, KEY and SCOPED with
// its keys.
const hostPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host app</title>
<style>
  body { font-family: "Comic Sans MS", cursive; color: rgb(255, 0, 0); text-transform: uppercase; letter-spacing: 3px; line-height: 4; }
  * { font-size: 30px !important; }
  mark { background: rgb(255, 0, 0) !important; }
  li { border-top: 9px solid rgb(0, 255, 0); color: rgb(255, 0, 0) !important; }
  button, input { background: rgb(255, 0, 0) !important; }
  briefsearch-search { --briefsearch-accent: rgb(1, 2, 3); }
</style>
<script type="module" src="API/widget.js"></script>
</head><body>
<p>Host text with <mark id="host-mark">its own mark</mark></p>
<ul><li id="host-li">a host item</li></ul>
<briefsearch-search id="w" endpoint="API" api-key="KEY" query="Iran plots" filters="country=Iran" facets="country,topic" placeholder="Search Iran coverage"></briefsearch-search>
<briefsearch-search id="scoped" api-key="SCOPED" query="attack" facets=""></briefsearch-search>
<script>
  window.__events = [];
  for (const type of ["briefsearch:results", "briefsearch:select", "briefsearch:error"]) {
    document.addEventListener(type, e => {
      window.__events.push({ type, target: e.target.id, bubbles: e.bubbles, composed: e.composed, detail: e.detail });
      if (type === "briefsearch:select") e.preventDefault();
    });
  }
</script>
</body></html>`

// demoPage shows the widget as an app would, for the README's picture.
const demoPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>An app with Briefsearch</title>
<style>
  body { font-family: Georgia, serif; margin: 0; background: #eef0f3; color: #222; }
  header { background: #0b3d2e; color: #fff; padding: 14px 28px; font-size: 20px; }
  main { max-width: 760px; margin: 24px auto; padding: 0 16px; }
  briefsearch-search { --briefsearch-accent: #0b6e4f; --briefsearch-radius: 10px; }
</style>
<script type="module" src="API/widget.js"></script>
</head><body>
<header>Case desk</header>
<main>
<p>Related coverage, from Briefsearch:</p>
<briefsearch-search api-key="KEY" query="Iran plots" facets="country,topic" limit="3"></briefsearch-search>
</main>
</body></html>`

// TestWidgetInBrowser embeds the widget in pages served from other origins
// than the API: one listed in CORSOrigins, where it searches, renders
// highlighted hits inside its shadow root, filters by facet, pages, sends
// its events, keeps the host's CSS out and its own in, and renders markup
// as text; and one not listed, whose requests the browser refuses.
func TestWidgetInBrowser(t *testing.T) {
	ctx := browser(t)
	ix := pageIndex(t)
	const scopedKey = "scoped-search-key-0123456789"
	var apiURL string
	pages := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := hostPage
		if r.URL.Path == "/demo" {
			page = demoPage
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, strings.NewReplacer("API", apiURL, "SCOPED", scopedKey, "KEY", searchKey).Replace(page))
	})
	// The host pages' servers listen first: the API must know one origin.
	host, other := httptest.NewUnstartedServer(pages), httptest.NewUnstartedServer(pages)
	hostOrigin := "http://" + host.Listener.Addr().String()
	a := api.New(ix, search.New(ix, search.Options{}), api.Options{
		CORSOrigins: []string{hostOrigin},
		Keys: []api.Key{{Value: searchKey, Role: api.RoleSearch},
			{Value: scopedKey, Role: api.RoleSearch, Scope: search.Scope{Topic: []string{"terrorism"}}}},
	})
	srv := httptest.NewServer(a.Handler(""))
	t.Cleanup(srv.Close)
	apiURL = srv.URL
	host.Start()
	other.Start()
	t.Cleanup(host.Close)
	t.Cleanup(other.Close)

	b := tab{t, ctx}
	const sr = `document.getElementById("w").shadowRoot`
	// events returns the recorded events of a type for a widget.
	events := func(typ, target string) []map[string]any {
		t.Helper()
		return evalAs[[]map[string]any](b, `window.__events.filter(e => e.type === "`+typ+`" && e.target === "`+target+`")`)
	}
	results := func(n int) string { // waits for the nth results event of widget w
		return `window.__events.filter(e => e.type === "briefsearch:results" && e.target === "w").length >= ` + strconv.Itoa(n)
	}

	b.do("open the host page", chromedp.Navigate(host.URL+"/"))
	b.until("both widgets searched", results(1)+` && window.__events.some(e => e.type === "briefsearch:results" && e.target === "scoped")`)

	t.Run("results in the shadow root", func(t *testing.T) {
		b := tab{t, ctx}
		got := evalAs[map[string]any](b, `({hits: `+sr+`.querySelectorAll("li").length, marks: `+sr+`.querySelectorAll("li mark").length,
			lightMarks: document.querySelectorAll("mark").length, status: `+sr+`.querySelector("[role=status]").textContent,
			placeholder: `+sr+`.querySelector("input").placeholder, value: `+sr+`.querySelector("input").value})`)
		if got["hits"] != 10.0 || got["marks"] == 0.0 || got["lightMarks"] != 1.0 {
			t.Errorf("widget: %v hits and %v marks in its shadow root (want 10 and some), %v marks in the page (want only the host's)", got["hits"], got["marks"], got["lightMarks"])
		}
		if !strings.HasPrefix(got["status"].(string), "1–10 of ") || got["placeholder"] != "Search Iran coverage" || got["value"] != "Iran plots" {
			t.Errorf("status %q, placeholder %q, box %q", got["status"], got["placeholder"], got["value"])
		}
		ev := events("briefsearch:results", "w")[0]
		detail := ev["detail"].(map[string]any)
		if ev["bubbles"] != true || ev["composed"] != true || !strings.Contains(detail["params"].(string), "country=Iran") || detail["query"] != "Iran plots" {
			t.Errorf("results event: bubbles %v, composed %v, params %q, query %q", ev["bubbles"], ev["composed"], detail["params"], detail["query"])
		}
		for _, h := range detail["hits"].([]any) {
			if h := h.(map[string]any); !strings.Contains(fmt.Sprint(h["country"]), "Iran") {
				t.Errorf("fixed filter country=Iran: hit %v is about %v", h["id"], h["country"])
			}
		}
		// The scoped key's widget sees only its scope.
		for _, h := range events("briefsearch:results", "scoped")[0]["detail"].(map[string]any)["hits"].([]any) {
			if h := h.(map[string]any); !strings.Contains(fmt.Sprint(h["topic"]), "terrorism") {
				t.Errorf("scoped key (topic=terrorism): hit %v has topics %v", h["id"], h["topic"])
			}
		}
		if n := evalAs[float64](b, `document.getElementById("scoped").shadowRoot.querySelectorAll(".facet").length`); n != 0 {
			t.Errorf(`facets="" shows %v facet groups`, n)
		}
	})

	t.Run("paging and facets", func(t *testing.T) {
		b := tab{t, ctx}
		b.do("next page", chromedp.Evaluate[chromedp.Void](sr+`.querySelector(".pager button:last-child").click()`))
		b.until("page 2", results(2)+` && `+sr+`.querySelector("[role=status]").textContent.startsWith("11–")`)
		b.do("previous page", chromedp.Evaluate[chromedp.Void](sr+`.querySelector(".pager button:first-child").click()`))
		b.until("page 1", results(3)+` && `+sr+`.querySelector("[role=status]").textContent.startsWith("1–")`)

		fields := evalAs[[]string](b, `[...`+sr+`.querySelectorAll(".facet button")].map(b => b.dataset.field)`)
		if len(fields) == 0 || strings.Contains(strings.Join(fields, " "), "country") {
			t.Errorf("facet buttons for %v: want topic only (country is fixed)", fields)
		}
		topic := evalAs[string](b, `(() => { const b = `+sr+`.querySelector(".facet button[data-field=topic]"); b.click(); return b.dataset.value; })()`)
		b.until("filtered by topic", results(4))
		detail := events("briefsearch:results", "w")[3]["detail"].(map[string]any)
		if !strings.Contains(detail["params"].(string), "topic="+strings.ReplaceAll(topic, " ", "+")) {
			t.Errorf("after clicking topic %q, params %q", topic, detail["params"])
		}
		for _, h := range detail["hits"].([]any) {
			if h := h.(map[string]any); !strings.Contains(fmt.Sprint(h["topic"]), topic) {
				t.Errorf("topic filter %q: hit %v has %v", topic, h["id"], h["topic"])
			}
		}
		pressed := evalAs[string](b, sr+`.activeElement?.dataset.value + "|" + `+sr+`.activeElement?.getAttribute("aria-pressed")`)
		if pressed != topic+"|true" {
			t.Errorf("after the click, focus|pressed = %q, want %q|true", pressed, topic)
		}
		b.do("unfilter", chromedp.Evaluate[chromedp.Void](sr+`.activeElement.click()`))
		b.until("unfiltered", results(5))
	})

	t.Run("typing a search and choosing a hit", func(t *testing.T) {
		b := tab{t, ctx}
		b.do("focus the box", chromedp.Evaluate[chromedp.Void](sr+`.querySelector("input").select()`))
		b.keys("sabotage\r")
		b.until("new results", `window.__events.some(e => e.type === "briefsearch:results" && e.target === "w" && e.detail.query === "sabotage")`)
		// A real click on the first title; the host cancels the event, so nothing opens.
		pos := evalAs[[]float64](b, `(() => { const r = `+sr+`.querySelector("li .title").getBoundingClientRect(); return [r.x + 5, r.y + r.height / 2]; })()`)
		first := evalAs[string](b, `window.__events.filter(e => e.type === "briefsearch:results" && e.target === "w").at(-1).detail.hits[0].id`)
		b.do("click the first hit", chromedp.MouseClickXY(pos[0], pos[1]))
		b.until("select event", `window.__events.some(e => e.type === "briefsearch:select")`)
		ev := events("briefsearch:select", "w")[0]
		if d := ev["detail"].(map[string]any); d["id"] != first || ev["bubbles"] != true || ev["composed"] != true {
			t.Errorf("select event: id %v (want %s), bubbles %v, composed %v", d["id"], first, ev["bubbles"], ev["composed"])
		}
		if pages, err := pageTargets(ctx); err != nil || len(pages) != 1 {
			t.Errorf("a cancelled select opened something: %d pages %v (%v)", len(pages), pages, err)
		}
	})

	t.Run("styles stay on their side", func(t *testing.T) {
		b := tab{t, ctx}
		got := evalAs[map[string]string](b, `(() => {
			const s = `+sr+`, css = (e, p) => getComputedStyle(e).getPropertyValue(p);
			const li = s.querySelector("li"), mark = s.querySelector("mark"), input = s.querySelector("input");
			return { liColor: css(li, "color"), liBorder: css(li, "border-top-width"), liSize: css(li, "font-size"),
				transform: css(li, "text-transform"), spacing: css(li, "letter-spacing"), font: css(li, "font-family"),
				mark: css(mark, "background-color"), input: css(input, "background-color"),
				button: css(s.querySelector("form button"), "background-color"),
				hostMark: css(document.getElementById("host-mark"), "background-color"),
				hostLi: css(document.getElementById("host-li"), "border-top-width") };
		})()`)
		inside := got["liColor"] != "rgb(255, 0, 0)" && got["liBorder"] != "9px" && got["liSize"] != "30px" && got["transform"] == "none" &&
			got["spacing"] == "normal" && !strings.Contains(got["font"], "Comic") && got["mark"] != "rgb(255, 0, 0)" && got["input"] != "rgb(255, 0, 0)"
		if !inside {
			t.Errorf("the host page's CSS reached inside the widget: %v", got)
		}
		if got["button"] != "rgb(1, 2, 3)" {
			t.Errorf("--briefsearch-accent: rgb(1, 2, 3) gave the search button %s", got["button"])
		}
		if got["hostMark"] != "rgb(255, 0, 0)" || got["hostLi"] != "9px" {
			t.Errorf("the widget's CSS changed the host page: mark %s, li border %s", got["hostMark"], got["hostLi"])
		}
	})

	t.Run("dark scheme", func(t *testing.T) {
		b := tab{t, ctx}
		t.Cleanup(func() { _ = chromedp.Do(ctx, colorScheme("")) })
		bg := luminance + `(getComputedStyle(` + sr + `.querySelector(".root")).backgroundColor)`
		b.do("light", colorScheme("light"))
		light := evalAs[float64](b, bg)
		b.do("dark", colorScheme("dark"))
		if dark := evalAs[float64](b, bg); light < 0.8 || dark > 0.2 {
			t.Errorf("widget background luminance: %.2f light, %.2f dark", light, dark)
		}
	})

	t.Run("markup as text", func(t *testing.T) {
		b := tab{t, ctx}
		b.do("search the hostile article", chromedp.Evaluate[chromedp.Void](`(() => { const w = document.getElementById("w"); w.setAttribute("filters", ""); w.setAttribute("query", "onerrorword"); })()`))
		b.until("its hit", sr+`.querySelector("li .title")?.textContent.includes("Hostile")`)
		b.do("let anything run", chromedp.Sleep(300*time.Millisecond))
		got := evalAs[map[string]any](b, `({xss: window.__xss || 0, elements: `+sr+`.querySelectorAll("img, script, b").length,
			title: `+sr+`.querySelector("li .title").textContent, tag: `+sr+`.querySelector("li .title").tagName})`)
		if got["xss"] != 0.0 || got["elements"] != 0.0 || !strings.Contains(got["title"].(string), "<img src=x") || got["tag"] != "BUTTON" {
			t.Errorf("markup in the widget: %v (want no elements, the title as text, and no javascript: link)", got)
		}
	})

	t.Run("origin not listed", func(t *testing.T) {
		b := tab{t, ctx}
		b.do("open the page on another origin", chromedp.Navigate(other.URL+"/"))
		b.until("an error", `window.__events.some(e => e.type === "briefsearch:error" && e.target === "w")`)
		got := evalAs[map[string]any](b, `({message: `+sr+`.querySelector("[role=alert]").textContent, hidden: `+sr+`.querySelector("[role=alert]").hidden,
			hits: `+sr+`.querySelectorAll("li").length, status: window.__events.find(e => e.type === "briefsearch:error").detail.status,
			results: window.__events.filter(e => e.type === "briefsearch:results").length})`)
		if got["hidden"] != false || !strings.Contains(got["message"].(string), "could not be reached") || got["hits"] != 0.0 || got["status"] != 0.0 || got["results"] != 0.0 {
			t.Errorf("widget on an unlisted origin: %v", got)
		}
		// The browser itself refuses the API's answer to this origin.
		if direct := evalAs[string](b, `fetch("`+srv.URL+`/v1/search?q=Iran").then(() => "read", e => e.name)`); direct != "TypeError" {
			t.Errorf("a fetch from an unlisted origin was %q, want refused (TypeError)", direct)
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		b := tab{t, ctx}
		b.do("viewport", chromedp.EmulateViewport(900, 720))
		t.Cleanup(func() { _ = chromedp.Do(ctx, chromedp.ResetViewport()) })
		b.do("open the demo", chromedp.Navigate(host.URL+"/demo"))
		b.until("hits", `document.querySelector("briefsearch-search").shadowRoot?.querySelectorAll("li").length > 0`)
		b.screenshot("widget.png")
	})
}

// pageTargets returns the URLs of the browser's pages (tabs and windows).
// Other targets are left out: Chromium keeps some of its own user
// interface as targets (an omnibox popup, type "browser_ui").
func pageTargets(ctx context.Context) ([]string, error) {
	targets, err := chromedp.Targets(ctx)
	var pages []string
	for _, t := range targets {
		if t.Type == "page" {
			pages = append(pages, t.URL)
		}
	}
	return pages, err
}
