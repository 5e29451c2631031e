// The compiled engine: the fast Engine. A state is a fixed-width int32 row (layout.ts) of value
// codes (valuetable.ts), stored once bit-packed in a typed-array hash store (store.ts), or in
// fingerprint mode only as a fingerprint (fingerprint.ts); each (label, instance) step and each
// property is compiled to a JS function (codegen.ts) that works on rows without allocating on the
// common paths. It must agree with the reference evaluator state for state. The parallel search
// drives it on rows through RowEngine (row-engine.ts).
import { processCount, processInitOrder, type Expr, type Program } from '../../../lang/ir.js';
import { mkTuple, type Value } from '../../../lang/values.js';
import { holderIndex } from '../../../invariants/locks.js';
import type { Engine, Failure, FrontierOnly, StateView, StepFailure, SuccessorSink, TraceStep } from '../contract.js';
import { firstViolation, propertyTitle } from '../failures.js';
import { FingerprintProbe, FingerprintStore, fingerprint } from './fingerprint.js';
import { Compiler, type CompiledStep, type ElementsFn, type PropertyFn, type ValueFn } from './codegen.js';
import { compose, makeLayout, type Layout } from './layout.js';
import { Runtime } from './runtime.js';
import { PackedStore, type RowStore } from './store.js';
import { slotsRead } from './slots-read.js';
import type { RowEngine, RowSink } from './row-engine.js';
import { RowSymmetry } from './canonical.js';
import { ValueTable } from './valuetable.js';

export interface CompiledOptions {
  /** Keep a 64-bit fingerprint per state instead of the state (fingerprint.ts). */
  fingerprint?: boolean;
  /**
   * Fail when a step writes a slot outside its CompiledStep.written (the slots the store compares
   * with the parent's): the test of those sets.
   */
  checkWritten?: boolean;
}

/** Thrown from a sink once the state sought is found. */
const FOUND = new Error('found');

/** No slot: what a path has written before the first. */
const NONE_WRITTEN = new Int32Array(0);

export class CompiledEngine implements Engine, RowEngine {
  readonly table = new ValueTable();
  private readonly layout: Layout;
  private readonly rt: Runtime;
  private readonly compiler: Compiler;
  private store: RowStore;
  readonly frontierOnly?: FrontierOnly;
  /** The state being expanded, the scratch row its steps write, the row properties read. */
  private readonly src: Int32Array;
  private readonly scratch: Int32Array;
  private readonly checked: Int32Array;
  /** The state whose row is in `checked` (-1: none). */
  private checkedId = -1;
  /** Whether the last row inserted was stored as it was given (no symmetry, or its own canonical image). */
  private storedAsIs = true;
  /**
   * Which invariants the step that stored state `stampedId` may have changed: those reading a slot
   * where its row differs from the row expanded (`stamps[i] === stamp`). Per slot, the invariants
   * that read it (slots-read.ts); `unchanged` is the skip list handed to the properties.
   */
  private readers: Int32Array[] | null = null;
  private stamps = new Int32Array(0);
  private stamp = 0;
  private stampedId = -1;
  private unchanged = new Uint8Array(0);
  /** The row being expanded (expand's `src`). */
  private expanding: Int32Array;
  /** Compiled on first use: per instance, per label. */
  private readonly steps: (CompiledStep | undefined)[][];
  /** The state being expanded (-1: a row that is no stored state). */
  private parent = -1;
  private readonly checkWritten: boolean;
  private readonly inits = new Map<string, ValueFn>();
  private readonly initSets = new Map<string, ElementsFn>();
  private properties: { invariants: PropertyFn[]; finals: PropertyFn[] } | null = null;
  private readonly emptyStack: number;
  private readonly symmetry: RowSymmetry;
  /** The instances before this one are processes; the rest are hand-written actions. */
  private readonly processes: number;

