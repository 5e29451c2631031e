// What `lockspec explore` shows, apart from how it is served: a loaded program's states as the
// compiled engine stores them, each with its enabled steps (a successor, or the check the step
// fails), every invariant evaluated in it, and the replay of a `check` run's trace (JSON or ITF)
// onto those states. It runs the engine `check` runs, so every step it offers can happen.
import type { Engine, Failure, StateView, StepFailure } from '../checker/engine/contract.js';
import { CompiledEngine } from '../checker/engine/compiled/compiled-engine.js';
import type { Program, Property } from '../lang/ir.js';
import { showValue, valueToJson } from '../lang/values.js';
import { itfValue, namedState } from '../report/json.js';
import { formatChanges, stateChanges } from '../report/trace.js';

/** One step enabled in a state: where it leads, or the check it fails. */
export interface EnabledStep {
  process: string;
  label: string;
  description: string | null;
  /** The successor's id; null when the step fails. */
  to: number | null;
  /** What the step changes (JSON values by path), to tell apart the branches of one label. */
  changes: Record<string, unknown>;
  /** The same, as the text trace prints it: `x=1 lru[2]={1}`. */
  changesText: string;
  /** The built-in check, assertion or runtime error the step fails. */
  failure: { property: string; message: string } | null;
}

/** Each invariant (and each final, once every process has finished) in one state. */
export interface PropertyResult {
  name: string;
  kind: 'invariant' | 'final';
  /** A built-in check of a kernel primitive, not a user's invariant. */
  builtin: boolean;
  holds: boolean;
  /** The message `check` gives when it fails (or the runtime error evaluating it), null while it holds. */
  message: string | null;
}

export interface StateReport {
  id: number;
  /** Globals, `pc`, process variables and stacks, as JSON values (the JSON report's encoding). */
  state: Record<string, unknown>;
  /** The same with each value as TLA+ text (`{1, 2}`, `[a |-> 1]`), for people. */
  text: Record<string, unknown>;
  properties: PropertyResult[];
  steps: EnabledStep[];
  /** No step is enabled and some process has not finished. */
  deadlock: boolean;
  finished: boolean;
}

/** A trace replayed onto the session's states: their ids, and where it could not be followed. */
export interface Replay {
  ids: number[];
  /** The step that led to each id (null for the first). */
  steps: ({ process: string; label: string } | null)[];
  /** Why the replay stopped before the trace's end (null: followed to its end). */
  stoppedAt: { index: number; reason: string } | null;
}

const NO_INITIAL = "no initial state of this model is the trace's first state";

export class ExploreSession {
  readonly engine: Engine;
  private readonly initialIds: number[] = [];
  /** Per property, the engine's `skip` mask that leaves only it to check (see propertyIndex). */
  private readonly checks: { property: Property; kind: 'invariant' | 'final'; only: Uint8Array }[];

  constructor(readonly program: Program) {
    this.engine = new CompiledEngine(program);
    this.engine.initial((id) => {
      if (!this.initialIds.includes(id)) this.initialIds.push(id);
    });
    const all = [
      ...program.invariants.map((p) => ({ property: p, kind: 'invariant' as const })),
      ...program.finals.map((p) => ({ property: p, kind: 'final' as const })),
    ];
    this.checks = all.map((c, k) => ({ ...c, only: Uint8Array.from(all, (_, j) => (j === k ? 0 : 1)) }));
  }

  initial(): number[] {
    return [...this.initialIds];
  }

  /** Whether `id` names a state the session has stored. */
  has(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && id < this.engine.size();
  }

