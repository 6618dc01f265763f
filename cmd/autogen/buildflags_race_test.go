//go:build race

package main

// buildFlags build the binary the CLI tests run with the race detector
// when the tests themselves run with -race, so that `go test -race` checks
// the code users run (signals, the prompt's reader), not only the tests.
var buildFlags = []string{"-race"}
