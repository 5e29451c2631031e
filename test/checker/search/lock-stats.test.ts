// Lock statistics on small models whose hold spans and waiter counts are computed by hand.
import { explore } from '../../../src/checker/search/breadth-first.js';
import { lockStatistics } from '../../../src/checker/search/lock-stats.js';
import { GraphRecorder, observeAll } from '../../../src/checker/search/state-graph.js';
import { ReferenceEngine } from '../../../src/checker/engine/reference-engine.js';
import { programOf, writeModel } from '../../helpers.js';
import { checkModel } from '../../../src/pipeline/check-file.js';

function stats(text: string) {
  const engine = new ReferenceEngine(programOf(text));
  const s = lockStatistics(engine, (id, instance) => engine.lockWaits(engine.decode(id), instance));
  const graph = new GraphRecorder(engine.program.labels.length);
  const r = explore(engine, { deadlock: true, observer: observeAll([s.observer, graph]) });
  expect(r.verdict).toBe('ok');
  return s.finish(true, graph.graph(engine.size()));
}

test('lock, one step, unlock: the holder takes three steps; one process waits', () => {
  const s = stats(`algorithm L {
    spinlock l;
    process P \\in 1..2 { a: lock(l); b: skip; c: unlock(l); }
  }`);
  expect(s.l).toEqual({ maxHoldSteps: 3, maxHoldCost: 3, maxWaiters: 1, maxBypass: 0, starvation: null });
});

test('label costs weigh the span; three processes, two wait', () => {
  const s = stats(`algorithm L {
    spinlock l;
    process P \\in 1..3 { a: lock(l); b [5]: skip; c: unlock(l); }
  }`);
  // P(1) blocked behind P(2); when P(2) releases, P(3) may take the lock first: one bypass.
  expect(s.l).toEqual({ maxHoldSteps: 3, maxHoldCost: 7, maxWaiters: 2, maxBypass: 1, starvation: null });
});

test('the longest of several paths counts; other processes do not add to the span', () => {
  const s = stats(`algorithm L {
    spinlock l;
    variables x = 0;
    process P = 1 { a: lock(l); b: if (x = 1) { goto c; }; b2: skip; c: unlock(l); }
    process Q = 2 { q1: x := 1; q2: x := 2; }
  }`);
  // P either goes a, b, b2, c (4 steps) or a, b, c (3): the longest is 4.
  expect(s.l.maxHoldSteps).toBe(4);
  expect(s.l.maxWaiters).toBe(0);
});

test('a holder that can loop for ever holds the lock for an unbounded span', () => {
  const s = stats(`algorithm L {
    spinlock l;
    process P = 1 variables n = 0; { a: lock(l); b: while (TRUE) { n := 1 - n; } }
  }`);
  expect(s.l.maxHoldSteps).toBe(Infinity);
});

test('a lock taken and released in one step is held for no step', () => {
  const s = stats(`algorithm L {
    spinlock l;
    process P = 1 { a: lock(l); unlock(l); }
  }`);
  expect(s.l.maxHoldSteps).toBe(0);
});

test('an array of locks: each element counts on its own, the lock reports the maximum', () => {
  const s = stats(`algorithm L {
    spinlock bl[b \\in 1..2];
    process P = 1 { a: lock(bl[1]); b: lock(bl[2]); c: unlock(bl[2]); d: unlock(bl[1]); }
  }`);
  expect(s.bl.maxHoldSteps).toBe(4);
});

test('a process waits for a lock its step takes after other statements, or inside a while', () => {
  const after = stats(`algorithm L {
    spinlock l;
    refcount r = 0;
    process P \\in 1..3 { a: get(r); lock(l); b: unlock(l); put(r); }
  }`);
  expect(after.l.maxWaiters).toBe(2);
  const loop = stats(`algorithm L {
    spinlock l;
    process P \\in 1..2 variables i = 0; { a: while (i < 1) { lock(l); i := i + 1; }; b: unlock(l); }
  }`);
  expect(loop.l.maxWaiters).toBe(1);
});

