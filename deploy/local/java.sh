#!/usr/bin/env bash
# Runs a main class of one module with that module's classpath (written by the build to
# <module>/target/run.classpath) and the JVM flags the project needs (DJL offline with a project
# cache, one intra-op thread, the module openings Flink expects on Java 17).
#   deploy/local/java.sh <module> <main-class> [args...]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
module="$1"; main="$2"; shift 2
cp_file="$root/$module/target/run.classpath"
if [ ! -f "$cp_file" ]; then
  echo "building (first run) ..." >&2
  (cd "$root" && mvn -B -q -DskipTests -Dspotless.check.skip=true install)
fi
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$root/.cache/djl}"
# the log folder: log4j's file and what native libraries print once (core's NativeStderr)
log_dir="${PIXELSTREAM_LOG_DIR:-$root/data/logs}"
mkdir -p "$log_dir"
# the module openings Flink and DJL need on Java 17, shared with the other launchers
mapfile -t opens < "$root/deploy/local/jvm-opens.txt"
exec java ${JAVA_OPTS:--Xmx4g} "${opens[@]}" \
  -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -DDJL_CACHE_DIR="$DJL_CACHE_DIR" \
  -Dlog4j2.configurationFile="$root/deploy/local/log4j2.properties" -Dpixelstream.log.dir="$log_dir" \
  -cp "$root/$module/target/classes:$(cat "$cp_file")" "$main" "$@"