  constructor(
    readonly program: Program,
    opts: CompiledOptions = {},
  ) {
    this.processes = processCount(program);
    this.checkWritten = opts.checkWritten ?? false;
    this.layout = makeLayout(program, this.table);
    this.rt = new Runtime(program, this.table, this.layout);
    this.compiler = new Compiler(program, this.layout, this.table, this.rt);
    if (opts.fingerprint) {
      const store = new FingerprintStore(this.layout.width, false);
      this.store = store;
      this.frontierOnly = {
        forget: (below) => store.forget(below),
        traceTo: (id) => this.traceTo(store, id),
        frontierPeakBytes: () => store.frontierPeakBytes(),
      };
    } else {
      this.store = new PackedStore(this.layout.width);
    }
    this.src = new Int32Array(this.layout.width);
    this.scratch = new Int32Array(this.layout.width);
    this.checked = new Int32Array(this.layout.width);
    this.expanding = this.src;
    this.steps = program.instances.map(() => []);
    this.emptyStack = this.table.intern(mkTuple([]));
    this.symmetry = new RowSymmetry(program, this.layout, this.table);
  }

  /**
   * Stores a row (its canonical image under symmetry); `store.wasNew` says whether it was new. A
   * new row is kept in `checked`, where checkState, which comes next, reads it. A successor of
   * stored state `parent` differs from it only in the slots `written` of its step, which is all
   * the store compares; its canonical image may differ anywhere, unless it is the row itself
   * (`storedAsIs`).
   */
  private insert(row: Int32Array, parent = -1, written: Int32Array | null = null): number {
    const stored = this.symmetry.active ? this.symmetry.canonical(row, parent >= 0 ? written : null) : row;
    this.storedAsIs = stored === row;
    const id = !this.storedAsIs || parent < 0 ? this.store.insert(stored) : this.store.insert(stored, parent, written);
    if (this.store.wasNew) {
      this.checked.set(stored);
      this.checkedId = id;
    }
    return id;
  }

  initial(sink: SuccessorSink): void {
    const p = this.program;
    const { layout, rt } = this;
    const row = new Int32Array(layout.width);
    p.instances.forEach((inst, i) => {
      row[layout.pcSlot[i]] = p.processes[inst.template].entry;
      if (layout.stackSlot[i] >= 0) row[layout.stackSlot[i]] = this.emptyStack;
    });
    // The slots filled after the globals, in TLC's order of PlusCal's Init (processInitOrder).
    const slots = processInitOrder(p, (i, v) => layout.pvarSlot[v][i] >= 0);

    const fill = (k: number): void => {
      if (k === slots.length) {
        const id = this.insert(row);
        sink(id, this.store.wasNew, -1, -1, 1);
        return;
      }
      const [inst, v] = slots[k];
      for (const code of this.initialValues(v, inst, row)) {
        rt.writePvar(row, inst, v, code);
        fill(k + 1);
      }
    };
    const fillGlobals = (g: number): void => {
      if (g === p.globals.length) return fill(0);
      const { off, shape } = layout.globals[g];
      for (const v of p.globals[g].inits) {
        rt.writeWhole(row, off, shape, this.table.intern(v), p.globals[g].name);
        fillGlobals(g + 1);
      }
    };
    // An `init ==` predicate lists the initial tuples of the globals.
    const fillListed = (tuples: Value[][]): void => {
      for (const t of tuples) {
        t.forEach((v, g) => rt.writeWhole(row, layout.globals[g].off, layout.globals[g].shape, this.table.intern(v), p.globals[g].name));
        fill(0);
      }
    };
    try {
      if (p.initialGlobals) fillListed(p.initialGlobals);
      else fillGlobals(0);
    } catch (e) {
      throw rt.errorSites.asStepFailure(e);
    }
  }

  /** A process variable's initial values in canonical order (`=`: one, `\in`: each element). */
  private initialValues(v: number, inst: number, row: Int32Array): Iterable<number> {
    const pv = this.program.processVars[v];
    if (pv.init === null) return [this.rt.defaultInit];
    const key = `${v}:${inst}`;
    if (pv.initKind === '\\in') {
      let elems = this.initSets.get(key);
      if (!elems) this.initSets.set(key, (elems = this.compiler.elements(pv.init, inst, `the initial set of ${pv.name}`)));
      return elems(row);
    }
    let fn = this.inits.get(key);
    if (!fn) this.inits.set(key, (fn = this.compiler.value(pv.init, inst)));
    return [fn(row)];
  }

