// The lock-order graph (lockdep's): "B taken while holding A" edges over every reachable state, a
// cycle reported as a potential deadlock even when no explored interleaving deadlocks, with the
// acquisition paths as shortest traces; per-lock classes; `disable LockOrder` and --no-lock-order;
// refused, with a coded error, where the state graph is not kept (fingerprint mode) or is
// permuted (symmetry). Both engines give the same report.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckOutcome } from '../../../src/checker/check.js';
import { createEngine } from '../../../src/checker/engine/create-engine.js';
import { GraphRecorder } from '../../../src/checker/search/state-graph.js';
import { checkModel, designsToCheck } from '../../../src/pipeline/check-file.js';
import { parseModel } from '../../../src/pipeline/load-model.js';
import { checkToJson } from '../../../src/report/json.js';
import { formatCheck } from '../../../src/report/text.js';
import { spawnSync } from 'node:child_process';
import { jest } from '@jest/globals';
import { programOf, writeModel } from '../../helpers.js';

/** A takes A then B; later (never at the same time) B takes B then A: lockdep's ABBA. */
const ABBA = `algorithm Abba {
  spinlock la;
  spinlock lb;
  process First = 1 { f1: lock(la); f2: lock(lb); f3: unlock(lb); f4: unlock(la); }
  process Second = 2 { s0: await pc[1] = "Done"; s1: lock(lb); s2: lock(la); s3: unlock(la); s4: unlock(lb); }
}`;

describe.each(['compiled', 'reference'] as const)('the %s engine', (engine) => {
  test('ABBA on paths that never run together: no deadlock reached, the cycle is reported with both paths', () => {
    const o = checkModel(writeModel(ABBA), { engine });
    expect(o.verdict).toBe('violation');
    expect(o.violations.map((v) => v.failure.property)).toEqual(['LockOrder']);
    const v = o.violations[0];
    expect(v.failure.message).toContain('la -> lb -> la');
    expect(v.paths!.map((p) => p.title)).toEqual(['lb taken while holding la: First at f2', 'la taken while holding lb: Second at s2']);
    // Shortest paths to the two acquisitions: f1, f2 (3 states); f1..f4, s0, s1, s2 (8 states).
    expect(v.paths!.map((p) => p.trace.length)).toEqual([3, 8]);
    expect(o.lockOrder!.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['la->lb', 'lb->la']);
    expect(o.distinct).toBe(10);
    const json = checkToJson(o) as { lockOrder: { edges: unknown[]; cycles: { locks: string[]; paths: { process: string; label: string; trace: unknown[] }[] }[] } };
    expect(json.lockOrder.edges).toEqual([
      { from: 'la', to: 'lb', held: 'la', taken: 'lb', process: 'First', label: 'f2' },
      { from: 'lb', to: 'la', held: 'lb', taken: 'la', process: 'Second', label: 's2' },
    ]);
    expect(json.lockOrder.cycles[0].locks).toEqual(['la', 'lb']);
    expect(json.lockOrder.cycles[0].paths.map((p) => p.trace.length)).toEqual([3, 8]);
    const text = formatCheck(o);
    expect(text).toContain('LockOrder: a potential deadlock');
    expect(text).toContain('Path 2: la taken while holding lb: Second at s2');
  });

  test('one order everywhere: the edge is reported, no violation', () => {
    const o = checkModel(writeModel(ABBA.replace('s1: lock(lb); s2: lock(la); s3: unlock(la); s4: unlock(lb);', 's1: lock(la); s2: lock(lb); s3: unlock(lb); s4: unlock(la);')), { engine });
    expect(o.verdict).toBe('ok');
    expect(o.lockOrder!.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['la->lb']);
    expect(o.lockOrder!.cycles).toEqual([]);
  });

  test('elements of one class: nesting in one order is fine, in both orders a cycle', () => {
    const nested = (second: string): string => `algorithm Nest {
      spinlock bl[b \\in 1..2];
      process P = 1 { p1: lock(bl[1]); p2: lock(bl[2]); p3: unlock(bl[2]); p4: unlock(bl[1]); }
      process Q = 2 { q0: await pc[1] = "Done"; ${second} }
    }`;
    const ordered = checkModel(writeModel(nested('q1: lock(bl[1]); q2: lock(bl[2]); q3: unlock(bl[2]); q4: unlock(bl[1]);')), { engine });
    expect(ordered.verdict).toBe('ok');
    expect(ordered.lockOrder!.edges).toMatchObject([{ from: 'bl', to: 'bl', held: 'bl[1]', taken: 'bl[2]' }]);
    const crossed = checkModel(writeModel(nested('q1: lock(bl[2]); q2: lock(bl[1]); q3: unlock(bl[1]); q4: unlock(bl[2]);')), { engine });
    expect(crossed.violations.map((v) => v.failure.message)).toEqual([expect.stringContaining('bl[1] -> bl[2] -> bl[1]')]);
  });

  test('three classes in a ring: the cycle goes through all three', () => {
    const o = checkModel(writeModel(`algorithm Ring {
      spinlock a; spinlock b; spinlock c;
      process P = 1 { p1: lock(a); p2: lock(b); p3: unlock(b); p4: unlock(a); }
      process Q = 2 { q0: await pc[1] = "Done"; q1: lock(b); q2: lock(c); q3: unlock(c); q4: unlock(b); }
      process R = 3 { r0: await pc[2] = "Done"; r1: lock(c); r2: lock(a); r3: unlock(a); r4: unlock(c); }
    }`), { engine });
    expect(o.violations.map((v) => v.failure.message)).toEqual([expect.stringContaining('a -> b -> c -> a')]);
    expect(o.violations[0].paths).toHaveLength(3);
  });

  test('disable LockOrder and --no-lock-order turn the check off', () => {
    expect(checkModel(writeModel(ABBA.replace('spinlock lb;', 'spinlock lb; disable LockOrder "la and lb are never held together in this driver";')), { engine })).toMatchObject({ verdict: 'ok', lockOrder: null });
    expect(checkModel(writeModel(ABBA), { engine, lockOrder: false })).toMatchObject({ verdict: 'ok', lockOrder: null });
  });
});

