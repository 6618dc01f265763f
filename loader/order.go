package loader

import (
	"container/heap"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/autogen-dev/autogen/loader/bunddl"
)

// orderStatements returns the statements of all tables, parents before the
// tables whose foreign keys reference them and ties broken by table name.
// Tables in a reference cycle follow in name order. Two models of one table
// must produce the same statements; they are then emitted once.
func orderStatements(models []bunddl.Table) ([]string, error) {
	byTable := map[string]bunddl.Table{}
	for _, m := range models {
		if prev, ok := byTable[m.Name]; ok {
			if !slices.Equal(prev.Statements, m.Statements) {
				return nil, fmt.Errorf("models %s and %s both define table %q, differently", prev.Type, m.Type, m.Name)
			}
			continue
		}
		byTable[m.Name] = m
	}
	names := make([]string, 0, len(byTable))
	for n := range byTable {
		names = append(names, n)
	}
	sort.Strings(names)

	pending := map[string]int{} // table -> parents not yet emitted
	children := map[string][]string{}
	for _, n := range names {
		for _, d := range uniq(byTable[n].Deps) {
			if _, ok := byTable[d]; ok {
				pending[n]++
				children[d] = append(children[d], n)
			}
		}
	}
	ready := &nameHeap{}
	for _, n := range names {
		if pending[n] == 0 {
			heap.Push(ready, n)
		}
	}
	var out []string
	done := map[string]bool{}
	cursor := 0 // names before it are done; used to break cycles
	for len(done) < len(names) {
		if ready.Len() == 0 { // a cycle: release the first remaining table
			for done[names[cursor]] {
				cursor++
			}
			pending[names[cursor]] = 0
			heap.Push(ready, names[cursor])
		}
		next := heap.Pop(ready).(string)
		if done[next] {
			continue
		}
		done[next] = true
		out = append(out, byTable[next].Statements...)
		for _, c := range children[next] {
			pending[c]--
			if pending[c] == 0 && !done[c] {
				heap.Push(ready, c)
			}
		}
	}
	return out, nil
}

func uniq(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return slices.Compact(s)
}

// modelErrors turns the models the program could not describe into errors;
// junctionHint says where a junction bun cannot find must be.
func modelErrors(models []bunddl.Table, junctionHint string) error {
	var errs []string
	var first *ModelError
	for _, m := range models {
		if m.Error == "" {
			continue
		}
		reason := strings.TrimSpace(m.Error)
		if strings.Contains(reason, "can't find m2m") {
			reason += "; " + junctionHint
		}
		e := &ModelError{Model: m.Type, Field: m.Field, Reason: reason}
		if first == nil {
			first = e
		}
		errs = append(errs, e.Error())
	}
	if first == nil {
		return nil
	}
	if len(errs) > 1 {
		first.Others = errs[1:]
	}
	return first
}

// nameHeap is a min-heap of table names.
type nameHeap []string

func (h nameHeap) Len() int           { return len(h) }
func (h nameHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h nameHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *nameHeap) Push(x any)        { *h = append(*h, x.(string)) }
func (h *nameHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
