// TLC generates an await's successor once per way its condition holds in action position (each
// true disjunct of \/, each witness of \E, multiplied through /\ and \A and across the awaits of
// one step): lockspec's "generated" follows that rule on both engines. Each model is checked on
// both engines, which must give TLC's figures (TLC 2.20 on the same algorithm in PlusCal, with
// CHECK_DEADLOCK FALSE where the model disables Deadlock); the parallel search (--workers, on the
// built CLI) too.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { checkModel } from '../../src/pipeline/check-file.js';
import type { EngineName } from '../../src/checker/engine/create-engine.js';
import { formatDiagnostic } from '../../src/diagnostics/diagnostics.js';
import { writeModel } from '../helpers.js';

const CLI = join(process.cwd(), 'dist/src/cli/main.js');

/** Checks `text` on both engines; they must agree, and give [verdict, distinct, generated, depth]. */
function both(text: string, deadlock = true): [string, number, number, number] {
  const path = writeModel(text);
  const [ref, comp] = (['reference', 'compiled'] as EngineName[]).map((engine) => {
    const r = checkModel(path, { engine, deadlock });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new Error(errors.map((d) => formatDiagnostic(d, r.sources)).join('\n'));
    return [r.verdict, r.distinct, r.generated, r.depth] as [string, number, number, number];
  });
  expect(comp).toEqual(ref);
  return ref;
}

/**
 * One process from x = 0 whose one step is `await guard; x := 1`: TLC generates 2 + the guard's
 * witnesses. K is constant: TLC evaluates it once, as a value, and lockspec folds it.
 */
function guarded(guard: string): string {
  return `algorithm G {
  variables x = 0, q = <<1, 2, 3>>;
  define { Big(v) == v > x \\/ v > 1  K == \\E k \\in 1..3 : k > 0 }
  process P = 1 { L: await ${guard}; x := 1; }
}`;
}

test.each([
  ['x = 0 \\/ x < 5', 4],
  ['\\E i \\in 1..Len(q) : q[i] > x', 5],
  ['(x = 0 \\/ x < 5) /\\ (\\E i \\in 1..3 : i > x)', 8],
  ['IF x = 0 THEN (x = 0 \\/ x < 5) ELSE TRUE', 4],
  ['CASE x = 0 -> (x = 0 \\/ x < 5) [] x = 0 -> TRUE [] OTHER -> FALSE', 4],
  ['LET y == x IN (y = 0 \\/ y < 5)', 4],
  ['Big(3)', 4],
  ['\\A i \\in 1..2 : (i > x \\/ i > 0)', 6],
  ['(x = 0) => (x = 0 \\/ x < 5)', 4],
  ['\\E i \\in 1..2, j \\in 1..2 : i > x', 6],
  ['(x = 0 \\/ x < 5) = TRUE', 3],
  ['~~(x = 0 \\/ x < 5)', 3],
  ['K', 3],
])('await %s: TLC generates %d (2 distinct, depth 2)', (guard, generated) => {
  expect(both(guarded(guard))).toEqual(['ok', 2, generated, 2]);
});

test('two processes, a disjunction and an \\E in their awaits (TLC: 9 / 18 / 5)', () => {
  const text = `algorithm T1 {
  variables x = 0, y = 0;
  process A = 1 { a1: await x = 0 \\/ y = 0; x := x + 1; a2: await \\E i \\in 1..3 : i > x; y := y + 1; }
  process B = 2 { b1: await x = 0 \\/ y = 0; y := y + 1; b2: await \\E i \\in 1..3 : i > y; x := x + 1; }
}`;
  expect(both(text, false)).toEqual(['ok', 9, 18, 5]);
});

test('the awaits of one step multiply, also after an assignment inside a with (TLC: 5 / 11 / 3)', () => {
  const text = `algorithm T2 {
  variables x = 0;
  process P = 1 { s: await x = 0 \\/ x < 2; with (v \\in 1..2) { x := v; await x = 1 \\/ x > 0; }; t: skip; }
}`;
  expect(both(text)).toEqual(['ok', 5, 11, 3]);
});

test('awaits inside either branches and conjunctions of splitting guards (TLC: 17 / 98 / 5)', () => {
  const text = `algorithm T3 {
  variables x = 0, q = <<1, 2, 3>>;
  process P \\in 1..2 {
    s: await \\E i \\in 1..Len(q) : q[i] > x; either { x := x + 1 } or { await x = 0 \\/ x < 3; x := x + 2 };
    t: await (x > 0 \\/ x > 1) /\\ (\\E j \\in 1..2 : j > 0); x := 0;
  }
}`;
  expect(both(text, false)).toEqual(['ok', 17, 98, 5]);
});

/** T3 with an invariant that its third level violates. */
const violated = `algorithm T3v {
  variables x = 0, q = <<1, 2, 3>>;
  invariant Small == x < 4;
  process P \\in 1..2 {
    s: await \\E i \\in 1..Len(q) : q[i] > x; either { x := x + 1 } or { await x = 0 \\/ x < 3; x := x + 2 };
    t: await (x > 0 \\/ x > 1) /\\ (\\E j \\in 1..2 : j > 0); x := 0;
  }
}`;

test('a search stopped by a violation counts the witnesses generated until then (TLC: 9 / 31 / 3)', () => {
  expect(both(violated)).toEqual(['violation', 9, 31, 3]);
});

test('the parallel search counts the same (TLC: 9 / 31 / 3)', () => {
  const r = spawnSync(process.execPath, [CLI, 'check', writeModel(violated), '--workers', '2', '--format', 'json'], { encoding: 'utf8', env: { ...process.env, LOCKSPEC_WORKERS_SYNC_START: '1' } });
  const report = JSON.parse(r.stdout);
  expect([report.verdict, report.states.distinct, report.states.generated, report.states.depth]).toEqual(['violation', 9, 31, 3]);
});

test('every disjunct of an await is evaluated, so an error after a true one is reported, as TLC reports it', () => {
  const text = `algorithm E1 {
  variables x = 0, q = <<1, 2, 3>>;
  process P = 1 { L: await x = 0 \\/ q[5] = 1; x := 1; }
}`;
  const path = writeModel(text);
  for (const engine of ['reference', 'compiled'] as EngineName[]) {
    const r = checkModel(path, { engine });
    expect([r.verdict, r.diagnostics.find((d) => d.severity === 'error')?.code]).toEqual(['error', 6002]);
  }
});
