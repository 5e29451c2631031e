// Helpers for the built-in check tests: check an inline model on both engines and return the
// outcome, asserting that the engines agree.
import type { CheckOutcome } from '../../src/checker/check.js';
import { checkModel } from '../../src/pipeline/check-file.js';
import { formatDiagnostic } from '../../src/diagnostics/diagnostics.js';
import { writeModel } from '../helpers.js';

export function check(text: string, opts: { deadlock?: boolean; lockOrder?: boolean } = {}): CheckOutcome {
  const file = writeModel(text);
  const [compiled, reference] = (['compiled', 'reference'] as const).map((engine) => checkModel(file, { ...opts, engine }));
  if (compiled.verdict === 'error') throw new Error(compiled.diagnostics.map((d) => formatDiagnostic(d, compiled.sources)).join('\n'));
  for (const o of [compiled, reference]) o.elapsedMs = 0;
  expect([reference.verdict, reference.failure?.property, reference.distinct, reference.generated, reference.trace?.length]).toEqual([
    compiled.verdict, compiled.failure?.property, compiled.distinct, compiled.generated, compiled.trace?.length,
  ]);
  return compiled;
}

/** The property that failed and the failing step's label, or 'ok'. */
export function verdictOf(o: CheckOutcome): string {
  if (o.verdict === 'ok') return 'ok';
  const label = o.failingStep && o.failingStep.label >= 0 ? o.program!.labels[o.failingStep.label].name : null;
  return `${o.failure!.property}${label ? ` at ${label}` : ''}`;
}
