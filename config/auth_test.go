package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestAuthKeys(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "keys")
	if err := os.WriteFile(file, []byte("# team keys\nadmin admin-from-file-000001\n\nsearch search-from-file-0001\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte("reader short\nnonsense\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name          string
		auth          Auth
		admin, search []string
		wantErr       []string
	}{
		{name: "none", auth: Auth{}},
		{name: "settings", auth: Auth{AdminKeys: " admin-key-0123456789 , admin-key-9876543210", SearchKeys: "search-key-0123456789"},
			admin: []string{"admin-key-0123456789", "admin-key-9876543210"}, search: []string{"search-key-0123456789"}},
		{name: "file", auth: Auth{KeysFile: file}, admin: []string{"admin-from-file-000001"}, search: []string{"search-from-file-0001"}},
		{name: "too short", auth: Auth{AdminKeys: "short"}, wantErr: []string{"auth.admin_keys: a key must have at least 16 characters"}},
		{name: "spaces", auth: Auth{SearchKeys: "search key with spaces"}, wantErr: []string{"auth.search_keys: a key may hold printable ASCII only"}},
		{name: "both roles", auth: Auth{AdminKeys: "same-key-0123456789", SearchKeys: "same-key-0123456789"}, wantErr: []string{"listed both as an admin key and as a search key"}},
		{name: "bad file", auth: Auth{KeysFile: bad}, wantErr: []string{`bad:1): unknown role "reader"`, `bad:2): want "admin KEY" or "search KEY"`}},
		{name: "missing file", auth: Auth{KeysFile: filepath.Join(dir, "nope")}, wantErr: []string{"auth.keys_file: open"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			admin, search, err := tt.auth.Keys()
			if len(tt.wantErr) > 0 {
				if !errors.Is(err, ErrInvalid) {
					t.Fatalf("Keys: %v, want ErrInvalid", err)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
				return
			}
			if err != nil || !slices.Equal(admin, tt.admin) || !slices.Equal(search, tt.search) {
				t.Errorf("Keys = %q, %q, %v; want %q, %q", admin, search, err, tt.admin, tt.search)
			}
		})
	}
	c := Default()
	c.Auth.AdminKeys = "short"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "auth.admin_keys") {
		t.Errorf("Validate with a short key: %v", err)
	}
}

func TestServerPublic(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": false, "localhost:8080": false, "[::1]:80": false, "127.0.0.5:1": false,
		":8080": true, "0.0.0.0:8080": true, "10.0.0.2:8080": true, "example.org:80": true, "[::]:80": true,
	} {
		if got := (Server{Addr: addr}).Public(); got != want {
			t.Errorf("Public(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestLoadAuthFromEnvironment(t *testing.T) {
	c, err := Load(Options{Environ: []string{
		"BRIEFSEARCH_AUTH_ADMIN_KEYS=admin-key-0123456789,admin-key-9876543210",
		"BRIEFSEARCH_AUTH_SEARCH_KEYS=search-key-0123456789",
		"BRIEFSEARCH_SERVER_INSECURE_PUBLIC=true",
	}})
	if err != nil {
		t.Fatal(err)
	}
	admin, search, err := c.Auth.Keys()
	if err != nil || len(admin) != 2 || len(search) != 1 || !c.Server.InsecurePublic {
		t.Errorf("from the environment: admin %d, search %d, insecure_public %v, %v", len(admin), len(search), c.Server.InsecurePublic, err)
	}
	if _, err := Load(Options{Environ: []string{"BRIEFSEARCH_SERVER_INSECURE_PUBLIC=perhaps"}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("insecure_public=perhaps: %v, want ErrInvalid", err)
	}
}
