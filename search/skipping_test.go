package search

import (
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
)

// A part's documents are its stripes: owns, next and count agree with a
// walk over every document.
func TestPartInfo(t *testing.T) {
	for _, tt := range []struct {
		name          string
		p             partInfo
		lo, hi        uint64
		docs          []uint32 // local numbers in the segment
		wantCount     uint64
		wantNextOf100 uint64
	}{
		{"whole", partInfo{stripe: 10, part: 0, n: 1}, 0, 50, []uint32{0, 9, 10, 49}, 4, 0},
		{"first of two", partInfo{stripe: 10, part: 0, n: 2}, 0, 50, []uint32{0, 9, 10, 19, 20, 49}, 4, 120},
		{"second of two", partInfo{stripe: 10, part: 1, n: 2}, 0, 50, []uint32{0, 9, 10, 19, 20, 49}, 2, 110},
		{"a segment inside a stripe", partInfo{stripe: 10, part: 1, n: 2}, 13, 17, []uint32{0, 3}, 2, 110},
		{"a segment across stripes", partInfo{stripe: 10, part: 0, n: 3}, 25, 65, []uint32{0, 4, 5, 14, 15, 34, 35, 39}, 4, 120},
		{"an empty segment", partInfo{stripe: 10, part: 0, n: 2}, 30, 30, nil, 0, 120},
	} {
		t.Run(tt.name, func(t *testing.T) {
			u := roaring.BitmapOf(tt.docs...)
			var want uint64
			for _, d := range tt.docs {
				if tt.p.owns(tt.lo + uint64(d)) {
					want++
				}
			}
			if want != tt.wantCount {
				t.Fatalf("the table is wrong: %d of the documents are the part's, not %d", want, tt.wantCount)
			}
			if got := tt.p.count(u, tt.lo, tt.hi); got != want {
				t.Errorf("count = %d, want %d", got, want)
			}
			if tt.p.n > 1 {
				next := tt.p.next(100)
				if next != tt.wantNextOf100 || !tt.p.owns(next) || next <= 100 {
					t.Errorf("next(100) = %d, want %d, the first document of the part's next stripe", next, tt.wantNextOf100)
				}
				for d := uint64(101); d < next; d++ {
					if tt.p.owns(d) && d/tt.p.stripe != 100/tt.p.stripe {
						t.Errorf("next(100) = %d skips %d, which is the part's", next, d)
					}
				}
			}
		})
	}
}
