#!/bin/sh
# Builds the linking-free e2e fixture from the synthetic generator.
#
#   cd /work/main && go run ./cmd/imet generate --students 900 --seed 20261127 --clean --out /tmp/e2e-gen
#   sh transform/testdata/e2e/make_fixture.sh [/tmp/e2e-gen]
#
# Every dataset file is copied byte for byte, except career_events and hr_flags:
# a row with an empty student_id (column 2) gets the student_id that
# _truth/links.csv gives it when expect = link, and is dropped when expect is
# anything else (ambiguous, unmatched). All other columns, the header and the
# column order are kept exactly. A row with empty student_id that links.csv
# does not know aborts the script. (Column 1, the event/flag id, never holds a
# comma, so splitting the line on its first two commas is safe.)
set -eu
GEN=${1:-/tmp/e2e-gen}
OUT=$(cd "$(dirname "$0")" && pwd)

for d in "$GEN"/*/; do
  ds=$(basename "$d")
  case "$ds" in _*|.*) continue ;; esac
  f="$d$ds.csv"
  [ -f "$f" ] || { echo "missing $f" >&2; exit 1; }
  case "$ds" in
    career_events|hr_flags)
      awk -F, -v ds="$ds" '
        NR == FNR { if (FNR > 1 && $1 == ds) { exp_[$2] = $5; sid[$2] = $3 }; next }
        FNR == 1  { print; next }
        $2 == "" {
          if (!($1 in exp_)) { print "no link truth for " ds " " $1 > "/dev/stderr"; bad = 1; exit 1 }
          if (exp_[$1] != "link") { dropped++; next }
          print $1 "," sid[$1] substr($0, length($1) + 2); filled++; next
        }
        { print }
        END { if (!bad) printf "%s: filled %d, dropped %d\n", ds, filled, dropped > "/dev/stderr"; exit bad }
      ' "$GEN/_truth/links.csv" "$f" > "$OUT/$ds.csv"
      ;;
    *) cp "$f" "$OUT/$ds.csv" ;;
  esac
done
ls -l "$OUT"/*.csv >&2
