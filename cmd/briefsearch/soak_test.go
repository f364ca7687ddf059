package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefsearch/briefsearch/index"
)

// TestSoakSIGKILL starts the real server, ingests (and replaces) articles
// over HTTP without pause, kills it with SIGKILL at a random moment, and
// checks the index after each kill: it opens, every acknowledged article is
// there with exactly the paragraphs of its last acknowledged version,
// nothing is duplicated, and the stored counts match the documents. A few
// rounds run in make test; BRIEFSEARCH_SOAK_ROUNDS=25 (make soak) runs more.
func TestSoakSIGKILL(t *testing.T) {
	rounds := 3
	if n, err := strconv.Atoi(os.Getenv("BRIEFSEARCH_SOAK_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	path := filepath.Join(t.TempDir(), "idx")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	acked := map[string]int{} // article id → paragraphs of its last acknowledged version
	var kills, acks int
	for round := range rounds {
		cmd, base := startServer(t, path)
		var (
			mu       sync.Mutex
			inflight = map[string]bool{} // sent, not acknowledged: either version may be there
			stop     = make(chan struct{})
			done     = make(chan struct{})
		)
		go func() {
			defer close(done)
			rng := rand.New(rand.NewPCG(uint64(round), 11)) // this goroutine's own
			client := &http.Client{Timeout: 5 * time.Second}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				id := fmt.Sprintf("soak-%d-%d", round, i)
				if i%4 == 3 && round > 0 { // replace an article of an earlier round
					id = fmt.Sprintf("soak-%d-%d", rng.IntN(round), rng.IntN(4))
				}
				paras := 1 + rng.IntN(4)
				parts := make([]string, paras)
				for p := range parts {
					parts[p] = fmt.Sprintf("Paragraph %d of %s about a sabotage case in round %d.", p+1, id, round)
				}
				body := fmt.Sprintf(`{"id":%q,"body":%q}`, id, strings.Join(parts, "\n\n"))
				mu.Lock()
				inflight[id] = true
				mu.Unlock()
				res, err := client.Post(base+"/v1/articles", "application/json", strings.NewReader(body))
				if err != nil {
					return // killed
				}
				res.Body.Close()
				if res.StatusCode == http.StatusOK {
					mu.Lock()
					acked[id] = paras
					delete(inflight, id)
					acks++
					mu.Unlock()
				}
			}
		}()
		time.Sleep(time.Duration(50+rng.IntN(400)) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		close(stop)
		<-done
		kills++

		ix, err := index.Open(context.Background(), index.Options{Path: path})
		if err != nil {
			t.Fatalf("round %d: the index does not open after SIGKILL: %v", round, err)
		}
		for id, want := range acked {
			view, err := ix.Article(context.Background(), id)
			if inflight[id] {
				// A replacement was in flight: the old or the new version,
				// whole.
				if err != nil || len(view.Paragraphs) == 0 {
					t.Errorf("round %d: %s lost while being replaced: %v", round, id, err)
				}
				continue
			}
			if err != nil || len(view.Paragraphs) != want {
				t.Errorf("round %d: acknowledged %s has %d paragraphs (%v), want %d", round, id, len(view.Paragraphs), err, want)
			}
		}
		st, err := ix.Stats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		docs, err := ix.Bleve().DocCount()
		if err != nil || int(docs) != st.Paragraphs || st.Articles < len(acked) {
			t.Errorf("round %d: %d documents, stats %d articles / %d paragraphs, %d acknowledged articles", round, docs, st.Articles, st.Paragraphs, len(acked))
		}
		for id := range inflight {
			// Whatever version landed is what later rounds expect.
			if view, err := ix.Article(context.Background(), id); err == nil {
				acked[id] = len(view.Paragraphs)
			}
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d SIGKILLs, %d acknowledged ingests, %d articles checked after each kill, 0 lost", kills, acks, len(acked))
}
