// Package bench measures Briefsearch against a SQLite FTS5 service doing the
// same job, on the real corpora of ../shared/corpus (issue 8).
//
// Everything that is measured runs in a process of its own, started by the
// orchestrator (Run):
//
//   - ingest: `briefsearch ingest` and `briefbench fts5-ingest` (IngestFTS)
//     read the same files, split them into the same paragraphs, tag them with
//     the same enrich.Tagger and write them durably; the orchestrator reads
//     wall time, CPU time and peak RSS from the child's rusage and the size of
//     what it wrote;
//   - search: `briefsearch serve` and `briefbench fts5-serve` (FTSServer)
//     answer the same HTTP parameters, and `briefbench load` (Load) replays a
//     versioned query mix (GenerateMix) against each, closed loop at several
//     concurrencies and open loop at a fixed rate with latencies measured from
//     each request's scheduled time, so a slow answer cannot hide the ones
//     queued behind it (no coordinated omission). Server CPU comes from
//     /proc/PID/stat before and after each run.
//
// Runs alternate ABBA (Briefsearch, FTS5, FTS5, Briefsearch) so drift on a
// shared machine cancels; the two runs of the same system give the noise
// check. Tables are markdown (Summary.Markdown), written to stdout and into
// named sections of bench/RESULTS.md (UpdateSection).
package bench
