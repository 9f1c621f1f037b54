#!/usr/bin/env python3
# every 50 ms: state + wchan of the job's main task threads; per second: cpu and runqueue wait (schedstat)
import os, sys, time, glob, collections
out = open(sys.argv[1], 'w')
names = {'Source: kafka-i': 'src', 'lucene-index: W': 'idx', 'publish shard 0': 'pub'}
def find():
    for p in glob.glob('/proc/[0-9]*'):
        try:
            if 'pixelstream-bench' in open(p + '/cgroup').read() and open(p + '/comm').read().strip() == 'java':
                return p
        except Exception: pass
pid = None
while not pid:
    pid = find(); time.sleep(0.2)
tids = {}
last = time.time(); counts = collections.defaultdict(collections.Counter); prev = {}
while os.path.exists(pid):
    if len(tids) < 3:
        for t in glob.glob(pid + '/task/*'):
            try:
                c = open(t + '/comm').read().strip()
                if c in names: tids[names[c]] = t
            except Exception: pass
    for k, t in tids.items():
        try:
            s = open(t + '/stat').read(); st = s[s.rindex(')') + 2]
            w = open(t + '/wchan').read().strip() if st != 'R' else ''
            counts[k][st + ':' + w] += 1
        except Exception: pass
    now = time.time()
    if now - last >= 1.0:
        parts = []
        for k, t in sorted(tids.items()):
            try:
                cpu, wait, _ = map(int, open(t + '/schedstat').read().split())
            except Exception:
                continue
            pc, pw = prev.get(k, (cpu, wait)); prev[k] = (cpu, wait)
            top = ' '.join('%s=%d' % (a, b) for a, b in counts[k].most_common(4))
            parts.append('%s cpu=%.2f rq=%.2f [%s]' % (k, (cpu - pc) / 1e9 / (now - last), (wait - pw) / 1e9 / (now - last), top))
        print('%.1f ' % now + ' | '.join(parts), file=out, flush=True)
        counts.clear(); last = now
    time.sleep(0.05)
