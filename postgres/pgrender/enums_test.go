package pgrender

import (
	"errors"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/schema"
)

func TestCheckEnums(t *testing.T) {
	mood := &schema.Enum{Name: "mood", Values: []string{"happy", "sad"}}
	more := &schema.Enum{Name: "mood", Values: []string{"happy", "sad", "ok"}}
	for _, tc := range []struct {
		name            string
		current, target []*schema.Enum
		want            string // "" for no error
	}{
		{"none", nil, nil, ""},
		{"equal", []*schema.Enum{mood}, []*schema.Enum{mood}, ""},
		{"new", nil, []*schema.Enum{mood}, "the models create enum type mood with values (happy, sad), which the database lacks"},
		{"values", []*schema.Enum{mood}, []*schema.Enum{more}, "but the database's has (happy, sad)"},
		{"dropped", []*schema.Enum{mood}, nil, "the database has enum type mood, which the models do not create"},
	} {
		err := CheckEnums(&schema.Schema{Enums: tc.current}, &schema.Schema{Enums: tc.target})
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (!errors.Is(err, ErrEnum) || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}
