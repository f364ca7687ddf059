package api_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/gin-gonic/gin"

	"github.com/briefsearch/briefsearch/api"
	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/search"
)

// Mount the HTTP API under a prefix of another program's gin router.
func ExampleAPI_Register() {
	ctx := context.Background()
	ix, err := index.Open(ctx, index.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Ingest(ctx, index.Article{ID: "a-1", Body: "GCHQ warned of sabotage by Russian units."}); err != nil {
		log.Fatal(err)
	}

	router := gin.New()
	router.GET("/", func(c *gin.Context) { c.String(http.StatusOK, "the host app") })
	briefs := api.New(ix, search.New(ix, search.Options{}), api.Options{})
	briefs.Register(router.Group("/briefs"))

	w := httptest.NewRecorder()
	router.ServeHTTP(w, httptest.NewRequest("GET", "/briefs/v1/search?q=sabotage&facets=country", nil))
	fmt.Println(w.Code, w.Header().Get("Content-Type"))
	// Output:
	// 200 application/json; charset=utf-8
}

// Mount the complete handler (logging, recovery, problem+json 404s) on a
// net/http mux.
func ExampleAPI_Handler() {
	ctx := context.Background()
	ix, err := index.Open(ctx, index.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer ix.Close()

	mux := http.NewServeMux()
	mux.Handle("/briefs/", api.New(ix, search.New(ix, search.Options{}), api.Options{}).Handler("/briefs"))

	for _, path := range []string{"/briefs/healthz", "/briefs/v1/articles/missing"} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		fmt.Println(path, w.Code, w.Header().Get("Content-Type"))
	}
	// Output:
	// /briefs/healthz 200 application/json; charset=utf-8
	// /briefs/v1/articles/missing 404 application/problem+json
}
