// The compiled engine: the fast Engine. A state is a fixed-width int32 row (layout.ts) of value
// codes (valuetable.ts), stored once in a typed-array hash store (store.ts); each (label, instance)
// step and each property is compiled to a JS function (codegen.ts) that works on rows without
// allocating on the common paths. It must agree with the reference evaluator state for state.
import type { Program, Property } from '../../lang/ir.js';
import { mkTuple, type Value } from '../../lang/values.js';
import type { Engine, Failure, StateView, SuccessorSink } from '../engine.js';
import { Compiler, type PropertyFn, type StepFn, type ValueFn } from './codegen.js';
import { compose, makeLayout, type Layout } from './layout.js';
import { Runtime } from './runtime.js';
import { StateStore } from './store.js';
import { RowSymmetry } from './symmetry.js';
import { ValueTable } from './valuetable.js';

export class CompiledEngine implements Engine {
  private readonly table = new ValueTable();
  private readonly layout: Layout;
  private readonly rt: Runtime;
  private readonly compiler: Compiler;
  private readonly store: StateStore;
  /** The state being expanded, the scratch row its steps write, the row properties read. */
  private readonly src: Int32Array;
  private readonly scratch: Int32Array;
  private readonly checked: Int32Array;
  /** Compiled on first use: per instance, per label. */
  private readonly steps: (StepFn | undefined)[][];
  private readonly inits = new Map<string, ValueFn>();
  private properties: { invariants: PropertyFn[]; finals: PropertyFn[] } | null = null;
  private readonly emptyStack: number;
  private readonly symmetry: RowSymmetry;

  constructor(readonly program: Program) {
    this.layout = makeLayout(program, this.table);
    this.rt = new Runtime(program, this.table, this.layout);
    this.compiler = new Compiler(program, this.layout, this.table, this.rt);
    this.store = new StateStore(this.layout.width);
    this.src = new Int32Array(this.layout.width);
    this.scratch = new Int32Array(this.layout.width);
    this.checked = new Int32Array(this.layout.width);
    this.steps = program.instances.map(() => []);
    this.emptyStack = this.table.intern(mkTuple([]));
    this.symmetry = new RowSymmetry(program, this.layout, this.table);
  }

  /** Stores a row (its canonical image under symmetry); `store.wasNew` says whether it was new. */
  private insert(row: Int32Array): number {
    return this.store.insert(this.symmetry.active ? this.symmetry.canonical(row) : row);
  }