  successors(id: number, sink: SuccessorSink, failed?: (failure: StepFailure) => void): void {
    this.store.read(id, this.src);
    if (this.symmetry.active) this.symmetry.prepare(this.src);
    this.parent = id;
    try {
      this.expand(this.src, sink, failed);
    } finally {
      this.parent = -1;
    }
  }

  /** The slots written by the step of the row successorRows emits (read by storeSuccessor, not looked up again). */
  private stepWritten: Int32Array = NONE_WRITTEN;
  /** The sink of the state being expanded, for storeSuccessor (bound once: no closure per state). */
  private sink: SuccessorSink = () => {};
  private readonly storeSuccessor = (row: Int32Array, inst: number, label: number, copies: number): void => {
    const written = this.stepWritten;
    const next = this.insert(row, this.parent, written);
    if (this.store.wasNew) {
      this.stampChanges(this.expanding, this.storedAsIs ? written : null);
      this.stampedId = next;
    }
    this.sink(next, this.store.wasNew, inst, label, copies);
  };

  /**
   * Marks the invariants that read a slot where the new row in `checked` differs from `parent`, the
   * row expanded: only among the slots its step wrote (sorted) when it is the step's own row (no
   * symmetry), else among all.
   */
  private stampChanges(parent: Int32Array, written: Int32Array | null): void {
    const readers = (this.readers ??= this.invariantReaders());
    const { checked, stamps } = this;
    const stamp = ++this.stamp;
    const n = written ? written.length : checked.length;
    for (let j = 0; j < n; j++) {
      const k = written ? written[j] : j;
      if (checked[k] === parent[k]) continue;
      const slotReaders = readers[k];
      for (let r = 0; r < slotReaders.length; r++) stamps[slotReaders[r]] = stamp;
    }
  }

  /** The first property the row in `checked` violates, but those in `skip` and the invariants stampChanges left unmarked (they hold in the parent). */
  private checkChanged(skip?: Uint8Array): Failure | null {
    const { unchanged, stamps, stamp } = this;
    const invariants = stamps.length;
    for (let i = 0; i < unchanged.length; i++) unchanged[i] = (skip !== undefined && skip[i] === 1) || (i < invariants && stamps[i] !== stamp) ? 1 : 0;
    return this.checkChecked(unchanged);
  }

  /** Per slot, the invariants that can read it. */
  private invariantReaders(): Int32Array[] {
    const { program, layout } = this;
    const per: number[][] = Array.from({ length: layout.width }, () => []);
    program.invariants.forEach((inv, i) => {
      for (const k of slotsRead(program, layout, inv.body)) per[k].push(i);
    });
    this.stamps = new Int32Array(program.invariants.length);
    this.unchanged = new Uint8Array(program.invariants.length + program.finals.length);
    return per.map((list) => Int32Array.from(list));
  }

  /** Every successor of the row `src`, stored. */
  private expand(src: Int32Array, sink: SuccessorSink, failed?: (failure: StepFailure) => void): void {
    this.sink = sink;
    this.expanding = src;
    this.successorRows(src, this.storeSuccessor, failed);
  }

