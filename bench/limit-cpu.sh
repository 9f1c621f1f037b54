#!/usr/bin/env bash
# Runs a command (and every process it starts) limited to a share of the CPU, as on a slower
# machine: a cgroup CPU quota of CORES cores (e.g. 1.3 = 130 ms of CPU time per 100 ms).
#   bench/limit-cpu.sh 1.3 deploy/local/java.sh bench io.pixelstream.bench.IngestBenchmark --runs 3
# LIMIT_CPU_PERIOD_US (default 100000, the kernel's) sets the quota's period: once a period's
# quota is spent every thread of the command waits for the next period, where a slower machine
# slows every instruction evenly; a short period (10000) comes closer to that.
# The cgroup gets the largest CPU weight (cpu.weight 10000, v1 cpu.shares 262144): with the
# default (100 / 1024, one ordinary thread's) the kernel weighs the whole cgroup against each
# thread outside it, so on a busy machine the command got less than its quota (0.82-0.92 of 1.3
# cores seen, docs/benchmarks.md); now the quota is what limits it. LIMIT_CPU_WEIGHT=default keeps
# the kernel's default weight.
# Needs a writable cgroup CPU controller (root in a container, or a delegated cgroup): cgroup v2
# (cpu.max) or v1 (cpu.cfs_quota_us). Where there is none, it says so and stops.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: bench/limit-cpu.sh CORES COMMAND [ARGS...]" >&2
  exit 2
fi
cores="$1"; shift
period="${LIMIT_CPU_PERIOD_US:-100000}"
quota="$(awk -v c="$cores" -v p="$period" 'BEGIN { printf "%d", c * p }')"
name="pixelstream-bench-$$"
if [ -w /sys/fs/cgroup/cgroup.subtree_control ] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
  group="/sys/fs/cgroup/$name"
  mkdir "$group"
  echo "$quota $period" > "$group/cpu.max"
  [ "${LIMIT_CPU_WEIGHT:-max}" = default ] || echo 10000 > "$group/cpu.weight"
elif [ -w /sys/fs/cgroup/cpu ]; then
  group="/sys/fs/cgroup/cpu/$name"
  mkdir "$group"
  echo "$period" > "$group/cpu.cfs_period_us"
  echo "$quota" > "$group/cpu.cfs_quota_us"
  [ "${LIMIT_CPU_WEIGHT:-max}" = default ] || echo 262144 > "$group/cpu.shares"
else
  echo "limit-cpu: no writable cgroup CPU controller here" >&2
  exit 1
fi
trap 'rmdir "$group" 2>/dev/null || true' EXIT
echo "limit-cpu: $cores cores ($quota us per $period us, weight ${LIMIT_CPU_WEIGHT:-max}) in $group" >&2
# the subshell joins the cgroup, then becomes the command; its children inherit the cgroup
( echo "$BASHPID" > "$group/cgroup.procs" && exec "$@" )
