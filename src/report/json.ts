// The machine reports of a check: the JSON object of DESIGN.md (one per checked design) and the
// Informal Trace Format (ITF) trace that Quint and Apalache read.
import type { CheckOutcome } from '../checker/check.js';
import type { StateView, TraceStep } from '../checker/engine/contract.js';
import type { CycleConduct, Violation } from '../checker/search/results.js';
import type { LockOrderEdge, LockOrderReport } from '../checker/search/lock-order.js';
import type { Program } from '../lang/ir.js';
import { isFn, isSet, ModelValue, seqElems, sortedElems, sortedEntries, valueToJson, type Value } from '../lang/values.js';
import { labelCoverage, statesPerSecond } from './text.js';
import { stateChanges } from './trace.js';
import { spanLocation } from '../diagnostics/diagnostics.js';
import { coverResults } from './compare.js';

/** A state as named values: globals, `pc`, and each process variable as a map over instances. */
export function namedState(program: Program, s: StateView, encode: (v: Value) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  program.globals.forEach((g, i) => {
    if (!g.hidden) out[g.name] = encode(s.globals[i]);
  });
  out.pc = Object.fromEntries(program.instances.map((inst, i) => [inst.display, s.pcs[i]]));
  program.processVars.forEach((v, j) => {
    const entries = program.instances.flatMap((inst, i) => (s.pvars[i][j] === null ? [] : [[inst.display, encode(s.pvars[i][j]!)]]));
    if (entries.length && !(v.name in out)) out[v.name] = Object.fromEntries(entries);
  });
  if (program.procedures.length > 0) out.stack = Object.fromEntries(program.instances.map((inst, i) => [inst.display, encode(s.stacks[i])]));
  return out;
}

/** A hold span in JSON: a number, "unbounded", or null when the search did not finish. */
function spanJson(n: number | null): number | string | null {
  return n === null ? null : Number.isFinite(n) ? n : 'unbounded';
}

/** A trace in JSON: the initial state whole, then each step with what it changed. */
function traceJson(program: Program | null, trace: TraceStep[] | null): unknown[] | null {
  if (!program || !trace) return null;
  return trace.map((step, i) =>
    i === 0
      ? { process: null, label: null, state: namedState(program, step.state, valueToJson) }
      : {
          process: program.instances[step.instance].display,
          label: program.labels[step.label].name,
          changes: Object.fromEntries(stateChanges(program, trace[i - 1].state, step.state, step.instance).map((c) => [c.path, valueToJson(c.value)])),
        },
  );
}

function failingStepJson(program: Program | null, step: Violation['failingStep']): unknown {
  return step && program && step.instance >= 0 ? { process: program.instances[step.instance].display, label: program.labels[step.label].name } : null;
}

function cycleJson(program: Program, c: CycleConduct): Record<string, unknown> {
  return {
    process: program.instances[c.instance].display,
    fairness: c.fairness,
    conduct: c.conduct,
    disabledIn: c.disabledIn,
    at: c.at === null ? null : program.labels[c.at].name,
  };
}

function lockOrderEdgeJson(program: Program, e: LockOrderEdge): Record<string, unknown> {
  return { from: e.from, to: e.to, held: e.held, taken: e.taken, process: program.instances[e.instance].display, label: program.labels[e.label].name };
}

/** The lock-order graph: each class edge with the step that first made it, and each cycle with its acquisition paths (null: not checked). */
function lockOrderJson(program: Program | null, r: LockOrderReport | null): unknown {
  if (!program || !r) return null;
  return {
    edges: r.edges.map((e) => lockOrderEdgeJson(program, e)),
    cycles: r.cycles.map((c) => ({ locks: c.locks, paths: c.steps.map((s) => ({ ...lockOrderEdgeJson(program, s), trace: traceJson(program, s.trace) })) })),
  };
}

