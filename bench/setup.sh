#!/usr/bin/env bash
# Installs what bench/run.sh compares autogen with: Alembic 1.8.1 and
# SQLAlchemy 1.4 from Debian (python3-alembic, its alembic command, and
# python3-psycopg2 for the PostgreSQL workloads). Not part of CI; needs root
# or sudo on a Debian or Ubuntu machine.
set -euo pipefail
if command -v alembic >/dev/null 2>&1; then
	echo "alembic is installed: $(command -v alembic)"
	exit 0
fi
sudo=
if [[ $(id -u) != 0 ]]; then sudo=sudo; fi
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq alembic python3-alembic python3-psycopg2
alembic --version 2>/dev/null || /usr/bin/python3 -c 'import alembic; print("alembic", alembic.__version__)'
