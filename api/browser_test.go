package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/briefsearch/briefsearch/api"
	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/search"
)

// browser returns a chromedp context on a headless Chromium, or skips the
// test when none is installed.
func browser(t *testing.T) context.Context {
	t.Helper()
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("no Chromium found: browser tests skipped (install Debian's chromium: apt-get install -y chromium; .ci/run does)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU, chromedp.WindowSize(1280, 900))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// tab drives one browser tab in a test: small wrappers that fail the test
// with what was being done.
type tab struct {
	t   *testing.T
	ctx context.Context
}

// evalAs returns the value of a JavaScript expression in the page (a
// promise is awaited).
func evalAs[T any](b tab, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// do runs steps, failing the test with what on an error.
func (b tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// until waits until a JavaScript expression is true.
func (b tab) until(what, expr string) {
	b.t.Helper()
	b.do(what+" (waiting for "+expr+")", waitFor(expr))
}

// waitFor is an action that waits up to 15 s for a JavaScript expression to be true.
func waitFor(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(15*time.Second))
}

// keys types keys (see package kb for special keys) into the element with
// focus as a person would: each printable key's text comes with its
// keydown, so a page that cancels the keydown ("/" to focus search) stops
// the character too. (chromedp.KeyEvent sends the text as a separate char
// event, which no keydown handler can cancel.)
func (b tab) keys(keys string) {
	b.t.Helper()
	b.do("type "+strconv.Quote(keys), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, r := range keys {
			events := kb.Encode(r)
			if len(events) == 3 && events[1].Type == kb.KeyChar {
				down := *events[0]
				down.Text, down.UnmodifiedText = events[1].Text, events[1].UnmodifiedText
				events = []*input.DispatchKeyEventParams{&down, events[2]}
			}
			for _, e := range events {
				if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, *e); err != nil {
					return err
				}
			}
		}
		return nil
	}))
}

// colorScheme emulates prefers-color-scheme ("" for the browser's own).
func colorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		p := emulation.SetEmulatedMediaParams{}
		if scheme != "" {
			p.Features = []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}
		}
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, p)
		return err
	})
}

// screenshot saves the tab's viewport as docs/NAME when
// BRIEFSEARCH_SCREENSHOTS is set (the README's pictures are made so).
func (b tab) screenshot(name string) {
	b.t.Helper()
	if os.Getenv("BRIEFSEARCH_SCREENSHOTS") == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join("..", "docs", name), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("wrote docs/%s", name)
}

// luminance is the relative luminance (0 black, 1 white) of a computed CSS
// color "rgb(r, g, b)".
const luminance = `(c => { const [r, g, b] = c.match(/[\d.]+/g).map(Number).map(v => v / 255); return 0.2126 * r + 0.7152 * g + 0.0722 * b; })`

