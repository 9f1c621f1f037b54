#!/usr/bin/env bash
# A standalone Flink session cluster from Flink's Maven jars (no Flink download): a job manager and
# a task manager with 2 slots as background JVMs, configured by deploy/flink-session/conf/, web UI
# and REST on http://localhost:8081, logs and pids in <data-dir>/flink-session/. Then submit the
# shaded job jar with Flink's CLI, as on any Flink cluster:
#   deploy/local/flink-session.sh start [--data-dir data]
#   deploy/local/flink-session.sh run --kafka.bootstrap-servers 127.0.0.1:9092 \
#       --model.registry data/registry --index.root data/index --job.parallelism 2
#   deploy/local/flink-session.sh stop [--data-dir data]
# The input topics must exist (deploy/local/run.sh creates them; see schemas/topics.md).
# FlinkSessionClusterITCase does the same and checks the index the job wrote.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
command="${1:-}"; shift || true
data="data"
if [ "${1:-}" = "--data-dir" ]; then data="$2"; shift 2; fi
dir="$data/flink-session"
cp_file="$root/deploy/flink-session/target/flink-session.classpath"
job_jar="$(ls "$root"/flink-jobs/target/flink-jobs-*-job.jar 2>/dev/null | head -1 || true)"
if [ ! -f "$cp_file" ] || [ -z "$job_jar" ]; then
  echo "building (first run) ..." >&2
  (cd "$root" && mvn -B -q -DskipTests -Dspotless.check.skip=true install)
  job_jar="$(ls "$root"/flink-jobs/target/flink-jobs-*-job.jar | head -1)"
fi
# the module openings Flink and DJL need on Java 17, shared with the other launchers
mapfile -t opens < "$root/deploy/local/jvm-opens.txt"
export FLINK_CONF_DIR="$root/deploy/flink-session/conf"
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$root/.cache/djl}"
jvm() { # heap, main class, args...
  local heap="$1"; shift
  exec java "-Xmx$heap" "${opens[@]}" -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 \
    -Dlog4j.configurationFile="$FLINK_CONF_DIR/log4j.properties" -cp "$(cat "$cp_file")" "$@"
}
case "$command" in
  start)
    mkdir -p "$dir"
    jvm 512m org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
      --configDir "$FLINK_CONF_DIR" > "$dir/jobmanager.log" 2>&1 &
    echo $! > "$dir/pids"
    jvm 1152m org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
      --configDir "$FLINK_CONF_DIR" > "$dir/taskmanager.log" 2>&1 &
    echo $! >> "$dir/pids"
    echo "session cluster starting: http://localhost:8081 (logs in $dir)" ;;
  run)
    jvm 512m org.apache.flink.client.cli.CliFrontend run -d "$job_jar" "$@" ;;
  stop)
    [ -f "$dir/pids" ] && kill $(cat "$dir/pids") 2>/dev/null || true
    rm -f "$dir/pids"; echo "session cluster stopped" ;;
  *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
