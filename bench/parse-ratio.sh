#!/bin/sh
# parse-ratio.sh BIN [RUNS] [VARIANT]: target 1's ratio, measured in pairs.
# BIN is this module's test binary (go test -c -o BIN .). For each stream
# of the issue's mix, each run reads it bare, then parses it (VARIANT:
# parse-transient, the default, or parse, the retaining reader), one right
# after the other in one process; the script prints every run's
# "read events/s, parse events/s, parse/read" sorted by ratio, and the
# median run. The read ceiling moves by +-25 % from minute to minute on a
# shared VM, so a ratio is only meaningful within a pair.
set -eu
bin=$1
runs=${2:-9}
variant=${3:-parse-transient}
cd "$(dirname "$0")"
for s in calls calls-plain calls-json; do
	echo "== $s ($variant)"
	i=0
	while [ "$i" -lt "$runs" ]; do
		"$bin" -test.run XXX -test.bench "Loopback/$s/(read|$variant)\$" -test.count 1 2>&1 |
			awk -v v="$variant" '/events\/s/ { for (i = 1; i < NF; i++) if ($(i+1) == "events/s") e = $i
				if ($1 ~ /\/read-/) r = e; else if (index($1, "/" v "-")) p = e }
				END { printf "%d %d %.3f\n", r, p, p / r }'
		i=$((i + 1))
	done | sort -k3 -n | awk '{a[NR]=$0; print} END{print "median:", a[int((NR+1)/2)]}'
done
