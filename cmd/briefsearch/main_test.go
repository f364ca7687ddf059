package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/search"
)

// cli runs the program with a clean environment plus env.
func cli(t *testing.T, env []string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, append([]string{}, env...), strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestIngestAndSearch(t *testing.T) {
	dir := t.TempDir()
	env := []string{"BRIEFSEARCH_INDEX_PATH=" + filepath.Join(dir, "idx")}

	out, errOut, err := cli(t, env, "ingest", filepath.Join("..", "..", "testdata", "corpus"))
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	m := regexp.MustCompile(`ingested (\d+) articles \((\d+) paragraphs`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("ingest summary %q", out)
	}
	if n, _ := strconv.Atoi(m[1]); n < 30 {
		t.Fatalf("ingested %d articles, want the whole fixture corpus (>= 30): %q", n, out)
	}

	out, errOut, err = cli(t, env, "search", "Iran plots", "--facets", "country", "--json", "--limit", "3")
	if err != nil {
		t.Fatalf("search: %v\n%s", err, errOut)
	}
	var res search.Response
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("search --json output: %v\n%s", err, out)
	}
	if res.Total == 0 || len(res.Hits) != 3 || len(res.Facets["country"]) == 0 {
		t.Fatalf("search response: total %d, %d hits, facets %v", res.Total, len(res.Hits), res.Facets)
	}

	out, _, err = cli(t, env, "search", "Iran plots", "--country", "Iran", "--facets", "country")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "hits for \"Iran plots\"") || !strings.Contains(out, "[Iran]") || !strings.Contains(out, "country: ") {
		t.Errorf("text output lacks hits, marks or facets:\n%s", out)
	}

	// Grouped by article, with a date histogram.
	out, _, err = cli(t, env, "search", "Iran plots", "--group", "article", "--group-size", "1", "--facets", "published", "--interval", "year", "--fragments", "0")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "in ") || !strings.Contains(out, "matching paragraphs") || !regexp.MustCompile(`published: 20\d\d \(\d+\)`).MatchString(out) {
		t.Errorf("grouped output lacks articles or the histogram:\n%s", out)
	}
	if _, _, err = cli(t, env, "search", "Iran", "--fragments", "-1"); !errors.As(err, new(usageError)) {
		t.Errorf("--fragments -1: %v, want a usage error", err)
	}

	// A bad query is a usage error with a clear message.
	_, _, err = cli(t, env, "search", `"unbalanced`)
	var ue usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "query") {
		t.Errorf("bad query: %v, want a usage error about the query", err)
	}
}

