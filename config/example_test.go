package config_test

import (
	"fmt"
	"log"

	"github.com/briefsearch/briefsearch/config"
)

// Load with an explicit environment: no file, no flags, and nothing read
// from the process environment.
func ExampleLoad() {
	cfg, err := config.Load(config.Options{
		Environ: []string{
			"BRIEFSEARCH_SERVER_ADDR=0.0.0.0:9090",
			"BRIEFSEARCH_SERVER_BODY_LIMIT=8MiB",
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg.Server.Addr)
	fmt.Println(cfg.Server.BodyLimit)
	// Output:
	// 0.0.0.0:9090
	// 8388608
}
