package api_test

import (
	"context"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

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
	if problem := text("#problem"); !strings.Contains(problem, "syntax error") {
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
