package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// ErrExists is wrapped by Backup when the destination already holds files.
var ErrExists = errors.New("destination exists")

// BackupStats describes a finished backup.
type BackupStats struct {
	Dir   string        `json:"dir"`
	Bytes int64         `json:"bytes"`
	Took  time.Duration `json:"-"`
}

// Backup writes a consistent copy of the index to dir while searches and
// ingests go on: the copy is one point in time (a scorch snapshot), with
// every acknowledged article whole, and opens as an index of its own
// (Open with Path: dir). dir must not exist or be an empty directory;
// otherwise the error wraps ErrExists. An index kept in memory cannot be
// backed up (ErrInvalid).
func (ix *Index) Backup(ctx context.Context, dir string) (BackupStats, error) {
	start := time.Now()
	if err := ctx.Err(); err != nil {
		return BackupStats{}, err
	}
	if ix.opts.Path == "" {
		return BackupStats{}, fmt.Errorf("%w: an index kept in memory has nothing on disk to back up", ErrInvalid)
	}
	if dir == "" {
		return BackupStats{}, fmt.Errorf("%w: backup needs a destination directory", ErrInvalid)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return BackupStats{}, fmt.Errorf("backup to %s: %w", dir, err)
	}
	if src, err := filepath.Abs(ix.opts.Path); err == nil && isWithin(abs, src) {
		return BackupStats{}, fmt.Errorf("%w: backup destination %s is inside the index", ErrInvalid, dir)
	}
	entries, err := os.ReadDir(abs)
	switch {
	case err == nil && len(entries) > 0:
		return BackupStats{}, fmt.Errorf("backup to %s: %w and is not empty", dir, ErrExists)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return BackupStats{}, fmt.Errorf("backup to %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return BackupStats{}, fmt.Errorf("backup to %s: %w", dir, err)
	}
	copyable, ok := ix.b().(bleve.IndexCopyable)
	if !ok {
		return BackupStats{}, fmt.Errorf("backup: this bleve index cannot be copied online")
	}
	if err := copyable.CopyTo(bleve.FileSystemDirectory(abs)); err != nil {
		_ = os.RemoveAll(abs) // a partial copy is no backup
		return BackupStats{}, fmt.Errorf("backup to %s: %w", dir, closedErr(err))
	}
	st := BackupStats{Dir: abs, Took: time.Since(start)}
	_ = filepath.WalkDir(abs, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				st.Bytes += info.Size()
			}
		}
		return nil
	})
	return st, nil
}

// isWithin reports whether path is inside dir.
func isWithin(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
