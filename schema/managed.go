package schema

import (
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

// ManagedMarker is the comment autogen writes right after the name of the
// views and triggers it creates for the models. SQLite stores a view's or
// trigger's text from its name onward, comments included, and its renames
// keep them, so a later inspection knows the object came from the models
// (View.Managed, Trigger.Managed): removed from the models, it is dropped,
// while one made by hand (no marker) is kept.
const ManagedMarker = "/* autogen: managed */"

// MarkManaged returns the CREATE VIEW or CREATE TRIGGER statement sql with
// ManagedMarker inserted right after the object's name; sql is returned as
// it is when it already carries the marker there.
func MarkManaged(sql string) (string, error) {
	toks, err := sqltext.Tokenize(sql)
	if err != nil {
		return "", err
	}
	i, err := createObjectName(toks)
	if err != nil {
		return "", err
	}
	if markedAt(toks, i) {
		return sql, nil
	}
	end := toks[i].Offset + len(toks[i].Text)
	return sql[:end] + " " + ManagedMarker + sql[end:], nil
}

// IsManaged reports whether the CREATE VIEW or CREATE TRIGGER statement sql
// carries ManagedMarker among the comments right after the object's name.
// Text that does not parse that far is not managed.
func IsManaged(sql string) bool {
	toks, err := sqltext.Tokenize(sql)
	if err != nil {
		return false
	}
	i, err := createObjectName(toks)
	return err == nil && markedAt(toks, i)
}

// markedAt reports whether one of the comments that follow toks[i] is the
// marker.
func markedAt(toks []sqltext.Token, i int) bool {
	for j := i + 1; j < len(toks) && toks[j].Kind == sqltext.TokenComment; j++ {
		if isMarker(toks[j].Text) {
			return true
		}
	}
	return false
}

// isMarker reports whether the comment text is ManagedMarker, whatever the
// spacing and case inside it.
func isMarker(text string) bool {
	if !strings.HasPrefix(text, "/*") || !strings.HasSuffix(text, "*/") || len(text) < 4 {
		return false
	}
	body := strings.Join(strings.Fields(text[2:len(text)-2]), " ")
	return sqltext.EqualIdent(body, "autogen: managed")
}

// createObjectName returns the index in toks of the name of the view or
// trigger a CREATE [TEMP|TEMPORARY] VIEW|TRIGGER [IF NOT EXISTS]
// [schema.]name statement creates (the name after the schema, when there is
// one). Comments are skipped.
func createObjectName(toks []sqltext.Token) (int, error) {
	var idx []int // positions of the non-comment tokens
	for i, t := range toks {
		if t.Kind != sqltext.TokenComment {
			idx = append(idx, i)
		}
		if len(idx) == 9 {
			break
		}
	}
	word := func(k int, w string) bool {
		return k < len(idx) && toks[idx[k]].Kind == sqltext.TokenIdent && sqltext.EqualIdent(toks[idx[k]].Text, w)
	}
	name := func(k int) bool {
		return k < len(idx) && (toks[idx[k]].Kind == sqltext.TokenIdent || toks[idx[k]].Kind == sqltext.TokenQuotedIdent ||
			toks[idx[k]].Kind == sqltext.TokenString)
	}
	k := 0
	if !word(k, "CREATE") {
		return 0, fmt.Errorf("%w: not a CREATE VIEW or CREATE TRIGGER statement", sqltext.ErrSyntax)
	}
	k++
	if word(k, "TEMP") || word(k, "TEMPORARY") {
		k++
	}
	if !word(k, "VIEW") && !word(k, "TRIGGER") {
		return 0, fmt.Errorf("%w: not a CREATE VIEW or CREATE TRIGGER statement", sqltext.ErrSyntax)
	}
	k++
	if word(k, "IF") && word(k+1, "NOT") && word(k+2, "EXISTS") {
		k += 3
	}
	if !name(k) {
		return 0, fmt.Errorf("%w: CREATE VIEW or CREATE TRIGGER without a name", sqltext.ErrSyntax)
	}
	if k+1 < len(idx) && toks[idx[k+1]].Kind == sqltext.TokenOperator && toks[idx[k+1]].Text == "." {
		if !name(k + 2) {
			return 0, fmt.Errorf("%w: CREATE VIEW or CREATE TRIGGER without a name after the schema", sqltext.ErrSyntax)
		}
		k += 2
	}
	return idx[k], nil
}
