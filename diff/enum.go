package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/autogen-dev/autogen/schema"
)

// CreateEnum creates a PostgreSQL enum type of the target schema.
type CreateEnum struct{ Enum *schema.Enum }

// DropEnum drops an enum type of the current schema.
type DropEnum struct{ Enum *schema.Enum }

// AddEnumValues adds values to an enum type: New holds Old's values in
// the same order, and more.
type AddEnumValues struct{ Old, New *schema.Enum }

// RenameEnumValue renames one value of an enum type: Old and New hold the
// same values in the same order but one, From in Old and To in New, and
// neither label is on the other side. Rows holding From read To after it.
type RenameEnumValue struct {
	Old, New *schema.Enum
	From, To string
}

// ChangeEnumValues removes or reorders values of an enum type (and may add
// some): what PostgreSQL's ALTER TYPE cannot do, so the type is made anew
// and the columns using it converted.
type ChangeEnumValues struct{ Old, New *schema.Enum }

// EnumValue is a value AddEnumValues adds, with its place: after After,
// else before Before; both are "" for a value appended at the end.
type EnumValue struct {
	Label, Before, After string
}

// Added lists the values o adds in the order ALTER TYPE ... ADD VALUE must
// add them, each placed by a neighbour that exists by then; a value that
// is last when it is added needs no place.
func (o *AddEnumValues) Added() []EnumValue {
	old := map[string]bool{}
	for _, v := range o.Old.Values {
		old[v] = true
	}
	vals := o.New.Values
	var out []EnumValue
	for i, v := range vals {
		if old[v] {
			continue
		}
		ev := EnumValue{Label: v}
		if next := slices.IndexFunc(vals[i+1:], func(w string) bool { return old[w] }); next >= 0 {
			if i > 0 {
				ev.After = vals[i-1]
			} else {
				ev.Before = vals[i+1+next]
			}
		}
		out = append(out, ev)
	}
	return out
}

// Removed lists Old's values that New lacks, in Old's order.
func (o *ChangeEnumValues) Removed() []string { return missing(o.Old.Values, o.New.Values) }

// Added lists New's values that Old lacks, in New's order.
func (o *ChangeEnumValues) Added() []string { return missing(o.New.Values, o.Old.Values) }

func missing(from, in []string) []string {
	var out []string
	for _, v := range from {
		if !slices.Contains(in, v) {
			out = append(out, v)
		}
	}
	return out
}

// compareEnums pairs enum types by name: creations and value changes, then
// drops, each sorted by name.
func compareEnums(current, target []*schema.Enum) (early, drops []Op) {
	byName := map[string]*schema.Enum{}
	for _, e := range current {
		byName[e.Name] = e
	}
	wanted := map[string]bool{}
	for _, e := range sortedEnums(target) {
		wanted[e.Name] = true
		old := byName[e.Name]
		if old == nil {
			early = append(early, &CreateEnum{Enum: e})
			continue
		}
		if op := enumChange(old, e); op != nil {
			early = append(early, op)
		}
	}
	for _, e := range sortedEnums(current) {
		if !wanted[e.Name] {
			drops = append(drops, &DropEnum{Enum: e})
		}
	}
	return early, drops
}

