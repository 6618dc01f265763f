package schema

import (
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

// parser is a recursive-descent parser over the tokens of one statement.
type parser struct {
	sql  string
	toks []sqltext.Token // comments removed
	pos  int
}

func newParser(sql string) (*parser, error) {
	all, err := sqltext.Tokenize(sql)
	if err != nil {
		return nil, err
	}
	p := &parser{sql: sql}
	for _, t := range all {
		if t.Kind != sqltext.TokenComment {
			p.toks = append(p.toks, t)
		}
	}
	return p, nil
}

func (p *parser) peek() (sqltext.Token, bool) {
	if p.pos < len(p.toks) {
		return p.toks[p.pos], true
	}
	return sqltext.Token{}, false
}

// offset is where the next token starts (the input's length at the end).
func (p *parser) offset() int {
	if t, ok := p.peek(); ok {
		return t.Offset
	}
	return len(p.sql)
}

func (p *parser) errorf(format string, args ...any) error {
	found := "end of input"
	if t, ok := p.peek(); ok {
		found = fmt.Sprintf("%q", t.Text)
	}
	return fmt.Errorf("%w: expected %s at offset %d, found %s", sqltext.ErrSyntax, fmt.Sprintf(format, args...), p.offset(), found)
}

// isKW reports whether the next token is the bare keyword kw.
func (p *parser) isKW(kw string) bool {
	t, ok := p.peek()
	return ok && t.Is(kw)
}

// acceptKW consumes the keyword sequence kws if the input starts with it.
func (p *parser) acceptKW(kws ...string) bool {
	for i, kw := range kws {
		if p.pos+i >= len(p.toks) || !p.toks[p.pos+i].Is(kw) {
			return false
		}
	}
	p.pos += len(kws)
	return true
}

func (p *parser) expectKW(kws ...string) error {
	if !p.acceptKW(kws...) {
		return p.errorf("%s", strings.Join(kws, " "))
	}
	return nil
}

func (p *parser) isOp(op string) bool {
	t, ok := p.peek()
	return ok && t.Kind == sqltext.TokenOperator && t.Text == op
}

func (p *parser) acceptOp(op string) bool {
	if p.isOp(op) {
		p.pos++
		return true
	}
	return false
}

func (p *parser) expectOp(op string) error {
	if !p.acceptOp(op) {
		return p.errorf("'%s'", op)
	}
	return nil
}

// name parses an identifier: bare, quoted, or (as SQLite allows) a string.
func (p *parser) name(what string) (string, error) {
	t, ok := p.peek()
	if !ok || (t.Kind != sqltext.TokenIdent && t.Kind != sqltext.TokenQuotedIdent && t.Kind != sqltext.TokenString) {
		return "", p.errorf("%s", what)
	}
	p.pos++
	return t.Value, nil
}

// qualifiedName parses [schema.]name and returns name.
func (p *parser) qualifiedName(what string) (string, error) {
	n, err := p.name(what)
	if err != nil {
		return "", err
	}
	if p.acceptOp(".") {
		return p.name(what)
	}
	return n, nil
}

// parenExpr parses ( expr ) with balanced parentheses and returns the text
// between them as written, trimmed.
func (p *parser) parenExpr() (string, error) {
	if err := p.expectOp("("); err != nil {
		return "", err
	}
	start := p.offset()
	end, err := p.skipBalanced(")")
	if err != nil {
		return "", err
	}
	text := sqltext.TrimSpace(p.sql[start:end])
	p.pos++ // the ')'
	if text == "" {
		return "", p.errorf("expression")
	}
	return text, nil
}

// skipBalanced advances to the next top-level token in stops (not consuming
// it) and returns the offset where the skipped text ends.
func (p *parser) skipBalanced(stops ...string) (int, error) {
	depth := 0
	end := p.offset()
	for {
		t, ok := p.peek()
		if !ok {
			return 0, p.errorf("'%s'", stops[0])
		}
		if t.Kind == sqltext.TokenOperator {
			if depth == 0 && contains(stops, t.Text) {
				return end, nil
			}
			switch t.Text {
			case "(":
				depth++
			case ")":
				if depth == 0 {
					return 0, p.errorf("'%s'", stops[0])
				}
				depth--
			}
		}
		end = t.Offset + len(t.Text)
		p.pos++
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ParseCreateTable parses a CREATE TABLE statement as SQLite stores it.
// Expressions (CHECK, DEFAULT, generated columns) are kept as written.
func ParseCreateTable(sql string) (*Table, error) {
	t, err := parseCreateTable(sql)
	if err != nil {
		return nil, fmt.Errorf("parse CREATE TABLE %q: %w", oneLineAbbrev(sql), err)
	}
	return t, nil
}

// oneLineAbbrev is s on one line (runs of white space made one space), cut
// to 57 characters and "..." when longer than 60, for messages.
func oneLineAbbrev(s string) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return string(r)
}

func parseCreateTable(sql string) (*Table, error) {
	p, err := newParser(sql)
	if err != nil {
		return nil, err
	}
	if err := p.expectKW("CREATE"); err != nil {
		return nil, err
	}
	_ = p.acceptKW("TEMP") || p.acceptKW("TEMPORARY")
	if err := p.expectKW("TABLE"); err != nil {
		return nil, err
	}
	p.acceptKW("IF", "NOT", "EXISTS")
	t := &Table{SQL: sql}
	if t.Name, err = p.qualifiedName("table name"); err != nil {
		return nil, err
	}
	if p.isKW("AS") {
		return nil, fmt.Errorf("%w: CREATE TABLE ... AS SELECT at offset %d is not supported", sqltext.ErrSyntax, p.offset())
	}
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	if err := p.tableBody(t); err != nil {
		return nil, err
	}
	if err := p.tableOptions(t); err != nil {
		return nil, err
	}
	p.acceptOp(";")
	if _, ok := p.peek(); ok {
		return nil, p.errorf("end of statement")
	}
	resolveColumns(t)
	return t, nil
}

// tableBody parses column definitions then table constraints, through ')'.
func (p *parser) tableBody(t *Table) error {
	for {
		if p.startsTableConstraint() {
			break
		}
		if err := p.columnDef(t); err != nil {
			return err
		}
		if p.acceptOp(")") {
			return nil
		}
		if !p.acceptOp(",") {
			return p.errorf("',' or ')'")
		}
	}
	// Table constraints: SQLite makes the commas between them optional.
	for {
		if err := p.tableConstraint(t); err != nil {
			return err
		}
		if p.acceptOp(")") {
			return nil
		}
		p.acceptOp(",")
	}
}

func (p *parser) startsTableConstraint() bool {
	for _, kw := range []string{"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"} {
		if p.isKW(kw) {
			return true
		}
	}
	return false
}

func (p *parser) tableOptions(t *Table) error {
	if _, ok := p.peek(); !ok || p.isOp(";") {
		return nil
	}
	for {
		switch {
		case p.acceptKW("WITHOUT", "ROWID"):
			t.WithoutRowID = true
		case p.acceptKW("STRICT"):
			t.Strict = true
		default:
			return p.errorf("WITHOUT ROWID or STRICT")
		}
		if !p.acceptOp(",") {
			return nil
		}
	}
}

// fallbackKeywords are the keywords SQLite also accepts as identifiers (its
// grammar's %fallback ID list); the others cannot be part of a type name.
var fallbackKeywords = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range strings.Fields(`ABORT ACTION AFTER ALWAYS ANALYZE ASC ATTACH BEFORE BEGIN BY
	CASCADE CAST COLUMN CONFLICT CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP DATABASE
	DEFERRED DESC DETACH DO EACH END EXCLUDE EXCLUSIVE EXPLAIN FAIL FIRST FOLLOWING FOR GENERATED
	GLOB GROUPS IF IGNORE IMMEDIATE INITIALLY INSTEAD KEY LAST LIKE MATCH MATERIALIZED NO NULLS
	OF OFFSET OTHERS PARTITION PLAN PRAGMA PRECEDING QUERY RAISE RANGE RECURSIVE REGEXP REINDEX
	RELEASE RENAME REPLACE RESTRICT ROLLBACK ROW ROWS SAVEPOINT TEMP TEMPORARY TIES TRIGGER
	UNBOUNDED VACUUM VIEW VIRTUAL WITH WITHOUT TRUE FALSE`) {
		m[k] = true
	}
	return m
}()

// typeStops end a column's type name: they start a column constraint.
var typeStops = []string{"CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS"}

func (p *parser) columnDef(t *Table) error {
	name, err := p.name("column name")
	if err != nil {
		return err
	}
	c := &Column{Name: name, Position: len(t.Columns)}
	t.Columns = append(t.Columns, c)
	if c.Type, err = p.typeName(); err != nil {
		return err
	}
	return p.columnConstraints(t, c)
}

// generatedClauseAhead reports whether the tokens at the parser's position
// are GENERATED ALWAYS followed by AS, by the end of the column, or by the
// end of input: the cases where SQLite takes them for a generated-column
// clause rather than for words of a type name.
func (p *parser) generatedClauseAhead() bool {
	i := p.pos
	if i+1 >= len(p.toks) || !p.toks[i].Is("GENERATED") || !p.toks[i+1].Is("ALWAYS") {
		return false
	}
	if i+2 == len(p.toks) {
		return true
	}
	next := p.toks[i+2]
	return next.Is("AS") || next.Kind == sqltext.TokenOperator && (next.Text == "," || next.Text == ")")
}

// typeName parses an optional type name with (n) or (n,m) and returns it as
// written.
func (p *parser) typeName() (string, error) {
	start := p.offset()
	end := start
	for {
		tok, ok := p.peek()
		if !ok || (tok.Kind != sqltext.TokenIdent && tok.Kind != sqltext.TokenString && tok.Kind != sqltext.TokenQuotedIdent) {
			break
		}
		if tok.Kind == sqltext.TokenIdent && sqltext.EqualIdent(tok.Text, "GENERATED") && !p.generatedClauseAhead() {
			// SQLite reads GENERATED as one more word of the type unless
			// GENERATED ALWAYS ends the column or opens AS (expr).
			p.pos++
			end = tok.Offset + len(tok.Text)
			continue
		}
		if tok.Kind == sqltext.TokenIdent && (containsFold(typeStops, tok.Text) || sqltext.IsKeyword(tok.Text) && !fallbackKeywords[sqltext.UpperASCII(tok.Text)]) {
			break
		}
		p.pos++
		end = tok.Offset + len(tok.Text)
	}
	if end == start {
		return "", nil
	}
	if p.acceptOp("(") {
		for i := 0; ; i++ {
			if err := p.signedNumber(); err != nil {
				return "", err
			}
			if i == 1 || !p.acceptOp(",") {
				break
			}
		}
		end = p.offset() + 1
		if err := p.expectOp(")"); err != nil {
			return "", err
		}
	}
	return p.sql[start:end], nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if sqltext.EqualIdent(x, s) {
			return true
		}
	}
	return false
}

