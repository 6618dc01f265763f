// Command measure runs a command and records its wall time, CPU time (user
// plus system, its waited-for descendants included) and peak resident memory
// (of it or any descendant) as one line of a results file; -summary prints
// the medians of such a file per label.
//
//	measure -o results.txt -label W1 -- autogen revision -m x
//	measure -summary results.txt
//	measure -summary results.txt -ratio W1-revision-1000=W1-alembic-1000
//
// Each -ratio A=B prints A's median wall and CPU time over B's, for
// workloads run side by side (labels without runs are skipped).
//
// Peak memory is read as Unix reports it (getrusage); elsewhere it is 0.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	out := flag.String("o", "", "results file to append to (stdout when empty)")
	label := flag.String("label", "run", "label of the measurement")
	summary := flag.String("summary", "", "print the medians of this results file and exit")
	var ratios ratioFlag
	flag.Var(&ratios, "ratio", "with -summary: A=B prints label A's medians over label B's (repeatable)")
	flag.Parse()
	var err error
	if *summary != "" {
		err = summarize(*summary, ratios)
	} else {
		err = measure(*out, *label, flag.Args())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		os.Exit(1)
	}
}

func measure(out, label string, args []string) error {
	if len(args) == 0 {
		return errors.New("no command given")
	}
	cmd := exec.Command(args[0], args[1:]...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", strings.Join(args, " "), err, stderr.String())
	}
	cpu, rss, err := usage(cmd.ProcessState)
	if err != nil {
		return err
	}
	line := fmt.Sprintf("%s %.4f %.4f %d\n", label, wall.Seconds(), cpu.Seconds(), rss)
	if out == "" {
		_, err = os.Stdout.WriteString(line)
		return err
	}
	f, err := os.OpenFile(out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

type sample struct{ wall, cpu, rss []float64 }

// ratioFlag collects -ratio A=B pairs.
type ratioFlag [][2]string

func (r *ratioFlag) String() string { return fmt.Sprint(*r) }

func (r *ratioFlag) Set(v string) error {
	a, b, ok := strings.Cut(v, "=")
	if !ok || a == "" || b == "" {
		return fmt.Errorf("-ratio %q: want LABEL=REFERENCE", v)
	}
	*r = append(*r, [2]string{a, b})
	return nil
}

func summarize(path string, ratios ratioFlag) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	byLabel := map[string]*sample{}
	var order []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 4 {
			continue
		}
		s := byLabel[fields[0]]
		if s == nil {
			s = &sample{}
			byLabel[fields[0]] = s
			order = append(order, fields[0])
		}
		w, _ := strconv.ParseFloat(fields[1], 64)
		c, _ := strconv.ParseFloat(fields[2], 64)
		r, _ := strconv.ParseFloat(fields[3], 64)
		s.wall, s.cpu, s.rss = append(s.wall, w), append(s.cpu, c), append(s.rss, r)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	width := len("label")
	for _, l := range order {
		width = max(width, len(l))
	}
	fmt.Printf("%-*s %4s %12s %12s %12s %14s\n", width, "label", "runs", "median wall", "min wall", "median cpu", "peak RSS (MiB)")
	for _, l := range order {
		s := byLabel[l]
		fmt.Printf("%-*s %4d %11.3fs %11.3fs %11.3fs %14.1f\n", width, l, len(s.wall), median(s.wall), slices.Min(s.wall), median(s.cpu), slices.Max(s.rss)/1024)
	}
	printed := false
	for _, r := range ratios {
		a, b := byLabel[r[0]], byLabel[r[1]]
		if a == nil || b == nil {
			continue
		}
		if !printed {
			fmt.Printf("\n%-*s %12s %12s %12s\n", 2*width+3, "ratio", "median wall", "min wall", "median cpu")
			printed = true
		}
		fmt.Printf("%-*s %11.2fx %11.2fx %11.2fx\n", 2*width+3, r[0]+" / "+r[1],
			median(a.wall)/median(b.wall), slices.Min(a.wall)/slices.Min(b.wall), median(a.cpu)/median(b.cpu))
	}
	return nil
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
