package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/autogen-dev/autogen"
)

// jsonVersion is the version of the JSON schema that docs/json.md
// describes; it changes only when a field changes meaning or goes away.
const jsonVersion = 1

// Output formats of check and revision --dry-run.
const (
	formatText = "text"
	formatJSON = "json"
)

// jsonReport is the document check --format json and revision --dry-run
// --format json print; docs/json.md is its reference.
type jsonReport struct {
	Version    int            `json:"version"`
	Command    string         `json:"command"`
	Source     string         `json:"source"`
	Changed    bool           `json:"changed"`
	Operations []autogen.Diff `json:"operations"`
	Findings   []jsonFinding  `json:"findings"`
	Upgrade    string         `json:"upgrade"`
	Downgrade  string         `json:"downgrade"`
}

// jsonFinding is one entry of the safety report.
type jsonFinding struct {
	Table   string `json:"table"`
	Column  string `json:"column"`
	Kind    string `json:"kind"`
	Rows    int64  `json:"rows"`
	Fatal   bool   `json:"fatal"`
	Message string `json:"message"`
}

// checkFormat rejects formats other than text, json and markdown.
func checkFormat(f string) error {
	if f != formatText && f != formatJSON && f != formatMarkdown {
		return fmt.Errorf("--format %q is not a format of this command; use text, json or markdown", f)
	}
	return nil
}

// writeJSON prints the report of a plan as indented JSON.
func writeJSON(w io.Writer, command, source string, pl *autogen.Plan) error {
	up, down := pl.SQL()
	rep := jsonReport{
		Version:    jsonVersion,
		Command:    command,
		Source:     source,
		Changed:    !pl.Empty(),
		Operations: append([]autogen.Diff{}, pl.Diffs...),
		Findings:   make([]jsonFinding, 0, len(pl.Findings)),
		Upgrade:    up,
		Downgrade:  down,
	}
	for _, f := range pl.Findings {
		rep.Findings = append(rep.Findings, jsonFinding{
			Table: f.Table, Column: f.Column, Kind: string(f.Kind), Rows: f.Rows, Fatal: f.Fatal, Message: f.Message,
		})
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the JSON report: %w", err)
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
