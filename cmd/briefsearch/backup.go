package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/briefsearch/briefsearch/config"
	"github.com/briefsearch/briefsearch/index"
)

// envAPIKey names the variable the CLI reads an API key from when it talks
// to a server.
const envAPIKey = config.EnvPrefix + "_API_KEY"

func newBackupCmd(ctx context.Context, open opener, environ []string, stdout io.Writer) *cobra.Command {
	var out, server string
	cmd := &cobra.Command{
		Use:   "backup --out DIR [--server URL]",
		Short: "Copy the index to DIR, consistently, while it is in use",
		Long: "Copy the index to DIR (which must not exist or be empty). With --server, ask\n" +
			"the running server at URL to do it (DIR is then on the server's machine; the\n" +
			"admin key comes from " + envAPIKey + "); without, copy the index that no server holds.\n" +
			"The copy opens as an index (--index DIR) or is put back with restore.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usageError{errors.New("backup needs --out DIR")}
			}
			if server != "" {
				return remoteBackup(ctx, server, out, lookupEnv(environ, envAPIKey), stdout)
			}
			_, _, ix, err := open(cmd, readOnly)
			if err != nil {
				return err
			}
			defer ix.Close()
			st, err := ix.Backup(ctx, out)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "backed up to %s: %d bytes in %s\n", st.Dir, st.Bytes, st.Took.Round(time.Millisecond))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "directory to write the copy to (must not exist or be empty)")
	cmd.Flags().StringVar(&server, "server", "", "URL of a running server to ask, e.g. http://127.0.0.1:8080")
	return cmd
}

// remoteBackup asks a server for a backup.
func remoteBackup(ctx context.Context, server, out, key string, stdout io.Writer) error {
	body, _ := json.Marshal(map[string]string{"out": out})
	req, err := http.NewRequestWithContext(ctx, "POST", strings.TrimSuffix(server, "/")+"/v1/admin/backup", strings.NewReader(string(body)))
	if err != nil {
		return usageError{fmt.Errorf("--server %q: %w", server, err)}
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("backup via %s: %w", server, err)
	}
	defer res.Body.Close()
	var answer struct {
		Dir    string  `json:"dir"`
		Bytes  int64   `json:"bytes"`
		TookMS float64 `json:"took_ms"`
		Detail string  `json:"detail"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&answer); err != nil {
		return fmt.Errorf("backup via %s: %s, unreadable answer: %w", server, res.Status, err)
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("backup via %s: %s: %s", server, res.Status, answer.Detail)
	}
	fmt.Fprintf(stdout, "backed up to %s (on the server): %d bytes in %.0f ms\n", answer.Dir, answer.Bytes, answer.TookMS)
	return nil
}

func newRestoreCmd(ctx context.Context, load func(*cobra.Command) (config.Config, error), stdout io.Writer) *cobra.Command {
	var from string
	cmd := &cobra.Command{
		Use:   "restore --from DIR",
		Short: "Put a backup back as the index (index.path must not exist)",
		Long: "Copy the backup in DIR to index.path, which must not exist yet (move the old\n" +
			"index away first), and check that the result opens.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" {
				return usageError{errors.New("restore needs --from DIR")}
			}
			cfg, err := load(cmd)
			if err != nil {
				return err
			}
			if _, err := os.Stat(cfg.Index.Path); err == nil {
				return fmt.Errorf("restore to %s: %w: move the current index away first", cfg.Index.Path, index.ErrExists)
			}
			// Check the backup opens before copying it.
			src, err := index.Open(ctx, index.Options{Path: from, ReadOnly: true})
			if err != nil {
				return fmt.Errorf("restore from %s: %w", from, err)
			}
			st, err := src.Stats(ctx)
			src.Close()
			if err != nil {
				return fmt.Errorf("restore from %s: %w", from, err)
			}
			if err := os.MkdirAll(filepath.Dir(cfg.Index.Path), 0o755); err != nil {
				return err
			}
			if err := os.CopyFS(cfg.Index.Path, os.DirFS(from)); err != nil {
				_ = os.RemoveAll(cfg.Index.Path)
				return fmt.Errorf("restore to %s: %w", cfg.Index.Path, err)
			}
			ix, err := index.Open(ctx, index.Options{Path: cfg.Index.Path, ReadOnly: true})
			if err != nil {
				return fmt.Errorf("restored index does not open: %w", err)
			}
			ix.Close()
			fmt.Fprintf(stdout, "restored %d articles, %d paragraphs from %s to %s\n", st.Articles, st.Paragraphs, from, cfg.Index.Path)
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "backup directory written by briefsearch backup")
	return cmd
}

// lookupEnv returns the value of name in environ ("KEY=value" pairs).
func lookupEnv(environ []string, name string) string {
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			return v
		}
	}
	return ""
}