func (p *parser) signedNumber() error {
	_ = p.acceptOp("+") || p.acceptOp("-")
	t, ok := p.peek()
	if !ok || t.Kind != sqltext.TokenNumber {
		return p.errorf("number")
	}
	p.pos++
	return nil
}

func (p *parser) columnConstraints(t *Table, c *Column) error {
	var name string
	var lastFK *ForeignKey
	for {
		tok, ok := p.peek()
		if !ok || p.isOp(",") || p.isOp(")") {
			return nil
		}
		if p.acceptKW("CONSTRAINT") {
			var err error
			if name, err = p.name("constraint name"); err != nil {
				return err
			}
			continue
		}
		fk, err := p.columnConstraint(t, c, name)
		if err != nil {
			return err
		}
		if fk != nil {
			lastFK = fk
		}
		if p.isKW("NOT") && p.pos+1 < len(p.toks) && p.toks[p.pos+1].Is("DEFERRABLE") || p.isKW("DEFERRABLE") {
			d := p.deferClause()
			if lastFK != nil {
				lastFK.Deferrable = d
			}
		}
		if p.pos < len(p.toks) && p.toks[p.pos] == tok {
			return p.errorf("a column constraint")
		}
		name = ""
	}
}

// columnConstraint parses one column constraint; it returns the foreign key
// a REFERENCES clause made, so that a following DEFERRABLE can apply to it.
func (p *parser) columnConstraint(t *Table, c *Column, name string) (*ForeignKey, error) {
	var err error
	switch {
	case p.acceptKW("PRIMARY", "KEY"):
		pk := &PrimaryKey{Name: name, Columns: []string{c.Name}}
		if p.acceptKW("DESC") {
			pk.Desc = true
		} else {
			p.acceptKW("ASC")
		}
		if err := p.conflictClause(); err != nil {
			return nil, err
		}
		pk.Autoincrement = p.acceptKW("AUTOINCREMENT")
		t.PrimaryKey = pk
	case p.acceptKW("NOT", "NULL"):
		c.NotNull = true
		err = p.conflictClause()
	case p.acceptKW("NULL"):
		err = p.conflictClause()
	case p.acceptKW("UNIQUE"):
		t.Uniques = append(t.Uniques, &Unique{Name: name, Columns: []string{c.Name}})
		err = p.conflictClause()
	case p.acceptKW("CHECK"):
		var expr string
		expr, err = p.parenExpr()
		t.Checks = append(t.Checks, &Check{Name: name, Expr: expr})
	case p.acceptKW("DEFAULT"):
		c.Default, err = p.defaultValue()
	case p.acceptKW("COLLATE"):
		c.Collation, err = p.name("collation name")
	case p.acceptKW("REFERENCES"):
		fk := &ForeignKey{Name: name, Columns: []string{c.Name}}
		if err := p.references(fk); err != nil {
			return nil, err
		}
		t.ForeignKeys = append(t.ForeignKeys, fk)
		return fk, nil
	case p.acceptKW("GENERATED"):
		if err := p.expectKW("ALWAYS"); err != nil {
			return nil, err
		}
		if !p.isKW("AS") && (p.pos == len(p.toks) || p.isOp(",") || p.isOp(")")) {
			return nil, nil // SQLite accepts a bare GENERATED ALWAYS and ignores it
		}
		if err := p.expectKW("AS"); err != nil {
			return nil, err
		}
		err = p.generated(c)
	case p.acceptKW("AS"):
		err = p.generated(c)
	}
	return nil, err
}

