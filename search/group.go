package search

import (
	"context"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/briefsearch/briefsearch/index"
)

// GroupArticle groups hits by article (Request.Group).
const GroupArticle = "article"

// Grouping bounds.
const (
	// DefaultGroupSize is the paragraphs per article when a request gives
	// no GroupSize; MaxGroupSize the most it may ask for.
	DefaultGroupSize, MaxGroupSize = 3, 10
	// GroupWindow is how many of the best paragraphs a grouped search
	// ranks and groups: articles are found among them, and TotalArticles
	// counts them (exact when Total is at most GroupWindow).
	GroupWindow = 10000
)

// Group is one article of a grouped search: its best paragraphs, best
// first.
type Group struct {
	ArticleID string     `json:"article_id"`
	Title     string     `json:"title,omitempty"`
	Source    string     `json:"source,omitempty"`
	URL       string     `json:"url,omitempty"`
	Published *time.Time `json:"published,omitempty"`
	// Score is the score of its best paragraph.
	Score float64 `json:"score"`
	// Matches is the number of its paragraphs that match the request.
	Matches int `json:"matches"`
	// Hits are its best paragraphs (at most Request.GroupSize).
	Hits []Hit `json:"hits"`
}

// articleOf returns the article id of a chunk id ("a#3" → "a").
var articleOf = index.ArticleOf

// runGrouped answers a request grouped by article: one search ranks the
// best GroupWindow paragraphs (ids and scores only) and counts the facets,
// the paragraphs are grouped by article in rank order, and a second search
// reads the page's paragraphs with their fields and highlights.
func (s *Searcher) runGrouped(ctx context.Context, req Request, rq *relevanceQuery, start time.Time) (*Response, error) {
	rank := req
	rank.Limit, rank.Offset, rank.Context = GroupWindow, 0, 0
	ranked, err := s.run(ctx, rank, rq, start, true)
	if err != nil {
		return nil, err
	}
	type group struct {
		id      string
		score   float64
		matches int
		ids     []string
	}
	var groups []*group
	byID := map[string]*group{}
	for _, h := range ranked.Hits {
		a := articleOf(h.ID)
		g := byID[a]
		if g == nil {
			g = &group{id: a, score: h.Score}
			byID[a] = g
			groups = append(groups, g)
		}
		g.matches++
		if len(g.ids) < req.GroupSize {
			g.ids = append(g.ids, h.ID)
		}
	}
	out := &Response{
		Query: req.Query, Total: ranked.Total, Limit: req.Limit, Offset: req.Offset,
		Hits: []Hit{}, Facets: ranked.Facets, Understood: ranked.Understood,
		TotalArticles: len(groups), Groups: []Group{},
	}
	page := groups[min(req.Offset, len(groups)):min(req.Offset+req.Limit, len(groups))]
	if len(page) == 0 {
		out.TookMS = float64(time.Since(start).Microseconds()) / 1000
		out.Phases = ranked.Phases
		return out, nil
	}
	var ids []string
	for _, g := range page {
		ids = append(ids, g.ids...)
	}
	// The page's paragraphs, scored by the same query.
	read := req
	read.Limit, read.Offset, read.Facets = len(ids), 0, nil
	only := *rq
	only.q = withFilter(rq.q, query.NewDocIDQuery(ids))
	only.match = withFilter(rq.match, query.NewDocIDQuery(ids))
	hits, err := s.run(ctx, read, &only, time.Now(), false)
	if err != nil {
		return nil, err
	}
	// Scores as the ranking pass gave them: the article factor there saw
	// every candidate, the second pass only the page.
	scores := make(map[string]float64, len(ids))
	for _, h := range ranked.Hits {
		scores[h.ID] = h.Score
	}
	byHit := make(map[string]Hit, len(hits.Hits))
	for _, h := range hits.Hits {
		if sc, ok := scores[h.ID]; ok {
			h.Score = sc
		}
		byHit[h.ID] = h
	}
	for _, g := range page {
		og := Group{ArticleID: g.id, Score: g.score, Matches: g.matches, Hits: make([]Hit, 0, len(g.ids))}
		for _, id := range g.ids {
			if h, ok := byHit[id]; ok {
				og.Hits = append(og.Hits, h)
			}
		}
		if len(og.Hits) > 0 {
			first := og.Hits[0]
			og.Title, og.Source, og.URL, og.Published = first.Title, first.Source, first.URL, first.Published
		}
		out.Groups = append(out.Groups, og)
	}
	out.Phases = Phases{Query: ranked.Phases.Query, Search: ranked.Phases.Search + hits.Phases.Search,
		Hits: ranked.Phases.Hits + hits.Phases.Hits}
	out.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return out, nil
}
