//go:build !race

package main

// buildFlags are the go build flags of the binary the CLI tests run.
var buildFlags []string
