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
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			if err := fn(p, nil, []error{err}); err != nil {
				return err
			}
			continue
		}
		if !info.IsDir() {
			articles, errs := ReadFile(p)
			if err := fn(p, articles, errs); err != nil {
				return err
			}
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return fn(path, nil, []error{err})
			case d.IsDir():
				if path != p && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			case !Ingestable(path):
				return nil
			}
			articles, errs := ReadFile(path)
			return fn(path, articles, errs)
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