// The bypass count: how often others take a lock while a process waits for it. A ticket lock
// bounds it by N - 1 (the holders of the tickets before one's own); a test-and-set lock does not,
// and under weak fairness a waiter can starve (it is disabled whenever the other holds the lock),
// under strong fairness only an unfair behaviour starves it.
describe('bypass count', () => {
  const ticket = (n: number): string => `algorithm Ticket {
  spinlock l;
  variables next = 0, serving = 0;
  fair process P \\in 1..${n} variables my = 0; {
  ncs: while (TRUE) {
  take:  my := next; next := (next + 1) % ${n + 1};
  wait:  await serving = my; lock(l);
  cs:    skip;
  rel:   unlock(l); serving := (serving + 1) % ${n + 1};
       }
  }
}`;
  const tas = (fair: string, n: number): string => `algorithm TAS {
  spinlock l;
  ${fair} process P \\in 1..${n} {
  ncs: while (TRUE) {
  acq:   lock(l);
  cs:    skip;
  rel:   unlock(l);
       }
  }
}`;
  const bypass = (text: string, lock = 'l') => {
    const file = writeModel(text);
    const [a, b] = (['reference', 'compiled'] as const).map((engine) => checkModel(file, { engine }).lockStats[lock]);
    expect(b).toEqual(a);
    return [a.maxBypass, a.starvation];
  };
  test.each([2, 3])('ticket lock, N = %i: N - 1', (n) => {
    expect(bypass(ticket(n))).toEqual([n - 1, null]);
  });
  test.each([2, 3])('test-and-set, weakly fair, N = %i: a fair behaviour starves a waiter', (n) => {
    expect(bypass(tas('fair', n))).toEqual([Infinity, 'fair']);
  });
  test('test-and-set, strongly fair: unbounded only on unfair behaviours', () => {
    expect(bypass(tas('fair+', 2))).toEqual([Infinity, 'unfair']);
  });
  test('a lock family counts the element waited for', () => {
    // P waits for m[1] while Q holds it until R has taken m[2] twice: no bypass of m[1].
    expect(bypass(`algorithm F {
  spinlock m[i \\in 1..2];
  variables done = FALSE;
  process P = 1 { a: lock(m[1]); b: unlock(m[1]); }
  process Q = 2 { q0: lock(m[1]); q1: await done; q2: unlock(m[1]); }
  process R = 3 { r1: lock(m[2]); r2: unlock(m[2]); r3: lock(m[2]); r4: unlock(m[2]); done := TRUE; }
}`, 'm')).toEqual([0, null]);
  });
});

test('a lock held from the start: the hold runs from the initial state to the release', () => {
  const s = stats(`algorithm L {
    spinlock l held by 1;
    process P = 1 { a: skip; b: skip; c: unlock(l); }
    process Q = 2 { q: lock(l); r: unlock(l); }
  }`);
  // P holds l for a, b and c; Q, once P has released it, for q and r.
  expect(s.l).toEqual({ maxHoldSteps: 3, maxHoldCost: 3, maxWaiters: 1, maxBypass: 0, starvation: null });
});

test('lockStatistics: false computes none and changes no other figure', () => {
  const file = writeModel(`algorithm L {
    spinlock l;
    process P \\in 1..2 { a: lock(l); b: skip; c: unlock(l); }
  }`);
  const all = checkModel(file);
  const none = checkModel(file, { lockStatistics: false });
  expect(all.lockStats.l).toEqual({ maxHoldSteps: 3, maxHoldCost: 3, maxWaiters: 1, maxBypass: 0, starvation: null });
  expect(none.lockStats).toEqual({});
  expect([none.verdict, none.distinct, none.generated, none.depth]).toEqual([all.verdict, all.distinct, all.generated, all.depth]);
});

test.each([-1, 0, 7])('a holder named by process id %i, after another process: the same statistics on both engines', (id) => {
  const file = writeModel(`algorithm L {
    spinlock l;
    process Q = 5 { q: skip; }
    process P = ${id} { a: lock(l); b: skip; c: unlock(l); }
  }`);
  const [reference, compiled] = (['reference', 'compiled'] as const).map((engine) => checkModel(file, { engine }).lockStats.l);
  expect(compiled).toEqual(reference);
  expect(compiled).toEqual({ maxHoldSteps: 3, maxHoldCost: 3, maxWaiters: 0, maxBypass: 0, starvation: null });
});
