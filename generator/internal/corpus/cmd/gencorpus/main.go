// Command gencorpus writes a deterministic benchmark corpus: a shownotes
// project folder with site.toml and N episodes of about 30 KB each.
//
//	go run ./generator/internal/corpus/cmd/gencorpus -n 10000 -seed 1 -out /tmp/corpus10k
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"shownotes/generator/internal/corpus"
)

func main() {
	n := flag.Int("n", 1000, "number of episodes")
	seed := flag.Uint64("seed", 1, "random seed: the same seed writes the same bytes")
	out := flag.String("out", "", "project folder to write (its content/ must not exist yet)")
	notes := flag.Int("notes-bytes", 0, "approximate show notes size per episode (0: default)")
	transcript := flag.Int("transcript-bytes", 0, "approximate transcript size per episode (0: default, <0: no transcripts)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: gencorpus -n N -seed S -out DIR")
		os.Exit(2)
	}
	start := time.Now()
	opt := corpus.Options{Episodes: *n, Seed: *seed, NotesBytes: *notes, TranscriptBytes: *transcript}
	if err := corpus.Write(*out, opt); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d episodes (seed %d) to %s in %d ms\n", *n, *seed, *out, time.Since(start).Milliseconds())
}
