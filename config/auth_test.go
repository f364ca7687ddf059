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
	if err := os.WriteFile(file, []byte("# team keys\nadmin admin-from-file-000001\n\nsearch search-from-file-0001\nsearch scoped-from-file-0001 country=Iran&after=2024-01-01\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte("reader short\nnonsense\nsearch scoped-key-0123456789 colour=red\nadmin admin-key-0123456789 country=Iran\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		auth    Auth
		want    []APIKey
		wantErr []string
	}{
		{name: "none", auth: Auth{}},
		{name: "settings", auth: Auth{AdminKeys: " admin-key-0123456789 , admin-key-9876543210", SearchKeys: "search-key-0123456789"},
			want: []APIKey{{Value: "admin-key-0123456789", Admin: true}, {Value: "admin-key-9876543210", Admin: true}, {Value: "search-key-0123456789"}}},
		{name: "file", auth: Auth{KeysFile: file}, want: []APIKey{{Value: "admin-from-file-000001", Admin: true},
			{Value: "search-from-file-0001"}, {Value: "scoped-from-file-0001", Scope: "country=Iran&after=2024-01-01"}}},
		{name: "too short", auth: Auth{AdminKeys: "short"}, wantErr: []string{"auth.admin_keys: a key must have at least 16 characters"}},
		{name: "spaces", auth: Auth{SearchKeys: "search key with spaces"}, wantErr: []string{"auth.search_keys: a key may hold printable ASCII only"}},
		{name: "both roles", auth: Auth{AdminKeys: "same-key-0123456789", SearchKeys: "same-key-0123456789"}, wantErr: []string{"a key is listed twice"}},
		{name: "bad file", auth: Auth{KeysFile: bad}, wantErr: []string{`bad:1): unknown role "reader"`, `bad:2): want "admin KEY" or "search KEY [SCOPE]"`,
			`bad:3): scope "colour=red": unknown filter "colour"`, `bad:4): an admin key cannot have a scope`}},
		{name: "missing file", auth: Auth{KeysFile: filepath.Join(dir, "nope")}, wantErr: []string{"auth.keys_file: open"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.auth.Keys()
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
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("Keys = %+v, %v; want %+v", got, err, tt.want)
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
	keys, err := c.Auth.Keys()
	if err != nil || len(keys) != 3 || !keys[0].Admin || keys[2].Admin || !c.Server.InsecurePublic {
		t.Errorf("from the environment: %+v, insecure_public %v, %v", keys, c.Server.InsecurePublic, err)
	}
	if _, err := Load(Options{Environ: []string{"BRIEFSEARCH_SERVER_INSECURE_PUBLIC=perhaps"}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("insecure_public=perhaps: %v, want ErrInvalid", err)
	}
}
