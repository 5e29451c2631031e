// Built-in object lifetime checks: use-after-free reported at the step that does it, double free.
import { check, verdictOf } from './builtin.js';

const model = (freer: string, user: string): string => `algorithm T {
  type Page = {OLD, NEW};
  object page[p \\in Page] = [data |-> 0];
  process Freer = 1 { ${freer} }
  process User = 2 { ${user} }
}`;

test('a write to a freed object is a use-after-free at that step, naming the object', () => {
  const o = check(model('f: free(page[OLD]);', 'w: page[OLD].data := 1;'));
  expect(verdictOf(o)).toBe('NoUseAfterFree at w');
  expect(o.failure!.message).toContain('page');
  expect(o.trace).toHaveLength(2);
});

test('a read of a freed object is a use-after-free', () => {
  expect(verdictOf(check(model('f: free(page[OLD]);', 'r: await page[OLD].data = 0;')))).toBe('NoUseAfterFree at r');
});

test('work on another, live object is fine', () => {
  expect(verdictOf(check(model('f: free(page[OLD]);', 'w: page[NEW].data := 1;')))).toBe('ok');
});

test('a double free', () => {
  expect(verdictOf(check(model('f: free(page[OLD]); g: free(page[OLD]);', 'w: skip;')))).toBe('DoubleFree at g');
});

test('alloc brings a freed object back to life with its initial value', () => {
  expect(verdictOf(check(model('f: free(page[OLD]); g: alloc(page[OLD]);', 'w: await page[OLD].data = 0;')))).toBe('NoUseAfterFree at w');
  expect(verdictOf(check(model('f: free(page[OLD]); g: alloc(page[OLD]); h: page[OLD].data := 2;', 'w: skip;')))).toBe('ok');
});
