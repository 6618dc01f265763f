package workload

import (
	"fmt"
	"strings"
)

// The Alembic side of the side-by-side benchmarks: a Python project per
// workload whose SQLAlchemy models create the tables bun creates for the Go
// models (same names, declared types, defaults, keys and indexes), so that
// bench/run.sh times the two tools on the same schema. bench/run.sh checks
// the equivalence by running `autogen check` against a database Alembic
// made; nothing here is part of autogen.

// AlembicVersions is the versions folder of the Alembic projects.
const AlembicVersions = "alembic/versions"

// alembicINI points Alembic at the project's folder and its database; -x
// db=PATH overrides the SQLite database, -x url=URL the whole URL (the
// PostgreSQL workloads of bench/run_pg.sh); env.py reads them.
const alembicINI = `[alembic]
script_location = alembic
prepend_sys_path = .
sqlalchemy.url = sqlite:///alembic.db
`

// alembicEnv is env.py: online migrations on one connection, batch mode
// for SQLite, types compared (the default from Alembic 1.12 on; server
// defaults are not, as by default: on SQLite Alembic 1.8 reports every
// parenthesised one as changed).
// -x check=1 turns "revision --autogenerate" into what Alembic 1.9's
// "check" does (1.8.1, Debian's, has no check command): the comparison
// runs, no file is written, and the exit code says whether it found
// differences.
const alembicEnv = `import sys

import sqlalchemy as sa
from alembic import context

xargs = context.get_x_argument(as_dictionary=True)
url = context.config.get_main_option("sqlalchemy.url")
if "db" in xargs:
    url = "sqlite:///" + xargs["db"]
if "url" in xargs:
    url = xargs["url"]

target = None
if context.config.get_main_option("bench.models") == "yes":
    import models
    target = models.Base.metadata


def include_object(obj, name, type_, reflected, compare_to):
    # Alembic 1.8 takes AUTOINCREMENT's bookkeeping table for a table of
    # the database that the models lack.
    return name != "sqlite_sequence"


def only_check(ctx, revision, directives):
    if xargs.get("check") != "1":
        return
    ops = directives[0].upgrade_ops
    directives[:] = []
    if not ops.is_empty():
        for d in ops.as_diffs():
            print(d)
        print("FAILED: New upgrade operations detected")
        sys.exit(1)
    print("No new upgrade operations detected.")


engine = sa.create_engine(url)
with engine.connect() as conn:
    context.configure(
        connection=conn,
        target_metadata=target,
        compare_type=True,
        include_object=include_object,
        render_as_batch=True,
        process_revision_directives=only_check,
    )
    with context.begin_transaction():
        context.run_migrations()
`

// alembicMako is the revision template.
const alembicMako = `"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
`

// alembicBase is the models package's shared part: the declarative base and
// bun's spelling of float64, which SQLAlchemy writes REAL.
const alembicBase = `import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import declarative_base

Base = declarative_base()


@compiles(sa.REAL, "sqlite")
@compiles(sa.REAL, "postgresql")
def double_precision(type_, compiler, **kw):
    """bun declares float64 DOUBLE PRECISION (a REAL to SQLite)."""
    return "DOUBLE PRECISION"


# bun declares int64 and int BIGINT on PostgreSQL (BIGSERIAL for an
# autoincrement key) and INTEGER on SQLite.
Int = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# and time.Time TIMESTAMPTZ on PostgreSQL.
Timestamp = sa.TIMESTAMP().with_variant(sa.TIMESTAMP(timezone=True), "postgresql")
`

// alembicProject is the files every Alembic project has; withModels says
// whether env.py imports the models package.
func alembicProject(withModels bool) map[string]string {
	ini := alembicINI
	if withModels {
		ini += "bench.models = yes\n"
	}
	return map[string]string{
		"alembic.ini":                   ini,
		"alembic/env.py":                alembicEnv,
		"alembic/script.py.mako":        alembicMako,
		AlembicVersions + "/.gitignore": "",
	}
}

// AlembicModels is the Alembic project for Models(n, rev): a package
// "models" of SQLAlchemy declarative classes in files of 100, as Models
// writes its Go files, with the same columns, defaults, unique groups,
// belongs-to relationships and indexes.
func AlembicModels(n, rev int) map[string]string { return alembicModels(n, rev, sharedGroup) }