  initial(sink: SuccessorSink): void {
    const p = this.program;
    const { layout, rt } = this;
    const row = new Int32Array(layout.width);
    p.instances.forEach((inst, i) => {
      row[layout.pcSlot[i]] = p.processes[inst.template].entry;
      if (layout.stackSlot[i] >= 0) row[layout.stackSlot[i]] = this.emptyStack;
    });
    // Each process variable of each instance, in order: the slots filled after the globals.
    const slots: [number, number][] = [];
    p.instances.forEach((_, i) => p.processVars.forEach((_, v) => layout.pvarSlot[v][i] >= 0 && slots.push([i, v])));

    const fill = (k: number): void => {
      if (k === slots.length) {
        const id = this.insert(row);
        sink(id, this.store.wasNew, -1, -1);
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
    try {
      fillGlobals(0);
    } catch (e) {
      throw rt.asStepFailure(e);
    }
  }

  /** A process variable's initial values in canonical order (`=`: one, `\in`: each element). */
  private initialValues(v: number, inst: number, row: Int32Array): Iterable<number> {
    const pv = this.program.processVars[v];
    if (pv.init === null) return [this.rt.defaultInit];
    const key = `${v}:${inst}`;
    let fn = this.inits.get(key);
    if (!fn) this.inits.set(key, (fn = this.compiler.value(pv.init, inst)));
    const code = fn(row);
    return pv.initKind === '=' ? [code] : this.table.elems(code, `the initial set of ${pv.name}`);
  }

  successors(id: number, sink: SuccessorSink): void {
    const { src, scratch, store, rt, layout } = this;
    store.read(id, src);
    const n = this.program.instances.length;
    for (let inst = 0; inst < n; inst++) {
      const label = src[layout.pcSlot[inst]];
      if (label === rt.done) continue;
      try {
        const step = this.steps[inst][label] ?? (this.steps[inst][label] = this.compiler.step(label, inst));
        rt.beginStep();
        do {
          scratch.set(src);
          if (step(src, scratch)) {
            const next = this.insert(scratch);
            sink(next, store.wasNew, inst, label);
          }
        } while (rt.nextPath());
      } catch (e) {
        const failure = rt.asStepFailure(e);
        failure.instance = inst;
        failure.label = label;
        throw failure;
      }
    }
  }

  size(): number {
    return this.store.size();
  }

  checkState(id: number): Failure | null {
    const p = this.program;
    const props = (this.properties ??= {
      invariants: p.invariants.map((inv) => this.compiler.property(inv.body, `invariant ${inv.name}`)),
      finals: p.finals.map((fin) => this.compiler.property(fin.body, `final property ${fin.name}`)),
    });
    this.store.read(id, this.checked);
    for (let i = 0; i < p.invariants.length; i++) {
      const inv = p.invariants[i];
      const f = this.check(inv, props.invariants[i], inv.builtin ? 'builtin' : 'invariant', 'invariant');
      if (f) return f;
    }
    if (p.finals.length === 0 || !this.allDone(id)) return null;
    for (let i = 0; i < p.finals.length; i++) {
      const f = this.check(p.finals[i], props.finals[i], 'final', 'final property');
      if (f) return f;
    }
    return null;
  }

  /** One property on the row in `checked`, reported as the reference reports it. */
  private check(prop: Property, fn: PropertyFn, kind: Failure['kind'], what: string): Failure | null {
    let holds: boolean;
    try {
      holds = fn(this.checked);
    } catch (e) {
      const f = this.rt.asStepFailure(e).failure;
      return f.kind === 'runtime' ? { ...f, message: `evaluating ${what} ${prop.name}: ${f.message}`, span: f.span ?? prop.span } : f;
    }
    return holds ? null : { kind, property: prop.name, message: `${what} ${prop.name} is violated`, span: prop.span };
  }

  allDone(id: number): boolean {
    const { pcSlot } = this.layout;
    for (let i = 0; i < pcSlot.length; i++) if (this.store.slot(id, pcSlot[i]) !== this.rt.done) return false;
    return true;
  }

  pcLabels(id: number): Int32Array {
    return Int32Array.from(this.layout.pcSlot, (slot) => {
      const pc = this.store.slot(id, slot);
      return pc === this.rt.done ? -1 : pc;
    });
  }

  decode(id: number): StateView {
    const { layout, table, program } = this;
    const row = new Int32Array(layout.width);
    this.store.read(id, row);
    return {
      globals: layout.globals.map((g) => compose(table, row, g.off, g.shape)),
      pcs: program.instances.map((_, i) => table.value(this.rt.pcNames[row[layout.pcSlot[i]]]) as string),
      pvars: program.instances.map((_, i) =>
        program.processVars.map((_, v) => (layout.pvarSlot[v][i] < 0 ? null : compose(table, row, layout.pvarSlot[v][i], layout.pvarShapes[v]))),
      ),
      stacks: program.instances.map((_, i) => table.value(layout.stackSlot[i] < 0 ? this.emptyStack : row[layout.stackSlot[i]])),
    };
  }

  globalValue(id: number, global: number): Value {
    const g = this.layout.globals[global];
    const row = new Int32Array(this.layout.width);
    this.store.read(id, row);
    return compose(this.table, row, g.off, g.shape);
  }

  storeBytes(): number {
    return this.store.bytes();
  }
}
