# Sourced by bench/run.sh and bench/run_pg.sh once they have set repo (the
# checkout) and work (the work folder): the environment both run in, the
# tools they build, and the helpers they time with.

if [[ -z "${ALEMBIC:-}" ]]; then
	ALEMBIC=0
	if command -v alembic >/dev/null 2>&1; then ALEMBIC=1; else echo "alembic not installed (bench/setup.sh): timing autogen only" >&2; fi
fi

# The Go build cache must stay the user's warm one: it defaults to
# $XDG_CACHE_HOME/go-build, so pin it before moving XDG_CACHE_HOME, which
# only autogen's caches should follow.
export GOCACHE=$(cd "$repo" && go env GOCACHE)
export GOMODCACHE=$(cd "$repo" && go env GOMODCACHE)
# The workloads' builds must not fetch while timed: download what the repo
# (and so every workload, which uses its modules) needs first, then turn
# the proxy off.
(cd "$repo" && go mod download) || return
export GOPROXY=off GOFLAGS= GOWORK=off
export XDG_CACHE_HOME=$work/cache
unset AUTOGEN_CONFIG AUTOGEN_URL
# Alembic writes its bytecode next to the models, as it does for users.
unset PYTHONDONTWRITEBYTECODE

bin=$work/bin
ag=$bin/autogen
results=$work/results.txt
: >"$results"
ratios=()

# build_tools TOOL...: autogen, bench/gen, bench/measure and bench/TOOL
# into $bin.
build_tools() {
	local t
	(cd "$repo" && go build -o "$bin/autogen" ./cmd/autogen) || return
	for t in gen measure "$@"; do
		(cd "$repo" && go build -o "$bin/$t" "./bench/$t") || return
	done
}
want() { [[ " $ONLY " == *" $1 "* ]]; }
alembic_on() { [[ "$ALEMBIC" == 1 ]]; }
# m LABEL CMD...: one measured run, appended to the results.
m() { local label=$1; shift; "$bin/measure" -o "$results" -label "$label" -- "$@"; }
quiet() { "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; "$@"; }; }
# ratio A B: report label A's medians over label B's.
ratio() { ratios+=(-ratio "$1=$2"); }
