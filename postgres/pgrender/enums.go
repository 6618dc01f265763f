package pgrender

import (
	"fmt"
	"slices"
	"strings"

	"github.com/autogen-dev/autogen/schema"
)

// ErrEnum is wrapped by CheckEnums' error.
var ErrEnum = fmt.Errorf("enum types differ")

// CheckEnums refuses schemas whose enum types differ: diff has no
// operation for them yet, so a revision would leave the change out (or
// create a column of a type that does not exist). Equal enum types, such
// as those a hand-written revision created, are fine.
func CheckEnums(current, target *schema.Schema) error {
	for _, want := range target.Enums {
		have := findEnum(current.Enums, want.Name)
		if have == nil || !slices.Equal(have.Values, want.Values) {
			return enumError(want, have)
		}
	}
	for _, have := range current.Enums {
		if findEnum(target.Enums, have.Name) == nil {
			return fmt.Errorf("%w: the database has enum type %s, which the models do not create; autogen does not write enum changes on PostgreSQL yet: drop it in a hand-written revision", ErrEnum, have.Name)
		}
	}
	return nil
}

func findEnum(enums []*schema.Enum, name string) *schema.Enum {
	for _, e := range enums {
		if e.Name == name {
			return e
		}
	}
	return nil
}

func enumError(want, have *schema.Enum) error {
	what := "which the database lacks"
	if have != nil {
		what = "but the database's has (" + strings.Join(have.Values, ", ") + ")"
	}
	return fmt.Errorf("%w: the models create enum type %s with values (%s), %s; autogen does not write enum changes on PostgreSQL yet: write CREATE TYPE / ALTER TYPE ... ADD VALUE in a hand-written revision, upgrade, and generate again",
		ErrEnum, want.Name, strings.Join(want.Values, ", "), what)
}
