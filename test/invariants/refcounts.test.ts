// Built-in reference count checks: below zero, freed while referenced, leaked at the end.
import { check, verdictOf } from './builtin.js';
import { errorsOf } from '../helpers.js';

test('put below zero', () => {
  expect(verdictOf(check('algorithm T { refcount c = 0; process P = 1 { a: put(c); } }'))).toBe('RefcountNonNegative at a');
  expect(verdictOf(check('algorithm T { refcount c = 0; process P = 1 { a: get(c); b: put(c); } }'))).toBe('ok');
});

test('references still held when every process has ended', () => {
  const o = check('algorithm T { refcount c[i \\in 1..2] = 0; process P \\in 1..2 { a: get(c[self]); b: if (self = 1) put(c[self]); } }');
  expect(verdictOf(o)).toBe('NoLeak');
  expect(o.failure!.kind).toBe('final');
  expect(verdictOf(check('algorithm T { refcount c[i \\in 1..2] = 0; process P \\in 1..2 { a: get(c[self]); b: put(c[self]); } }'))).toBe('ok');
});

test('an object freed while a count tied to it is not zero', () => {
  const text = (order: string): string => `algorithm T {
    type Obj = {O1};
    object obj[o \\in Obj] = [v |-> 0];
    refcount ref[o \\in Obj] = 0 of obj;
    process P = 1 { ${order} }
  }`;
  expect(verdictOf(check(text('a: get(ref[O1]); b: free(obj[O1]); c: put(ref[O1]);')))).toBe('FreeWhileReferenced at b');
  expect(verdictOf(check(text('a: get(ref[O1]); b: put(ref[O1]); c: free(obj[O1]);')))).toBe('ok');
});

test('an assignment to a count (a freeze, a bulk put) is checked like put: never below zero', () => {
  expect(verdictOf(check('algorithm T { refcount c = 0; process P = 1 { a: c := c - 1; b: c := 0; } }'))).toBe('RefcountNonNegative at a');
  const whole = (v: string): string => `algorithm T { refcount rc[i \\in 1..2] = 1; process P = 1 { a: rc := [i \\in 1..2 |-> ${v}]; b: rc := [i \\in 1..2 |-> 0]; } }`;
  expect(verdictOf(check(whole('rc[i] - i')))).toBe('RefcountNonNegative at a');
  expect(verdictOf(check(whole('rc[i] - 1')))).toBe('ok');
  // page_ref_freeze() and page_ref_unfreeze(): the count set to 0 and back.
  expect(verdictOf(check('algorithm T { refcount c = 0; process P = 1 { a: get(c); b: c := 0; d: c := 1; e: put(c); } }'))).toBe('ok');
  expect(verdictOf(check('algorithm T { refcount c[i \\in 1..2] = 0; process P = 1 { a: c[2] := -1; b: c[2] := 0; } }'))).toBe('RefcountNonNegative at a');
});

describe('a count starts from any value of the initial state, as a variable does', () => {
  test('from constants and the variables declared before it, per element', () => {
    const o = check(`algorithm T {
      constants Users = {1, 2};
      variables holders = [p \\in 1..2 |-> Cardinality({u \\in Users : u >= p})];
      refcount c[p \\in 1..2] = holders[p] + 0 * Cardinality(Users);
      process P \\in Users { a: put(c[1]); b: if (self = 2) put(c[2]); }
    }`);
    expect(verdictOf(o)).toBe('ok');
    // c starts at n = 2: the third put goes below zero.
    expect(verdictOf(check('algorithm T { variables n = 2; refcount c = n; process P \\in 1..3 { a: put(c); } }'))).toBe('RefcountNonNegative at a');
  });
  test('one cause gives one error: a count, object or mapping whose initial value reads a later variable', () => {
    for (const decl of ['refcount c = later;', 'object c[i \\in 1..2] = later;', 'mapping c -> obj = later;']) {
      const errs = errorsOf(`algorithm T {
        object obj[o \\in {1}] = 0;
        ${decl}
        variables later = 1;
        process P = 1 { a: ${decl.startsWith('refcount') ? 'put(c)' : decl.startsWith('object') ? 'free(c[1])' : 'c := 1'}; }
      }`);
      expect(errs).toEqual([expect.stringMatching(/LS2001: unknown name "later"/)]);
    }
  });
});
