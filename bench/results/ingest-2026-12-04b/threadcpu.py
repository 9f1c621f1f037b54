#!/usr/bin/env python3
# samples per-thread CPU of the JVM in a pixelstream-bench cgroup; prints per interval top thread groups
import os, sys, time, re, glob
interval = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
out = open(sys.argv[2], 'w') if len(sys.argv) > 2 else sys.stdout
tck = os.sysconf('SC_CLK_TCK')
def find():
    for p in glob.glob('/proc/[0-9]*'):
        try:
            cg = open(p + '/cgroup').read()
            if 'pixelstream-bench' in cg and open(p + '/comm').read().strip() == 'java':
                return p
        except Exception:
            pass
    return None
def group(name):
    name = re.sub(r'\d+', '#', name)
    return name
pid = None
while pid is None:
    pid = find(); time.sleep(0.2)
print('pid', pid, file=out, flush=True)
prev = {}
while os.path.exists(pid):
    now = {}
    for t in glob.glob(pid + '/task/*'):
        try:
            s = open(t + '/stat').read()
            comm = s[s.index('(') + 1:s.rindex(')')]
            f = s[s.rindex(')') + 2:].split()
            now[t] = (comm, int(f[11]) + int(f[12]))
        except Exception:
            pass
    agg = {}
    for t, (comm, cpu) in now.items():
        d = cpu - prev.get(t, (comm, cpu if prev else 0))[1] if prev else 0
        if d:
            g = group(comm); agg[g] = agg.get(g, 0) + d
    prev = now
    tot = sum(agg.values())
    items = sorted(agg.items(), key=lambda x: -x[1])[:8]
    print('%.1f tot=%.2f ' % (time.time(), tot / tck / interval) + ' '.join('%s=%.2f' % (k, v / tck / interval) for k, v in items), file=out, flush=True)
    time.sleep(interval)
