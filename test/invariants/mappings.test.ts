// Built-in mapping checks: a slot never names a freed object; no object is named by two slots.
import { check, verdictOf } from './builtin.js';

const model = (decl: string, body: string): string => `algorithm T {
  type Page = {OLD, NEW};
  object page[p \\in Page] = [data |-> 0];
  ${decl}
  process M = 1 { ${body} }
}`;

test('a mapping that names a freed object', () => {
  expect(verdictOf(check(model('mapping slot -> page = OLD;', 'a: free(page[OLD]); b: slot := NEW;')))).toBe('MappingToFreed');
  expect(verdictOf(check(model('mapping slot -> page = OLD;', 'a: slot := NEW; b: free(page[OLD]);')))).toBe('ok');
});

test('one object named by two slots', () => {
  expect(verdictOf(check(model('mapping slot[s \\in 1..2] -> page = IF s = 1 THEN OLD ELSE NEW;', 'a: slot[2] := OLD;')))).toBe('MappingUnique');
  expect(verdictOf(check(model('mapping slot[s \\in 1..2] -> page = IF s = 1 THEN OLD ELSE NEW;', 'a: slot[1] := NEW || slot[2] := OLD;')))).toBe('ok');
});
