package index

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Ingestable reports whether a file met while walking a directory is an
// article file: a .json, .ndjson, .jsonl, .txt, .md or .markdown file,
// possibly gzipped (.gz), that is neither hidden nor a README.
func Ingestable(path string) bool {
	base := filepath.Base(path)
	if strings.HasPrefix(base, ".") || strings.HasPrefix(strings.ToUpper(base), "README") {
		return false
	}
	if strings.EqualFold(filepath.Ext(base), ".gz") {
		base = strings.TrimSuffix(base, filepath.Ext(base))
	}
	switch strings.ToLower(filepath.Ext(base)) {
	case ".json", ".ndjson", ".jsonl", ".txt", ".md", ".markdown":
		return true
	}
	return false
}

// Walk reads the article files named by paths, in order: a file is read
// whatever its name, a directory is walked recursively in lexical order for
// Ingestable files, skipping hidden directories. fn is called once per file
// with what ReadFile returned; an error from fn stops the walk and is
// returned. Paths that cannot be read are reported to fn as a file with no
// articles and the error.
func Walk(paths []string, fn func(path string, articles []Article, errs []error) error) error {
	return walkFiles(paths, func(path string) error {
		articles, errs := ReadFile(path)
		return fn(path, articles, errs)
	}, fn)
}

// WalkEach reads the files Walk reads, streaming: each valid article is
// handed to each as soon as it is read (ReadFileEach), and done is called
// once per file, after its articles, with its errors (a path that cannot
// be read gets done with the error). An error from each or done stops the
// walk and is returned. Memory stays bounded however large the files.
func WalkEach(paths []string, each func(path string, a Article) error, done func(path string, errs []error) error) error {
	return walkFiles(paths, func(path string) error {
		errs, err := ReadFileEach(path, func(a Article) error { return each(path, a) })
		if err != nil {
			return err
		}
		return done(path, errs)
	}, func(path string, _ []Article, errs []error) error { return done(path, errs) })
}

// walkFiles calls file for each file Walk reads, and unreadable for each
// path that cannot be read.
func walkFiles(paths []string, file func(path string) error, unreadable func(path string, articles []Article, errs []error) error) error {
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			if err := unreadable(p, nil, []error{err}); err != nil {
				return err
			}
			continue
		}
		if !info.IsDir() {
			if err := file(p); err != nil {
				return err
			}
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return unreadable(path, nil, []error{err})
			case d.IsDir():
				if path != p && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			case !Ingestable(path):
				return nil
			}
			return file(path)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// ReadAll reads every article under paths (see Walk), returning the valid
// articles and all errors.
func ReadAll(paths ...string) ([]Article, []error) {
	var all []Article
	var errs []error
	_ = Walk(paths, func(_ string, articles []Article, e []error) error {
		all = append(all, articles...)
		errs = append(errs, e...)
		return nil
	})
	return all, errs
}
