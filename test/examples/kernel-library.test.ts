// The kernel library's example models (examples/ importing lib/linux.lspec): each built-in check of
// RCU, refcount_t and sequence counts trips on a known kernel bug shape (a design) and not on its
// fix (the base model), with both engines, and explores TLC's state counts. The figures were
// recorded by running TLC 2.20 (/work/shared/tools/tlc) on each design's `export-tla` module:
// complete searches for the fixes; for the bugs, the counts when TLC stopped at the same failed
// Assert (the check's message), which equal lockspec's since both search breadth first.
import { fileURLToPath } from 'node:url';
import type { CheckOutcome } from '../../src/checker/check.js';
import { checkModel } from '../../src/pipeline/check-file.js';

const example = (name: string): string => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

const CASES: { file: string; design: string; property: string | null; tlc: { distinct: number; generated: number } }[] = [
  { file: 'rcu-list-del.lspec', design: 'base', property: null, tlc: { distinct: 20, generated: 29 } },
  { file: 'rcu-list-del.lspec', design: 'kfree_not_rcu', property: 'NoUseAfterFree', tlc: { distinct: 14, generated: 17 } },
  { file: 'rcu-reader-rules.lspec', design: 'base', property: null, tlc: { distinct: 16, generated: 23 } },
  { file: 'rcu-reader-rules.lspec', design: 'sleep_in_reader', property: 'RcuReaderSleeps', tlc: { distinct: 3, generated: 3 } },
  { file: 'rcu-reader-rules.lspec', design: 'synchronize_in_reader', property: 'RcuSyncInReader', tlc: { distinct: 3, generated: 3 } },
  { file: 'rcu-reader-rules.lspec', design: 'unbalanced', property: 'RcuUnbalanced', tlc: { distinct: 7, generated: 7 } },
  { file: 'seqcount-writer.lspec', design: 'base', property: null, tlc: { distinct: 286, generated: 450 } },
  { file: 'seqcount-writer.lspec', design: 'no_lock', property: 'SeqcountWriterUnlocked', tlc: { distinct: 2, generated: 2 } },
  { file: 'seqcount-writer.lspec', design: 'nested', property: 'SeqcountNestedWriter', tlc: { distinct: 4, generated: 4 } },
  { file: 'refcount-lookup.lspec', design: 'base', property: null, tlc: { distinct: 30, generated: 45 } },
  { file: 'refcount-lookup.lspec', design: 'inc_on_zero', property: 'RefcountIncOnZero', tlc: { distinct: 14, generated: 17 } },
];

describe.each(CASES)('$file --design $design', ({ file, design, property, tlc }) => {
  test.each(['compiled', 'reference'] as const)(`${property ?? 'ok'} with the %s engine, with TLC's state counts`, (engine) => {
    const r: CheckOutcome = checkModel(example(file), { design, engine });
    expect(r.diagnostics).toEqual([]);
    expect(r.verdict).toBe(property ? 'violation' : 'ok');
    expect(r.failure?.property ?? null).toBe(property);
    expect({ distinct: r.distinct, generated: r.generated }).toEqual(tlc);
  });
});
