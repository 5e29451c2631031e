// The example models in examples/ (ports of the TLC reference specs) parse without diagnostics,
// and keep the labels and invariants of the originals.
import { readdirSync, readFileSync } from 'node:fs';
import type { Stmt } from '../../src/parser/ast.js';
import { parseSource } from '../../src/parser/parse.js';

const dir = new URL('../../examples/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.lspec'));

function labels(stmts: Stmt[]): string[] {
  return stmts.flatMap((s) => {
    const own = s.label ? [s.label.name.name] : [];
    switch (s.kind) {
      case 'if': return [...own, ...labels(s.then), ...labels(s.else ?? [])];
      case 'while': case 'with': case 'block': return [...own, ...labels(s.body)];
      case 'either': return [...own, ...s.branches.flatMap(labels)];
      default: return own;
    }
  });
}

function parseExample(name: string) {
  const [diagnostics, ast] = parseSource(readFileSync(new URL(name, dir), 'utf8'), name);
  expect(diagnostics).toEqual([]);
  return ast!;
}

test('there are examples', () => {
  expect(files).toEqual(expect.arrayContaining(['peterson.lspec', 'ticketlock.lspec', 'refpool.lspec', 'lockinc.lspec']));
});

test.each(files)('%s parses without diagnostics', (name) => {
  expect(parseExample(name).kind).toBe('algorithm');
});

test.each([
  ['peterson.lspec', ['Mutex'], { P: ['ncs', 'set', 'give', 'wait', 'cs', 'exit'] }],
  ['ticketlock.lspec', ['Mutex'], {
    lock_: ['take', 'spin'], trylock_: ['try'], unlock_: ['rel'], proc: ['start', 'retry', 'check', 'cs', 'leave'],
  }],
  ['refpool.lspec', ['NoUseAfterFree', 'RefsSane', 'FreeMeansDead'], {
    owner: ['alloc', 'unpub'], user: ['look', 'use', 'drop', 'dec', 'look_done'],
  }],
  ['lockinc.lspec', ['TypeOK', 'MutualExclusion', 'LockHolder', 'CounterOK', 'FinalOK'], {
    P: ['loop', 'acq', 'rd', 'wr', 'rel'],
  }],
])('%s keeps the invariants and labels of the original', (name, invariants, bodies) => {
  const decls = parseExample(name).decls;
  expect(decls.flatMap((d) => (d.kind === 'invariant' ? [d.name.name] : []))).toEqual(invariants);
  const found: Record<string, string[]> = {};
  for (const d of decls) if (d.kind === 'procedure' || d.kind === 'process') found[d.name.name] = labels(d.body);
  expect(found).toEqual(bodies);
});
