import sys
def phases(n):
    txt=open('/tmp/s36/%s.txt'%n).read().splitlines()
    t2=[float(l.split()[0]) for l in txt if 'run 2: 20000' in l][0]
    fr=[float(l.split()[0]) for l in txt if 'freshness at' in l]
    return [(t2,fr[0],'fresh0'),(fr[0],fr[1],'fresh1'),(fr[1],fr[2],'fresh2')]
for n in sys.argv[1:]:
    try: rows=[l.split() for l in open('/tmp/s36/%s.proc'%n) if l[0].isdigit()]
    except Exception: continue
    for a,c,name in phases(n):
        sel=[r for r in rows if a<=float(r[0])<c]; g={}
        for r in sel:
            for kv in r[1:]:
                k,v=kv.rsplit('=',1); k=k.split(':')[0].replace('CG_1','job'); g[k]=g.get(k,0)+float(v)
        m=len(sel) or 1
        print(n,name,' '.join('%s=%.2f'%(k,g.get(k,0)/m) for k in ['all','job','job/jit','IngestBenchmark','IngestBenchmark/jit','Kafka','Kafka/jit']))