test('fingerprint mode keeps no state graph: a coded error, not a silent skip', () => {
  const o = checkModel(writeModel(ABBA), { fingerprint: true });
  expect(o.verdict).toBe('error');
  expect(o.diagnostics.map((d) => d.code)).toEqual([5030]);
  expect(o.diagnostics[0].message).toContain('fingerprint mode');
  expect(checkModel(writeModel(ABBA), { fingerprint: true, lockOrder: false }).verdict).toBe('ok');
});

test('symmetry permutes the processes of the stored states: refused the same way', () => {
  const o = checkModel(writeModel(`algorithm Sym {
    values p1, p2;
    constants PS = {p1, p2};
    spinlock l;
    process P \\in PS { a: lock(l); b: unlock(l); }
  }`), { symmetry: ['PS'] });
  expect(o.diagnostics.map((d) => d.code)).toEqual([5030]);
  expect(o.diagnostics[0].message).toContain('symmetry');
});

test('the command line: --no-lock-order, and exit 2 with LS5030 in fingerprint mode', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ['dist/src/cli/main.js', ...args], { encoding: 'utf8' });
  const file = writeModel(ABBA);
  expect(cli(['check', file]).status).toBe(1);
  expect(cli(['check', file, '--no-lock-order']).status).toBe(0);
  const refused = cli(['check', file, '--fingerprint']);
  expect(refused.status).toBe(2);
  expect(refused.stdout + refused.stderr).toContain('error LS5030');
});

describe('the steps the lock order walks', () => {
  const files = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.lspec')).map((n) => join(dir, n));
  const models = [...files('examples'), ...files('spec/bh-migration')].flatMap((file) => {
    const parsed = parseModel(file);
    return parsed.root && parsed.root.kind === 'algorithm' ? designsToCheck(parsed, undefined).map((design) => [file, design] as const) : [];
  });
  /** The lock order as reports show it: edges, and each cycle's acquisitions with their traces. */
  const orderOf = (o: CheckOutcome): unknown => ({
    json: (checkToJson(o) as { lockOrder: unknown }).lockOrder,
    violations: o.violations.map((v) => [v.failure.property, v.trace?.length, v.paths?.map((p) => [p.title, p.trace.map((s) => [s.instance, s.label, JSON.stringify(s.state)])])]),
  });

  test.each(models)('%s (%s): only the steps that may change a holder recorded, the same report as from every step', (file, design) => {
    // Without lock statistics the lock order is all that reads the recorded steps (a text check).
    const lockStepsOnly = checkModel(file, { design, lockStatistics: false, continue: true });
    const everyStep = checkModel(file, { design, lockStatistics: true, continue: true });
    expect(lockStepsOnly.verdict).toBe(everyStep.verdict);
    expect(orderOf(lockStepsOnly)).toEqual(orderOf(everyStep));
  });

  test('a recorder of some steps records those alone, and gives walks, not a graph', () => {
    const recorder = new GraphRecorder(3, Infinity, (_instance, label) => label === 1);
    recorder.edge(0, 1, 0, 0);
    recorder.edge(0, 2, 0, 1);
    recorder.edge(1, 3, 1, 1);
    recorder.edge(2, 3, 1, 2);
    const walked: number[][] = [];
    recorder.walkInSourceOrder()!((s, t, instance, label, e) => walked.push([s, t, instance, label, e]));
    expect(walked).toEqual([
      [0, 2, 0, 1, 0],
      [1, 3, 1, 1, 1],
    ]);
    expect(() => recorder.graph(4)).toThrow('no state graph');
  });

  test('a compiled step that writes no lock is not one the lock order needs; one that takes a lock is', () => {
    const engine = createEngine('compiled', programOf(ABBA));
    const mayChange = engine.mayChange!([engine.program.locks[0].global, engine.program.locks[1].global]);
    const label = (name: string): number => engine.program.labels.findIndex((l) => l.name === name);
    expect(mayChange(0, label('f1'))).toBe(true);
    expect(mayChange(1, label('s0'))).toBe(false);
  });
});

describe('a model with one lock element', () => {
  /** Two processes, one lock: they take it in turn, never one after another lock. */
  const ONE_LOCK = `algorithm One {
  spinlock l;
  variables x = 0;
  process P \\in {1, 2} { a: lock(l); b: x := x + 1; c: unlock(l); }
}`;
  const TWO_LOCKS = ONE_LOCK.replace('spinlock l;', 'spinlock l;\n  spinlock m;');

  test.each(['compiled', 'reference'] as const)('has an empty lock order, and records no step for it (%s)', (engine) => {
    const recorded = jest.spyOn(GraphRecorder.prototype, 'edge');
    try {
      const one = checkModel(writeModel(ONE_LOCK), { engine, lockStatistics: false });
      expect([one.verdict, one.lockOrder]).toEqual(['ok', { edges: [], cycles: [] }]);
      expect(recorded).not.toHaveBeenCalled();
      // A second lock, never taken: now an order is possible, and the steps are recorded.
      const two = checkModel(writeModel(TWO_LOCKS), { engine, lockStatistics: false });
      expect([two.verdict, two.lockOrder]).toEqual(['ok', { edges: [], cycles: [] }]);
      expect(recorded).toHaveBeenCalled();
    } finally {
      recorded.mockRestore();
    }
  });
});
