#!/usr/bin/env bash
# run.sh NAME [extra env assignments via env]; runs IngestBenchmark 1.3 cores with samplers
name=$1; shift
[ "${name#b5}" != "$name" ] && export LIMIT_CPU_WEIGHT=default
cd /work/main
( deploy/local/java.sh bench io.pixelstream.bench.IngestBenchmark --fresh-topic true --job-cores 1.3 --out /tmp/s36/$name.json "$@" 2>&1 | while IFS= read -r l; do printf "%s %s\n" "$(date +%s.%N | cut -c1-14)" "$l"; done > /tmp/s36/$name.txt ) &
sleep 2
python3 /tmp/s36/threadcpu.py 1 /tmp/s36/$name.cpu > /dev/null 2>&1 &
python3 /tmp/s36/tstate.py /tmp/s36/$name.ts > /dev/null 2>&1 &
python3 /tmp/s36/proccpu.py /tmp/s36/$name.proc 400 > /dev/null 2>&1 &
wait
