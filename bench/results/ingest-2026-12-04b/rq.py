import sys,re
exec(open('/tmp/s36/phases.py').read().split('for n in sys.argv')[0])
for n in sys.argv[1:]:
    rows=[l for l in open('/tmp/s36/%s.ts'%n) if l[0].isdigit()]
    out=[]
    for a,c,name in phases(n):
        v={'src':[0,0],'idx':[0,0]}; m=0
        for l in rows:
            if a<=float(l.split()[0])<c:
                m+=1
                for k in v:
                    mm=re.search(k+r' cpu=([\d.]+) rq=([\d.]+)',l)
                    if mm: v[k][0]+=float(mm.group(1)); v[k][1]+=float(mm.group(2))
        out.append('%s src cpu %.2f rq %.2f, idx cpu %.2f rq %.2f'%(name,v['src'][0]/m,v['src'][1]/m,v['idx'][0]/m,v['idx'][1]/m))
    print(n,'; '.join(out))
