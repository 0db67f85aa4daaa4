// Summarise a V8 .cpuprofile (from `npm run bench -- --profile` or `node --cpu-prof`): the top N functions by self
// time and by inclusive time. `CALLERS=name node bench/topFrames.cjs file [N]` also lists who calls `name`.
'use strict';
const fs = require('fs');
const file = process.argv[2]; const N = +(process.argv[3] || 25);
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map(n => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas; const samples = prof.samples;
const counts = new Map();
for (let i = 0; i < samples.length; i++) counts.set(samples[i], (counts.get(samples[i]) || 0) + (dt[i] || 0));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children || []) parent.set(c, n.id);
// Frames in bundles (dist/*.js) are mapped to their TypeScript source through the bundle's linked source map.
const { SourceMap } = require('module');
const maps = new Map();
function sourceMapFor(url) {
  if (!maps.has(url)) {
    let sm = null;
    try {
      const file = url.startsWith('file://') ? new URL(url).pathname : url;
      if (file.endsWith('.js') && fs.existsSync(file + '.map')) sm = new SourceMap(JSON.parse(fs.readFileSync(file + '.map', 'utf8')));
    } catch { sm = null; }
    maps.set(url, sm);
  }
  return maps.get(url);
}
const key = n => {
  const f = n.callFrame;
  const sm = f.url && f.lineNumber >= 0 ? sourceMapFor(f.url) : null;
  const e = sm ? sm.findEntry(f.lineNumber, f.columnNumber) : null;
  if (e && e.originalSource) return `${f.functionName || '(anon)'} ${e.originalSource.replace(/^(\.\.\/)+/, '')}:${e.originalLine + 1}`;
  return `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
};
const incl = new Map();
for (const [id, us] of counts) {
  const n = byId.get(id); self.set(key(n), (self.get(key(n)) || 0) + us);
  const seen = new Set(); let cur = id;
  while (cur !== undefined) { const k = key(byId.get(cur)); if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) || 0) + us); } cur = parent.get(cur); }
}
const total = [...counts.values()].reduce((a, b) => a + b, 0);
console.log('total ms', (total / 1000).toFixed(1));
console.log('-- self');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, N)) console.log((v / 1000).toFixed(1).padStart(8), k);
console.log('-- inclusive');
for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, N)) console.log((v / 1000).toFixed(1).padStart(8), k);
// callers of a function (by name substring), inclusive time attributed per immediate caller
const want = process.env.CALLERS;
if (want) {
  const byCaller = new Map();
  for (const [id, us] of counts) {
    let cur = id; const path = [];
    while (cur !== undefined) { path.push(cur); cur = parent.get(cur); }
    // find the outermost frame matching want
    for (let i = path.length - 1; i >= 0; i--) {
      const n = byId.get(path[i]);
      if (key(n).startsWith(want)) { const p = byId.get(path[i + 1]); const k = p ? key(p) : '(none)'; byCaller.set(k, (byCaller.get(k) || 0) + us); break; }
    }
  }
  console.log(`-- callers of ${want}`);
  for (const [k, v] of [...byCaller].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log((v / 1000).toFixed(1).padStart(8), k);
}
