package eval

import "math"

// Cutoffs of the reported metrics.
const (
	DepthNDCG = 10 // nDCG@10
	DepthP    = 5  // P@5
	DepthPool = 10 // results judged per run and counted by Unjudged
)

// Scores are the metrics of one ranked list against one query's judgments.
type Scores struct {
	NDCG     float64 // nDCG@10 with gain 2^grade-1, ideal from all judged paragraphs
	P5       float64 // share of the top 5 with grade >= 1
	RR       float64 // 1/rank of the first result with grade >= 1 (0 if none in the top 10)
	Unjudged float64 // share of the top 10 with no judgment (counted as grade 0)
}

// Score computes the metrics of ranked (paragraph ids, best first) against
// grades (the judged paragraphs of the query). Unjudged results count as
// not relevant.
func Score(ranked []string, grades map[string]int) Scores {
	var s Scores
	dcg := 0.0
	for i, id := range ranked {
		if i >= DepthPool {
			break
		}
		g, ok := grades[id]
		if !ok {
			s.Unjudged++
		}
		if i < DepthNDCG {
			dcg += gain(g) / math.Log2(float64(i+2))
		}
		if g >= 1 {
			if i < DepthP {
				s.P5++
			}
			if s.RR == 0 {
				s.RR = 1 / float64(i+1)
			}
		}
	}
	s.P5 /= DepthP
	s.Unjudged /= DepthPool
	if ideal := idealDCG(grades); ideal > 0 {
		s.NDCG = dcg / ideal
	}
	return s
}

func gain(g int) float64 { return math.Exp2(float64(g)) - 1 }

// idealDCG is the DCG@10 of the best possible ordering of the judged
// paragraphs.
func idealDCG(grades map[string]int) float64 {
	var count [3]int
	for _, g := range grades {
		if g >= 0 && g <= 2 {
			count[g]++
		}
	}
	dcg, i := 0.0, 0
	for g := 2; g >= 1; g-- {
		for n := 0; n < count[g] && i < DepthNDCG; n++ {
			dcg += gain(g) / math.Log2(float64(i+2))
			i++
		}
	}
	return dcg
}
