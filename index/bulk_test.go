package index

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// Only a writer opened for a bulk load gets the bulk merge plan.
func TestScorchConfig(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		plan bool
	}{
		{"serving", Options{}, false},
		{"bulk load", Options{BulkLoad: true}, true},
		{"read-only", Options{ReadOnly: true}, false},
		{"read-only bulk load", Options{ReadOnly: true, BulkLoad: true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, ok := scorchConfig(tt.opts)["scorchMergePlanOptions"]
			if ok != tt.plan {
				t.Fatalf("merge plan set %v, want %v", ok, tt.plan)
			}
			if ok && !reflect.DeepEqual(plan, bulkMergePlan) {
				t.Errorf("merge plan %v, want %v", plan, bulkMergePlan)
			}
		})
	}
}

// An index loaded in bulk, in many small batches (many segments for
// scorch to merge with the bulk plan), opens again as any other, holding
// every article whole.
func TestBulkLoadReopens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bulk.bleve")
	ix, err := Open(ctx, Options{Path: path, BulkLoad: true, BatchSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	var arts []Article
	for i := range 120 {
		arts = append(arts, Article{
			ID:        fmt.Sprintf("bulk-%03d", i),
			Title:     fmt.Sprintf("Briefing %d", i),
			Published: time.Date(2025, 1, 1+i%28, 0, 0, 0, 0, time.UTC),
			Body:      fmt.Sprintf("Officers arrested suspect %d in Leeds.\n\nThe court heard evidence of plot %d.", i, i),
		})
	}
	if _, err := ix.Ingest(ctx, arts...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(ctx, Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	st, err := ix.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 120 || st.Paragraphs != 240 {
		t.Fatalf("after a bulk load: %d articles, %d paragraphs; want 120, 240", st.Articles, st.Paragraphs)
	}
	for _, id := range []string{"bulk-000", "bulk-061", "bulk-119"} {
		view, err := ix.Article(ctx, id)
		if err != nil || len(view.Paragraphs) != 2 {
			t.Errorf("%s: %+v %v", id, view, err)
		}
	}
}
