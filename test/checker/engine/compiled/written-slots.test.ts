// Each compiled step names the slots it may write (CompiledStep.written), and the exact store
// compares only those with the parent's: a slot a step writes outside its set would silently merge
// distinct states. The engine's checkWritten mode fails on any successor that differs from its
// parent outside its step's set; here it runs every example, every bh-migration design, the bench
// models and random models (test/gen/models.ts), and a hand-made step shows that the mode fails.
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { CompiledEngine } from '../../../../src/checker/engine/compiled/compiled-engine.js';
import { explore } from '../../../../src/checker/search/breadth-first.js';
import { designsOf, loadModel } from '../../../../src/pipeline/load-model.js';
import { formatDiagnostic } from '../../../../src/diagnostics/diagnostics.js';
import type { Program } from '../../../../src/lang/ir.js';
import { modelArb, renderModel } from '../../../gen/models.js';
import { loadText, programOf } from '../../../helpers.js';

/** Enough states to reach every label of these models, few enough for a test. */
const MAX_STATES = 20_000;

/** Explores `program` with checkWritten on, past violations; throws on a step that wrote outside its set. */
function exploreChecked(program: Program): void {
  try {
    explore(new CompiledEngine(program, { checkWritten: true }), { deadlock: false, continue: true, maxStates: MAX_STATES });
  } catch (e) {
    // A model's runtime error ends its search (the differential test compares those): only the check's own failure counts.
    if (e instanceof Error && e.message.includes('written slots')) throw e;
  }
}

const files = [
  ...readdirSync('examples').filter((f) => f.endsWith('.lspec')).map((f) => `examples/${f}`),
  'spec/bh-migration/bh_migration.lspec',
  ...readdirSync('bench/models').filter((f) => f.endsWith('.lspec')).map((f) => `bench/models/${f}`),
];
const models = files.flatMap((file) => designsOf(loadModel(file)).map((design): [string, string, string | null] => [`${file}${design ? ` ${design}` : ''}`, file, design]));

describe('every step writes only the slots it names', () => {
  test.each(models)('%s', (_, file, design) => {
    const m = loadModel(file, { design });
    if (!m.program) throw new Error(m.diagnostics.map((d) => formatDiagnostic(d, m.sources)).join('\n'));
    exploreChecked(m.program);
  });

  test('random models', () => {
    fc.assert(
      fc.property(modelArb, (gen) => {
        const loaded = loadText(renderModel(gen));
        if (loaded.program) exploreChecked(loaded.program);
      }),
      { numRuns: 200 },
    );
  });
});

test('checkWritten fails on a step that writes a slot outside its set', () => {
  const program = programOf(`algorithm Two {
  variables x = 0, y = 0;
  process P \\in 1..2
  {
  s1: x := self;
  }
}
`);
  const engine = new CompiledEngine(program, { checkWritten: true });
  // The step of s1 of the first instance, told it writes only its own pc.
  const steps = engine['steps'] as { run: (S: Int32Array, W: Int32Array) => boolean; written: Int32Array }[][];
  const pc = engine['layout'].pcSlot[0];
  steps[0][0] = { run: engine['compiler'].step(0, 0).run, written: Int32Array.of(pc) };
  expect(() => explore(engine, { deadlock: false })).toThrow(/P\(1\) at s1 wrote slot 0, which is not in its step's written slots/);
});
