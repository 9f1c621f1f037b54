#!/usr/bin/env python3
# every second: CPU of each process (top 6) and, inside the JVMs, of compiler threads
import os, sys, time, glob
out = open(sys.argv[1], 'w'); tck = os.sysconf('SC_CLK_TCK')
prev = {}
def label(p):
    try:
        cmd = open(p + '/cmdline').read().split('\0')
        cg = 'CG ' if 'pixelstream-bench' in open(p + '/cgroup').read() else ''
        main = [c for c in cmd if c.startswith('io.pixelstream') or c.startswith('kafka.') or c.startswith('org.apache')]
        return cg + (main[-1].split('.')[-1] if main else os.path.basename(cmd[0]))[:28]
    except Exception:
        return '?'
labels = {}
stop = time.time() + float(sys.argv[2])
while time.time() < stop:
    now = {}
    for t in glob.glob('/proc/[0-9]*/task/[0-9]*'):
        try:
            s = open(t + '/stat').read(); f = s[s.rindex(')') + 2:].split()
            comm = s[s.index('(') + 1:s.rindex(')')]
            now[t] = (t.split('/')[2], 'JIT' if 'CompilerThre' in comm else 'x', int(f[11]) + int(f[12]))
        except Exception: pass
    agg = {}
    for t, (pid, kind, cpu) in now.items():
        if t in prev:
            d = cpu - prev[t][2]
            if d:
                if pid not in labels: labels[pid] = label('/proc/' + pid)
                k = labels[pid]; agg[k] = agg.get(k, 0) + d
                if kind == 'JIT': agg[k + '/jit'] = agg.get(k + '/jit', 0) + d
    prev = now
    tot = sum(v for k, v in agg.items() if not k.endswith('/jit'))
    items = sorted(agg.items(), key=lambda x: -x[1])[:9]
    print('%.1f all=%.2f ' % (time.time(), tot / tck) + ' '.join('%s=%.2f' % (k.replace(' ', '_'), v / tck) for k, v in items), file=out, flush=True)
    time.sleep(1)