// TestSearchPageInBrowser drives the search page in a real browser over the
// fixtures: hits with highlights and what was understood, a facet filter
// that lands in the URL and survives a reload, a query error shown from the
// problem's detail, and markup in articles rendered as text.
func TestSearchPageInBrowser(t *testing.T) {
	ctx := browser(t)
	articles := append(corpus(t), index.Article{
		ID: "xss-1", Title: `Hostile <img src=x onerror="window.__xss=1"> title`,
		Body: `A paragraph about the onerrorword case with <script>window.__xss=2</script> inside and <b>bold</b> text.`,
	})
	ix, err := index.Open(context.Background(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	if _, err := ix.Ingest(context.Background(), articles...); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(ix, search.New(ix, search.Options{}), api.Options{}).Handler(""))
	t.Cleanup(srv.Close)

	// evaluate returns the value of a JavaScript expression in the page.
	evaluate := func(expr string) any {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[any](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return v
	}
	step := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	poll := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(15*time.Second))
	}

	step("search", chromedp.Navigate(srv.URL+"/?q=Iran+plots"), chromedp.WaitVisible(chromedp.CSS("#hits article")),
		poll(`document.getElementById("understood").textContent !== ""`))
	marks := evaluate(`document.querySelectorAll("#hits mark").length`)
	summary, understood := text("#summary"), text("#understood")
	if marks == 0.0 || !strings.Contains(summary, "paragraphs") || !strings.Contains(understood, "country: Iran") {
		t.Errorf("search page: %v marks, summary %q, understood %q", marks, summary, understood)
	}

	// Tick the Iran country facet: the URL keeps it; a reload restores it.
	step("facet click",
		chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll("#facets label")].find(l => l.textContent.trim().startsWith("Iran")).querySelector("input").click()`),
		poll(`location.search.includes("country=Iran")`),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS("#hits article")),
		poll(`[...document.querySelectorAll("#facets label")].some(l => l.textContent.trim().startsWith("Iran") && l.querySelector("input").checked)`),
	)
	checked := evaluate(`document.querySelectorAll("#facets input:checked").length`)
	allIran := evaluate(`[...document.querySelectorAll("#hits article")].every(a => a.textContent.includes("Iran"))`)
	if checked != 1.0 || allIran != true {
		t.Errorf("facet round trip: %v boxes checked after reload, every hit about Iran: %v", checked, allIran)
	}

	// A malformed query shows the problem's detail.
	step("error display", chromedp.Navigate(srv.URL+`/?q=%22unclosed`), chromedp.WaitVisible(chromedp.CSS("#problem")))
	if problem := text("#problem"); !strings.Contains(problem, "unterminated quote at 0") {
		t.Errorf("problem shown: %q, want the API's detail", problem)
	}

	// Markup in a title or a paragraph is text, never run.
	step("markup", chromedp.Navigate(srv.URL+"/?q=onerrorword"), chromedp.WaitVisible(chromedp.CSS("#hits article")),
		chromedp.Sleep(300*time.Millisecond))
	xss := evaluate(`window.__xss || 0`)
	elements := evaluate(`document.querySelectorAll("#hits img, #hits script, #hits b").length`)
	if title := text("#hits article h3"); xss != 0.0 || elements != 0.0 || !strings.Contains(title, "<img src=x") {
		t.Errorf("markup ran or rendered: __xss=%v, %v elements, title %q", xss, elements, title)
	}
}

// hostile is an article whose title, text and url try to run script.
var hostile = index.Article{
	ID: "xss-1", Title: `Hostile <img src=x onerror="window.__xss=1"> title`, URL: "javascript:window.__xss=3",
	Body: `A paragraph about the onerrorword case with <script>window.__xss=2</script> inside and <b>bold</b> text.`,
}

// pageServer serves the API over the fixtures (and hostile) with a switch
// for the tests: down makes every /v1 request fail as a dead server would
// (the connection drops).
type pageServer struct {
	*httptest.Server
	down atomic.Bool
}

// pageIndex returns an index of the fixtures and the hostile article, for
// the browser tests.
func pageIndex(t *testing.T) *index.Index {
	t.Helper()
	ix, err := index.Open(context.Background(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	if _, err := ix.Ingest(context.Background(), append(corpus(t), hostile)...); err != nil {
		t.Fatal(err)
	}
	return ix
}

func newPageServer(t *testing.T) *pageServer {
	t.Helper()
	ix := pageIndex(t)
	h := api.New(ix, search.New(ix, search.Options{}), api.Options{}).Handler("")
	s := &pageServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.down.Load() && strings.HasPrefix(r.URL.Path, "/v1/") {
			panic(http.ErrAbortHandler) // the connection is dropped without an answer
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// TestWorkbenchInBrowser drives the analyst's features of the search page
// in a real browser: the article view, facet chips and active filters,
// "more like this", messages for a bad query, no result and a server that
// is down, the keyboard path, accessible names, a narrow screen, the dark
// scheme, and markup rendered as text in the article view.
func TestWorkbenchInBrowser(t *testing.T) {
	ctx := browser(t)
	srv := newPageServer(t)
	open := func(t *testing.T, query string) tab {
		t.Helper()
		b := tab{t, ctx}
		b.do("open "+query, chromedp.Navigate(srv.URL+"/"+query))
		b.until("hits", `document.querySelectorAll("#hits article").length > 0 && !document.getElementById("hits").hasAttribute("aria-busy")`)
		return b
	}

	t.Run("article view", func(t *testing.T) {
		b := open(t, "?q=Iran+plots")
		id := evalAs[string](b, `document.querySelector("#hits article").dataset.id`)
		articleID, para, _ := strings.Cut(id, "#")
		art := evalAs[map[string]any](b, `fetch("v1/articles/`+articleID+`").then(r => r.json())`)
		paras := art["paragraphs"].([]any)
		b.do("click the first hit", chromedp.Click(chromedp.CSS("#hits article h3 a")))
		b.until("the article", `document.getElementById("reader").open && document.querySelectorAll("#reader-paragraphs li").length > 0`)
		got := evalAs[map[string]any](b, `(() => {
			const d = document.getElementById("reader"), hit = d.querySelectorAll("li.hit"), box = d.getBoundingClientRect();
			const r = hit[0].getBoundingClientRect(), link = d.querySelector("#reader-meta a");
			return { title: document.getElementById("reader-title").textContent, meta: document.getElementById("reader-meta").textContent,
				paragraphs: d.querySelectorAll("#reader-paragraphs li").length, hits: hit.length, hitID: hit[0].id,
				visible: r.top >= box.top && r.bottom <= box.bottom, focused: document.activeElement === hit[0],
				chips: d.querySelectorAll("#reader-paragraphs button.chip").length,
				marks: hit[0].querySelectorAll("p mark").length, text: hit[0].querySelector("p").textContent,
				href: link ? link.href : "", target: link ? link.target : "", rel: link ? link.rel : "",
				url: location.search, labelled: d.getAttribute("aria-labelledby") };
		})()`)
		if got["title"] != art["title"] || got["paragraphs"] != float64(len(paras)) || got["hits"] != 1.0 || got["hitID"] != "para-"+para {
			t.Errorf("article view: title %q (want %q), %v paragraphs (want %d), %v highlighted %v (want para-%s)",
				got["title"], art["title"], got["paragraphs"], len(paras), got["hits"], got["hitID"], para)
		}
		if got["visible"] != true || got["focused"] != true || got["chips"] == 0.0 {
			t.Errorf("hit paragraph scrolled into view %v, focused %v; %v facet chips", got["visible"], got["focused"], got["chips"])
		}
		for _, p := range paras {
			if p := p.(map[string]any); fmt.Sprint(p["paragraph"]) == para && (p["text"] != got["text"] || got["marks"] == 0.0) {
				t.Errorf("hit paragraph in the article: %v marks, text %q, want the paragraph's text %q with the query's words marked", got["marks"], got["text"], p["text"])
			}
		}
		if meta := got["meta"].(string); !strings.Contains(meta, art["source"].(string)) || !strings.Contains(meta, art["published"].(string)[:10]) {
			t.Errorf("article meta %q lacks source or date", meta)
		}
		if got["href"] != art["url"] || got["target"] != "_blank" || !strings.Contains(got["rel"].(string), "noopener") {
			t.Errorf("link to the original: %q target %q rel %q, want %q in a new tab", got["href"], got["target"], got["rel"], art["url"])
		}
		if !strings.Contains(got["url"].(string), "article="+articleID) || got["labelled"] != "reader-title" {
			t.Errorf("URL %q does not name the article, or the dialog is not labelled (%v)", got["url"], got["labelled"])
		}

		// Escape closes it, gives focus back to the hit and the URL forgets the article.
		b.keys(kb.Escape)
		b.until("closed", `!document.getElementById("reader").open && !location.search.includes("article=")`)
		if focused := evalAs[string](b, `document.activeElement.dataset.id || document.activeElement.id`); focused != id {
			t.Errorf("after closing, focus is on %q, want the hit %q", focused, id)
		}

		// Back closes it too.
		b.do("open again", chromedp.Click(chromedp.CSS("#hits article h3 a")))
		b.until("the article", `document.getElementById("reader").open && location.search.includes("article=")`)
		b.do("Back", chromedp.Evaluate[chromedp.Void](`history.back()`))
		b.until("closed by Back", `!document.getElementById("reader").open && !location.search.includes("article=") && new URLSearchParams(location.search).get("q") === "Iran plots"`)

		// The URL restores it; a chip in it filters the search.
		b.do("reload with the article", chromedp.Navigate(srv.URL+"/?q=Iran+plots&article="+articleID+"&para="+para))
		b.until("the article from the URL", `document.querySelector("#reader[open] li.hit#para-`+para+`") !== null`)
		value := evalAs[string](b, `(() => { const c = document.querySelector("#reader li.hit button.chip"); c.click(); return c.dataset.field + "=" + c.dataset.value; })()`)
		b.until("filtered from the article", `!document.getElementById("reader").open && new URLSearchParams(location.search).getAll("`+strings.SplitN(value, "=", 2)[0]+`").includes("`+strings.SplitN(value, "=", 2)[1]+`")`)
	})

	t.Run("chips and active filters", func(t *testing.T) {
		b := open(t, "?q=Iran+plots")
		topicCounts := `[...document.querySelectorAll("#facets fieldset")].filter(f => f.querySelector("legend").textContent === "topic").flatMap(f => [...f.querySelectorAll(".count")]).reduce((n, c) => n + Number(c.textContent), 0)`
		before := evalAs[float64](b, topicCounts)
		// A country chip of the first hit that is not Iran, to see it narrow.
		value := evalAs[string](b, `(() => { const c = [...document.querySelectorAll("#hits article:first-child button.chip[data-field=country]")].find(c => c.dataset.value !== "Iran") || document.querySelector("#hits article button.chip[data-field=country]"); c.click(); return c.dataset.value; })()`)
		b.until("chip filter", `new URLSearchParams(location.search).getAll("country").includes(`+strconv.Quote(value)+`) && !document.getElementById("hits").hasAttribute("aria-busy")`)
		got := evalAs[map[string]any](b, `({
			active: [...document.querySelectorAll("#active button")].map(b => b.textContent + "|" + b.getAttribute("aria-label")),
			checked: [...document.querySelectorAll("#facets input:checked")].map(i => i.parentElement.textContent.trim()),
			all: [...document.querySelectorAll("#hits article")].every(a => [...a.querySelectorAll("button.chip[data-field=country]")].some(c => c.dataset.value === `+strconv.Quote(value)+` && c.getAttribute("aria-pressed") === "true")),
			topics: `+topicCounts+` })`)
		active := fmt.Sprint(got["active"])
		if !strings.Contains(active, "country: "+value) || !strings.Contains(active, "Remove filter country: "+value) || fmt.Sprint(got["checked"]) != "["+value+"]" || got["all"] != true {
			t.Errorf("after clicking chip %q: active chips %v, checked boxes %v, every hit in that country %v", value, got["active"], got["checked"], got["all"])
		}
		if after := got["topics"].(float64); after >= before {
			t.Errorf("topic counts did not narrow with the filter: %v before, %v after", before, after)
		}
		// Another filter from the URL (a date), then remove the chips one by one.
		b.do("a date too", chromedp.Navigate(srv.URL+"/"+evalAs[string](b, `location.search`)+"&after=2024-01-01"))
		b.until("two chips and Clear all", `document.querySelectorAll("#active button").length === 3`)
		b.do("remove the country", chromedp.Evaluate[chromedp.Void](`document.querySelector("#active button").click()`))
		b.until("country removed", `!location.search.includes("country=") && document.querySelectorAll("#active button").length === 1 && document.querySelector("#facets input:checked") === null`)
		if focused := evalAs[string](b, `document.activeElement.textContent`); !strings.Contains(focused, "after 2024-01-01") {
			t.Errorf("after removing a chip, focus is on %q, want the next chip", focused)
		}
		b.do("remove the date", chromedp.Evaluate[chromedp.Void](`document.querySelector("#active button").click()`))
		b.until("date removed", `!location.search.includes("after=") && document.getElementById("after").value === "" && document.querySelectorAll("#active button").length === 0`)
	})

	t.Run("more like this", func(t *testing.T) {
		b := open(t, "?q=Iran+plots")
		first := evalAs[map[string]any](b, `({id: document.querySelector("#hits article").dataset.id, article: document.querySelector("#hits article").dataset.article})`)
		b.do("more like this", chromedp.Click(chromedp.CSS("#hits article button.like")))
		b.until("similar paragraphs", `location.search.includes("like=") && document.getElementById("summary").textContent.includes(" like ")`)
		b.until("hits", `document.querySelectorAll("#hits article").length > 0`)
		got := evalAs[map[string]any](b, `({others: [...document.querySelectorAll("#hits article")].every(a => a.dataset.article !== `+strconv.Quote(first["article"].(string))+`),
			chip: document.querySelector("#active button").textContent})`)
		if got["others"] != true || !strings.HasPrefix(got["chip"].(string), "like: ") {
			t.Errorf("more like this: only other articles %v, chip %q", got["others"], got["chip"])
		}
		b.do("back to the search", chromedp.Evaluate[chromedp.Void](`document.querySelector("#active button").click()`))
		b.until("the search again", `!location.search.includes("like=") && document.querySelector("#hits article")?.dataset.id === `+strconv.Quote(first["id"].(string)))
		if q := evalAs[string](b, `document.getElementById("q").value`); q != "Iran plots" {
			t.Errorf("query after more like this: %q", q)
		}
	})

	t.Run("messages", func(t *testing.T) {
		b := tab{t, ctx}
		b.do("no result", chromedp.Navigate(srv.URL+"/?q=zzyzxquux"))
		b.until("empty message", `!document.getElementById("empty").hidden`)
		if msg := evalAs[string](b, `document.getElementById("empty").textContent`); !strings.Contains(msg, `No paragraphs match “zzyzxquux”`) {
			t.Errorf("empty result: %q", msg)
		}
		b.do("no result with a filter", chromedp.Navigate(srv.URL+"/?q=zzyzxquux&country=Iran"))
		b.until("empty message", `document.getElementById("empty").textContent.includes("Remove a filter")`)

		// A syntax error's position is shown and selected in the box.
		b.do("syntax error", chromedp.Navigate(srv.URL+"/?q=%28Iran+OR+plots"))
		b.until("problem", `!document.getElementById("problem").hidden`)
		got := evalAs[map[string]any](b, `({text: document.getElementById("problem").textContent, mark: document.querySelector("#problem code mark")?.textContent,
			start: document.getElementById("q").selectionStart, end: document.getElementById("q").selectionEnd, role: document.getElementById("problem").getAttribute("role")})`)
		if !strings.Contains(got["text"].(string), `unbalanced "(" at 0`) || !strings.Contains(got["text"].(string), "at character 1") || got["mark"] != "(" || got["start"] != 0.0 || got["end"] != 1.0 || got["role"] != "alert" {
			t.Errorf("syntax error shown as %v", got)
		}

		// A server that is down, then back.
		b = open(t, "?q=Iran+plots")
		srv.down.Store(true)
		b.do("search while down", chromedp.Click(chromedp.CSS(`#form button[type=submit]`)))
		b.until("down message", `!document.getElementById("problem").hidden`)
		if msg := evalAs[string](b, `document.getElementById("problem").textContent`); !strings.Contains(msg, "Cannot reach the Briefsearch server") || evalAs[float64](b, `document.querySelectorAll("#hits article").length`) != 0 {
			t.Errorf("server down: %q, and old hits left on screen", msg)
		}
		srv.down.Store(false)
		b.do("try again", chromedp.Click(chromedp.CSS("#problem button")))
		b.until("hits again", `document.getElementById("problem").hidden && document.querySelectorAll("#hits article").length > 0`)
	})

	t.Run("keyboard", func(t *testing.T) {
		b := open(t, "?q=Iran+plots")
		b.do("leave the box", chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`))
		b.keys("/")
		if got := evalAs[string](b, `document.activeElement.id + "|" + document.getElementById("q").value`); got != "q|Iran plots" {
			t.Errorf(`after "/": focus|query = %q, want the search box with the query unchanged`, got)
		}
		b.keys("Russia sabotage" + kb.Enter)
		b.until("new search", `new URLSearchParams(location.search).get("q") === "Russia sabotage" && !document.getElementById("hits").hasAttribute("aria-busy") && document.querySelectorAll("#hits article").length > 1`)
		focus := `document.activeElement.dataset.index ?? document.activeElement.id`
		var path []string
		for _, k := range []string{kb.ArrowDown, kb.ArrowDown, kb.ArrowUp} {
			b.keys(k)
			path = append(path, evalAs[string](b, focus))
		}
		if strings.Join(path, " ") != "0 1 0" {
			t.Errorf("arrows moved focus through hits %v, want [0 1 0]", path)
		}
		id := evalAs[string](b, `document.activeElement.dataset.article`)
		b.keys(kb.Enter)
		b.until("the article", `document.getElementById("reader").open && document.querySelector("#reader li.hit") !== null`)
		if !strings.Contains(evalAs[string](b, `location.search`), "article="+id) {
			t.Errorf("Enter opened another article than %s", id)
		}
		b.keys(kb.Escape)
		b.until("closed", `!document.getElementById("reader").open`)
		// Closing gives the focus back to the hit that opened the article
		// and pops the history entry. The dialog itself may hand the focus
		// back before its close handler has run, so wait for the popped
		// entry too (it changes the URL only after the handler ran) before
		// typing; otherwise the handler's focus could land after the key.
		b.until("focus back on the hit", `document.activeElement.dataset.index === "0" && !new URLSearchParams(location.search).has("article")`)
		b.keys(kb.ArrowUp)
		if got := evalAs[string](b, focus); got != "q" {
			t.Errorf("ArrowUp from the first hit focused %q, want the search box", got)
		}
	})

	t.Run("timeline", func(t *testing.T) {
		b := open(t, "?q=Iran")
		b.until("year bars", `document.querySelectorAll("#timeline .bar").length >= 2 && !document.getElementById("timeline").hidden`)
		// The year with the most hits narrows the dates to that year, shown by month.
		top := evalAs[string](b, `(() => {
			const bars = [...document.querySelectorAll("#timeline .bar")];
			const count = x => Number(x.title.split(": ")[1]);
			const best = bars.reduce((a, x) => count(x) > count(a) ? x : a);
			best.click();
			return best.title;
		})()`)
		b.until("months", `new URLSearchParams(location.search).get("after") !== null && /^\d{4}-\d{2}:/.test(document.querySelector("#timeline .bar")?.title || "") && !document.getElementById("hits").hasAttribute("aria-busy")`)
		u := evalAs[string](b, `location.search`)
		year := strings.SplitN(top, ":", 2)[0]
		if !strings.Contains(u, "after="+year+"-01-01") || !strings.Contains(u, "before="+year+"-12-31") || strings.Contains(u, "interval=") {
			t.Errorf("after clicking %s: URL %s, want after=%s-01-01 and before=%s-12-31", top, u, year, year)
		}
		every := evalAs[bool](b, `[...document.querySelectorAll("#hits article")].every(a => a.textContent.includes("`+year+`"))`)
		if !every {
			t.Errorf("a hit outside %s after narrowing to it", year)
		}
	})

	t.Run("grouped by article", func(t *testing.T) {
		b := open(t, "?q=Iran+plots")
		b.do("group", chromedp.Click(chromedp.CSS("#group")))
		b.until("groups", `new URLSearchParams(location.search).get("group") === "article" && document.querySelectorAll("#hits section.group").length > 0 && !document.getElementById("hits").hasAttribute("aria-busy")`)
		got := evalAs[map[string]any](b, `(() => {
			const groups = [...document.querySelectorAll("#hits section.group")];
			const ids = groups.map(g => [...g.querySelectorAll("article.hit")].map(a => a.dataset.article));
			return {groups: groups.length, mixed: ids.some(list => new Set(list).size !== 1),
				summary: document.getElementById("summary").textContent};
		})()`)
		if got["groups"].(float64) < 2 || got["mixed"].(bool) || !strings.Contains(got["summary"].(string), "articles") {
			t.Errorf("grouped page: %v", got)
		}
		// The keyboard path runs through the paragraphs of the groups.
		b.do("first paragraph", chromedp.Evaluate[chromedp.Void](`document.querySelector("#hits article.hit").focus()`))
		b.keys(kb.ArrowDown)
		if got := evalAs[string](b, `document.activeElement.dataset.index`); got != "1" {
			t.Errorf("ArrowDown in groups focused %q, want 1", got)
		}
		b.do("reload", chromedp.Reload())
		b.until("groups after reload", `document.getElementById("group").checked && document.querySelectorAll("#hits section.group").length > 0`)
	})

	t.Run("timeline brush", func(t *testing.T) {
		b := open(t, "?q=Iran")
		b.until("bars", `document.querySelectorAll("#timeline .bar:not(:disabled)").length >= 2`)
		// Drag from the first bar with hits to the last with the mouse.
		pts := evalAs[[]float64](b, `(() => {
			const bars = [...document.querySelectorAll("#timeline .bar:not(:disabled)")];
			const r = x => x.getBoundingClientRect();
			const a = r(bars[0]), z = r(bars[bars.length - 1]);
			return [a.x + a.width / 2, a.y + a.height - 2, z.x + z.width / 2, z.y + z.height - 2];
		})()`)
		first := evalAs[string](b, `document.querySelector("#timeline .bar:not(:disabled)").title.split(":")[0]`)
		last := evalAs[string](b, `[...document.querySelectorAll("#timeline .bar:not(:disabled)")].pop().title.split(":")[0]`)
		b.do("brush", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			mouse := func(typ input.DispatchMouseEventType, x, y float64, buttons int64) error {
				p := input.DispatchMouseEventParams{Type: typ, X: x, Y: y, Buttons: buttons}
				if typ != input.DispatchMouseEventTypeMouseMoved {
					p.Button, p.ClickCount = input.MouseButtonLeft, 1
				}
				_, err := cdp.Call(ctx, t, input.DispatchMouseEvent, p)
				return err
			}
			if err := mouse(input.DispatchMouseEventTypeMouseMoved, pts[0], pts[1], 0); err != nil {
				return err
			}
			if err := mouse(input.DispatchMouseEventTypeMousePressed, pts[0], pts[1], 1); err != nil {
				return err
			}
			for k := 1; k <= 5; k++ {
				if err := mouse(input.DispatchMouseEventTypeMouseMoved, pts[0]+(pts[2]-pts[0])*float64(k)/5, pts[3], 1); err != nil {
					return err
				}
			}
			return mouse(input.DispatchMouseEventTypeMouseReleased, pts[2], pts[3], 0)
		}))
		b.until("brushed dates", `new URLSearchParams(location.search).get("after") !== null && !document.getElementById("hits").hasAttribute("aria-busy")`)
		u := evalAs[string](b, `location.search`)
		if !strings.Contains(u, "after="+first+"-01-01") || !strings.Contains(u, "before="+last+"-12-31") {
			t.Errorf("brush from %s to %s: URL %s", first, last, u)
		}
	})

	t.Run("accessible names", func(t *testing.T) {
		b := open(t, "?q=Iran+plots&country=Iran&after=2020-01-01")
		axeCheck(b, "page with hits and active filters")
		b.do("open an article", chromedp.Click(chromedp.CSS("#hits article h3 a")))
		b.until("the article", `document.querySelectorAll("#reader-paragraphs li").length > 0`)
		unnamed := evalAs[[]string](b, `(() => {
			const name = e => (e.getAttribute("aria-labelledby") || "").split(" ").map(id => document.getElementById(id)?.textContent || "").join("").trim()
				|| (e.getAttribute("aria-label") || "").trim() || (e.labels && [...e.labels].map(l => l.textContent).join("").trim())
				|| (["INPUT", "SELECT"].includes(e.tagName) ? "" : e.textContent.trim()) || (e.getAttribute("title") || "").trim();
			return [...document.querySelectorAll("button, a[href], input, select, article, dialog, [role=group], form, aside, section, nav")]
				.filter(e => !name(e)).map(e => e.outerHTML.slice(0, 80));
		})()`)
		if len(unnamed) > 0 {
			t.Errorf("elements without an accessible name: %q", unnamed)
		}
		roles := evalAs[string](b, `["form[role=search]", "#summary[role=status]", "#problem[role=alert]", "#reader[aria-labelledby=reader-title]", "#q[aria-keyshortcuts]"].filter(s => !document.querySelector(s)).join(", ")`)
		if roles != "" {
			t.Errorf("missing roles: %s", roles)
		}
		axeCheck(b, "page with an article open")
	})

	t.Run("markup in the article view", func(t *testing.T) {
		b := tab{t, ctx}
		b.do("open the hostile article", chromedp.Navigate(srv.URL+"/?q=onerrorword&article=xss-1&para=1"))
		b.until("the article", `document.querySelector("#reader li.hit") !== null && document.querySelectorAll("#hits article").length > 0`)
		b.do("let anything run", chromedp.Sleep(300*time.Millisecond))
		got := evalAs[map[string]any](b, `({xss: window.__xss || 0, elements: document.querySelectorAll("#reader img, #reader script, #reader b, #hits img, #hits script, #hits b").length,
			title: document.getElementById("reader-title").textContent, text: document.querySelector("#reader li.hit p").textContent,
			links: document.querySelectorAll("#reader-meta a, a[href^='javascript']").length})`)
		if got["xss"] != 0.0 || got["elements"] != 0.0 || got["links"] != 0.0 || !strings.Contains(got["title"].(string), "<img src=x") || !strings.Contains(got["text"].(string), "<script>") {
			t.Errorf("markup ran or rendered in the article view: %v", got)
		}
	})

	t.Run("narrow screen", func(t *testing.T) {
		b := tab{t, ctx}
		b.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
		t.Cleanup(func() { _ = chromedp.Do(ctx, chromedp.ResetViewport()) })
		b = open(t, "?q=Iran+plots")
		got := evalAs[map[string]any](b, `({overflow: document.documentElement.scrollWidth - innerWidth,
			resultsFirst: document.getElementById("hits").getBoundingClientRect().top < document.getElementById("facets").getBoundingClientRect().top,
			box: document.getElementById("q").getBoundingClientRect().right <= innerWidth})`)
		if got["overflow"].(float64) > 0 || got["resultsFirst"] != true || got["box"] != true {
			t.Errorf("on a 390 px screen: %v px wider than the screen, results above filters %v, search box inside %v", got["overflow"], got["resultsFirst"], got["box"])
		}
		b.do("open an article", chromedp.Click(chromedp.CSS("#hits article h3 a")))
		b.until("the article", `document.querySelectorAll("#reader-paragraphs li").length > 0`)
		if w := evalAs[float64](b, `innerWidth - document.getElementById("reader").getBoundingClientRect().width`); w > 1 {
			t.Errorf("the article view leaves %v px of a phone screen unused", w)
		}
	})

	t.Run("color schemes", func(t *testing.T) {
		b := tab{t, ctx}
		t.Cleanup(func() { _ = chromedp.Do(ctx, colorScheme("")) })
		for _, tc := range []struct {
			scheme string
			dark   bool
		}{{"dark", true}, {"light", false}} {
			b.do(tc.scheme, colorScheme(tc.scheme))
			b = open(t, "?q=Iran+plots")
			bg := evalAs[float64](b, luminance+`(getComputedStyle(document.body).backgroundColor)`)
			fg := evalAs[float64](b, luminance+`(getComputedStyle(document.querySelector("#hits article p")).color)`)
			card := evalAs[float64](b, luminance+`(getComputedStyle(document.querySelector("#hits article")).backgroundColor)`)
			if tc.dark != (bg < 0.2 && card < 0.2 && fg > 0.6) || !tc.dark != (bg > 0.8 && fg < 0.3) {
				t.Errorf("%s scheme: background %.2f, cards %.2f, text %.2f", tc.scheme, bg, card, fg)
			}
			axeCheck(b, tc.scheme+" scheme") // contrast, among others
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		b := tab{t, ctx}
		b.do("viewport", chromedp.EmulateViewport(1280, 900))
		t.Cleanup(func() { _ = chromedp.Do(ctx, chromedp.ResetViewport()) })
		b = open(t, "?q=Tehrn+plots&topic=state-threats")
		b.until("understood", `document.getElementById("understood").textContent !== ""`)
		b.screenshot("search-page.png")
		b.do("open the first hit", chromedp.Click(chromedp.CSS("#hits article h3 a")))
		b.until("the article", `document.querySelector("#reader li.hit") !== null`)
		b.do("settle", chromedp.Sleep(300*time.Millisecond))
		b.screenshot("article-view.png")
	})
}

// axeCheck runs axe-core in the page when BRIEFSEARCH_AXE names its
// axe.min.js (npm's axe-core; not a dependency of the project) and fails on
// violations of serious or critical impact.
func axeCheck(b tab, what string) {
	b.t.Helper()
	path := os.Getenv("BRIEFSEARCH_AXE")
	if path == "" {
		b.t.Logf("%s: axe-core not run (set BRIEFSEARCH_AXE to an axe.min.js to run it)", what)
		return
	}
	src, err := os.ReadFile(path)
	if err != nil {
		b.t.Fatal(err)
	}
	b.do("load axe-core", chromedp.Evaluate[chromedp.Void](string(src)+";0"))
	found := evalAs[[]string](b, `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
		.map(v => v.impact + " " + v.id + ": " + v.nodes.map(n => n.target.join(" ")).join("; ")))`)
	serious := 0
	for _, v := range found {
		if strings.HasPrefix(v, "serious ") || strings.HasPrefix(v, "critical ") {
			b.t.Errorf("%s: axe: %s", what, v)
			serious++
		} else {
			b.t.Logf("%s: axe: %s", what, v)
		}
	}
	b.t.Logf("%s: axe-core found %d violations, %d serious or critical", what, len(found), serious)
}
