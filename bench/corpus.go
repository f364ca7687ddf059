package bench

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Tiers name the corpus files of ../shared/corpus each tier loads, in order.
var Tiers = map[string][]string{
	"default": {"bbc_news_2004_2005.jsonl", "wikinews_2019_2020.jsonl"},
	"full": {"bbc_news_2004_2005.jsonl", "wikinews_2019_2020.jsonl",
		"reuters21578_1987.jsonl", "un_general_debate_2001_2024.jsonl.gz"},
}

// TierSpec says which articles a benchmark loads.
type TierSpec struct {
	// Name is a key of Tiers.
	Name string
	// Replicate loads the tier this many times (at least 1); copy k > 1 of
	// an article gets the id "<id>-r<k>". The text stays real.
	Replicate int
	// MaxParagraphs, if positive, stops after the article that brings the
	// count of blank-line paragraphs to at least this many.
	MaxParagraphs int
}

// Label names the spec in file names and tables: "default", "full×5",
// "full≤50000".
func (s TierSpec) Label() string {
	l := s.Name
	if s.Replicate > 1 {
		l += "x" + strconv.Itoa(s.Replicate)
	}
	if s.MaxParagraphs > 0 {
		l += "-max" + strconv.Itoa(s.MaxParagraphs)
	}
	return l
}

// Describe says in words what the spec loads, naming replication.
func (s TierSpec) Describe() string {
	d := fmt.Sprintf("tier %q (%s)", s.Name, strings.Join(Tiers[s.Name], " + "))
	if s.Replicate > 1 {
		d += fmt.Sprintf(", replicated %d times (copies have ids suffixed -r2…-r%d; the text is the same real text)", s.Replicate, s.Replicate)
	}
	if s.MaxParagraphs > 0 {
		d += fmt.Sprintf(", cut after %d paragraphs", s.MaxParagraphs)
	}
	return d
}

// Input is a materialised tier: uncompressed JSON Lines files that both
// engines ingest.
type Input struct {
	Spec  TierSpec
	Files []string
	// Bytes is the total size of Files.
	Bytes int64
	// Articles and Paragraphs count the records and their blank-line
	// paragraphs (before splitting long paragraphs).
	Articles, Paragraphs int
}

// Materialize writes the articles of spec, read from corpusDir, into
// files under dir (one per corpus file and copy), reusing them if an
// earlier call left them complete. It fails with a message naming the
// missing files if the corpus is incomplete.
func Materialize(corpusDir string, spec TierSpec, dir string) (Input, error) {
	names, ok := Tiers[spec.Name]
	if !ok {
		return Input{}, fmt.Errorf("unknown tier %q (want default or full)", spec.Name)
	}
	if spec.Replicate < 1 {
		spec.Replicate = 1
	}
	var missing []string
	for _, n := range names {
		if _, err := os.Stat(filepath.Join(corpusDir, n)); err != nil {
			missing = append(missing, filepath.Join(corpusDir, n))
		}
	}
	if len(missing) > 0 {
		return Input{}, fmt.Errorf("corpus files missing (see ../shared/corpus/README.md; -corpus DIR names another place): %s",
			strings.Join(missing, ", "))
	}
	out := filepath.Join(dir, "input-"+spec.Label())
	in := Input{Spec: spec}
	marker := filepath.Join(out, "complete.json")
	if b, err := os.ReadFile(marker); err == nil && json.Unmarshal(b, &in) == nil && len(in.Files) > 0 {
		return in, nil
	}
	if err := os.RemoveAll(out); err != nil {
		return Input{}, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return Input{}, err
	}
	in = Input{Spec: spec}
	done := false
	for k := 1; k <= spec.Replicate && !done; k++ {
		for i, n := range names {
			base := strings.TrimSuffix(strings.TrimSuffix(n, ".gz"), ".jsonl")
			name := fmt.Sprintf("%02d-%s.jsonl", i+1, base)
			if k > 1 {
				name = fmt.Sprintf("%02d-%s-r%d.jsonl", i+1, base, k)
			}
			path := filepath.Join(out, name)
			var err error
			done, err = copyCorpus(filepath.Join(corpusDir, n), path, k, spec.MaxParagraphs, &in)
			if err != nil {
				return Input{}, err
			}
			in.Files = append(in.Files, path)
			if done {
				break
			}
		}
	}
	b, err := json.Marshal(in)
	if err != nil {
		return Input{}, err
	}
	return in, os.WriteFile(marker, b, 0o644)
}

// copyCorpus copies one corpus file to dst, suffixing ids for copy k > 1,
// and adds to in's counts. It reports true when maxParas is reached.
func copyCorpus(src, dst string, k, maxParas int, in *Input) (bool, error) {
	f, err := os.Open(src)
	if err != nil {
		return false, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(src, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return false, fmt.Errorf("%s: %w", src, err)
		}
		defer gz.Close()
		r = gz
	}
	o, err := os.Create(dst)
	if err != nil {
		return false, err
	}
	w := bufio.NewWriterSize(o, 1<<20)
	br := bufio.NewReaderSize(r, 1<<20)
	done := false
	for line := 1; !done; line++ {
		b, rerr := br.ReadBytes('\n')
		if len(strings.TrimSpace(string(b))) > 0 {
			var rec map[string]json.RawMessage
			if err := json.Unmarshal(b, &rec); err != nil {
				o.Close()
				return false, fmt.Errorf("%s line %d: %w", src, line, err)
			}
			var body string
			_ = json.Unmarshal(rec["body"], &body)
			if k > 1 {
				var id string
				if err := json.Unmarshal(rec["id"], &id); err != nil {
					o.Close()
					return false, fmt.Errorf("%s line %d: id: %w", src, line, err)
				}
				rec["id"], _ = json.Marshal(id + "-r" + strconv.Itoa(k))
				if b, err = json.Marshal(rec); err != nil {
					o.Close()
					return false, err
				}
				b = append(b, '\n')
			} else if b[len(b)-1] != '\n' {
				b = append(b, '\n')
			}
			if _, err := w.Write(b); err != nil {
				o.Close()
				return false, err
			}
			in.Bytes += int64(len(b))
			in.Articles++
			in.Paragraphs += strings.Count(body, "\n\n") + 1
			done = maxParas > 0 && in.Paragraphs >= maxParas
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			o.Close()
			return false, fmt.Errorf("read %s: %w", src, rerr)
		}
	}
	if err := w.Flush(); err != nil {
		o.Close()
		return false, err
	}
	return done, o.Close()
}

// fileHash returns a short content hash of the files, for the output.
func fileHash(paths ...string) (string, error) {
	h := sha256.New()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return "", err
		}
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}
