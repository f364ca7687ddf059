# Briefsearch — the README's quick start uses `make run` and `make test`.
GO        ?= go
BIN       := bin/briefsearch
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)

.PHONY: all build run test test-short fuzz bench eval eval-pool soak loadtest vet fmt clean

all: build

build: ## build the CLI into bin/
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/briefsearch

run: build ## serve on 127.0.0.1:8080, loading testdata/corpus into an empty index first
	./$(BIN) serve --load-sample

test: vet ## vet, then all tests with the race detector
	$(GO) test -race -count=1 ./...

test-short: ## quick tests without the race detector
	$(GO) test -count=1 ./...

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

fuzz: ## run every fuzz target for FUZZTIME each (default 1000x: executions, see .ci/run)
	@for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $${FUZZTIME:-1000x} $$pkg || exit 1; \
	  done; \
	done

# Benchmarks run on the fixtures. BRIEFSEARCH_BENCH_CORPUS=FILE|DIR makes the
# ingest benchmarks read a real corpus (e.g. ../shared/corpus/bbc_news_2004_2005.jsonl);
# BRIEFSEARCH_BENCH_INDEX=DIR adds search benchmarks on an existing index.
bench: ## Go benchmarks: ingest paragraphs/s, search queries/s, HTTP latency
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./...

# Relevance on the judged development set (testdata/relevance) over the
# real corpora, Briefsearch against SQLite FTS5 in the same run. The built
# engines are cached in .cache/eval by content.
EVAL_CORPUS   ?= ../shared/corpus,../shared/seeds,testdata/corpus
EVAL_VARIANTS ?= default
EVAL_POOL     ?= pool.jsonl
eval: ## relevance table: Briefsearch vs FTS5 (EVAL_VARIANTS=all adds the ablations)
	$(GO) run ./cmd/briefeval run -corpus $(EVAL_CORPUS) -variants $(EVAL_VARIANTS)

eval-pool: ## write the unjudged top 10 of every ranking to EVAL_POOL for judging
	$(GO) run ./cmd/briefeval pool -corpus $(EVAL_CORPUS) -variants all -out $(EVAL_POOL)

soak: ## SIGKILL the real server at random points while it ingests, 25 times, checking every acknowledged article after each
	BRIEFSEARCH_SOAK_ROUNDS=$${SOAK_ROUNDS:-25} $(GO) test -count=1 -run '^TestSoakSIGKILL$$' -v ./cmd/briefsearch

loadtest: ## 32 clients for LOADTEST (default 60s) against the real server: mixed search with facets and ingest
	BRIEFSEARCH_LOADTEST=$${LOADTEST:-60s} $(GO) test -count=1 -run '^TestLoad$$' -v -timeout 10m ./cmd/briefsearch

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin data
