package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/autogen-dev/autogen/internal/printable"
	"github.com/autogen-dev/autogen/runner"
)

// spinnerDelay is how long a statement runs before the spinner shows: the
// common statement ends well before, and drawing it would only flicker.
const spinnerDelay = time.Second

// progressOption is the runner option that draws a spinner on w for long
// statements, when w is a terminal; otherwise none (pipes, files, CI logs
// and the tests' buffers get Alembic's lines only).
func progressOption(w io.Writer) []runner.Option {
	f, ok := w.(*os.File)
	if !ok || !isTerminal(f) {
		return nil
	}
	s := &spinner{w: w, delay: spinnerDelay}
	return []runner.Option{runner.WithProgress(s.report)}
}

// spinner shows which revision and statement are running and for how many
// seconds, for a statement that runs longer than delay. It shows elapsed
// time, not a fraction done: SQLite's progress handler belongs to the
// driver (it cancels statements with it).
type spinner struct {
	w     io.Writer
	delay time.Duration

	mu   sync.Mutex
	stop chan struct{} // closed to end the running statement's spinner
	done chan struct{} // closed once that spinner has cleared its line
}

func (s *spinner) report(p runner.Progress) {
	switch p.Event {
	case runner.StatementStart:
		s.end()
		s.start(p)
	case runner.StatementEnd, runner.RevisionEnd:
		s.end()
	}
}

// start draws p's spinner after the delay, until end.
func (s *spinner) start(p runner.Progress) {
	s.mu.Lock()
	defer s.mu.Unlock()
	stop, done := make(chan struct{}), make(chan struct{})
	s.stop, s.done = stop, done
	began := time.Now()
	go func() {
		defer close(done)
		select {
		case <-stop:
			return
		case <-time.After(s.delay):
		}
		bar := progressbar.NewOptions(-1, progressbar.OptionSetWriter(s.w),
			progressbar.OptionSetElapsedTime(false), progressbar.OptionClearOnFinish(),
			progressbar.OptionSetDescription(progressLine(p, time.Since(began))))
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				_ = bar.Finish()
				return
			case <-tick.C:
				bar.Describe(progressLine(p, time.Since(began)))
			}
		}
	}()
}

// end stops the running spinner, if any, and waits until its line is
// cleared, so that what the run writes next starts on a clean line.
func (s *spinner) end() {
	s.mu.Lock()
	stop, done := s.stop, s.done
	s.stop, s.done = nil, nil
	s.mu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
}

// progressLine is what the spinner says of p after elapsed: the direction,
// revision, which statement of how many, its first words and whole seconds.
func progressLine(p runner.Progress, elapsed time.Duration) string {
	stmt := strings.Join(strings.Fields(p.Statement), " ")
	if r := []rune(stmt); len(r) > 40 {
		stmt = string(r[:40]) + "..."
	}
	return fmt.Sprintf("Running %s %s, statement %d of %d (%s) %ds",
		p.Step.Direction, p.Step.Revision, p.Index, p.Count, printable.Escape(stmt), int(elapsed.Seconds()))
}
