// Command pgcluster runs a private PostgreSQL cluster for bench/run_pg.sh:
// the cluster internal/pgtest starts for the tests (a temporary folder, a
// unix socket only, trust, fsync off; as the postgres user when run as
// root). It writes the socket folder to the -socket file once the server
// accepts connections, and stops the server and removes the folder on
// SIGINT or SIGTERM.
//
//	pgcluster -socket FILE &
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/autogen-dev/autogen/internal/pgtest"
)

func main() {
	socket := flag.String("socket", "", "file to write the socket folder into when the server is up")
	flag.Parse()
	if *socket == "" {
		fmt.Fprintln(os.Stderr, "usage: pgcluster -socket FILE")
		os.Exit(2)
	}
	if err := run(*socket); err != nil {
		fmt.Fprintln(os.Stderr, "pgcluster:", err)
		os.Exit(1)
	}
}

func run(socket string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c, err := pgtest.Start(ctx)
	if err != nil {
		return err
	}
	// Written to a temporary name and renamed, so that a reader polling for
	// the file never sees it half written.
	err = os.WriteFile(socket+".tmp", []byte(c.SocketDir+"\n"), 0o644)
	if err == nil {
		err = os.Rename(socket+".tmp", socket)
	}
	if err != nil {
		return fmt.Errorf("%w (and stopping: %v)", err, c.Stop())
	}
	<-ctx.Done()
	return c.Stop()
}
