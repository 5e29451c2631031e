// Differential and metamorphic testing of the checker on random models (test/gen/models.ts).
// The reference evaluator is the definition of the language; the compiled engine must agree with it
// on every model: the same verdict, failing property, counts, depth and trace. A disagreement is
// shrunk by fast-check and reported with the shrunk model as .lspec text, ready to be saved in
// test/checker/regressions/. The metamorphic checks test the front end and the reference engine
// against themselves: renaming variables or reordering global declarations changes no count, and a
// label after a `goto` is dead and changes nothing else.
//
// LOCKSPEC_DIFF_RUNS=N runs N random models instead of 500 (the metamorphic checks scale with it); each
// run draws new models (fast-check's seed changes), so CI runs add up.
import fc from 'fast-check';
import type { Program } from '../../src/lang/ir.js';
import { formatDiagnostic } from '../../src/diagnostics/diagnostics.js';
import { showValue, type Value } from '../../src/lang/values.js';
import { explore, type ExploreOptions } from '../../src/checker/search/breadth-first.js';
import type { ExploreResult, LabelCounts } from '../../src/checker/search/results.js';
import { createEngine, type EngineName } from '../../src/checker/engine/create-engine.js';
import type { CheckOutcome } from '../../src/checker/check.js';
import { checkModel } from '../../src/pipeline/check-file.js';
import { modelArb, renderModel, type GenModel } from '../gen/models.js';
import { loadText, writeModel } from '../helpers.js';

const RUNS = Number(process.env.LOCKSPEC_DIFF_RUNS ?? 500);
const META_RUNS = Math.max(20, Math.round(RUNS / 20));
const MAX_STATES = 2000;
const TIMEOUT = 600_000 + RUNS * 1000;

/** The seed, when set, replays one run: LOCKSPEC_DIFF_SEED=123. */
const seed = process.env.LOCKSPEC_DIFF_SEED ? { seed: Number(process.env.LOCKSPEC_DIFF_SEED) } : {};

function programOf(text: string): Program {
  const loaded = loadText(text);
  if (!loaded.program) {
    const diags = loaded.diagnostics.map((d) => formatDiagnostic(d, loaded.sources)).join('\n');
    throw new Error(`the generated model does not load:\n${diags}\n--- model.lspec\n${text}`);
  }
  return loaded.program;
}

const show = (v: Value | null): string => (v === null ? '-' : showValue(v));

/** Everything about a search that the engines must agree on, with labels by name. */
interface Summary {
  verdict: string;
  kind: string | null;
  property: string | null;
  limit: string | null;
  distinct: number;
  generated: number;
  depth: number;
  finishedStates: number;
  failingStep: string | null;
  traceLength: number | null;
  trace: string[] | null;
  /** Per label: steps taken / new states found (the coverage report). */
  coverage: string[] | null;
}

function stepName(program: Program, instance: number, label: number): string {
  if (instance < 0) return 'init';
  return `${program.instances[instance]?.display ?? `#${instance}`}@${program.labels[label]?.name ?? `#${label}`}`;
}

function labelCounts(program: Program, counts: LabelCounts | null): string[] | null {
  return counts && program.labels.map((l, i) => `${l.name}: ${counts.taken[i]}/${counts.newStates[i]}`);
}

function summarize(program: Program, r: ExploreResult | CheckOutcome, withStates = true): Summary {
  return {
    verdict: r.verdict,
    kind: r.failure?.kind ?? null,
    property: r.failure?.property ?? null,
    limit: r.limit,
    distinct: r.distinct,
    generated: r.generated,
    depth: r.depth,
    finishedStates: r.finishedStates,
    failingStep: r.failingStep ? stepName(program, r.failingStep.instance, r.failingStep.label) : null,
    traceLength: r.trace?.length ?? null,
    coverage: labelCounts(program, 'labelCounts' in r ? r.labelCounts : r.coverage),
    trace:
      r.trace?.map((t) => {
        const step = stepName(program, t.instance, t.label);
        if (!withStates) return step;
        const s = t.state;
        const pvars = s.pvars.map((vs) => vs.map(show).join(' ')).join(' | ');
        return `${step}: ${s.globals.map(show).join(' ')} / ${s.pcs.join(' ')} / ${pvars} / ${s.stacks.map(show).join(' ')}`;
      }) ?? null,
  };
}

function run(engine: EngineName, program: Program, opts: ExploreOptions): Summary | { crash: string } {
  try {
    return summarize(program, explore(createEngine(engine, program), opts));
  } catch (e) {
    return { crash: e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 6).join('\n') : String(e) };
  }
}

const json = (x: unknown): string => JSON.stringify(x, null, 1);

function disagreement(what: string, text: string, a: unknown, b: unknown, names: [string, string]): Error {
  return new Error(`${what}\n--- model.lspec\n${text}\n--- ${names[0]}\n${json(a)}\n--- ${names[1]}\n${json(b)}`);
}