func (p *parser) generated(c *Column) error {
	expr, err := p.parenExpr()
	if err != nil {
		return err
	}
	c.Generated = expr
	switch {
	case p.acceptKW("STORED"):
		c.Stored = true
	case p.acceptKW("VIRTUAL"):
	}
	return nil
}

// defaultValue parses what follows DEFAULT and returns it as written.
func (p *parser) defaultValue() (string, error) {
	start := p.offset()
	if p.isOp("(") {
		if _, err := p.parenExpr(); err != nil {
			return "", err
		}
		return p.sql[start : p.toks[p.pos-1].Offset+1], nil
	}
	_ = p.acceptOp("+") || p.acceptOp("-")
	t, ok := p.peek()
	if !ok || t.Kind == sqltext.TokenOperator || t.Kind == sqltext.TokenComment {
		return "", p.errorf("default value")
	}
	p.pos++
	return p.sql[start : t.Offset+len(t.Text)], nil
}

func (p *parser) conflictClause() error {
	if !p.acceptKW("ON", "CONFLICT") {
		return nil
	}
	for _, kw := range []string{"ROLLBACK", "ABORT", "FAIL", "IGNORE", "REPLACE"} {
		if p.acceptKW(kw) {
			return nil
		}
	}
	return p.errorf("ROLLBACK, ABORT, FAIL, IGNORE or REPLACE")
}

