package index_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/briefsearch/briefsearch/index"
)

func open(t *testing.T, opts index.Options) *index.Index {
	t.Helper()
	ix, err := index.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	return ix
}

func article(id string, paragraphs ...string) index.Article {
	return index.Article{ID: id, Title: "Title of " + id, Source: "Test", Body: strings.Join(paragraphs, "\n\n")}
}

// count returns the number of chunks of an article visible to a search.
func count(t *testing.T, ix *index.Index, articleID string) (int, []string) {
	t.Helper()
	n, texts, err := countChunks(ix, articleID)
	if err != nil {
		t.Fatal(err)
	}
	return n, texts
}

func countChunks(ix *index.Index, articleID string) (int, []string, error) {
	q := query.NewTermQuery(articleID)
	q.SetField(index.FieldArticleID)
	req := bleve.NewSearchRequestOptions(q, 100, 0, false)
	req.Fields = []string{index.FieldText}
	res, err := ix.Bleve().Search(req)
	if err != nil {
		return 0, nil, err
	}
	var texts []string
	for _, h := range res.Hits {
		texts = append(texts, index.FieldString(h.Fields[index.FieldText]))
	}
	return int(res.Total), texts, nil
}

func TestIngestGetDeleteStats(t *testing.T) {
	ctx := context.Background()
	ix := open(t, index.Options{})
	st, err := ix.Ingest(ctx,
		article("a", "MI5 said Iranian plots were rising.", "GCHQ saw Chinese hacking."),
		article("b", "A Hamas cell was arrested in Berlin."))
	if err != nil {
		t.Fatal(err)
	}
	if st != (index.IngestStats{Articles: 2, Paragraphs: 3}) {
		t.Errorf("ingest stats %+v", st)
	}
	view, err := ix.Article(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if len(view.Paragraphs) != 2 || view.Paragraphs[1].Paragraph != 2 || view.Title != "Title of a" {
		t.Fatalf("article a: %+v", view)
	}
	if c := view.Paragraphs[0].Country; len(c) != 1 || c[0] != "Iran" {
		t.Errorf("paragraph 1 countries %v, want [Iran]", c)
	}
	stats, err := ix.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Articles != 2 || stats.Paragraphs != 3 || stats.Facets["country"] < 3 {
		t.Errorf("stats %+v", stats)
	}
	if err := ix.Delete(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Article(ctx, "a"); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("Article after Delete: %v, want ErrNotFound", err)
	}
	if err := ix.Delete(ctx, "a"); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("second Delete: %v, want ErrNotFound", err)
	}
	if n, _ := count(t, ix, "a"); n != 0 {
		t.Errorf("%d chunks of a remain after Delete", n)
	}
	if stats, _ := ix.Stats(ctx); stats.Articles != 1 || stats.Paragraphs != 1 {
		t.Errorf("stats after delete %+v", stats)
	}
}

func TestIngestRejectsInvalidKeepsValid(t *testing.T) {
	ctx := context.Background()
	ix := open(t, index.Options{})
	st, err := ix.Ingest(ctx, article("ok", "Fine text."), index.Article{ID: "empty"}, index.Article{Body: "no id"},
		article("bad#id", "x"), article("rule", "* * *"))
	if !errors.Is(err, index.ErrInvalid) {
		t.Fatalf("error %v, want ErrInvalid", err)
	}
	rejected := index.Rejected(err)
	if len(rejected) != 4 || rejected[0].Position != 1 || rejected[0].ID != "empty" || rejected[3].ID != "rule" {
		t.Errorf("rejected %+v", rejected)
	}
	if index.Rejected(nil) != nil {
		t.Error("Rejected(nil) is not empty")
	}
	if got := strings.Count(err.Error(), "\n") + 1; got != 4 || !strings.Contains(err.Error(), `"rule": invalid input: body has no text`) {
		t.Errorf("want 4 rejections, the last for a body without text; got %d: %v", got, err)
	}
	if st.Articles != 1 {
		t.Errorf("indexed %d articles, want 1", st.Articles)
	}
}

func TestReingestReplacesAtomically(t *testing.T) {
	ctx := context.Background()
	ix := open(t, index.Options{})
	v1 := article("x", "alpha one", "alpha two", "alpha three")
	v2 := article("x", "beta one", "beta two")
	if _, err := ix.Ingest(ctx, v1); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mixed []string
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			n, texts, err := countChunks(ix, "x")
			if err != nil {
				mixed = append(mixed, err.Error())
				return
			}
			words := map[string]bool{}
			for _, tx := range texts {
				words[strings.Fields(tx)[0]] = true
			}
			if len(words) > 1 || (words["alpha"] && n != 3) || (words["beta"] && n != 2) {
				mixed = append(mixed, fmt.Sprint(n, texts))
			}
		}
	})
	for i := range 40 {
		a := v1
		if i%2 == 0 {
			a = v2
		}
		st, err := ix.Ingest(ctx, a)
		if err != nil || st.Replaced != 1 {
			t.Fatalf("re-ingest %d: %+v %v", i, st, err)
		}
	}
	close(stop)
	wg.Wait()
	if len(mixed) > 0 {
		t.Fatalf("a search saw a mix of old and new paragraphs: %v", mixed[:min(3, len(mixed))])
	}
	// Last write was v1 (i=39); shrink to v2 and check the tail is gone.
	if _, err := ix.Ingest(ctx, v2); err != nil {
		t.Fatal(err)
	}
	if n, _ := count(t, ix, "x"); n != 2 {
		t.Errorf("after shrinking re-ingest: %d chunks, want 2", n)
	}
	if st, _ := ix.Stats(ctx); st.Articles != 1 || st.Paragraphs != 2 {
		t.Errorf("stats %+v, want 1 article 2 paragraphs", st)
	}
}