// AlembicModelsPG is the Alembic project for ModelsPG(n, rev).
func AlembicModelsPG(n, rev int) map[string]string { return alembicModels(n, rev, tableGroup) }

func alembicModels(n, rev int, group func(int) string) map[string]string {
	files := alembicProject(true)
	const perFile = 100
	var init strings.Builder
	init.WriteString("from ._base import Base\n")
	files["models/_base.py"] = alembicBase
	for f := 0; f*perFile < n; f++ {
		fmt.Fprintf(&init, "from . import models%02d\n", f)
		var b strings.Builder
		b.WriteString("import sqlalchemy as sa\nfrom sqlalchemy.orm import relationship\n\nfrom ._base import Base, Int, Timestamp\n")
		for i := f * perFile; i < min(n, (f+1)*perFile); i++ {
			fmt.Fprintf(&b, "\n\nclass M%04d(Base):\n    __tablename__ = \"t%04d\"\n    __table_args__ = (\n", i, i)
			if i%5 == 0 {
				fmt.Fprintf(&b, "        sa.UniqueConstraint(\"a\", \"b\", name=%q),\n", group(i))
			}
			if i%7 == 0 {
				fmt.Fprintf(&b, "        sa.Index(\"t%04d_count_idx\", \"count\"),\n", i)
			}
			b.WriteString("        {\"sqlite_autoincrement\": True},\n    )\n\n")
			b.WriteString("    id = sa.Column(Int, primary_key=True)\n")
			b.WriteString("    name = sa.Column(sa.String, nullable=False, unique=True)\n")
			fmt.Fprintf(&b, "    code = sa.Column(sa.String, nullable=False, server_default=sa.text(\"'c%d'\"))\n", rev)
			b.WriteString("    a = sa.Column(sa.String)\n    b = sa.Column(sa.String)\n")
			b.WriteString("    count = sa.Column(Int)\n    price = sa.Column(sa.REAL)\n")
			b.WriteString("    active = sa.Column(sa.Boolean(create_constraint=False), nullable=False, server_default=sa.text(\"false\"))\n")
			b.WriteString("    note = sa.Column(sa.String)\n    data = sa.Column(sa.LargeBinary)\n")
			b.WriteString("    created_at = sa.Column(Timestamp, nullable=False, server_default=sa.text(\"current_timestamp\"))\n")
			if p := parent(i); p >= 0 {
				fmt.Fprintf(&b, "    parent_id = sa.Column(Int, sa.ForeignKey(\"t%04d.id\", ondelete=\"CASCADE\"), nullable=False)\n", p)
				fmt.Fprintf(&b, "    parent = relationship(\"M%04d\", remote_side=\"M%04d.id\")\n", p, p)
			} else {
				b.WriteString("    parent_id = sa.Column(Int)\n")
			}
		}
		files[fmt.Sprintf("models/models%02d.py", f)] = b.String()
	}
	files["models/__init__.py"] = init.String()
	return files
}

// Chain is n autogen revision files in migrations/versions, each adding
// one column to one table (the first also creates it).
func Chain(n int) map[string]string {
	files := map[string]string{}
	chain(n, 0xc0100, "", func(i int, id, parent string) {
		up := fmt.Sprintf("ALTER TABLE wide ADD COLUMN c%d INTEGER;", i)
		if i == 0 {
			up = "CREATE TABLE wide (id INTEGER PRIMARY KEY);\n" + up
		}
		files[fmt.Sprintf("migrations/versions/%s_column_%d.sql", id, i)] = fmt.Sprintf(
			"-- column %d\n--\n-- Revision ID: %s\n-- Revises: %s\n-- Create Date: 2026-01-01 00:00:00.000000\n\n-- +autogen upgrade\n%s\n\n-- +autogen downgrade\nALTER TABLE wide DROP COLUMN c%d;\n",
			i, id, parent, up, i)
	})
	return files
}