  /**
   * Every successor row of the row `src` (in the reused scratch row), with the step that made it.
   * A failing path is thrown, or handed to `failed` and the next path taken.
   */
  private successorRows(src: Int32Array, emit: RowSink, failed?: (failure: StepFailure) => void): void {
    const { scratch, rt, layout } = this;
    const n = this.program.instances.length;
    // Each path starts from a copy of `src`: a path writes its step's slots alone (the sinks only
    // read the row), so those are all that is set back from one path to the next.
    scratch.set(src);
    let dirty: Int32Array = NONE_WRITTEN;
    for (let inst = 0; inst < n; inst++) {
      const label = src[layout.pcSlot[inst]];
      if (label === rt.done) continue;
      try {
        const step = this.steps[inst][label] ?? (this.steps[inst][label] = this.compiler.step(label, inst));
        rt.beginStep();
        do {
          for (let j = 0; j < dirty.length; j++) scratch[dirty[j]] = src[dirty[j]];
          dirty = step.written;
          rt.copies = 1;
          let enabled: boolean;
          try {
            enabled = step.run(src, scratch);
          } catch (e) {
            if (!failed) throw e;
            // The path's forks so far are recorded: nextPath goes on with the one after it.
            failed(this.stepFailure(e, inst, label));
            continue;
          }
          if (!enabled) continue;
          if (this.checkWritten) this.checkWrites(src, scratch, step.written, inst, label);
          this.stepWritten = step.written;
          emit(scratch, inst, label, rt.copies);
        } while (rt.nextPath());
      } catch (e) {
        throw this.stepFailure(e, inst, label);
      }
    }
  }

  /** Throws unless `row` is `src` outside the sorted slots `written` (checkWritten's test). */
  private checkWrites(src: Int32Array, row: Int32Array, written: Int32Array, inst: number, label: number): void {
    for (let k = 0, j = 0; k < row.length; k++) {
      if (j < written.length && written[j] === k) j++;
      else if (row[k] !== src[k]) {
        throw new Error(`${this.program.instances[inst].display} at ${this.program.labels[label].name} wrote slot ${k}, which is not in its step's written slots`);
      }
    }
  }

  /** A failure of instance `inst`'s step at `label` (an error that is none is thrown on). */
  private stepFailure(e: unknown, inst: number, label: number): StepFailure {
    const failure = this.rt.errorSites.asStepFailure(e);
    failure.instance = inst;
    failure.label = label;
    return failure;
  }

  size(): number {
    return this.store.size();
  }

  predicate(body: Expr, what: string): (id: number) => boolean {
    const test = this.compiler.property(body, what);
    const row = new Int32Array(this.layout.width);
    return (id) => {
      this.store.read(id, row);
      try {
        return test(row);
      } catch (e) {
        throw this.rt.errorSites.asStepFailure(e);
      }
    };
  }

  checkState(id: number, skip?: Uint8Array, fromExpanded?: boolean): Failure | null {
    if (id !== this.checkedId) {
      this.store.read(id, this.checked);
      this.checkedId = id;
    }
    // The state expanded satisfies every invariant not skipped: those that read nothing the step changed hold here too.
    return fromExpanded && id === this.stampedId ? this.checkChanged(skip) : this.checkChecked(skip);
  }

  private compiledProperties(): { invariants: PropertyFn[]; finals: PropertyFn[] } {
    const p = this.program;
    return (this.properties ??= {
      invariants: p.invariants.map((inv) => this.compiler.property(inv.body, propertyTitle('invariant', inv))),
      finals: p.finals.map((fin) => this.compiler.property(fin.body, propertyTitle('final property', fin))),
    });
  }

  /** The first property the row in `checked` violates, but those in `skip`: invariants, then finals if all have finished. */
  private checkChecked(skip?: Uint8Array): Failure | null {
    const props = this.compiledProperties();
    return firstViolation(this.program, props.invariants, props.finals, this.checked, this.rowFinished, this.rt.errorSites, skip);
  }

  /** Whether every process has finished in `row` (bound once: checkChecked passes it on). */
  readonly rowFinished = (row: Int32Array): boolean => {
    const { pcSlot } = this.layout;
    for (let i = 0; i < this.processes; i++) if (row[pcSlot[i]] !== this.rt.done) return false;
    return true;
  };

  allDone(id: number): boolean {
    const { pcSlot } = this.layout;
    for (let i = 0; i < this.processes; i++) if (this.store.slot(id, pcSlot[i]) !== this.rt.done) return false;
    return true;
  }

