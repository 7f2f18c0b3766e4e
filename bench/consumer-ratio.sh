#!/bin/sh
# consumer-ratio.sh BIN [RUNS]: the host's Lua consumer ratio, measured in
# pairs. BIN is a test binary of package host (go test -c -o BIN ./host/).
# Each run reads the stream bare, then through the Lua host, in one process;
# the script prints each run's "read events/s, lua events/s, lua/read" sorted
# by ratio, then the median run. The read ceiling moves from minute to
# minute on a shared VM, so a ratio is only meaningful within a run.
set -eu
bin=$1
runs=${2:-9}
cd "$(dirname "$0")/../host"
i=0
while [ "$i" -lt "$runs" ]; do
	"$bin" -test.run XXX -test.bench 'BenchmarkConsumer/(read|lua)$' -test.benchtime 300000x -test.count 1 2>&1 |
		awk '/read-/{r=$(NF-1)} /lua-/{l=$(NF-3); x=$(NF-1)} END{print r, l, x}'
	i=$((i + 1))
done | sort -k3 -n | awk '{a[NR]=$0; print} END{print "median:", a[int((NR+1)/2)]}'
