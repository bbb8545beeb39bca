// Prints two scenario.mjs transcripts side by side, step by step (message kinds only), and the RFD
// probes of two servers with the differing ones marked:  node compare.mjs A.json B.json [PA.json PB.json]
import fs from 'node:fs';
const [a, b, pa, pb] = process.argv.slice(2).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
const shapes = (doc) => {
  const steps = {};
  let current = null;
  for (const { dir, message: m } of doc.transcript) {
    if (dir === 'step') { current = m.step; steps[current] = []; continue; }
    const kind = m.method === 'session/update' ? m.params.update.sessionUpdate : m.method || (m.error ? 'error' : 'result');
    const last = steps[current].at(-1);
    if (last && last.kind === kind && last.dir === dir) last.n++; else steps[current].push({ dir, kind, n: 1 });
  }
  return steps;
};
const sa = shapes(a), sb = shapes(b);
for (const step of Object.keys(sa)) {
  console.log(`\n== ${step}`);
  const la = (sa[step] || []).map((s) => `${s.dir} ${s.kind}${s.n > 1 ? ' x' + s.n : ''}`);
  const lb = (sb[step] || []).map((s) => `${s.dir} ${s.kind}${s.n > 1 ? ' x' + s.n : ''}`);
  for (let i = 0; i < Math.max(la.length, lb.length); i++) console.log(`  ${(la[i] || '').padEnd(42)} ${lb[i] || ''}`);
}
if (pa && pb) {
  console.log('\n== RFD probes (first, second)');
  for (const k of Object.keys(pa)) console.log(`${pa[k] === pb[k] ? '  ' : '!='} ${k.padEnd(36)} ${pa[k]}  ${pb[k]}`);
}