export function checkToJson(o: CheckOutcome): Record<string, unknown> {
  const program = o.program;
  const trace = traceJson(program, o.trace);
  return {
    spec: o.spec,
    design: o.design,
    constants: Object.fromEntries((program?.constants ?? []).map((c) => [c.name, valueToJson(c.value)])),
    engine: o.engine,
    verdict: o.verdict,
    property: o.failure?.property ?? null,
    message: o.failure?.message ?? (o.verdict === 'incomplete' ? `stopped by ${o.limit}` : null),
    states: { distinct: o.distinct, generated: o.generated, depth: o.depth },
    elapsedMs: o.elapsedMs,
    statesPerSecond: Math.round(statesPerSecond(o)),
    trace,
    failingStep: failingStepJson(program, o.failingStep),
    // Every violated property (several after --continue), the first being the one above.
    violations: o.violations.map((v, i) => ({
      property: v.failure.property,
      kind: v.failure.kind,
      message: v.failure.message,
      trace: i === 0 ? trace : traceJson(program, v.trace),
      failingStep: failingStepJson(program, v.failingStep),
      // A progress property's lasso: the index of the trace's state the last step returns to.
      loop: v.loop ?? null,
      // A lasso: each process on its cycle, and which fairness its behaviour there satisfies.
      ...(v.cycle ? { cycle: v.cycle.map((c) => cycleJson(program!, c)) } : {}),
      // A lock-order cycle: each acquisition on it with a shortest behaviour to it.
      ...(v.paths ? { paths: v.paths.map((p) => ({ title: p.title, trace: traceJson(program, p.trace) })) } : {}),
    })),
    limit: o.limit,
    lockStats: Object.fromEntries(
      Object.entries(o.lockStats).map(([name, st]) => [
        name,
        {
          maxHoldSteps: spanJson(st.maxHoldSteps),
          maxHoldCost: spanJson(st.maxHoldCost),
          maxWaiters: st.maxWaiters,
          maxBypass: spanJson(st.maxBypass),
          starvation: st.starvation,
        },
      ]),
    ),
    lockOrder: lockOrderJson(program, o.lockOrder),
    coverage: { deadLabels: o.deadLabels, labels: labelCoverage(o) },
    // Each cover property: whether some reachable state satisfies it (null: not checked).
    reachable: coverResults(o),
    diagnostics: o.diagnostics.map((d) => ({
      code: `LS${d.code}`,
      severity: d.severity,
      message: d.message,
      location: d.span ? spanLocation(d.span, o.sources) : null,
    })),
  };
}

/** ITF value encoding (https://apalache-mc.org/docs/adr/015adr-trace.html). */
export function itfValue(v: Value): unknown {
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return { '#bigint': String(v) };
  if (v instanceof ModelValue) return v.name;
  if (isSet(v)) return { '#set': sortedElems(v).map(itfValue) };
  if (isFn(v)) {
    const seq = seqElems(v);
    if (seq) return seq.map(itfValue);
    const entries = sortedEntries(v);
    if (entries.every(([k]) => typeof k === 'string')) return Object.fromEntries(entries.map(([k, x]) => [k as string, itfValue(x)]));
    return { '#map': entries.map(([k, x]) => [itfValue(k), itfValue(x)]) };
  }
  return null;
}

export function traceToItf(o: CheckOutcome): Record<string, unknown> | null {
  if (!o.program || !o.trace) return null;
  const program = o.program;
  const states = o.trace.map((step, i) => ({ '#meta': { index: i }, ...namedState(program, step.state, itfValue) }));
  const vars = states.length ? Object.keys(states[0]).filter((k) => k !== '#meta') : [];
  return {
    '#meta': { format: 'ITF', 'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html', source: o.spec, description: `${o.verdict}: ${o.failure?.property ?? ''}` },
    vars,
    states,
    // ITF's lasso: the index of the state the trace loops back to.
    ...(o.violations[0]?.loop != null ? { loop: o.violations[0].loop } : {}),
  };
}