func sortedEnums(enums []*schema.Enum) []*schema.Enum {
	out := slices.Clone(enums)
	slices.SortFunc(out, func(a, b *schema.Enum) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// enumChange is the operation turning old's values into new's, nil when
// they are equal.
func enumChange(old, new *schema.Enum) Op {
	if slices.Equal(old.Values, new.Values) {
		return nil
	}
	if isSubsequence(old.Values, new.Values) {
		return &AddEnumValues{Old: old, New: new}
	}
	if from, to, ok := renamedValue(old.Values, new.Values); ok {
		return &RenameEnumValue{Old: old, New: new, From: from, To: to}
	}
	return &ChangeEnumValues{Old: old, New: new}
}

// isSubsequence reports whether sub's values appear in all, in order.
func isSubsequence(sub, all []string) bool {
	i := 0
	for _, v := range all {
		if i < len(sub) && sub[i] == v {
			i++
		}
	}
	return i == len(sub)
}

// renamedValue finds the one position at which old and new differ, when
// they are of one length, differ nowhere else, and neither label is on the
// other side: the only reading of such an edit that keeps every row.
func renamedValue(old, new []string) (from, to string, ok bool) {
	if len(old) != len(new) {
		return "", "", false
	}
	at := -1
	for i := range old {
		if old[i] != new[i] {
			if at >= 0 {
				return "", "", false
			}
			at = i
		}
	}
	if at < 0 || slices.Contains(new, old[at]) || slices.Contains(old, new[at]) {
		return "", "", false
	}
	return old[at], new[at], true
}

// Describe implements Op.
func (o *CreateEnum) Describe() string { return fmt.Sprintf("added enum type '%s'", o.Enum.Name) }

// Describe implements Op.
func (o *DropEnum) Describe() string { return fmt.Sprintf("removed enum type '%s'", o.Enum.Name) }

// Describe implements Op.
func (o *AddEnumValues) Describe() string {
	var labels []string
	for _, v := range o.Added() {
		labels = append(labels, v.Label)
	}
	return fmt.Sprintf("added %s %s to enum type '%s'", valueWord(len(labels)), quoteLabels(labels), o.New.Name)
}

// Describe implements Op.
func (o *RenameEnumValue) Describe() string {
	return fmt.Sprintf("renamed value '%s' of enum type '%s' to '%s'", o.From, o.New.Name, o.To)
}

// Describe implements Op.
func (o *ChangeEnumValues) Describe() string {
	var parts []string
	if r := o.Removed(); len(r) > 0 {
		parts = append(parts, "removed "+valueWord(len(r))+" "+quoteLabels(r))
	}
	if a := o.Added(); len(a) > 0 {
		parts = append(parts, "added "+valueWord(len(a))+" "+quoteLabels(a))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("reordered the values of enum type '%s'", o.New.Name)
	}
	return fmt.Sprintf("%s of enum type '%s'", strings.Join(parts, ", "), o.New.Name)
}

func valueWord(n int) string {
	if n == 1 {
		return "value"
	}
	return "values"
}

func quoteLabels(labels []string) string {
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = "'" + l + "'"
	}
	return strings.Join(out, ", ")
}

// Destructive implements Op.
func (o *CreateEnum) Destructive() bool { return false }

// Destructive implements Op: no column uses the type by then.
func (o *DropEnum) Destructive() bool { return false }

// Destructive implements Op.
func (o *AddEnumValues) Destructive() bool { return false }

// Destructive implements Op: rows keep their value under its new label.
func (o *RenameEnumValue) Destructive() bool { return false }

// Destructive implements Op: a removed value can no longer be stored, and
// rows holding it make the upgrade fail.
func (o *ChangeEnumValues) Destructive() bool { return len(o.Removed()) > 0 }

// Table implements Op: an enum type belongs to no table.
func (o *CreateEnum) Table() string { return "" }

// Table implements Op.
func (o *DropEnum) Table() string { return "" }

// Table implements Op.
func (o *AddEnumValues) Table() string { return "" }

// Table implements Op.
func (o *RenameEnumValue) Table() string { return "" }

// Table implements Op.
func (o *ChangeEnumValues) Table() string { return "" }

func (o *CreateEnum) rank() int       { return 0 }
func (o *DropEnum) rank() int         { return 0 }
func (o *AddEnumValues) rank() int    { return 0 }
func (o *RenameEnumValue) rank() int  { return 0 }
func (o *ChangeEnumValues) rank() int { return 0 }

// impliedByRename leaves out the changes a value rename makes by itself:
// a default, a CHECK or an index holds the value, not its label, so after
// RENAME VALUE 'a' TO 'b' a constant 'a'::t there reads 'b'::t. A dropped
// and an added CHECK or index that differ only so are both left out.
func impliedByRename(tableOps, enumOps []Op) []Op {
	var renames []*RenameEnumValue
	for _, op := range enumOps {
		if r, ok := op.(*RenameEnumValue); ok {
			renames = append(renames, r)
		}
	}
	if len(renames) == 0 {
		return tableOps
	}
	relabel := func(text string) string {
		for _, r := range renames {
			text = renameLabel(text, r)
		}
		return text
	}
	implied := map[Op]bool{}
	for _, op := range tableOps {
		switch o := op.(type) {
		case *AlterColumn:
			implied[op] = o.Attr == AttrDefault && o.Old.Type == o.New.Type && o.Old.Default != o.New.Default &&
				relabel(o.Old.Default) == o.New.Default
		case *DropCheck:
			for _, other := range tableOps {
				if a, ok := other.(*AddCheck); ok && a.TableName == o.TableName && a.Check.Name == o.Check.Name &&
					relabel(o.Check.Expr) == a.Check.Expr && a.Check.Expr != o.Check.Expr {
					implied[op], implied[other] = true, true
				}
			}
		case *DropIndex:
			for _, other := range tableOps {
				if a, ok := other.(*AddIndex); ok && a.Index.Name == o.Index.Name &&
					relabel(o.Index.SQL) == a.Index.SQL && a.Index.SQL != o.Index.SQL {
					implied[op], implied[other] = true, true
				}
			}
		}
	}
	return slices.DeleteFunc(tableOps, func(op Op) bool { return implied[op] })
}

// renameLabel rewrites the constants of r's enum type holding r.From, as
// the server deparses them ('from'::t, t quoted where need be), to hold
// r.To.
func renameLabel(text string, r *RenameEnumValue) string {
	q := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'::" }
	for _, typ := range []string{r.New.Name, `"` + strings.ReplaceAll(r.New.Name, `"`, `""`) + `"`} {
		text = replaceConstant(text, q(r.From)+typ, q(r.To)+typ)
		text = renameInArrays(text, typ, r.From, r.To)
	}
	return text
}

// renameInArrays rewrites the array constants of type typ[] in text
// ('{a,"b c"}'::typ[], as the server deparses them), each element equal
// to from becoming to.
func renameInArrays(text, typ, from, to string) string {
	end := "}'::" + typ + "[]"
	var b strings.Builder
	for {
		e := strings.Index(text, end)
		start := strings.LastIndex(text[:max(e, 0)], "'{")
		if e < 0 || start < 0 {
			b.WriteString(text)
			return b.String()
		}
		body := strings.ReplaceAll(text[start+2:e], "''", "'")
		elems, ok := arrayElements(body)
		if ok {
			for i, el := range elems {
				if el != nil && *el == from {
					elems[i] = &to
				}
			}
			body = arrayText(elems)
		}
		b.WriteString(text[:start+2] + strings.ReplaceAll(body, "'", "''") + end)
		text = text[e+len(end):]
	}
}

// arrayElements reads the elements of a one-dimensional array literal's
// body as array_out writes it: bare, or double-quoted with backslash
// escapes; a bare NULL is nil. ok is false for anything else.
func arrayElements(body string) (elems []*string, ok bool) {
	if body == "" {
		return nil, true
	}
	for i := 0; ; {
		var el strings.Builder
		quoted := i < len(body) && body[i] == '"'
		if quoted {
			for i++; i < len(body) && body[i] != '"'; i++ {
				if body[i] == '\\' {
					i++
				}
				if i >= len(body) {
					return nil, false
				}
				el.WriteByte(body[i])
			}
			if i >= len(body) {
				return nil, false
			}
			i++
		} else {
			for ; i < len(body) && body[i] != ','; i++ {
				if strings.ContainsRune(`{}"\`, rune(body[i])) {
					return nil, false
				}
				el.WriteByte(body[i])
			}
		}
		s := el.String()
		if !quoted && strings.EqualFold(s, "NULL") {
			elems = append(elems, nil)
		} else {
			elems = append(elems, &s)
		}
		if i == len(body) {
			return elems, true
		}
		if body[i] != ',' {
			return nil, false
		}
		i++
	}
}

// arrayText writes elements as array_out does.
func arrayText(elems []*string) string {
	out := make([]string, len(elems))
	for i, el := range elems {
		switch {
		case el == nil:
			out[i] = "NULL"
		case *el == "" || strings.EqualFold(*el, "NULL") || strings.ContainsAny(*el, "{}\",\\ \t\n\r\v\f"):
			out[i] = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(*el) + `"`
		default:
			out[i] = *el
		}
	}
	return strings.Join(out, ",")
}

// replaceConstant replaces old by new where old is not followed by more
// of a name (a type "mood" is not "moods").
func replaceConstant(text, old, new string) string {
	var b strings.Builder
	for {
		i := strings.Index(text, old)
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		rest := text[i+len(old):]
		b.WriteString(text[:i])
		if rest != "" && (rest[0] == '_' || rest[0] == '$' || rest[0] >= '0' && rest[0] <= '9' ||
			rest[0] >= 'a' && rest[0] <= 'z' || rest[0] >= 'A' && rest[0] <= 'Z' || rest[0] >= 0x80) {
			b.WriteString(old)
		} else {
			b.WriteString(new)
		}
		text = rest
	}
}
