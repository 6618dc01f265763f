#!/usr/bin/env bash
# Times the autogen CLI as whole processes on generated workloads, side by
# side with Alembic and with the same SQL run by a minimal Go program; see
# bench/README.md. Environment: RUNS (default 5), SIZES (W1/W1b table
# counts, default "1000 2000"), ROWS (rows of the W3/W3b/W5 table, default
# 1000000), ONLY (workloads, default "W1 W1b W2 W3 W3b W4 W5"), ALEMBIC
# (1: time Alembic too, the default when the alembic command is installed;
# 0: autogen only), KEEP=1 keeps the work folder.
set -euo pipefail

RUNS=${RUNS:-5}
SIZES=${SIZES:-"1000 2000"}
ROWS=${ROWS:-1000000}
ONLY=${ONLY:-"W1 W1b W2 W3 W3b W4 W5"}

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/autogen-bench-XXXXXX")
if [[ "${KEEP:-}" == 1 ]]; then echo "work folder: $work"; else trap 'rm -rf "$work"' EXIT; fi

source "$repo/bench/common.sh"
build_tools handsql

# threads is the PRAGMA threads autogen's runner sets (runner.sorterThreads).
threads() { local n; n=$(nproc); echo $((n < 4 ? n : 4)); }
# upgrade_sql FILE: the upgrade section of an autogen revision, as a script
# a plain SQLite connection runs the way the runner does (foreign keys off,
# one transaction).
upgrade_sql() {
	echo "PRAGMA foreign_keys=OFF;"
	echo "BEGIN;"
	awk '/^-- \+autogen upgrade/{f=1; next} /^-- \+autogen downgrade/{f=0} f' "$1"
	echo "COMMIT;"
}

