package e2e

import (
	"flag"
	"os"
	"testing"
)

// defaultParallel is how many parallel tests run at once unless -parallel
// is given. These tests mostly wait for peers, timers and the network, not
// for the CPU, so the package would take several times longer at the
// default (GOMAXPROCS, 2 on the build machines).
const defaultParallel = "8"

func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		if err := flag.Set("test.parallel", defaultParallel); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