func TestDuplicateIDsInOneCallLastWins(t *testing.T) {
	ctx := context.Background()
	ix := open(t, index.Options{BatchSize: 1})
	st, err := ix.Ingest(ctx, article("d", "first", "first b"), article("e", "other"), article("d", "second"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 2 {
		t.Errorf("articles %d, want 2", st.Articles)
	}
	view, err := ix.Article(ctx, "d")
	if err != nil {
		t.Fatal(err)
	}
	if len(view.Paragraphs) != 1 || view.Paragraphs[0].Text != "second" {
		t.Errorf("article d: %+v", view.Paragraphs)
	}
}

func TestReopenKeepsDataAndLocks(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "nested", "idx.bleve")
	ix, err := index.Open(ctx, index.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Ingest(ctx, article("p", "Persisted paragraph.")); err != nil {
		t.Fatal(err)
	}
	if _, err := index.Open(ctx, index.Options{Path: path, LockTimeout: 100 * time.Millisecond}); !errors.Is(err, index.ErrLocked) {
		t.Errorf("second Open while held: %v, want ErrLocked", err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); !errors.Is(err, index.ErrClosed) {
		t.Errorf("second Close: %v, want ErrClosed", err)
	}
	if _, err := ix.Article(ctx, "p"); !errors.Is(err, index.ErrClosed) {
		t.Errorf("Article after Close: %v, want ErrClosed", err)
	}
	if _, err := ix.Stats(ctx); !errors.Is(err, index.ErrClosed) {
		t.Errorf("Stats after Close: %v, want ErrClosed", err)
	}
	if _, err := ix.Ingest(ctx, article("q", "x")); !errors.Is(err, index.ErrClosed) {
		t.Errorf("Ingest after Close: %v, want ErrClosed", err)
	}
	ro := open(t, index.Options{Path: path, ReadOnly: true})
	if view, err := ro.Article(ctx, "p"); err != nil || len(view.Paragraphs) != 1 {
		t.Fatalf("after reopen: %+v %v", view, err)
	}
	if _, err := index.Open(ctx, index.Options{Path: filepath.Join(t.TempDir(), "none"), ReadOnly: true}); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("read-only open of a missing index: %v, want ErrNotFound", err)
	}
}

// TestCrashAfterIngest kills a process with SIGKILL right after Ingest
// returned and checks that what it acknowledged is in the index.
func TestCrashAfterIngest(t *testing.T) {
	if path := os.Getenv("BRIEFSEARCH_CRASH_CHILD"); path != "" {
		crashChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "crash.bleve")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashAfterIngest$")
	cmd.Env = append(os.Environ(), "BRIEFSEARCH_CRASH_CHILD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "acknowledged") {
		_ = cmd.Process.Kill()
		t.Fatalf("child said %q, %v", line, err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	ix := open(t, index.Options{Path: path})
	for _, id := range []string{"crash-1", "crash-2"} {
		view, err := ix.Article(context.Background(), id)
		if err != nil || len(view.Paragraphs) != 2 {
			t.Errorf("article %s after SIGKILL: %+v, %v", id, view, err)
		}
	}
	if st, _ := ix.Stats(context.Background()); st.Articles != 2 || st.Paragraphs != 4 {
		t.Errorf("stats after SIGKILL: %+v", st)
	}
}

func crashChild(path string) {
	ctx := context.Background()
	ix, err := index.Open(ctx, index.Options{Path: path})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	if _, err := ix.Ingest(ctx, article("crash-1", "One.", "Two."), article("crash-2", "Three.", "Four.")); err != nil {
		fmt.Println("ingest:", err)
		os.Exit(1)
	}
	fmt.Println("acknowledged")
	time.Sleep(time.Minute) // killed before this ends
	os.Exit(0)
}

func TestIngestFailureIsNotInvalid(t *testing.T) {
	ix := open(t, index.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ix.Ingest(ctx, article("ok", "Text."), index.Article{ID: "bad"})
	if !errors.Is(err, context.Canceled) || errors.Is(err, index.ErrInvalid) {
		t.Fatalf("error %v: want context.Canceled and not ErrInvalid", err)
	}
}

func TestOpenRefusesForeignIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "foreign.bleve")
	bi, err := bleve.New(path, bleve.NewIndexMapping())
	if err != nil {
		t.Fatal(err)
	}
	bi.Close()
	_, err = index.Open(context.Background(), index.Options{Path: path})
	if err == nil || !strings.Contains(err.Error(), "rebuild the index") {
		t.Fatalf("Open of a foreign bleve index: %v, want a rebuild message", err)
	}
}
