#!/usr/bin/env bash
# Times the autogen CLI on PostgreSQL as whole processes, side by side with
# Alembic (SQLAlchemy 1.4 on psycopg2) in the same run, against a private
# cluster this script starts (bench/pgcluster: the cluster internal/pgtest
# starts for the tests). See bench/README.md, "PostgreSQL". Environment:
# RUNS (default 5), SIZES (W1/W1b table counts, default 1000), ONLY
# (workloads, default "W1 W1b W2"), ALEMBIC (0: autogen only), KEEP=1
# keeps the work folder.
set -euo pipefail

RUNS=${RUNS:-5}
SIZES=${SIZES:-1000}
ONLY=${ONLY:-"W1 W1b W2"}

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/autogen-bench-pg-XXXXXX")
chmod 755 "$work"
pgpid=
cleanup() {
	if [[ -n "$pgpid" ]]; then kill "$pgpid" 2>/dev/null && wait "$pgpid" || true; fi
	if [[ "${KEEP:-}" != 1 ]]; then rm -rf "$work"; fi
}
trap cleanup EXIT
if [[ "${KEEP:-}" == 1 ]]; then echo "work folder: $work"; fi

source "$repo/bench/common.sh"
build_tools pgcluster

"$bin/pgcluster" -socket "$work/socket" &
pgpid=$!
for _ in $(seq 1 600); do
	[[ -s "$work/socket" ]] && break
	kill -0 "$pgpid" 2>/dev/null || { echo "the PostgreSQL cluster did not start" >&2; exit 1; }
	sleep 0.2
done
sock=$(cat "$work/socket")
# url NAME: database NAME of the cluster, as both tools take it.
url() { echo "postgresql://postgres@/$1?host=$sock"; }
# fresh NAME: an empty database NAME (dropped first if it exists).
fresh() {
	psql -X -q -h "$sock" -U postgres -d postgres -v ON_ERROR_STOP=1 \
		-c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1 TEMPLATE template0" >/dev/null
}

