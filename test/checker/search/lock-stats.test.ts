// Lock statistics on small models whose hold spans and waiter counts are computed by hand.
import { explore } from '../../../src/checker/search/breadth-first.js';
import { lockStatistics } from '../../../src/checker/search/lock-stats.js';
import { ReferenceEngine } from '../../../src/checker/engine/reference-engine.js';
import { programOf } from '../../helpers.js';

function stats(text: string) {
  const engine = new ReferenceEngine(programOf(text));
  const s = lockStatistics(engine);
  const r = explore(engine, { deadlock: true, observer: s.observer });
  expect(r.verdict).toBe('ok');
  return s.finish(true);
}

test('lock, one step, unlock: the holder takes three steps; one process waits', () => {
  const s = stats(`algorithm L {
    spinlock l;
    process P \\in 1..2 { a: lock(l); b: skip; c: unlock(l); }
  }`);
  expect(s.l).toEqual({ maxHoldSteps: 3, maxHoldCost: 3, maxWaiters: 1 });
});

test('label costs weigh the span; three processes, two wait', () => {
  const s = stats(`algorithm L {
    spinlock l;
    process P \\in 1..3 { a: lock(l); b [5]: skip; c: unlock(l); }
  }`);
  expect(s.l).toEqual({ maxHoldSteps: 3, maxHoldCost: 7, maxWaiters: 2 });
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

test('a lock held from the start: the hold runs from the initial state to the release', () => {
  const s = stats(`algorithm L {
    spinlock l held by 1;
    process P = 1 { a: skip; b: skip; c: unlock(l); }
    process Q = 2 { q: lock(l); r: unlock(l); }
  }`);
  // P holds l for a, b and c; Q, once P has released it, for q and r.
  expect(s.l).toEqual({ maxHoldSteps: 3, maxHoldCost: 3, maxWaiters: 1 });
});