describe('differential: the compiled engine against the reference evaluator', () => {
  test(
    `${RUNS} random models`,
    () => {
      const tally: Record<string, number> = {};
      fc.assert(
        fc.property(modelArb, (m: GenModel) => {
          const text = renderModel(m);
          const program = programOf(text);
          const opts: ExploreOptions = { deadlock: m.deadlock, maxStates: MAX_STATES };
          const ref = run('reference', program, opts);
          const cmp = run('compiled', program, opts);
          if (json(ref) !== json(cmp)) throw disagreement('the engines disagree', text, ref, cmp, ['reference', 'compiled']);
          const key = 'crash' in ref ? 'crash' : `${ref.verdict}${ref.kind ? `:${ref.kind}` : ''}`;
          tally[key] = (tally[key] ?? 0) + 1;
        }),
        { numRuns: RUNS, ...seed },
      );
      // The generator must keep producing models that explore: most end with a full search.
      expect(tally.ok ?? 0).toBeGreaterThan(RUNS / 5);
      if (process.env.LOCKSPEC_DIFF_VERBOSE) console.log(tally);
    },
    TIMEOUT,
  );
});

describe('metamorphic: the reference evaluator against itself', () => {
  const check = (text: string): { program: Program; outcome: CheckOutcome } => {
    const outcome = checkModel(writeModel(text), { engine: 'reference', maxStates: MAX_STATES });
    if (!outcome.program) {
      const diags = outcome.diagnostics.map((d) => formatDiagnostic(d, outcome.sources)).join('\n');
      throw new Error(`the generated model does not load:\n${diags}\n--- model.lspec\n${text}`);
    }
    return { program: outcome.program, outcome };
  };
  // checkModel reads `disable Deadlock`; the generated flag goes through the option.
  const explored = (m: GenModel, text: string): Summary => {
    const program = programOf(text);
    return summarize(program, explore(createEngine('reference', program), { deadlock: m.deadlock, maxStates: MAX_STATES }), false);
  };

  test(
    'renaming every variable changes no count and no trace',
    () => {
      fc.assert(
        fc.property(modelArb, (m) => {
          const a = renderModel(m);
          const b = renderModel(m, { rename: true });
          const [sa, sb] = [explored(m, a), explored(m, b)];
          if (json(sa) !== json(sb)) throw disagreement('renaming changed the search', `${a}\n--- renamed.lspec\n${b}`, sa, sb, ['original', 'renamed']);
        }),
        { numRuns: META_RUNS, ...seed },
      );
    },
    TIMEOUT,
  );

  test(
    'reordering the global declarations changes no count of a complete search',
    () => {
      const orderArb = fc.func(fc.integer());
      fc.assert(
        fc.property(modelArb, orderArb, (m, f) => {
          const order = m.globals.map((_, i) => i).sort((x, y) => f(x) - f(y) || y - x);
          const a = renderModel(m);
          const b = renderModel(m, { globalOrder: order });
          const [sa, sb] = [explored(m, a), explored(m, b)];
          // The order of the initial states changes, so which failure is found first and when a
          // limit stops the search may change; a complete search must find the same.
          if (sa.verdict === 'incomplete' || sb.verdict === 'incomplete') return;
          const complete = (s: Summary) => (s.verdict === 'ok' ? [s.distinct, s.generated, s.depth, s.finishedStates] : 'failed');
          if (json(complete(sa)) !== json(complete(sb))) throw disagreement('reordering changed the search', `${a}\n--- reordered.lspec\n${b}`, sa, sb, ['original', 'reordered']);
        }),
        { numRuns: META_RUNS, ...seed },
      );
    },
    TIMEOUT,
  );

  test(
    'a label after a goto is dead and changes nothing else',
    () => {
      let deadSeen = 0;
      fc.assert(
        fc.property(modelArb, (m) => {
          const a = renderModel(m, { loopFirst: true });
          const b = renderModel(m, { loopFirst: true, deadLabel: true });
          const [ca, cb] = [check(a), check(b)];
          // The dead label shifts the indices of later labels: compare by name.
          const [sa, withDead] = [summarize(ca.program, ca.outcome, false), summarize(cb.program, cb.outcome, false)];
          // The dead label is counted, never taken; the other labels' counts stay.
          const sb = { ...withDead, coverage: withDead.coverage?.filter((c) => c !== 'dead: 0/0') ?? null };
          if (json(sa) !== json(sb)) throw disagreement('a dead label changed the search', `${a}\n--- with-dead.lspec\n${b}`, sa, sb, ['original', 'with dead']);
          if (sa.verdict === 'ok') {
            deadSeen++;
            const expected = [...ca.outcome.deadLabels, 'dead'].sort();
            const got = [...cb.outcome.deadLabels].sort();
            if (json(expected) !== json(got)) throw disagreement('dead labels', b, expected, got, ['expected', 'reported']);
          }
        }),
        { numRuns: META_RUNS, ...seed },
      );
      expect(deadSeen).toBeGreaterThan(0);
    },
    TIMEOUT,
  );
});
