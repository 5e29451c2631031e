// What a file with designs means, the same for every command: the base model is a design too,
// checked as `base` unless a design that replaces nothing names it.
import { checkModel } from '../../src/pipeline/check-file.js';
import { designsOf, parseModel } from '../../src/pipeline/load-model.js';
import { runCheck, runCompare, runExportTla, runSimulate } from '../../src/cli/commands.js';
import { errorsOf, memoryIo, writeModel } from '../helpers.js';

/** The buggy lock order as the base model, the fixed one as its only design. */
const LOCK_ORDER = writeModel(`algorithm Order {
  spinlock a;
  spinlock b;
  process P = 1 { p1: lock(a); p2: lock(b); p3: unlock(b); p4: unlock(a); }
  process Q = 2 { q1: lock(b); q2: lock(a); q3: unlock(a); q4: unlock(b); }
  design fixed {
    process Q = 2 { q1: lock(a); q2: lock(b); q3: unlock(b); q4: unlock(a); }
  }
}
`);

const searchArgs = { deadlock: true, engine: 'compiled' as const };

describe('the base model is a design', () => {
  test('check and compare check the base first, as base', () => {
    const io = memoryIo();
    expect(runCheck({ ...searchArgs, file: LOCK_ORDER, format: 'json' }, io, () => false)).toBe(1);
    expect(JSON.parse(io.outs.join('\n')).map((o: any) => [o.design, o.verdict])).toEqual([['base', 'deadlock'], ['fixed', 'ok']]);
    const table = memoryIo();
    expect(runCompare({ ...searchArgs, path: LOCK_ORDER, format: 'json' }, table, () => false)).toBe(0);
    expect(JSON.parse(table.outs.join('\n')).map((o: any) => o.design)).toEqual(['base', 'fixed']);
  });

  test('--design base selects it, in check, simulate and export-tla alike', () => {
    expect(checkModel(LOCK_ORDER, { design: 'base' })).toMatchObject({ design: 'base', verdict: 'deadlock' });
    const sim = memoryIo();
    expect(runSimulate({ ...searchArgs, file: LOCK_ORDER, design: 'base', runs: 50, depth: 10, seed: 1, format: 'json' }, sim, () => false)).toBe(1);
    const tla = memoryIo();
    expect(runExportTla({ file: LOCK_ORDER, design: 'base', deadlock: true }, tla)).toBe(0);
    const base = memoryIo();
    runExportTla({ file: LOCK_ORDER, deadlock: true }, base);
    expect(tla.outs).toEqual(base.outs);
  });

  test('a design that replaces nothing names the base model, which is then not checked twice', () => {
    const file = writeModel(`algorithm Named {
  variables x = 0;
  process P = 1 { a: x := 1; }
  design original "the base model" { }
  design other { process P = 1 { a: x := 2; } }
}
`);
    expect(designsOf(parseModel(file))).toEqual(['original', 'other']);
    expect(designsOf(parseModel(LOCK_ORDER))).toEqual(['base', 'fixed']);
  });

  test('a design that replaces something cannot be called base', () => {
    expect(errorsOf('algorithm B { variables x = 0; process P = 1 { a: x := 1; } design base { variables x = 1; } }').join('\n')).toMatch(
      /error LS2016: "base" names the base model/,
    );
  });
});
