// --max-states stops the search when the limit's state is stored, not when the limit is next
// looked at: the count reported is the limit (or the initial states, if there are more of them).
// --memory-limit counts the process's resident memory, what a user sees it use.
import { checkModel } from '../../src/pipeline/check-file.js';
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
  const m = process.memoryUsage();
  // A limit above what the heap and buffers hold but below the resident set: the process is over it.
  const limit = m.heapUsed + m.arrayBuffers + (m.rss - m.heapUsed - m.arrayBuffers) / 2;
  expect(m.rss).toBeGreaterThan(m.heapUsed + m.arrayBuffers + 2 ** 20);
  const o = checkModel('examples/lockinc.lspec', { maxMemoryBytes: limit });
  expect([o.verdict, o.limit]).toEqual(['incomplete', expect.stringMatching(/^memory-limit /)]);
});
