package diff

import "testing"

// TestCompareManaged: a view or trigger that autogen created for the models
// (its stored text carries schema.ManagedMarker) is dropped once the models
// lose it; one made by hand is kept, and the marker never makes an object
// differ from the models' text.
func TestCompareManaged(t *testing.T) {
	const a = `CREATE TABLE a (id INTEGER PRIMARY KEY);`
	tests := []struct {
		name, current, target, want string
	}{
		{name: "managed view and trigger removed from the models",
			current: a + `CREATE VIEW "v" /* autogen: managed */ AS SELECT id FROM a;
CREATE TRIGGER "tr" /* autogen: managed */ AFTER INSERT ON a BEGIN SELECT 1; END;`,
			target: a,
			want:   "removed trigger 'tr' on 'a'\nremoved view 'v'\n"},
		{name: "unmanaged view and trigger kept",
			current: a + `CREATE VIEW v AS SELECT id FROM a;
CREATE TRIGGER tr /* some other comment */ AFTER INSERT ON a BEGIN SELECT 1; END;`,
			target: a},
		{name: "marker elsewhere than after the name is not managed",
			current: a + `CREATE TRIGGER tr AFTER INSERT ON a BEGIN /* autogen: managed */ SELECT 1; END;`,
			target:  a},
		{name: "managed and still in the models: the marker does not count",
			current: a + `CREATE VIEW v /* autogen: managed */ AS SELECT id FROM a;
CREATE TRIGGER tr /* autogen: managed */ AFTER INSERT ON a BEGIN SELECT 1; END;`,
			target: a + `CREATE VIEW v AS SELECT id FROM a;
CREATE TRIGGER tr AFTER INSERT ON a BEGIN SELECT 1; END;`},
		{name: "managed trigger removed, hand-made one on the same table kept",
			current: a + `CREATE TRIGGER tr /* autogen: managed */ AFTER INSERT ON a BEGIN SELECT 1; END;
CREATE TRIGGER mine AFTER DELETE ON a BEGIN SELECT 2; END;`,
			target: a,
			want:   "removed trigger 'tr' on 'a'\n"},
		{name: "managed trigger changed in the models",
			current: a + `CREATE TRIGGER tr /* autogen: managed */ AFTER INSERT ON a BEGIN SELECT 1; END;`,
			target:  a + `CREATE TRIGGER tr AFTER INSERT ON a BEGIN SELECT 2; END;`,
			want:    "removed trigger 'tr' on 'a'\nadded trigger 'tr' on 'a'\n"},
		{name: "managed trigger goes with its dropped table",
			current: a + `CREATE TABLE b (id INTEGER PRIMARY KEY);
CREATE TRIGGER tr /* autogen: managed */ AFTER INSERT ON b BEGIN SELECT 1; END;`,
			target: a,
			want:   "removed table 'b'\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ops, err := Compare(inspect(t, tt.current), inspect(t, tt.target), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := describe(ops); got != tt.want {
				t.Errorf("Compare:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}
