// Command briefsearch ingests intelligence-briefing coverage into a local
// bleve index, searches it and serves the HTTP API.
//
//	briefsearch serve [--addr HOST:PORT] [--load-sample]
//	briefsearch ingest PATH...
//	briefsearch search "Iran plots" [--country Iran] [--facets country] [--json]
//	briefsearch version
//
// Every command takes --config FILE and --index DIR; configuration also
// comes from BRIEFSEARCH_* environment variables (see package config).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Environ(), os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, "briefsearch:", err)
		}
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// errReported is returned when the command already told the user what went
// wrong (e.g. per-record ingest errors) and only the exit code remains.
var errReported = errors.New("failed (see messages above)")

// usageError marks a mistake in the command line (exit code 2).
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// run is the whole program, testable: it takes the arguments (without the
// program name), the environment in os.Environ form, and the standard
// streams.
func run(ctx context.Context, args, environ []string, stdin io.Reader, stdout, stderr io.Writer) error {
	root := newRootCmd(ctx, environ, stdout, stderr)
	// A hidden flag for profiling a command as it really runs (make bench,
	// bench/RESULTS.md): --cpuprofile FILE, and --memprofile FILE for the
	// allocations of the whole command.
	var cpuProfile, memProfile string
	var profile *os.File
	root.PersistentFlags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the command to FILE")
	root.PersistentFlags().StringVar(&memProfile, "memprofile", "", "write an allocation profile of the command to FILE")
	_ = root.PersistentFlags().MarkHidden("cpuprofile")
	_ = root.PersistentFlags().MarkHidden("memprofile")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		if cpuProfile == "" {
			return nil
		}
		var err error
		if profile, err = os.Create(cpuProfile); err != nil {
			return err
		}
		return pprof.StartCPUProfile(profile)
	}
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if profile != nil {
		pprof.StopCPUProfile()
		err = errors.Join(err, profile.Close())
	}
	if memProfile != "" {
		err = errors.Join(err, writeHeapProfile(memProfile))
	}
	return err
}

// writeHeapProfile writes the allocations made so far (pprof's allocs
// profile) to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	return errors.Join(pprof.Lookup("allocs").WriteTo(f, 0), f.Close())
}