  pcLabels(id: number, out: Int32Array): Int32Array {
    const { pcSlot } = this.layout;
    for (let i = 0; i < pcSlot.length; i++) {
      const pc = this.store.slot(id, pcSlot[i]);
      out[i] = pc === this.rt.done ? -1 : pc;
    }
    return out;
  }

  decode(id: number): StateView {
    const row = new Int32Array(this.layout.width);
    this.store.read(id, row);
    return this.decodeRow(row);
  }

  private decodeRow(row: Int32Array): StateView {
    const { layout, table, program } = this;
    return {
      globals: layout.globals.map((g) => compose(table, row, g.off, g.shape)),
      pcs: program.instances.map((_, i) => table.value(this.rt.pcNames[row[layout.pcSlot[i]]]) as string),
      pvars: program.instances.map((_, i) =>
        program.processVars.map((_, v) => (layout.pvarSlot[v][i] < 0 ? null : compose(table, row, layout.pvarSlot[v][i], layout.pvarShapes[v]))),
      ),
      stacks: program.instances.map((_, i) => table.value(layout.stackSlot[i] < 0 ? this.emptyStack : row[layout.stackSlot[i]])),
    };
  }

  mayChange(globals: number[]): (instance: number, label: number) => boolean {
    const watched = new Uint8Array(this.layout.width);
    for (const g of globals) {
      const { off, shape } = this.layout.globals[g];
      watched.fill(1, off, off + shape.width);
    }
    const labels = this.program.labels.length;
    // Per step: 0 not yet known, 1 it may write a watched slot, 2 it writes none.
    const known = new Uint8Array(this.program.instances.length * labels);
    return (instance, label) => {
      const at = instance * labels + label;
      if (known[at] === 0) {
        const step = this.steps[instance][label] ?? (this.steps[instance][label] = this.compiler.step(label, instance));
        known[at] = step.written.some((k) => watched[k] === 1) ? 1 : 2;
      }
      return known[at] === 1;
    };
  }

  /** Per value code, the holder it names (see holderIndex). */
  private readonly holderOfCode = new Map<number, number>();

  lockHolders(global: number, keys: (Value | null)[], n: number): Int32Array[] {
    // A small direct-mapped cache of the holder map, for a store read state by state (the packed
    // store asks once per code): a lock's slot holds few distinct codes.
    const cachedCode = new Int32Array(64);
    const cachedHolder = new Int32Array(64);
    const cached = new Uint8Array(64);
    const holderOf = (code: number): number => {
      const at = code & 63;
      if (cachedCode[at] !== code || cached[at] === 0) {
        let holder = this.holderOfCode.get(code);
        if (holder === undefined) this.holderOfCode.set(code, (holder = holderIndex(this.program, this.table.value(code), null)));
        cachedCode[at] = code;
        cachedHolder[at] = holder;
        cached[at] = 1;
      }
      return cachedHolder[at];
    };
    return Array.from(this.holderSlots(global, keys), (slot) => {
      const holders = new Int32Array(n);
      const { store } = this;
      // The packed store maps each code its slot has held once, not each state's.
      if (store instanceof PackedStore) store.column(slot, n, holders, holderOf);
      else for (let id = 0; id < n; id++) holders[id] = holderOf(store.slot(id, slot));
      return holders;
    });
  }

  /**
   * The slot of each element of a lock: the global's own for a whole lock, the key's for a lock
   * array (its domain is fixed, its elements single values: a lock's shape is always one of these).
   */
  private holderSlots(global: number, keys: (Value | null)[]): Int32Array {
    const { off, shape } = this.layout.globals[global];
    return Int32Array.from(keys, (key) => {
      if (key === null && shape.kind === 'leaf') return off;
      const i = key !== null && shape.kind === 'fn' && shape.elem.kind === 'leaf' ? shape.index.get(this.table.intern(key)) : -1;
      if (i < 0) throw new Error(`lock statistics: lock ${this.program.globals[global].name} has no slot per element`);
      return off + i;
    });
  }

  storeBytes(): number {
    return this.store.bytes();
  }

