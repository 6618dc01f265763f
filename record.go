package autogen

import (
	"context"
	"fmt"
	"reflect"

	"github.com/autogen-dev/autogen/loader"
)

// RecordModels is LoadModels for models linked into the calling program:
// each is a pointer to a model struct, such as (*models.Team)(nil). It
// records what bun runs to create their tables (the models'
// AfterCreateTableHooks included) with package loader's recorder, the one
// the loader's program runs inside the user's module, here without a go
// command. Models an m2m relation joins through must be among them; they
// are registered first, as a bun app must.
//
// A model bun cannot create a table for is an error naming its type.
func RecordModels(ctx context.Context, models ...any) (*Models, error) {
	return record(ctx, loader.SQLite, models)
}

// RecordPostgresModels is RecordModels with bun's pgdialect: what bun
// runs to create the models' tables on PostgreSQL (Models.PostgreSQL set).
func RecordPostgresModels(ctx context.Context, models ...any) (*Models, error) {
	return record(ctx, loader.PostgreSQL, models)
}

func record(ctx context.Context, d loader.Dialect, models []any) (*Models, error) {
	for _, m := range models {
		if t := reflect.TypeOf(m); t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
			return nil, fmt.Errorf("model %v is not a pointer to a struct, such as (*models.Team)(nil)", t)
		}
	}
	res, err := loader.Describe(ctx, d, models...)
	if err != nil {
		return nil, err
	}
	m := modelsOf(res)
	m.PostgreSQL = d == loader.PostgreSQL
	return m, nil
}