// references parses what follows REFERENCES: the parent table, its columns
// and the ON/MATCH clauses.
func (p *parser) references(fk *ForeignKey) error {
	var err error
	if fk.RefTable, err = p.name("referenced table name"); err != nil {
		return err
	}
	if p.isOp("(") {
		if fk.RefColumns, err = p.nameList(); err != nil {
			return err
		}
	}
	fk.OnDelete, fk.OnUpdate = "NO ACTION", "NO ACTION"
	for {
		switch {
		case p.acceptKW("MATCH"):
			if _, err := p.name("MATCH name"); err != nil {
				return err
			}
		case p.acceptKW("ON", "DELETE"):
			if fk.OnDelete, err = p.refAction(); err != nil {
				return err
			}
		case p.acceptKW("ON", "UPDATE"):
			if fk.OnUpdate, err = p.refAction(); err != nil {
				return err
			}
		case p.acceptKW("ON", "INSERT"):
			if _, err := p.refAction(); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}

func (p *parser) refAction() (string, error) {
	for _, a := range [][]string{{"SET", "NULL"}, {"SET", "DEFAULT"}, {"CASCADE"}, {"RESTRICT"}, {"NO", "ACTION"}} {
		if p.acceptKW(a...) {
			return strings.Join(a, " "), nil
		}
	}
	return "", p.errorf("SET NULL, SET DEFAULT, CASCADE, RESTRICT or NO ACTION")
}

// deferClause parses [NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE] and
// returns what it means to SQLite.
func (p *parser) deferClause() string {
	not := p.acceptKW("NOT")
	p.acceptKW("DEFERRABLE")
	deferred := false
	switch {
	case p.acceptKW("INITIALLY", "DEFERRED"):
		deferred = true
	case p.acceptKW("INITIALLY", "IMMEDIATE"):
	}
	if deferred && !not {
		return "DEFERRABLE INITIALLY DEFERRED"
	}
	return ""
}

// nameList parses ( name [COLLATE x] [ASC|DESC], ... ).
func (p *parser) nameList() ([]string, error) {
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	var names []string
	for {
		n, err := p.name("column name")
		if err != nil {
			return nil, err
		}
		names = append(names, n)
		if p.acceptKW("COLLATE") {
			if _, err := p.name("collation name"); err != nil {
				return nil, err
			}
		}
		_ = p.acceptKW("ASC") || p.acceptKW("DESC")
		if p.acceptOp(")") {
			return names, nil
		}
		if err := p.expectOp(","); err != nil {
			return nil, err
		}
	}
}

func (p *parser) tableConstraint(t *Table) error {
	var name string
	named := p.acceptKW("CONSTRAINT")
	if named {
		var err error
		if name, err = p.name("constraint name"); err != nil {
			return err
		}
	}
	var err error
	switch {
	case p.acceptKW("PRIMARY", "KEY"):
		err = p.tablePrimaryKey(t, name)
	case p.acceptKW("UNIQUE"):
		var cols []string
		if cols, err = p.nameList(); err == nil {
			t.Uniques = append(t.Uniques, &Unique{Name: name, Columns: cols})
			err = p.conflictClause()
		}
	case p.acceptKW("CHECK"):
		var expr string
		if expr, err = p.parenExpr(); err == nil {
			t.Checks = append(t.Checks, &Check{Name: name, Expr: expr})
			err = p.conflictClause()
		}
	case p.acceptKW("FOREIGN", "KEY"):
		err = p.tableForeignKey(t, name)
	default:
		if named && (p.isOp(",") || p.isOp(")") || p.isKW("CONSTRAINT")) {
			return nil // a lone CONSTRAINT name, which SQLite allows
		}
		return p.errorf("PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY")
	}
	return err
}

func (p *parser) tablePrimaryKey(t *Table, name string) error {
	if err := p.expectOp("("); err != nil {
		return err
	}
	pk := &PrimaryKey{Name: name}
	for {
		n, err := p.name("column name")
		if err != nil {
			return err
		}
		pk.Columns = append(pk.Columns, n)
		if p.acceptKW("COLLATE") {
			if _, err := p.name("collation name"); err != nil {
				return err
			}
		}
		_ = p.acceptKW("ASC") || p.acceptKW("DESC")
		if p.acceptKW("AUTOINCREMENT") {
			pk.Autoincrement = true
		}
		if p.acceptOp(")") {
			break
		}
		if err := p.expectOp(","); err != nil {
			return err
		}
	}
	t.PrimaryKey = pk
	return p.conflictClause()
}

func (p *parser) tableForeignKey(t *Table, name string) error {
	fk := &ForeignKey{Name: name}
	var err error
	if fk.Columns, err = p.nameList(); err != nil {
		return err
	}
	if err := p.expectKW("REFERENCES"); err != nil {
		return err
	}
	if err := p.references(fk); err != nil {
		return err
	}
	if p.isKW("DEFERRABLE") || (p.isKW("NOT") && p.pos+1 < len(p.toks) && p.toks[p.pos+1].Is("DEFERRABLE")) {
		fk.Deferrable = p.deferClause()
	}
	t.ForeignKeys = append(t.ForeignKeys, fk)
	return nil
}

// resolveColumns spells the columns named by constraints as the column
// definitions do, since SQLite matches them case-insensitively.
func resolveColumns(t *Table) {
	fix := func(names []string) {
		for i, n := range names {
			if c := t.Column(n); c != nil {
				names[i] = c.Name
			}
		}
	}
	if t.PrimaryKey != nil {
		fix(t.PrimaryKey.Columns)
	}
	for _, u := range t.Uniques {
		fix(u.Columns)
	}
	for _, fk := range t.ForeignKeys {
		fix(fk.Columns)
	}
}

// ParseCreateIndex parses a CREATE INDEX statement. Indexed terms that are
// a plain column (possibly parenthesised) get Name; others keep Expr as
// written.
func ParseCreateIndex(sql string) (*Index, error) {
	ix, err := parseCreateIndex(sql)
	if err != nil {
		return nil, fmt.Errorf("parse CREATE INDEX %q: %w", oneLineAbbrev(sql), err)
	}
	return ix, nil
}

func parseCreateIndex(sql string) (*Index, error) {
	p, err := newParser(sql)
	if err != nil {
		return nil, err
	}
	if err := p.expectKW("CREATE"); err != nil {
		return nil, err
	}
	ix := &Index{SQL: sql, Unique: p.acceptKW("UNIQUE")}
	if err := p.expectKW("INDEX"); err != nil {
		return nil, err
	}
	p.acceptKW("IF", "NOT", "EXISTS")
	if ix.Name, err = p.qualifiedName("index name"); err != nil {
		return nil, err
	}
	if err := p.expectKW("ON"); err != nil {
		return nil, err
	}
	if ix.Table, err = p.name("table name"); err != nil {
		return nil, err
	}
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	for {
		col, err := p.indexColumn()
		if err != nil {
			return nil, err
		}
		ix.Columns = append(ix.Columns, col)
		if p.acceptOp(")") {
			break
		}
		if err := p.expectOp(","); err != nil {
			return nil, err
		}
	}
	if p.acceptKW("WHERE") {
		if ix.Where, err = p.restExpr(); err != nil {
			return nil, err
		}
	}
	p.acceptOp(";")
	if _, ok := p.peek(); ok {
		return nil, p.errorf("end of statement")
	}
	return ix, nil
}

// indexColumn parses expr [COLLATE name] [ASC|DESC]. SQLite reads COLLATE as
// part of the expression, so the trailing one is split off here.
func (p *parser) indexColumn() (IndexColumn, error) {
	first := p.pos
	if _, err := p.skipBalanced(",", ")"); err != nil {
		return IndexColumn{}, err
	}
	toks := p.toks[first:p.pos]
	var col IndexColumn
	if n := len(toks); n > 0 && (toks[n-1].Is("ASC") || toks[n-1].Is("DESC")) {
		col.Desc = toks[n-1].Is("DESC")
		toks = toks[:n-1]
	}
	if n := len(toks); n > 1 && toks[n-2].Is("COLLATE") && toks[n-1].Kind != sqltext.TokenOperator {
		col.Collation = toks[n-1].Value
		toks = toks[:n-2]
	}
	toks = sqltext.StripParens(toks)
	switch n := len(toks); {
	case n == 0 || toks[n-1].Is("ASC") || toks[n-1].Is("DESC"):
		p.pos = first
		return col, p.errorf("indexed column or expression")
	case len(toks) == 1 && (toks[0].Kind == sqltext.TokenIdent || toks[0].Kind == sqltext.TokenQuotedIdent):
		col.Name = toks[0].Value
	default:
		last := toks[len(toks)-1]
		col.Expr = p.sql[toks[0].Offset : last.Offset+len(last.Text)]
	}
	return col, nil
}

// restExpr consumes a balanced expression up to ';' or the end of input and
// returns it as written.
func (p *parser) restExpr() (string, error) {
	start, end, depth := p.offset(), p.offset(), 0
	for ; p.pos < len(p.toks); p.pos++ {
		t := p.toks[p.pos]
		if t.Kind == sqltext.TokenOperator {
			if t.Text == ";" && depth == 0 {
				break
			}
			if t.Text == "(" {
				depth++
			} else if t.Text == ")" {
				if depth == 0 {
					return "", p.errorf("end of expression")
				}
				depth--
			}
		}
		end = t.Offset + len(t.Text)
	}
	if depth != 0 {
		return "", p.errorf("')'")
	}
	if end == start {
		return "", p.errorf("expression")
	}
	return p.sql[start:end], nil
}