# W1: revision on N tables from an empty database, loader build included:
# the models are edited before every run (so they recompile) and the loader
# cache is emptied. W1b: check with nothing changed, loader cache warm, and
# check --migrations. Alembic's projects (a1-N) get the same edits: Python
# recompiles the edited models, as Go does.
if want W1 || want W1b; then
	for n in $SIZES; do
		app=$work/w1-$n
		mkdir -p "$app"
		"$bin/gen" models -dir "$app" -gosum "$repo/go.sum" -n "$n" -rev 0
		(cd "$app" && quiet "$ag" init migrations && quiet "$ag" revision -m warmup && rm -f migrations/versions/*.sql)
		if alembic_on; then
			mkdir -p "$work/a1-$n"
			"$bin/gen" alembic-models -dir "$work/a1-$n" -n "$n" -rev 0
		fi
	done
	for i in $(seq 1 "$RUNS"); do
		for n in $SIZES; do
			app=$work/w1-$n
			"$bin/gen" models -dir "$app" -gosum "$repo/go.sum" -n "$n" -rev "$i"
			rm -rf "$XDG_CACHE_HOME/autogen" "$app"/migrations/versions/*.sql "$app/database.db"
			if want W1; then (cd "$app" && m "W1-revision-$n" "$ag" revision -m all); else (cd "$app" && quiet "$ag" revision -m all); fi
			if alembic_on; then
				app=$work/a1-$n
				"$bin/gen" alembic-models -dir "$app" -n "$n" -rev "$i"
				rm -f "$app"/alembic/versions/*.py "$app/alembic.db"
				if want W1; then (cd "$app" && m "W1-alembic-$n" alembic revision --autogenerate -m all); else (cd "$app" && quiet alembic revision --autogenerate -m all); fi
			fi
		done
	done
	for n in $SIZES; do
		ratio "W1-revision-$n" "W1-alembic-$n"
		ratio "W1b-check-$n" "W1b-alembic-check-$n"
		ratio "W1b-check-migrations-$n" "W1b-alembic-check-$n"
		ratio "W1b-check-migrations-$n" "W1b-alembic-check-migrations-$n"
	done
	set -- $SIZES
	if [[ $# -gt 1 ]]; then
		ratio "W1-revision-$2" "W1-revision-$1"
		ratio "W1b-check-$2" "W1b-check-$1"
		ratio "W1-alembic-$2" "W1-alembic-$1"
	fi
	if want W1b; then
		for n in $SIZES; do
			(cd "$work/w1-$n" && quiet "$ag" upgrade head && quiet "$ag" check && quiet "$ag" check --migrations)
			if alembic_on; then
				app=$work/a1-$n
				(cd "$app" && quiet alembic upgrade head && quiet alembic -x check=1 revision --autogenerate -m check)
				# The two tools' models make the same schema: autogen finds
				# nothing to change in the database Alembic made.
				# (The copy is stamped at autogen's head, so check compares.)
				mkdir -p "$app/eq"
				cp "$app/alembic.db" "$app/eq/database.db"
				head=$(cd "$work/w1-$n" && "$ag" heads | cut -d' ' -f1)
				echo "UPDATE alembic_version SET version_num = '$head';" >"$app/eq/stamp.sql"
				"$bin/handsql" -db "$app/eq/database.db" exec "$app/eq/stamp.sql"
				(cd "$work/w1-$n" && "$ag" --url "sqlite:///$app/eq/database.db" check >"$app/eq/check.txt" 2>&1) || {
					echo "W1b: the SQLAlchemy models of $app do not make the bun models' schema:" >&2
					head -20 "$app/eq/check.txt" >&2
					exit 1
				}
			fi
		done
		for i in $(seq 1 "$RUNS"); do
			for n in $SIZES; do
				(cd "$work/w1-$n" && m "W1b-check-$n" "$ag" check && m "W1b-check-migrations-$n" "$ag" check --migrations)
				if alembic_on; then
					app=$work/a1-$n
					(cd "$app" && m "W1b-alembic-check-$n" alembic -x check=1 revision --autogenerate -m check)
					# check --migrations' counterpart: upgrade a new database
					# to head, then compare the models with it.
					rm -f "$app/scratch.db"
					(cd "$app" && m "W1b-alembic-check-migrations-$n" sh -c 'alembic -x db=scratch.db upgrade head && alembic -x db=scratch.db -x check=1 revision --autogenerate -m check')
				fi
			done
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
	if alembic_on; then mkdir -p "$work/a2" && "$bin/gen" alembic-chain -dir "$work/a2" -n 200; fi
	# The same statements, one commit each, with nothing of autogen around.
	{ echo "CREATE TABLE wide (id INTEGER PRIMARY KEY);"; for c in $(seq 0 199); do echo "ALTER TABLE wide ADD COLUMN c$c INTEGER;"; done; } >"$app/chain.sql"
	for i in $(seq 1 "$RUNS"); do
		if want W2; then
			rm -f "$app/database.db" "$app/hand.db"
			(cd "$app" && m "W2-upgrade-200" "$ag" upgrade head)
			m "W2-handsql-200" "$bin/handsql" -db "$app/hand.db" each "$app/chain.sql"
			if alembic_on; then rm -f "$work/a2/alembic.db" && (cd "$work/a2" && m "W2-alembic-200" alembic upgrade head); fi
		fi
		if want W4; then (cd "$app" && m "W4-current" "$ag" current); fi
	done
	ratio W2-upgrade-200 W2-handsql-200
	ratio W2-upgrade-200 W2-alembic-200
fi

# W3, W3b, W5: one change of an 8-column, 2-index table of ROWS rows,
# applied by autogen upgrade head, by handsql running the revision's
# upgrade SQL (-handsql: SQLite's defaults; -handsql-threads: the sorter
# threads autogen's runner sets) and by Alembic upgrade head in batch mode.
# W3: qty INTEGER -> BIGINT (same affinity); W3b: qty INTEGER -> VARCHAR(20),
# a rebuild for every tool; W5: active's default false -> true. All start
# from a copy of the same database, copied outside the measurement.
declare -A change=([W3]=bigint [W3b]=varchar [W5]=default)
wides=()
for w in W3 W3b W5; do if want "$w"; then wides+=("$w"); fi; done
if [[ ${#wides[@]} -gt 0 ]]; then
	base=$work/w3
	mkdir -p "$base"
	"$bin/gen" wide -dir "$base" -gosum "$repo/go.sum" -change none
	(cd "$base" && quiet "$ag" init migrations && quiet "$ag" revision -m create && quiet "$ag" upgrade head)
	"$bin/handsql" -db "$base/database.db" populate "$ROWS"
	mv "$base/database.db" "$base/pristine.db"
	echo "UPDATE alembic_version SET version_num = '0000000a1001';" >"$work/stamp.sql"
	for w in "${wides[@]}"; do
		c=${change[$w]}
		app=$work/$w
		mkdir -p "$app"
		cp -r "$base/migrations" "$base/alembic.ini" "$base/go.mod" "$base/go.sum" "$app/"
		"$bin/gen" wide -dir "$app" -gosum "$repo/go.sum" -change "$c"
		cp "$base/pristine.db" "$app/database.db"
		(cd "$app" && quiet "$ag" revision -m "$c")
		rm "$app/database.db"
		upgrade_sql "$app"/migrations/versions/*_"$c".sql >"$app/hand.sql"
		if alembic_on; then
			mkdir -p "$app/alembic-app"
			"$bin/gen" alembic-wide -dir "$app/alembic-app" -change "$c"
			cp "$base/pristine.db" "$app/alembic-pristine.db"
			"$bin/handsql" -db "$app/alembic-pristine.db" exec "$work/stamp.sql"
		fi
		ratio "$w-autogen-$ROWS" "$w-alembic-$ROWS"
		ratio "$w-autogen-$ROWS" "$w-handsql-$ROWS"
		ratio "$w-autogen-$ROWS" "$w-handsql-threads-$ROWS"
	done
	for i in $(seq 1 "$RUNS"); do
		for w in "${wides[@]}"; do
			app=$work/$w
			# sync after each copy: else the first fsync inside the timed
			# run flushes the copy's dirty pages (150 MB at 1,000,000 rows).
			cp "$base/pristine.db" "$app/database.db" && sync
			(cd "$app" && m "$w-autogen-$ROWS" "$ag" upgrade head)
			cp "$base/pristine.db" "$app/hand.db" && sync
			m "$w-handsql-$ROWS" "$bin/handsql" -db "$app/hand.db" exec "$app/hand.sql"
			cp "$base/pristine.db" "$app/hand.db" && sync
			m "$w-handsql-threads-$ROWS" "$bin/handsql" -db "$app/hand.db" -threads "$(threads)" exec "$app/hand.sql"
			if alembic_on; then
				cp "$app/alembic-pristine.db" "$app/alembic-app/alembic.db" && sync
				(cd "$app/alembic-app" && m "$w-alembic-$ROWS" alembic upgrade head)
			fi
			rm -f "$app/database.db" "$app/hand.db" "$app/alembic-app/alembic.db"
		done
	done
fi

echo "autogen CLI benchmarks: $RUNS interleaved runs each, $(nproc) CPUs"
"$bin/measure" -summary "$results" "${ratios[@]}"
