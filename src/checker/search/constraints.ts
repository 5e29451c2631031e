// TLC's CONSTRAINT (a model's `constraint` declarations) as the searches apply it: a state that
// falsifies one is generated and checked like any other, but it is not counted as a distinct state
// and is never expanded (docs/semantics.md, "Constraints").
import type { Engine } from '../engine/contract.js';

/** Whether stored state `id` satisfies every constraint; null when the program has none. */
export function constraintTest(engine: Engine): ((id: number) => boolean) | null {
  const constraints = engine.program.constraints ?? [];
  if (constraints.length === 0) return null;
  const tests = constraints.map((c) => engine.predicate(c.body, `constraint ${c.name}`));
  return (id) => tests.every((test) => test(id));
}
