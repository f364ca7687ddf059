package eval

import (
	"math"
	"testing"
)

func TestScore(t *testing.T) {
	grades := map[string]int{"a": 2, "b": 1, "c": 0, "d": 2}
	ideal := 3/math.Log2(2) + 3/math.Log2(3) + 1/math.Log2(4)
	tests := []struct {
		name   string
		ranked []string
		want   Scores
	}{
		{"ideal order", []string{"a", "d", "b", "c"}, Scores{NDCG: 1, P5: 0.6, RR: 1}},
		{"nothing", nil, Scores{}},
		{"first relevant at 3, one unjudged", []string{"c", "x", "b"}, Scores{
			NDCG: (1 / math.Log2(4)) / ideal, P5: 0.2, RR: 1.0 / 3, Unjudged: 0.1}},
		{"only partial", []string{"b"}, Scores{NDCG: 1 / ideal, P5: 0.2, RR: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Score(tt.ranked, grades)
			if math.Abs(got.NDCG-tt.want.NDCG) > 1e-9 || math.Abs(got.P5-tt.want.P5) > 1e-9 ||
				math.Abs(got.RR-tt.want.RR) > 1e-9 || math.Abs(got.Unjudged-tt.want.Unjudged) > 1e-9 {
				t.Errorf("Score(%v) = %+v, want %+v", tt.ranked, got, tt.want)
			}
		})
	}
}

func TestScoreNoJudgments(t *testing.T) {
	if got := Score([]string{"a"}, nil); got.NDCG != 0 || got.Unjudged != 0.1 {
		t.Errorf("Score with no judgments = %+v, want nDCG 0 and unjudged 0.1", got)
	}
}

func TestFTSExpression(t *testing.T) {
	tests := []struct {
		q    string
		m    Match
		want string
	}{
		{"Iran plots", AnyWord, `"iran" OR "plots"`},
		{"Iran plots", AllWords, `"iran" "plots"`},
		{`"nerve agent" +Salisbury^2`, AnyWord, `"nerve" OR "agent" OR "salisbury" OR "2"`},
		{"Iran-backed", AllWords, `"iran" "backed"`},
		{"  ", AnyWord, ""},
	}
	for _, tt := range tests {
		if got := FTSExpression(tt.q, tt.m); got != tt.want {
			t.Errorf("FTSExpression(%q, %v) = %s, want %s", tt.q, tt.m, got, tt.want)
		}
	}
}