# W1: revision on N tables from an empty database, the models edited and
# the loader cache emptied before every run (as bench/run.sh does on
# SQLite); Alembic autogenerates from the same tables in SQLAlchemy.
# W1b: check with nothing changed against a database upgraded to head,
# and check --migrations; Alembic's check (-x check=1, see bench/README.md)
# and its --migrations counterpart (upgrade a new database, then check).
if want W1 || want W1b; then
	for n in $SIZES; do
		app=$work/w1-$n
		mkdir -p "$app"
		"$bin/gen" models-pg -dir "$app" -gosum "$repo/go.sum" -n "$n" -rev 0
		fresh "w1_$n"
		(cd "$app" && quiet "$ag" init migrations && quiet "$ag" --url "$(url "w1_$n")" revision -m warmup && rm -f migrations/versions/*.sql)
		if alembic_on; then
			mkdir -p "$work/a1-$n"
			"$bin/gen" alembic-models-pg -dir "$work/a1-$n" -n "$n" -rev 0
		fi
	done
	for i in $(seq 1 "$RUNS"); do
		for n in $SIZES; do
			app=$work/w1-$n
			"$bin/gen" models-pg -dir "$app" -gosum "$repo/go.sum" -n "$n" -rev "$i"
			rm -rf "$XDG_CACHE_HOME/autogen" "$app"/migrations/versions/*.sql
			fresh "w1_$n"
			if want W1; then (cd "$app" && m "W1-pg-revision-$n" "$ag" --url "$(url "w1_$n")" revision -m all); else (cd "$app" && quiet "$ag" --url "$(url "w1_$n")" revision -m all); fi
			if alembic_on; then
				app=$work/a1-$n
				"$bin/gen" alembic-models-pg -dir "$app" -n "$n" -rev "$i"
				rm -f "$app"/alembic/versions/*.py
				fresh "a1_$n"
				if want W1; then (cd "$app" && m "W1-pg-alembic-$n" alembic -x url="$(url "a1_$n")" revision --autogenerate -m all); else (cd "$app" && quiet alembic -x url="$(url "a1_$n")" revision --autogenerate -m all); fi
			fi
		done
	done
	for n in $SIZES; do
		ratio "W1-pg-revision-$n" "W1-pg-alembic-$n"
		ratio "W1b-pg-check-$n" "W1b-pg-alembic-check-$n"
		ratio "W1b-pg-check-migrations-$n" "W1b-pg-alembic-check-$n"
		ratio "W1b-pg-check-migrations-$n" "W1b-pg-alembic-check-migrations-$n"
	done
	if want W1b; then
		for n in $SIZES; do
			fresh "c_$n"
			(cd "$work/w1-$n" && quiet "$ag" --url "$(url "c_$n")" upgrade head && quiet "$ag" --url "$(url "c_$n")" check \
				&& quiet "$ag" --url "$(url "c_$n")" check --migrations)
			if alembic_on; then
				fresh "ac_$n"
				(cd "$work/a1-$n" && quiet alembic -x url="$(url "ac_$n")" upgrade head && quiet alembic -x url="$(url "ac_$n")" -x check=1 revision --autogenerate -m check)
				# How far the two tools' models agree: autogen's check
				# against a copy of the database Alembic made, stamped at
				# autogen's head (printed, not fatal).
				head=$(cd "$work/w1-$n" && "$ag" --url "$(url "c_$n")" heads | cut -d' ' -f1)
				psql -X -q -h "$sock" -U postgres -d postgres -c "CREATE DATABASE eq_$n TEMPLATE ac_$n" >/dev/null
				psql -X -q -h "$sock" -U postgres -d "eq_$n" -c "UPDATE alembic_version SET version_num = '$head'" >/dev/null
				(cd "$work/w1-$n" && "$ag" --url "$(url "eq_$n")" check >"$work/eq-$n.txt" 2>&1) \
					&& echo "W1b: autogen check finds nothing to change in the database Alembic made ($n tables)" \
					|| { echo "W1b: autogen check against the database Alembic made ($n tables), first lines:"; head -8 "$work/eq-$n.txt"; }
			fi
		done
		for i in $(seq 1 "$RUNS"); do
			for n in $SIZES; do
				(cd "$work/w1-$n" && m "W1b-pg-check-$n" "$ag" --url "$(url "c_$n")" check \
					&& m "W1b-pg-check-migrations-$n" "$ag" --url "$(url "c_$n")" check --migrations)
				if alembic_on; then
					app=$work/a1-$n
					(cd "$app" && m "W1b-pg-alembic-check-$n" alembic -x url="$(url "ac_$n")" -x check=1 revision --autogenerate -m check)
					fresh "as_$n"
					(cd "$app" && m "W1b-pg-alembic-check-migrations-$n" sh -c 'alembic -x url="$1" upgrade head && alembic -x url="$1" -x check=1 revision --autogenerate -m check' sh "$(url "as_$n")")
				fi
			done
		done
	fi
fi

# W2: upgrade head through 200 one-column revisions from an empty
# database; psql running the same statements (one commit each); Alembic.
if want W2; then
	app=$work/w2
	mkdir -p "$app"
	(cd "$app" && quiet "$ag" init migrations)
	"$bin/gen" chain -dir "$app" -n 200
	{ echo "CREATE TABLE wide (id INTEGER PRIMARY KEY);"; for c in $(seq 0 199); do echo "ALTER TABLE wide ADD COLUMN c$c INTEGER;"; done; } >"$app/chain.sql"
	if alembic_on; then mkdir -p "$work/a2" && "$bin/gen" alembic-chain -dir "$work/a2" -n 200; fi
	for i in $(seq 1 "$RUNS"); do
		fresh w2
		(cd "$app" && m "W2-pg-upgrade-200" "$ag" --url "$(url w2)" upgrade head)
		fresh w2psql
		m "W2-pg-psql-200" psql -X -q -h "$sock" -U postgres -d w2psql -v ON_ERROR_STOP=1 -f "$app/chain.sql"
		if alembic_on; then fresh a2 && (cd "$work/a2" && m "W2-pg-alembic-200" alembic -x url="$(url a2)" upgrade head); fi
	done
	ratio W2-pg-upgrade-200 W2-pg-psql-200
	ratio W2-pg-upgrade-200 W2-pg-alembic-200
fi

echo "autogen CLI benchmarks on PostgreSQL $(psql -X -At -h "$sock" -U postgres -d postgres -c 'show server_version'): $RUNS interleaved runs each, $(nproc) CPUs, load: $(uptime | sed 's/.*load average/load average/')"
"$bin/measure" -summary "$results" "${ratios[@]}"