  report(id: number): StateReport {
    const { program, engine } = this;
    const view = engine.decode(id);
    const finished = engine.allDone(id);
    const steps: EnabledStep[] = [];
    const step = (instance: number, label: number, to: number | null, failure: Failure | null): EnabledStep => ({
      process: program.instances[instance].display,
      label: program.labels[label].name,
      description: program.labels[label].description,
      to,
      ...this.changesTo(view, to, instance),
      failure: failure && { property: failure.property, message: failure.message },
    });
    engine.successors(
      id,
      (to, _isNew, instance, label) => {
        if (instance >= 0) steps.push(step(instance, label, to, null));
      },
      (f: StepFailure) => steps.push(step(f.instance, f.label, null, f.failure)),
    );
    return {
      id,
      state: namedState(program, view, valueToJson),
      text: namedState(program, view, showValue),
      properties: this.checks
        .filter((c) => c.kind === 'invariant' || finished)
        .map((c) => {
          const failure = engine.checkState(id, c.only);
          return { name: c.property.name, kind: c.kind, builtin: c.property.builtin, holds: failure === null, message: failure?.message ?? null };
        }),
      steps,
      deadlock: steps.length === 0 && !finished,
      finished,
    };
  }

  private changesTo(view: StateView, to: number | null, instance: number): Pick<EnabledStep, 'changes' | 'changesText'> {
    if (to === null) return { changes: {}, changesText: '' };
    const changes = stateChanges(this.program, view, this.engine.decode(to), instance);
    return { changes: Object.fromEntries(changes.map((c) => [c.path, valueToJson(c.value)])), changesText: formatChanges(changes) };
  }

  /**
   * Follows a trace from `lockspec check --format json` (its `trace`, or the first violation's) or
   * an ITF file: the initial state that matches the trace's first, then at each step the
   * successor by the same process and label that makes the same changes (JSON) or reaches the
   * same state (ITF).
   */
  replay(doc: unknown): Replay {
    const d = doc as Record<string, unknown> | null;
    if (d && Array.isArray(d.states)) return this.replayItf(d.states as Record<string, unknown>[]);
    const trace = (d?.trace ?? (d?.violations as { trace?: unknown }[] | undefined)?.[0]?.trace) as
      | { process: string | null; label: string | null; state?: unknown; changes?: Record<string, unknown> }[]
      | undefined;
    if (!Array.isArray(trace) || trace.length === 0) return { ids: [], steps: [], stoppedAt: { index: 0, reason: 'no trace in this file: expected the JSON of `lockspec check --format json` or an ITF trace' } };
    const json = (id: number): string => JSON.stringify(namedState(this.program, this.engine.decode(id), valueToJson));
    const start = this.initialIds.find((id) => json(id) === JSON.stringify(trace[0].state));
    if (start === undefined) return { ids: [], steps: [], stoppedAt: { index: 0, reason: NO_INITIAL } };
    const out: Replay = { ids: [start], steps: [null], stoppedAt: null };
    for (let i = 1; i < trace.length; i++) {
      const want = JSON.stringify(trace[i].changes ?? {});
      const next = this.report(out.ids[i - 1]).steps.find(
        (s) => s.to !== null && s.process === trace[i].process && s.label === trace[i].label && JSON.stringify(s.changes) === want,
      );
      if (!next) return { ...out, stoppedAt: { index: i, reason: `no step ${trace[i].process}: ${trace[i].label} makes the trace's changes here` } };
      out.ids.push(next.to!);
      out.steps.push({ process: next.process, label: next.label });
    }
    return out;
  }

  private replayItf(states: Record<string, unknown>[]): Replay {
    const key = (s: Record<string, unknown>): string => JSON.stringify(Object.fromEntries(Object.entries(s).filter(([k]) => k !== '#meta')));
    const itf = (id: number): string => JSON.stringify(namedState(this.program, this.engine.decode(id), itfValue));
    const out: Replay = { ids: [], steps: [], stoppedAt: null };
    for (let i = 0; i < states.length; i++) {
      const want = key(states[i]);
      const candidates = i === 0 ? this.initialIds.map((to) => ({ to, step: null })) : this.stepsFrom(out.ids[i - 1]);
      const found = candidates.find((c) => itf(c.to) === want);
      if (found === undefined) return { ...out, stoppedAt: { index: i, reason: i === 0 ? NO_INITIAL : 'no step leads to the trace\'s next state here' } };
      out.ids.push(found.to);
      out.steps.push(found.step);
    }
    return out;
  }

  private stepsFrom(id: number): { to: number; step: { process: string; label: string } }[] {
    return this.report(id).steps.flatMap((s) => (s.to === null ? [] : [{ to: s.to, step: { process: s.process, label: s.label } }]));
  }
}
