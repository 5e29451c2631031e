// --max-states stops the search when the limit's state is stored, not when the limit is next
// looked at: the count reported is the limit (or the initial states, if there are more of them).
// --memory-limit counts the process's resident memory, what a user sees it use.
import { spawnSync } from 'node:child_process';
import { checkModel } from '../../src/pipeline/check-file.js';
import { CHILD_TIMEOUT_MS } from '../helpers.js';
import { formatCheck } from '../../src/report/text.js';

test.each(['compiled', 'reference'] as const)('the %s engine stops at exactly --max-states distinct states', (engine) => {
  for (const maxStates of [1, 1000, 1500]) {
    const o = checkModel('examples/lockinc.lspec', { engine, maxStates });
    expect([o.verdict, o.limit, o.distinct]).toEqual(['incomplete', `max-states ${maxStates}`, maxStates]);
    expect(formatCheck(o)).toMatch(new RegExp(`stopped by max-states ${maxStates} after ${maxStates.toLocaleString('en-US')} distinct states`));
  }
});

test('a limit at or above the state count leaves the search complete', () => {
  const all = checkModel('examples/lockinc.lspec', {}).distinct;
  expect(checkModel('examples/lockinc.lspec', { maxStates: all + 1 }).verdict).toBe('ok');
});

test('--memory-limit counts the resident memory of the process, not only the JS heap', () => {
  // In a fresh process: this one's figures carry what earlier tests left (shared buffers reserved
  // far beyond what they hold count in arrayBuffers but are not resident).
  const script = `
    import { checkModel } from './dist/src/pipeline/check-file.js';
    const m = process.memoryUsage();
    // A limit above what the heap and buffers hold but below the resident set: the process is over it.
    const limit = m.heapUsed + m.arrayBuffers + (m.rss - m.heapUsed - m.arrayBuffers) / 2;
    const o = checkModel('examples/lockinc.lspec', { maxMemoryBytes: limit });
    console.log(JSON.stringify({ roomy: m.rss > m.heapUsed + m.arrayBuffers + 2 ** 20, verdict: o.verdict, limit: o.limit }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
  expect(r.stderr).toBe('');
  const o = JSON.parse(r.stdout);
  expect(o.roomy).toBe(true);
  expect([o.verdict, o.limit]).toEqual(['incomplete', expect.stringMatching(/^memory-limit /)]);
});