func TestIngestBadInputKeepsIndexedData(t *testing.T) {
	dir := t.TempDir()
	env := []string{"BRIEFSEARCH_INDEX_PATH=" + filepath.Join(dir, "idx")}
	good := writeFile(t, filepath.Join(dir, "good.ndjson"),
		`{"id":"g-1","title":"Kept","body":"A GRU officer was named in the sabotage case."}`+"\n")
	if _, errOut, err := cli(t, env, "ingest", good); err != nil {
		t.Fatalf("ingest good: %v %s", err, errOut)
	}
	bad := writeFile(t, filepath.Join(dir, "bad.ndjson"),
		`{"id":"b-1","body":"Fine record about the FSB."}`+"\n"+`{"id":"b-2","published":"someday","body":"x"}`+"\n"+`not json`+"\n")
	out, errOut, err := cli(t, env, "ingest", bad)
	if !errors.Is(err, errReported) {
		t.Fatalf("ingest bad: err %v, want errReported", err)
	}
	if !strings.Contains(errOut, "bad.ndjson: line 2") || !strings.Contains(errOut, "bad.ndjson: line 3") {
		t.Errorf("stderr does not name file and lines:\n%s", errOut)
	}
	if !strings.Contains(out, "ingested 1 articles") {
		t.Errorf("summary %q: want 1 article ingested", out)
	}
	out, _, err = cli(t, env, "search", "sabotage OR FSB", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var res search.Response
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Total != 2 {
		t.Errorf("after a bad ingest: total %d (%v), want 2", res.Total, err)
	}

	truncated := writeFile(t, filepath.Join(dir, "truncated.ndjson"),
		`{"id": "t-0", "title": "Broken", "body": `+"\n"+`{"id":"t-1","body":"The line after a truncated one is kept."}`+"\n")
	if _, errOut, err := cli(t, env, "ingest", truncated); !errors.Is(err, errReported) || !strings.Contains(errOut, "truncated.ndjson: line 1") {
		t.Errorf("ingest truncated: %v, stderr %q; want line 1 reported", err, errOut)
	}
	if out, _, err := cli(t, env, "search", "truncated", "--json"); err != nil || !strings.Contains(out, `"t-1#1"`) {
		t.Errorf("the article after the truncated line is not indexed: %v %s", err, out)
	}

	var out2, errOut2 bytes.Buffer
	stdin := strings.NewReader(`{"id":"s-1","body":"Read from standard input about the SVR."}` + "\n")
	if err := run(context.Background(), []string{"ingest", "-"}, env, stdin, &out2, &errOut2); err != nil || !strings.Contains(out2.String(), "ingested 1 articles") {
		t.Errorf("ingest -: %v %q %q", err, out2.String(), errOut2.String())
	}

	if _, _, err := cli(t, env, "ingest", filepath.Join(dir, "missing.json")); err == nil {
		t.Error("ingest of a missing file succeeded")
	}
}

func TestConfigErrorsAndVersion(t *testing.T) {
	if _, _, err := cli(t, []string{"BRIEFSEARCH_SEARCH_MAX_LIMIT=0"}, "version"); err != nil {
		t.Errorf("version must not need a valid config: %v", err)
	}
	out, _, err := cli(t, nil, "version")
	if err != nil || !strings.HasPrefix(out, "briefsearch ") {
		t.Errorf("version: %q %v", out, err)
	}
	_, _, err = cli(t, []string{"BRIEFSEARCH_SEARCH_MAX_LIMIT=0", "BRIEFSEARCH_INDEX_PATH=" + t.TempDir()}, "search", "x")
	if err == nil || !strings.Contains(err.Error(), "max_limit") {
		t.Errorf("invalid config: %v, want an error naming max_limit", err)
	}
	var ue usageError
	for _, args := range [][]string{{"search", "--no-such-flag"}, {"ingest"}, {"bogus"}, {"version", "extra"}} {
		if _, _, err := cli(t, nil, args...); !errors.As(err, &ue) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}

func TestServeLoadsSampleAndShutsDown(t *testing.T) {
	dir := t.TempDir()
	env := []string{
		"BRIEFSEARCH_INDEX_PATH=" + filepath.Join(dir, "idx"),
		"BRIEFSEARCH_INDEX_SAMPLE=" + filepath.Join("..", "..", "testdata", "corpus"),
		"BRIEFSEARCH_LOG_LEVEL=warn",
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--load-sample"}, env, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed %q: %v (%v)", line, err, <-done)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	base := serveBase(t, line)

	res, err := http.Get(base + "/v1/search?q=Iran+plots&facets=country")
	if err != nil {
		t.Fatal(err)
	}
	var sr search.Response
	err = json.NewDecoder(res.Body).Decode(&sr)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 || sr.Total == 0 {
		t.Fatalf("search via serve: status %d, total %d, %v", res.StatusCode, sr.Total, err)
	}
	cancel()
	if err := waitExit(t, done); err != nil {
		t.Fatalf("serve returned %v after shutdown", err)
	}
	// The index was closed cleanly: it opens again at once.
	out, errOut, err := cli(t, env, "search", "plots", "--json")
	if err != nil || !strings.Contains(out, `"total"`) {
		t.Fatalf("search after shutdown: %v %s", err, errOut)
	}
}

func TestGazetteerExtension(t *testing.T) {
	dir := t.TempDir()
	extra := writeFile(t, filepath.Join(dir, "extra.yaml"), "countries:\n  Persia: Iran\nactors:\n  - name: Harbour Watch\n    kind: organisation\n    aliases: [HW]\n")
	env := []string{"BRIEFSEARCH_INDEX_PATH=" + filepath.Join(dir, "idx")}
	in := writeFile(t, filepath.Join(dir, "a.ndjson"), `{"id":"x-1","body":"Analysts at HW said agents from Persia had watched the port."}`+"\n")
	if _, errOut, err := cli(t, env, "--gazetteer", extra, "ingest", in); err != nil {
		t.Fatalf("ingest: %v %s", err, errOut)
	}
	out, _, err := cli(t, env, "search", "port", "--country", "Iran", "--actor", "Harbour Watch", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var res search.Response
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Total != 1 {
		t.Fatalf("extended facets not applied: total %d (%v)\n%s", res.Total, err, out)
	}
	bad := writeFile(t, filepath.Join(dir, "bad.yaml"), "topics:\n  piracy:\n    terms:\n      boarding: 2\n")
	if _, _, err := cli(t, env, "--gazetteer", bad, "ingest", in); err == nil || !strings.Contains(err.Error(), "bad.yaml") {
		t.Errorf("bad gazetteer file: %v, want an error naming the file", err)
	}
}

// A server on a public address without API keys refuses to start (exit
// code 2) unless server.insecure_public says so.
func TestServeRefusesPublicAddressWithoutKeys(t *testing.T) {
	env := []string{"BRIEFSEARCH_INDEX_PATH=" + filepath.Join(t.TempDir(), "idx"), "BRIEFSEARCH_SERVER_ADDR=0.0.0.0:0"}
	_, _, err := cli(t, env, "serve")
	var u usageError
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "without API keys") || !strings.Contains(err.Error(), "insecure_public") {
		t.Fatalf("serve on 0.0.0.0 without keys: %v, want a usage error naming the remedies", err)
	}
	// With a key it gets past the check: the context is already cancelled,
	// so it starts and stops at once.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	err = run(ctx, []string{"serve"}, append(env, "BRIEFSEARCH_AUTH_ADMIN_KEYS=admin-key-0123456789"), strings.NewReader(""), &out, &errOut)
	if errors.As(err, &u) {
		t.Errorf("serve with a key: %v", err)
	}
	err = run(ctx, []string{"serve"}, append(env, "BRIEFSEARCH_SERVER_INSECURE_PUBLIC=true"), strings.NewReader(""), &out, &errOut)
	if errors.As(err, &u) {
		t.Errorf("serve with insecure_public: %v", err)
	}
}

// backup copies an index no server holds; restore puts it back where the
// configuration points, and it searches the same.
func TestBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	env := []string{"BRIEFSEARCH_INDEX_PATH=" + filepath.Join(dir, "idx")}
	if _, errOut, err := cli(t, env, "ingest", filepath.Join("..", "..", "testdata", "corpus")); err != nil {
		t.Fatalf("ingest: %v %s", err, errOut)
	}
	before, _, err := cli(t, env, "search", "Iran plots", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := cli(t, env, "backup"); err == nil {
		t.Error("backup without --out succeeded")
	}
	out, errOut, err := cli(t, env, "backup", "--out", filepath.Join(dir, "copy"))
	if err != nil || !strings.Contains(out, "backed up to") {
		t.Fatalf("backup: %v %q %q", err, out, errOut)
	}
	if _, _, err := cli(t, env, "restore", "--from", filepath.Join(dir, "copy")); err == nil || !strings.Contains(err.Error(), "move the current index away") {
		t.Errorf("restore over an existing index: %v", err)
	}
	restored := []string{"BRIEFSEARCH_INDEX_PATH=" + filepath.Join(dir, "restored")}
	if out, _, err := cli(t, restored, "restore", "--from", filepath.Join(dir, "copy")); err != nil || !strings.Contains(out, "restored 37 articles") {
		t.Fatalf("restore: %v %q", err, out)
	}
	after, _, err := cli(t, restored, "search", "Iran plots", "--json")
	if err != nil {
		t.Fatal(err)
	}
	// took_ms differs between runs; everything else must not.
	strip := func(s string) string {
		var lines []string
		for _, l := range strings.Split(s, "\n") {
			if !strings.Contains(l, `"took_ms"`) {
				lines = append(lines, l)
			}
		}
		return strings.Join(lines, "\n")
	}
	if strip(before) != strip(after) {
		t.Errorf("the restored index answers differently:\n%s\nvs\n%s", before, after)
	}
}

// Files read in many groups, each read while the one before is ingested,
// index what one group does, and a record Ingest rejects in a later group
// is reported with its own file.
func TestIngestInGroups(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	corpus := filepath.Join("..", "..", "testdata", "corpus")
	late := writeFile(t, filepath.Join(dir, "zz-late.ndjson"),
		`{"id":"late-1","title":"Late","body":"Two men were charged under the National Security Act."}`+"\n"+
			`{"id":"late-2","title":"Empty","body":"... --- ..."}`+"\n")
	ingest := func(group int) ingestSummary {
		t.Helper()
		defer func(b int) { ingestGroupBytes = b }(ingestGroupBytes)
		ingestGroupBytes = group
		ix, err := index.Open(ctx, index.Options{Path: filepath.Join(t.TempDir(), "idx")})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		groups := 0
		sum, err := ingestPaths(ctx, ix, []string{corpus, late}, nil, func(ingestSummary) { groups++ })
		if err != nil {
			t.Fatal(err)
		}
		if group < 10000 && groups < 10 {
			t.Fatalf("groups of %d bytes: %d Ingest calls", group, groups)
		}
		return sum
	}
	one, many := ingest(16<<20), ingest(4000)
	if one.stats != many.stats || one.files != many.files || one.stats.Articles < 30 {
		t.Fatalf("in groups: %+v from %d files; in one: %+v from %d files", many.stats, many.files, one.stats, one.files)
	}
	if len(many.errs) != 1 || !strings.Contains(many.errs[0].Error(), "zz-late.ndjson") || !strings.Contains(many.errs[0].Error(), "late-2") {
		t.Fatalf("errors %v, want late-2's from zz-late.ndjson", many.errs)
	}
}
