// PlusCal shapes that TLC checks and lockspec once crashed on or refused: labels in branches
// without else, a call followed by goto or return (a tail call) or ending a branch or a with body,
// recursive functions in a LET that capture a bound name. Each model is checked on both engines,
// which must give TLC's figures (distinct states, states generated, depth; TLC 2.19 or 2.20 on the
// same algorithm written in PlusCal).
import { checkModel } from '../../src/pipeline/check-file.js';
import type { EngineName } from '../../src/checker/engine/create-engine.js';
import { formatDiagnostic } from '../../src/diagnostics/diagnostics.js';
import { errorsOf, loadText, writeModel } from '../helpers.js';

/** Checks `text` on both engines; they must agree, and give [verdict, distinct, generated, depth]. */
function both(text: string): [string, number, number, number] {
  const path = writeModel(text);
  const [ref, comp] = (['reference', 'compiled'] as EngineName[]).map((engine) => {
    const r = checkModel(path, { engine });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new Error(errors.map((d) => formatDiagnostic(d, r.sources)).join('\n'));
    return [r.verdict, r.distinct, r.generated, r.depth] as [string, number, number, number];
  });
  expect(comp).toEqual(ref);
  return ref;
}

test('a labeled statement inside an if without else continues after the if (TLC: 18 / 28 / 6)', () => {
  const text = `algorithm IfNoElse {
  variables x = 0;
  process P \\in 1..2 {
  a3: if (x = 0) { a4: x := 1; };
  a5: x := 0;
  }
}`;
  expect(both(text)).toEqual(['ok', 18, 28, 6]);
});

test('a recursive function in a LET inside an operator captures the operator\'s parameter (TLC: 2 / 3 / 2)', () => {
  const text = `algorithm LetRec {
  variables y = 0;
  define { F(v) == LET SA[bb \\in {0, 1}] == v = 1 IN SA[0] }
  process P = 1 { a: with (v \\in {1, 2}) { await F(v); y := v; } }
}`;
  expect(both(text)).toEqual(['ok', 2, 3, 2]);
});

test('call then goto to a label further down returns to that label (TLC: 4 / 5 / 4)', () => {
  const text = `algorithm CallGoto {
  variables y = 0;
  procedure p() { r: y := y + 1; return; }
  process P = 1 { s: call p(); goto L; m: y := 10; L: y := y + 2; }
}`;
  expect(both(text)).toEqual(['ok', 4, 5, 4]);
});

test('a label inside a with is a located error, as in PlusCal', () => {
  const text = `algorithm W {
  variables y = 0;
  process P = 1 { a: with (v \\in {1, 2}) { y := v; b: y := y + v; } }
}`;
  expect(errorsOf(text)[0]).toMatch(/:3:52: error LS3013: label "b" inside a with/);
});

test('a call ending an if branch returns to the labeled statement after the if (TLC: 4 / 5 / 4)', () => {
  const text = `algorithm CallIfBranch {
  variables y = 0;
  procedure q() { r: y := y + 1; return; }
  process P = 1 { t: if (y = 0) { call q(); } else { y := 5; }; u: y := y + 2; }
}`;
  expect(both(text)).toEqual(['ok', 4, 5, 4]);
});

test('a call as the last statement of a process returns to Done (TLC: 9 / 14 / 5)', () => {
  const text = `algorithm CallLast {
  variables y = 0;
  procedure q() { r: y := y + 1; return; }
  process P \\in 1..2 { t: y := y + 2; call q(); }
}`;
  expect(both(text)).toEqual(['ok', 9, 14, 5]);
});

test('a call ending a with body in a loop returns to the loop (TLC: 13 / 17 / 6)', () => {
  const text = `algorithm CallWith {
  variables y = 0;
  procedure q(n) { r: y := y + n; return; }
  process P = 1 { ttu: while (y < 3) { with (t \\in {1, 2}) call q(t); } }
}`;
  expect(both(text)).toEqual(['ok', 13, 17, 6]);
});

test('a call ending a with body in while (TRUE) over a constant set, two processes (TLC: 300 / 721 / 23)', () => {
  const text = `algorithm CallWithTasks {
  constants TASKS = {1, 2};
  variables mapped = [k \\in TASKS |-> TRUE], unmaps = 0;
  procedure try_to_unmap(task) { u1: if (mapped[task]) { mapped[task] := FALSE; unmaps := (unmaps + 1) % 3; } else { mapped[task] := TRUE; }; u2: return; }
  process (P \\in 1..2) { ttu: while (TRUE) { with (t \\in TASKS) call try_to_unmap(t); } }
}`;
  expect(both(text)).toEqual(['ok', 300, 721, 23]);
});

