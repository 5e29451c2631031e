// Symmetry reduction: exact orbit counts, equal to TLC's SYMMETRY figures for RefPoolSym.
import { explore } from '../../../src/checker/search/breadth-first.js';
import { ReferenceEngine } from '../../../src/checker/engine/reference-engine.js';
import { loadModel } from '../../../src/pipeline/load-model.js';

test.each([
  ['{u1, u2}', 62, 132],
  ['{u1, u2, u3}', 178, 489],
  ['{u1, u2, u3, u4}', 435, 1486],
])('RefPool with USERS = %s under symmetry on USERS and OBJS', (users, distinct, generated) => {
  const m = loadModel('examples/refpool.lspec', { consts: [['USERS', users]], symmetry: ['USERS', 'OBJS'] });
  const r = explore(new ReferenceEngine(m.program!), { deadlock: false });
  expect(r.verdict).toBe('ok');
  expect([r.distinct, r.generated]).toEqual([distinct, generated]);
});
