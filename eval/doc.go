// Package eval measures Briefsearch's ranking against judged queries and
// against SQLite FTS5 BM25 baselines over the same paragraphs.
//
// A judged set is two files: a YAML list of queries, each with the written
// information need it was judged against (see Query), and a TSV of graded
// judgments, one line per (query id, paragraph id, grade 0/1/2). A System
// returns the ranked paragraph ids of a query; Evaluate runs every query on
// every system and scores the top ten with nDCG@10, P@5, MRR and the share
// of unjudged results. Pool lists what a run returned that nobody has
// judged yet, for judging.
//
//	set, err := eval.LoadSet("testdata/relevance")
//	report, err := eval.Evaluate(ctx, set, []eval.System{bs, ftsAny, ftsAll})
//	report.WriteTable(os.Stdout)
//
// cmd/briefeval (make eval) builds the systems over the real corpora and
// caches the indexes by content hash.
//
// # Entity tagging
//
// The entity dev set (testdata/entities) measures the tagger of
// index/enrich instead of the ranking: paragraphs annotated by hand with
// their countries, actors (with a kind) and topics. SampleEntities draws
// the paragraphs, TagEntities tags them as the indexer does (whole
// articles, title first), and ScoreEntities compares the tags with the
// annotations, resolving gold names through the tagger's gazetteer
// (EntityMatcher):
//
//	recs, err := eval.LoadEntities("testdata/entities/dev.jsonl")
//	articles, _ := eval.EntityArticles(recs, "../shared/corpus")
//	tagged, _, err := eval.TagEntities(tagger, recs, articles)
//	eval.ScoreEntities(eval.NewEntityMatcher(tagger), recs, tagged).Write(os.Stdout, 20)
package eval
