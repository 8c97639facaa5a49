#!/usr/bin/env bash
# fuzz.sh DURATION — run every Fuzz* target in the module for DURATION each.
set -euo pipefail
dur=${1:-5s}
cd "$(dirname "$0")/.."
grep -rl --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' . | sort | while read -r file; do
	dir=$(dirname "$file")
	grep -oE '^func Fuzz[A-Za-z0-9_]*' "$file" | sed 's/^func //' | while read -r name; do
		echo "fuzz $dir $name ($dur)"
		go test -run '^$' -fuzz "^${name}\$" -fuzztime "$dur" "$dir" >/tmp/fuzz.$$.log 2>&1 || {
			cat /tmp/fuzz.$$.log
			exit 1
		}
	done
done
echo "fuzz: all targets ran"
