#!/usr/bin/env bash
# Times the autogen CLI as whole processes on generated workloads; see
# bench/README.md. Environment: RUNS (default 5), SIZES (W1/W1b table counts,
# default "1000 2000"), ROWS (W3 rows, default 1000000), ONLY (workloads,
# default "W1 W1b W2 W3 W4"), KEEP=1 keeps the work folder.
set -euo pipefail

RUNS=${RUNS:-5}
SIZES=${SIZES:-"1000 2000"}
ROWS=${ROWS:-1000000}
ONLY=${ONLY:-"W1 W1b W2 W3 W4"}

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/autogen-bench-XXXXXX")
if [[ "${KEEP:-}" == 1 ]]; then echo "work folder: $work"; else trap 'rm -rf "$work"' EXIT; fi

# The Go build cache must stay the user's warm one: it defaults to
# $XDG_CACHE_HOME/go-build, so pin it before moving XDG_CACHE_HOME, which
# only the loader cache should follow.
export GOCACHE=$(cd "$repo" && go env GOCACHE)
export GOMODCACHE=$(cd "$repo" && go env GOMODCACHE)
export GOPROXY=off GOFLAGS= GOWORK=off
export XDG_CACHE_HOME=$work/cache
unset AUTOGEN_CONFIG AUTOGEN_URL

bin=$work/bin
(cd "$repo" && go build -o "$bin/autogen" ./cmd/autogen && go build -o "$bin/gen" ./bench/gen \
	&& go build -o "$bin/measure" ./bench/measure && go build -o "$bin/handsql" ./bench/handsql)
ag=$bin/autogen
results=$work/results.txt
: >"$results"

# threads is the PRAGMA threads autogen's runner sets (runner.sorterThreads).
threads() { local n; n=$(nproc); echo $((n < 4 ? n : 4)); }
want() { [[ " $ONLY " == *" $1 "* ]]; }
# m LABEL CMD...: one measured run, appended to the results.
m() { local label=$1; shift; "$bin/measure" -o "$results" -label "$label" -- "$@"; }
quiet() { "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; "$@"; }; }

# W1: revision on N tables from an empty database, loader build included:
# the models are edited before every run (so they recompile) and the loader
# cache is emptied. W1b: check with nothing changed, loader cache warm.
if want W1 || want W1b; then
	for n in $SIZES; do
		app=$work/w1-$n
		mkdir -p "$app"
		"$bin/gen" models -dir "$app" -gosum "$repo/go.sum" -n "$n" -rev 0
		(cd "$app" && quiet "$ag" init migrations && quiet "$ag" revision -m warmup && rm -f migrations/versions/*.sql)
	done
	for i in $(seq 1 "$RUNS"); do
		for n in $SIZES; do
			app=$work/w1-$n
			"$bin/gen" models -dir "$app" -gosum "$repo/go.sum" -n "$n" -rev "$i"
			rm -rf "$XDG_CACHE_HOME/autogen" "$app"/migrations/versions/*.sql "$app/database.db"
			if want W1; then (cd "$app" && m "W1-revision-$n" "$ag" revision -m all); else (cd "$app" && quiet "$ag" revision -m all); fi
		done
	done
	if want W1b; then
		for n in $SIZES; do (cd "$work/w1-$n" && quiet "$ag" upgrade head && quiet "$ag" check); done
		for i in $(seq 1 "$RUNS"); do
			for n in $SIZES; do (cd "$work/w1-$n" && m "W1b-check-$n" "$ag" check); done
		done
	fi
fi

# W2: upgrade head through 200 one-column revisions. W4: current start-up.
if want W2 || want W4; then
	app=$work/w2
	mkdir -p "$app"
	(cd "$app" && quiet "$ag" init migrations)
	"$bin/gen" chain -dir "$app" -n 200
	(cd "$app" && quiet "$ag" upgrade head)
	# The same statements, one commit each, with nothing of autogen around.
	{ echo "CREATE TABLE wide (id INTEGER PRIMARY KEY);"; for c in $(seq 0 199); do echo "ALTER TABLE wide ADD COLUMN c$c INTEGER;"; done; } >"$app/chain.sql"
	for i in $(seq 1 "$RUNS"); do
		if want W2; then
			rm -f "$app/database.db" "$app/hand.db"
			(cd "$app" && m "W2-upgrade-200" "$ag" upgrade head)
			m "W2-handsql-200" "$bin/handsql" -db "$app/hand.db" each "$app/chain.sql"
		fi
		if want W4; then (cd "$app" && m "W4-current" "$ag" current); fi
	done
fi

# W3: rebuild of an 8-column, 2-index table of ROWS rows by autogen upgrade
# head, next to the same SQL run by handsql (W3-handsql, SQLite's defaults,
# the floor the target is set against; W3-handsql-threads, with the sorter
# threads autogen's runner sets); all start from a copy of the same
# database, copied outside the measurement.
if want W3; then
	app=$work/w3
	mkdir -p "$app"
	"$bin/gen" wide -dir "$app" -gosum "$repo/go.sum" -rev 0
	(cd "$app" && quiet "$ag" init migrations && quiet "$ag" revision -m create && quiet "$ag" upgrade head)
	"$bin/handsql" -db "$app/database.db" populate "$ROWS"
	"$bin/gen" wide -dir "$app" -gosum "$repo/go.sum" -rev 1
	(cd "$app" && quiet "$ag" revision -m rebuild)
	grep -q '_autogen_new_items' "$app"/migrations/versions/*_rebuild.sql || { echo "W3: the revision is not a rebuild" >&2; exit 1; }
	mv "$app/database.db" "$app/pristine.db"
	cat >"$app/hand.sql" <<'SQL'
PRAGMA foreign_keys=OFF;
BEGIN;
CREATE TABLE "_new_items" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "name" VARCHAR NOT NULL, "email" VARCHAR NOT NULL, "qty" INTEGER, "price" numeric(12,2) NOT NULL, "active" BOOLEAN NOT NULL DEFAULT false, "note" VARCHAR, "created_at" TIMESTAMP NOT NULL DEFAULT current_timestamp);
INSERT INTO "_new_items" SELECT * FROM "items";
DROP TABLE "items";
ALTER TABLE "_new_items" RENAME TO "items";
CREATE INDEX "items_created_qty_idx" ON "items" ("created_at", "qty");
CREATE INDEX "items_email_idx" ON "items" ("email");
COMMIT;
SQL
	for i in $(seq 1 "$RUNS"); do
		cp "$app/pristine.db" "$app/database.db"
		(cd "$app" && m "W3-autogen-$ROWS" "$ag" upgrade head)
		cp "$app/pristine.db" "$app/hand.db"
		m "W3-handsql-$ROWS" "$bin/handsql" -db "$app/hand.db" exec "$app/hand.sql"
		cp "$app/pristine.db" "$app/hand.db"
		m "W3-handsql-threads-$ROWS" "$bin/handsql" -db "$app/hand.db" -threads "$(threads)" exec "$app/hand.sql"
	done
fi

echo "autogen CLI benchmarks: $RUNS interleaved runs each, $(nproc) CPUs"
"$bin/measure" -summary "$results"