// AlembicChain is Chain as an Alembic project.
func AlembicChain(n int) map[string]string {
	files := alembicProject(false)
	chain(n, 0xa0100, "None", func(i int, id, parent string) {
		if parent != "None" {
			parent = fmt.Sprintf("%q", parent)
		}
		up := fmt.Sprintf("    op.add_column(\"wide\", sa.Column(\"c%d\", sa.Integer()))\n", i)
		if i == 0 {
			up = "    op.create_table(\"wide\", sa.Column(\"id\", sa.Integer(), primary_key=True))\n" + up
		}
		files[fmt.Sprintf("%s/%s_column_%d.py", AlembicVersions, id, i)] = alembicRevision(fmt.Sprintf("column %d", i), id, parent,
			up, fmt.Sprintf("    op.drop_column(\"wide\", \"c%d\")\n", i))
	})
	return files
}

// chain calls rev for each of n revisions in a line, with its index, id
// (base+i in hex) and parent's id (none for the first).
func chain(n, base int, none string, rev func(i int, id, parent string)) {
	parent := none
	for i := range n {
		id := fmt.Sprintf("%012x", base+i)
		rev(i, id, parent)
		parent = id
	}
}

// Wide changes of the items table (bench/gen wide -change).
const (
	ChangeNone    = "none"    // the table as created
	ChangeBigint  = "bigint"  // qty INTEGER -> BIGINT: same affinity
	ChangeVarchar = "varchar" // qty INTEGER -> VARCHAR(20): a rebuild for every tool
	ChangeDefault = "default" // active's default false -> true
)

// WideChanges lists the changes Wide and AlembicWide know.
var WideChanges = []string{ChangeNone, ChangeBigint, ChangeVarchar, ChangeDefault}

// AlembicWideBase is the revision id of the Alembic project's revision that
// creates items: a database made by autogen is stamped with it.
const AlembicWideBase = "0000000a1001"

// AlembicWide is the Alembic project for the items table of bench/gen wide:
// a first revision creating it and, unless change is ChangeNone, a second
// one making change in batch mode, as `alembic revision --autogenerate`
// writes it with render_as_batch.
func AlembicWide(change string) (map[string]string, error) {
	files := alembicProject(false)
	files[AlembicVersions+"/"+AlembicWideBase+"_create.py"] = alembicRevision("create", AlembicWideBase, "None", `    op.create_table(
        "items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("qty", sa.Integer()),
        sa.Column("price", sa.Float()),
        sa.Column("active", sa.Boolean(create_constraint=False), server_default=sa.text("false"), nullable=False),
        sa.Column("note", sa.String()),
        sa.Column("created_at", sa.TIMESTAMP(), server_default=sa.text("current_timestamp"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index("items_email_idx", "items", ["email"])
    op.create_index("items_created_qty_idx", "items", ["created_at", "qty"])
`, "    op.drop_table(\"items\")\n")
	var up, down string
	switch change {
	case ChangeNone:
		return files, nil
	case ChangeBigint:
		up = `batch_op.alter_column("qty", existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=True)`
		down = `batch_op.alter_column("qty", existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=True)`
	case ChangeVarchar:
		up = `batch_op.alter_column("qty", existing_type=sa.Integer(), type_=sa.String(length=20), existing_nullable=True)`
		down = `batch_op.alter_column("qty", existing_type=sa.String(length=20), type_=sa.Integer(), existing_nullable=True)`
	case ChangeDefault:
		up = `batch_op.alter_column("active", existing_type=sa.Boolean(), server_default=sa.text("true"), existing_nullable=False)`
		down = `batch_op.alter_column("active", existing_type=sa.Boolean(), server_default=sa.text("false"), existing_nullable=False)`
	default:
		return nil, fmt.Errorf("unknown change %q: want one of %s", change, strings.Join(WideChanges, ", "))
	}
	batch := func(s string) string {
		return "    with op.batch_alter_table(\"items\", schema=None) as batch_op:\n        " + s + "\n"
	}
	files[AlembicVersions+"/0000000a1002_"+change+".py"] = alembicRevision(change, "0000000a1002", fmt.Sprintf("%q", AlembicWideBase), batch(up), batch(down))
	return files, nil
}

// alembicRevision is a revision file as Alembic writes it; parent is a
// Python expression.
func alembicRevision(message, id, parent, up, down string) string {
	return fmt.Sprintf(`"""%s

Revision ID: %s
"""
from alembic import op
import sqlalchemy as sa

revision = %q
down_revision = %s
branch_labels = None
depends_on = None


def upgrade():
%s

def downgrade():
%s`, message, id, id, parent, up, down)
}
