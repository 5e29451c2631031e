// What a model says that lockspec does not check is said, not skipped: a `fair` process gets a
// located warning beside the result, in text and JSON, and the verdict is unchanged.
import { runCheck } from '../../src/cli/commands.js';
import { memoryIo, writeModel } from '../helpers.js';

/** A seqlock-style reader that retries for ever while the writer may keep writing: no progress. */
const LIVELOCK = writeModel(`algorithm Livelock {
  variables seq = 0;
  fair process Writer = 1 { w: while (TRUE) { seq := (seq + 1) % 4; } }
  fair process Reader = 2 { r: await seq % 2 = 0; }
}
`);

const args = { file: LIVELOCK, deadlock: true, engine: 'compiled' as const };

test('fair processes are reported as unchecked fairness, with their place', () => {
  const io = memoryIo();
  expect(runCheck({ ...args, format: 'text' }, io, () => false)).toBe(0);
  const text = io.outs.join('\n');
  expect(text).toMatch(/:3:3: warning LS3012: fairness is not checked/);
  expect(text).toMatch(/:4:3: warning LS3012/);
  expect(text).toMatch(/No violation/);
  const json = memoryIo();
  runCheck({ ...args, format: 'json' }, json, () => false);
  expect(JSON.parse(json.outs.join('\n')).diagnostics).toEqual([
    expect.objectContaining({ code: 'LS3012', severity: 'warning', location: expect.stringMatching(/:3:3$/) }),
    expect.objectContaining({ code: 'LS3012', severity: 'warning', location: expect.stringMatching(/:4:3$/) }),
  ]);
});
