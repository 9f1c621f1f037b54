"""CPU seconds per Java thread, summed by thread name, at one moment of a benchmark run.

Waits until OUTPUT (a benchmark's stdout, being written) contains MARKER, then reads every Java
process's threads from /proc (utime + stime) and writes `process, pid, thread name, seconds` to
DEST, most first; digits in thread names become N so that pools sum up. The harness is the JVM
running IngestBenchmark, the broker the Kafka child JVM.

  python3 bench/probes/thread_cpu.py run.txt "run 2: 20000" threads.tsv &
  deploy/local/java.sh bench io.pixelstream.bench.IngestBenchmark --out run.json > run.txt
"""
import collections
import os
import re
import sys
import time


def kind(cmdline):
    if "IngestBenchmark" in cmdline:
        return "harness"
    if "KafkaBroker" in cmdline or "kafka" in cmdline.split(" -cp")[0].lower():
        return "broker"
    return "other"


def main(output, marker, dest):
    while True:
        try:
            with open(output) as f:
                if marker in f.read():
                    break
        except FileNotFoundError:
            pass
        time.sleep(0.2)
    tick = os.sysconf("SC_CLK_TCK")
    seconds = collections.Counter()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline") as f:
                cmdline = f.read().replace("\0", " ")
        except OSError:
            continue
        if "java" not in cmdline:
            continue
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            name = re.sub(r"\d+", "N", stat[stat.index("(") + 1 : stat.rindex(")")])
            fields = stat[stat.rindex(")") + 2 :].split()
            seconds[(kind(cmdline), pid, name)] += (int(fields[11]) + int(fields[12])) / tick
    with open(dest, "w") as out:
        for (k, pid, name), s in sorted(seconds.items(), key=lambda x: -x[1]):
            if s >= 0.1:
                out.write(f"{k}\t{pid}\t{name}\t{s:.2f}\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
