#!/usr/bin/env bash
# fuzz.sh DURATION — run every Fuzz* target in the module for DURATION each
# (seed corpus plus DURATION of new inputs). A failure prints the log and
# exits non-zero.
set -euo pipefail
dur=${1:-5s}
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
targets=$(grep -rE --include='*_test.go' -o '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' . | sed -E 's/:func (Fuzz[A-Za-z0-9_]*).*/ \1/' | sort -u)
n=0
while read -r file name; do
	[[ -z "$file" ]] && continue
	dir=$(dirname "$file")
	echo "fuzz $dir $name ($dur)"
	if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$dur" -fuzzminimizetime 200x "$dir" >"$log" 2>&1; then
		cat "$log"
		echo "fuzz: $dir $name failed"
		exit 1
	fi
	n=$((n + 1))
done <<<"$targets"
echo "fuzz: $n targets ran"