// PlusCal's `call q(); return;` is a tail call: the caller's frame gives way to the callee's, which
// returns where the caller would have. As pcal.trans translates it, a call of another procedure
// restores the caller's locals from its frame but leaves its parameters as they are; a call of the
// procedure itself sets its parameters and locals afresh and leaves the stack alone.
test('call then return in a procedure is a tail call: the callee returns to the caller\'s caller (TLC: 5 / 6 / 5)', () => {
  const text = `algorithm Tail {
  variables x = 0;
  procedure q() { q1: x := x + 1; return; }
  procedure p() { p1: call q(); return; }
  process (P = 1) { a: call p(); b: x := x + 10; }
}`;
  expect(both(text)).toEqual(['ok', 5, 6, 5]);
});

test('tail calls in if branches: of another procedure (caller\'s locals restored, parameters kept) and of itself (TLC: 21 / 27 / 9)', () => {
  const text = `algorithm TailVars {
  variables x = 0;
  procedure q(a) variables qa = 0; { q1: qa := a + 1; q2: x := x + qa; return; }
  procedure p(n) variables l = 0; {
  p1: either { l := 1 } or { l := 2 };
  p2: if (n > 2) { call q(1); return; } else { call p(n + 2); return; }
  }
  process (P = 1) { a: either { call p(1) } or { call p(2) }; b: x := x + 10; }
}`;
  expect(both(text)).toEqual(['ok', 21, 27, 9]);
});

test('a tail call at the base of a recursion, two processes (TLC: 81 / 146 / 17)', () => {
  const text = `algorithm TailRec {
  variables x = 0;
  procedure q() { q1: x := x + 1; return; }
  procedure r(d) { r1: if (d > 0) { call r(d - 1); r2: x := x + 2; return; } else { call q(); return; } }
  process (P \\in 1..2) { a: call r(2); b: x := x + 10; }
}`;
  expect(both(text)).toEqual(['ok', 81, 146, 17]);
});

test('call then return in a process is a return outside a procedure', () => {
  const text = `algorithm T {
  variables x = 0;
  procedure q() { q1: x := x + 1; return; }
  process (P = 1) { a: call q(); return; }
}`;
  expect(errorsOf(text)).toEqual([expect.stringMatching(/:4:34: error LS3003: return outside a procedure/)]);
});

test('a call at a procedure\'s open end is a tail call, with the runs-off warning', () => {
  const text = (end: string) => `algorithm OpenTail {
  variables x = 0;
  procedure q() { q1: x := x + 1; return; }
  procedure p() { p1: if (x = 0) { call q(); ${end} } else { x := 5; return; } }
  process (P = 1) { a: call p(); b: x := x + 10; }
}`;
  const warned = loadText(text(''));
  expect(warned.diagnostics.map((d) => formatDiagnostic(d, warned.sources))).toEqual([expect.stringMatching(/:4:36: warning LS3014: procedure "p" runs off its end here/)]);
  expect(loadText(text('return;')).diagnostics).toEqual([]);
  expect(both(text(''))).toEqual(both(text('return;')));
});

test('a procedure that runs off its end is warned about (PlusCal stops there with pc = "Error")', () => {
  const text = (end: string) => `algorithm Off {
  variables y = 0;
  procedure q() { r: if (y = 0) { y := 1; ${end} } else { return; } }
  process P = 1 { t: call q(); u: y := y + 2; }
}`;
  const warned = loadText(text(''));
  expect(warned.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 3014]]);
  expect(formatDiagnostic(warned.diagnostics[0], warned.sources)).toMatch(/:3:22: warning LS3014: procedure "q" runs off its end here/);
  expect(loadText(text('return;')).diagnostics).toEqual([]);
  // The warning does not stop the check: lockspec returns there.
  expect(both(text(''))).toEqual(both(text('return;')));
});

test.each(['reference', 'compiled'] as EngineName[])('%s: a recursive function without a base case is a located runtime error naming it', (engine) => {
  const text = `algorithm Deep {
  variables y = 0;
  define { F[n \\in 0..100000] == F[n + 1] + 1 }
  process P = 1 { a: y := F[0]; }
}`;
  const r = checkModel(writeModel(text), { engine });
  expect(r.verdict).toBe('error');
  expect(r.failure?.kind).toBe('runtime');
  expect(r.failure?.message).toMatch(/recursive function F recurses too deeply/);
  expect(r.failure?.span).not.toBeNull();
});
