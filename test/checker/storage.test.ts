// The two ways the compiled engine stores states must not change any answer: for every example,
// the failing variants and each bh-migration design, the exact bit-packed store and fingerprint
// mode give the same verdict, counts, depth and trace (step for step). And the storage targets:
// at most 32 bytes per state all in (exact), at most 12 (fingerprint), on LockInc N=3.
import { checkModel, designsOf, type CheckOptions, type CheckOutcome } from '../../src/checker/check.js';

const cases: [string, string, CheckOptions][] = [
  ['lockinc', 'examples/lockinc.lspec', {}],
  ['peterson', 'examples/peterson.lspec', {}],
  ['refpool', 'examples/refpool.lspec', {}],
  ['refpool symmetric', 'examples/refpool.lspec', { symmetry: ['USERS', 'OBJS'] }],
  ['ticketlock', 'examples/ticketlock.lspec', {}],
  ['ticketlock MAXT=1', 'examples/ticketlock.lspec', { consts: [['MAXT', '1']] }],
  ['refpool ATOMIC_PUT=FALSE', 'examples/refpool.lspec', { consts: [['ATOMIC_PUT', 'FALSE']] }],
  ...designsOf('spec/bh-migration/bh_migration.lspec').designs.map(
    (design): [string, string, CheckOptions] => [`bh-migration ${design}`, 'spec/bh-migration/bh_migration.lspec', { design }],
  ),
];

const summary = (o: CheckOutcome) => ({
  verdict: o.verdict,
  property: o.failure?.property ?? null,
  distinct: o.distinct,
  generated: o.generated,
  depth: o.depth,
  failingStep: o.failingStep,
  trace: o.trace?.map((s) => ({ instance: s.instance, label: s.label, state: s.state })) ?? null,
});

describe('exact and fingerprint storage agree', () => {
  test.each(cases)('%s', (_, file, opts) => {
    const exact = checkModel(file, opts);
    const fp = checkModel(file, { ...opts, fingerprint: true });
    expect(exact.verdict).not.toBe('error');
    expect(summary(fp)).toEqual(summary(exact));
    expect(exact.fingerprint ?? null).toBeNull();
    expect(fp.fingerprint!.collisionProbability).toBeCloseTo(exact.distinct ** 2 / 2 ** 65, 20);
  });

  test('the failing variants keep their traces', () => {
    expect(checkModel('examples/ticketlock.lspec', { consts: [['MAXT', '1']], fingerprint: true }).trace).toHaveLength(9);
    expect(checkModel('examples/refpool.lspec', { consts: [['ATOMIC_PUT', 'FALSE']], fingerprint: true }).trace).toHaveLength(9);
  });
});

describe('bytes per state', () => {
  const opts: CheckOptions = { consts: [['N', '3']] };

  test('exact: at most 32, all in', () => {
    const o = checkModel('examples/lockinc.lspec', opts);
    expect(o.distinct).toBe(22_436);
    expect(o.storeBytes / o.distinct).toBeLessThanOrEqual(32);
  });

  test('fingerprint: at most 12, the frontier apart', () => {
    const o = checkModel('examples/lockinc.lspec', { ...opts, fingerprint: true });
    expect(o.distinct).toBe(22_436);
    expect(o.storeBytes / o.distinct).toBeLessThanOrEqual(12);
    expect(o.fingerprint!.frontierPeakBytes).toBeGreaterThan(0);
  });
});
