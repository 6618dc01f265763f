#!/usr/bin/env bash
# Runs every fuzz target of the module, one after the other, for a set time
# each (default 10m, the issue's minimum). Any crasher go test finds is saved
# under the package's testdata/fuzz/FuzzX/ and makes this script exit 1; turn
# it into a regression test in that package.
#
#   scripts/fuzz.sh [-t DURATION] [-p PARALLEL] [-l LOGDIR] [TARGET-REGEXP]
#
#   -t  time per target, a Go duration (10m, 3m, 90s); $FUZZTIME also works
#   -p  fuzzing workers per target (default: go test's, GOMAXPROCS)
#   -l  folder for one log per target (default: a temporary folder)
#   TARGET-REGEXP  only targets whose name matches (grep -E), e.g. 'Tokenize|Config'
set -euo pipefail

fuzztime=${FUZZTIME:-10m}
parallel=""
logdir=""
while getopts "t:p:l:h" opt; do
	case $opt in
	t) fuzztime=$OPTARG ;;
	p) parallel=$OPTARG ;;
	l) logdir=$OPTARG ;;
	*) sed -n '2,12p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
only=${1:-.}

cd "$(dirname "$0")/.."
logdir=${logdir:-$(mktemp -d -t autogen-fuzz-XXXXXX)}
mkdir -p "$logdir"

# Every "func FuzzX(f *testing.F)" in a _test.go file, as "dir FuzzX".
targets=$(grep -rE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+\(f \*testing\.F\)' . \
	| sed -E 's#^(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]+)\(.*#\1 \2#' \
	| sort -u | grep -E " Fuzz[A-Za-z0-9_]*($only)" || true)
if [ -z "$targets" ]; then
	echo "fuzz.sh: no fuzz target matches '$only'" >&2
	exit 2
fi

failed=0
while read -r dir name; do
	log="$logdir/$(echo "$dir" | tr '/.' '__')_$name.log"
	args=(test -run='^$' -fuzz="^${name}\$" -fuzztime="$fuzztime")
	[ -n "$parallel" ] && args+=(-parallel="$parallel")
	start=$(date +%s)
	if go "${args[@]}" "$dir" >"$log" 2>&1; then
		result=ok
	else
		result=FAIL
		failed=1
	fi
	execs=$(grep -oE 'execs: [0-9]+' "$log" | tail -1 | cut -d' ' -f2 || true)
	printf '%-4s %-10s %-28s %4ss  %s execs  %s\n' "$result" "$dir" "$name" "$(($(date +%s) - start))" "${execs:-?}" "$log"
	if [ "$result" = FAIL ]; then
		grep -E 'Failing input written to|--- FAIL|panic:' "$log" | head -5 | sed 's/^/     /'
	fi
done <<<"$targets"
exit $failed
