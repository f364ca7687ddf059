package main

import (
	"bufio"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/briefsearch/briefsearch/index"
)

// TestMain lets a test start this test binary as the briefsearch program.
func TestMain(m *testing.M) {
	if os.Getenv("BRIEFSEARCH_RUN_MAIN") == "1" {
		os.Args = append([]string{"briefsearch"}, os.Args[1:]...)
		main()
		return
	}
	os.Exit(m.Run())
}

// startServer runs `briefsearch serve` on a free port in a child process
// over the index at path, with env added to its environment, and returns
// the process and the base URL.
func startServer(t *testing.T, path string, env ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0")
	cmd.Env = append(append(os.Environ(), "BRIEFSEARCH_RUN_MAIN=1", "BRIEFSEARCH_INDEX_PATH="+path, "BRIEFSEARCH_LOG_LEVEL=error"), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("server said %q: %v", line, err)
	}
	return cmd, serveBase(t, line)
}

// serveBase returns the API's base URL from the line serve prints first.
func serveBase(t *testing.T, line string) string {
	t.Helper()
	base := strings.TrimSuffix(regexp.MustCompile(`http://\S+?/v1`).FindString(line), "/v1")
	if base == "" {
		t.Fatalf("no address in %q", line)
	}
	return base
}

// waitExit waits up to 15 s for a server to stop and returns how it ended.
func waitExit(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(15 * time.Second):
		t.Fatal("server did not stop")
		return nil
	}
}

// TestServeSurvivesSIGKILL: what POST /v1/articles acknowledged with 200 is
// in the index after the server process is killed with SIGKILL.
func TestServeSurvivesSIGKILL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "idx")
	cmd, base := startServer(t, path)
	body := `{"id":"k-1","body":"First paragraph about the GRU.\n\nSecond paragraph."}` + "\n" +
		`{"id":"k-2","body":"A paragraph about Hezbollah."}` + "\n"
	res, err := http.Post(base+"/v1/articles", "application/x-ndjson", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("ingest: status %d", res.StatusCode)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL, right after the 200
		t.Fatal(err)
	}
	_ = cmd.Wait()

	ix, err := index.Open(context.Background(), index.Options{Path: path})
	if err != nil {
		t.Fatalf("reopen after SIGKILL: %v", err)
	}
	defer ix.Close()
	for id, want := range map[string]int{"k-1": 2, "k-2": 1} {
		view, err := ix.Article(context.Background(), id)
		if err != nil || len(view.Paragraphs) != want {
			t.Errorf("article %s after SIGKILL: %d paragraphs, %v; want %d", id, len(view.Paragraphs), err, want)
		}
	}
}

// TestServeStopsOnSIGTERM: SIGTERM shuts the server down cleanly (exit 0)
// and releases the index.
func TestServeStopsOnSIGTERM(t *testing.T) {
	path := filepath.Join(t.TempDir(), "idx")
	cmd, base := startServer(t, path)
	if res, err := http.Get(base + "/readyz"); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("readyz: %v %v", res, err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	if err := waitExit(t, done); err != nil {
		t.Fatalf("server exited with %v after SIGTERM, want 0", err)
	}
	ix, err := index.Open(context.Background(), index.Options{Path: path, LockTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("index not released after SIGTERM: %v", err)
	}
	ix.Close()
}
