// heap diff by constructor: node heapdiff.mts half.heapsnapshot all.heapsnapshot spectators-added
import { readFileSync } from 'node:fs';
function load(file: string) {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const f = snap.snapshot.meta.node_fields as string[];
  const types = snap.snapshot.meta.node_types[0] as string[];
  const n = f.length;
  const ti = f.indexOf('type'), ni = f.indexOf('name'), si = f.indexOf('self_size');
  const nodes = snap.nodes as number[];
  const strings = snap.strings as string[];
  const by = new Map<string, { size: number; count: number }>();
  for (let i = 0; i < nodes.length; i += n) {
    const type = types[nodes[i + ti]];
    let name = strings[nodes[i + ni]];
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = '(string)';
    else if (type === 'code') name = '(code)';
    else if (type === 'number') name = '(number)';
    const key = `${type}:${name.slice(0, 60)}`;
    const e = by.get(key) ?? { size: 0, count: 0 };
    e.size += nodes[i + si];
    e.count++;
    by.set(key, e);
  }
  return by;
}
const [a, b, k] = process.argv.slice(2);
const A = load(a), B = load(b);
const per = Number(k);
const rows = [...B].map(([key, e]) => ({ key, size: (e.size - (A.get(key)?.size ?? 0)) / per, count: (e.count - (A.get(key)?.count ?? 0)) / per }));
rows.sort((x, y) => y.size - x.size);
let total = 0;
for (const r of rows) total += r.size;
console.log(`total per spectator: ${total.toFixed(0)} B`);
for (const r of rows.slice(0, 30)) console.log(`${r.size.toFixed(0).padStart(6)} B  ${r.count.toFixed(2).padStart(6)}×  ${r.key}`);
