// `^`, TLA+'s exponentiation, end to end in both engines: its values (TLC's, from the module below),
// the integer bounds it reaches, and the powers TLC leaves undefined.
import { checkModel } from '../../src/pipeline/check-file.js';
import { writeModel } from '../helpers.js';

const ENGINES = ['reference', 'compiled'] as const;

/** One process that sets `x` to `value` and then checks `ok`. */
function model(value: string, ok: string): string {
  return `algorithm A {
  variables x = 0, y = 3;
  process (P = 1) { a: x := ${value}; b: assert ${ok}; }
}`;
}

// TLC (EXTENDS Integers, TLC) prints <<-4, -8, 268435455, -268435456, 1, 0, 16>> for
// PrintT(<<-2^2, (-2)^3, 2^28 - 1, -2^28, 1^0, 0^1, 2^3*2>>), and fails "0^0 is undefined".
// (The literal 268435456 is above the largest integer, so -2^28 is checked by way of -2^28 + 1.)
test.each([
  ['-2^2', '-4'],
  ['(-2)^3', '-8'],
  ['2^27 + (2^27 - 1)', '268435455'],
  ['-2^28 + 1', '-268435455'],
  ['1^0', '1'],
  ['0^1', '0'],
  ['2^y*2', '16'],
])('%s = %s in both engines', (value, expected) => {
  const file = writeModel(model(value, `x = ${expected}`));
  for (const engine of ENGINES) expect(checkModel(file, { engine })).toMatchObject({ verdict: 'ok' });
});

test.each([
  ['0^0', /0\^0 is undefined/],
  ['2^(y - 4)', /2\^-1 is undefined/],
  ['2^28', /268435456 is outside -2\^28/],
  ['(-2)^29', /-536870912 is outside -2\^28/],
  ['y^1000', /outside -2\^28/],
])('%s is a runtime error in both engines', (value, message) => {
  const file = writeModel(model(value, 'TRUE'));
  for (const engine of ENGINES) {
    const outcome = checkModel(file, { engine });
    expect(outcome.verdict).not.toBe('ok');
    expect(JSON.stringify(outcome)).toMatch(message);
  }
});
