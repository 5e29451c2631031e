// formatNumber groups digits itself (ICU's number formatting costs about 20 ms at start-up): it must
// write every number exactly as toLocaleString('en-US') does, which the reports wrote before.
import { formatNumber } from '../../src/report/text.js';

describe('formatNumber', () => {
  test('writes what toLocaleString(en-US) writes', () => {
    const samples = [0, -0, -0.4, 0.5, 1, 7, 12, 999, 1000, 1234.5, 10921, 999999, 1000000, 516105, 2 ** 31, 2 ** 53 - 1, 2 ** 53, 1e21, -1, -1234, -1234567, NaN, Infinity, -Infinity];
    for (let k = 1; k < 1e15; k *= 7) samples.push(k, k + 0.49, -k);
    for (const n of samples) expect([n, formatNumber(n)]).toEqual([n, Math.round(n).toLocaleString('en-US')]);
  });
});