  /**
   * Fingerprint mode's trace to frontier state `id`: explore again, breadth-first in the same
   * order, keeping each state's parent fingerprint, until the target's fingerprint is stored; walk
   * the parents back to an initial state; then replay forward from the initial states, taking at
   * each step the first successor with the next fingerprint (the step the exact search records).
   */
  private traceTo(main: FingerprintStore, id: number): TraceStep[] {
    const width = this.layout.width;
    const row = new Int32Array(width);
    main.read(id, row);
    const target = new Uint32Array(2);
    fingerprint(row, target);
    const trace = new FingerprintStore(width, true);
    const probe = new FingerprintProbe(width);
    try {
      this.store = trace;
      const reached: SuccessorSink = (_, isNew) => {
        if (isNew && trace.last[0] === target[0] && trace.last[1] === target[1]) throw FOUND;
      };
      try {
        this.initial(reached);
        for (let at = 0; at < trace.size(); at++) {
          trace.forget(at);
          trace.read(at, row);
          fingerprint(row, trace.parent);
          this.expand(row, reached);
        }
        throw new Error('trace rebuild: the failing state was not reached again');
      } catch (e) {
        if (e !== FOUND) throw e;
      }
      // The fingerprints from an initial state to the target.
      const path: Uint32Array[] = [target];
      for (;;) {
        const up = new Uint32Array(2);
        const last = path[path.length - 1];
        trace.parentOf(last[0], last[1], up);
        if (up[0] === 0 && up[1] === 0) break;
        path.push(up);
      }
      path.reverse();
      this.store = probe;
      const steps: TraceStep[] = [];
      let instance = -1;
      let label = -1;
      const take: SuccessorSink = (_, isNew, inst, lab) => {
        if (!isNew) return;
        instance = inst;
        label = lab;
        throw FOUND;
      };
      for (const fp of path) {
        probe.want.set(fp);
        try {
          if (steps.length === 0) this.initial(take);
          else this.expand(row, take);
          throw new Error('trace rebuild: no step reaches the next fingerprint');
        } catch (e) {
          if (e !== FOUND) throw e;
        }
        row.set(probe.found);
        steps.push({ instance, label, state: this.decodeRow(row) });
      }
      return steps;
    } finally {
      this.store = main;
      this.checkedId = -1;
    }
  }

  // ------------------------------------------------------------------ RowEngine (the parallel search)

  get width(): number {
    return this.layout.width;
  }

  warm(): void {
    const program = this.program;
    program.instances.forEach((inst, i) =>
      program.labels.forEach((l, label) => {
        if (l.owner.kind === 'process' && l.owner.index !== inst.template) return;
        try {
          this.steps[i][label] ??= this.compiler.step(label, i);
        } catch {
          // Left to fail where the search reaches it, as it would without warming.
        }
      }),
    );
    this.compiledProperties();
  }

  orderCodes(order: (code: number) => number): void {
    this.symmetry.useOrder(order);
  }

  readRow(id: number, out: Int32Array): void {
    this.store.read(id, out);
  }

  /** The sink of expandRow under symmetry, for emitCanonical (bound once: no closure per state). */
  private rowSink: RowSink = () => {};
  private readonly emitCanonical: RowSink = (row, inst, label, copies) => this.rowSink(this.symmetry.canonical(row), inst, label, copies);

  expandRow(src: Int32Array, emit: RowSink): void {
    if (!this.symmetry.active) return this.successorRows(src, emit);
    this.rowSink = emit;
    this.successorRows(src, this.emitCanonical);
  }

  writtenBy(instance: number, label: number): Int32Array | null {
    return this.symmetry.active ? null : this.steps[instance][label]!.written;
  }

  checkRow(row: Int32Array, parent: Int32Array | null = null, instance = -1, label = -1): Failure | null {
    this.checked.set(row);
    this.checkedId = -1;
    if (parent === null) return this.checkChecked();
    this.stampChanges(parent, this.symmetry.active ? null : this.steps[instance][label]!.written);
    return this.checkChanged();
  }

  adoptStore(store: RowStore): void {
    this.store = store;
    this.checkedId = -1;
  }
}
