// What the compiled engine's generated code calls: the choice replay that enumerates the paths of
// a step, and the slow paths on structured values, which decode codes to immutable values, reuse
// valueops (so both engines share one definition of every operator and of every error message),
// and intern the result.
import type { Span } from '../../../diagnostics/span.js';
import { DONE, type Program } from '../../../lang/ir.js';
import type { Value } from '../../../lang/values.js';
import { isFn, isSet, ModelValue, mkFn, mkSet, mkTuple, showValue } from '../../../lang/values.js';
import type { DiagnosticKind } from '../../../diagnostics/diagnostics.js';
import { checkFailed, ModelErrorSites } from '../failures.js';
import {
  apply, arith, asBool, asInt, assertComparable, bigUnion, cardinality, concat, cross, domainOf, exceptAt,
  fail, fnSet, inFnSetWith, inRecordSetWith, powerset, range, recordSet, recursionError, seqBuiltin, setOps, subseteq,
} from '../valueops.js';
import { compose, decompose, type Layout, type LShape } from './layout.js';
import { BASE, FALSE, KeyIndex, TRUE, type ValueTable } from './valuetable.js';

/** The keys of a function stored flattened, with the last domain they were checked against. */
export class FlatKeys {
  lastDomain = -1;
  lastFits = false;
  constructor(readonly codes: Int32Array) {}
}

export class Runtime {
  /** pc value of a finished instance. */
  readonly done: number;
  /** Per pc value (label index, or `done`): the code of its name. */
  readonly pcNames: Int32Array;
  /** Instance id code -> instance index. */
  readonly instances: KeyIndex;
  readonly defaultInit: number;
  private readonly labelByName: Map<string, number>;
  /** Where each runtime error happened (generated code locates them; the engine turns them into failures). */
  readonly errorSites = new ModelErrorSites();
  private readonly ranges = new Map<number, Map<number, number>>();
  /** Pairs of unequal structured values (codes) already found comparable. */
  private readonly comparable = new Map<number, Set<number>>();

  // Choice replay: the choices of the current path; the first `fixed` are replayed.
  private bounds: Int32Array = new Int32Array(64);
  private picks: Int32Array = new Int32Array(64);
  private cursor = 0;
  private fixed = 0;

  constructor(
    readonly program: Program,
    readonly table: ValueTable,
    readonly layout: Layout,
  ) {
    this.done = program.labels.length;
    this.pcNames = Int32Array.from([...program.labels.map((l) => l.name), DONE], (n) => table.intern(n));
    this.instances = new KeyIndex(Int32Array.from(program.instances, (i) => table.intern(i.id)));
    this.defaultInit = table.intern(new ModelValue('defaultInitValue'));
    // As the reference resolves a return point: by name, the last label of that name.
    this.labelByName = new Map(program.labels.map((l, i) => [l.name, i] as [string, number]));
  }

  // ------------------------------------------------------------------ paths of a step

  /** Starts the first path of a step. */
  beginStep(): void {
    this.fixed = 0;
    this.cursor = 0;
  }

  /** The alternative (0..n-1) the current path takes at its next fork. */
  choose(n: number): number {
    const c = this.cursor++;
    if (c < this.fixed) return this.picks[c];
    if (c === this.bounds.length) {
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.bounds = grow(this.bounds);
      this.picks = grow(this.picks);
    }
    this.bounds[c] = n;
    this.picks[c] = 0;
    return 0;
  }

  /** Moves to the next path (an odometer over the recorded choices); false when all have run. */
  nextPath(): boolean {
    let k = this.cursor - 1;
    while (k >= 0 && this.picks[k] + 1 >= this.bounds[k]) k--;
    this.cursor = 0;
    if (k < 0) {
      this.fixed = 0;
      return false;
    }
    this.picks[k]++;
    this.fixed = k + 1;
    return true;
  }

  // ------------------------------------------------------------------ failures

  /** The runtime error `kind` (generated code names it). */
  fail(kind: DiagnosticKind, ...args: (string | number)[]): never {
    return fail(kind, ...args);
  }

  /** After `a !== b` (an `=` or `#`): fails unless TLC can tell the two values apart. */
  unequal(a: number, b: number): void {
    if (a < BASE && b < BASE) return;
    const x = this.table.value(a);
    const y = this.table.value(b);
    if (!(isSet(x) || isFn(x)) || !(isSet(y) || isFn(y))) return assertComparable(x, y);
    let seen = this.comparable.get(a);
    if (seen?.has(b)) return;
    assertComparable(x, y);
    if (!seen) this.comparable.set(a, (seen = new Set()));
    seen.add(b);
  }

  /** What a recursive function's call that threw throws on (see recursionError). */
  recursion(e: unknown, name: string): never {
    throw recursionError(e, name);
  }

  notBool(c: number, what: string): void {
    asBool(this.table.value(c), what);
  }

  notInt(c: number, what: string): void {
    asInt(this.table.value(c), what);
  }

  violation(property: string, message: string, span: Span): never {
    throw checkFailed(property, message, span);
  }

  noProcess(k: number): never {
    return fail('NotAProcess', showValue(this.table.value(k)));
  }

  notInDomain(x: number, fnName: string): never {
    return fail('NotInDomain', showValue(this.table.value(x)), fnName);
  }

  noVariable(inst: number, v: number): never {
    return fail('NoSuchProcessVariable', this.program.instances[inst].display, this.program.processVars[v].name);
  }

  /** `f[k]` failed on a flattened function: valueops' error on its value. */
  noKey(row: Int32Array, off: number, shape: LShape, k: number): never {
    apply(compose(this.table, row, off, shape), this.table.value(k));
    throw new Error('unreachable: the key was in the domain');
  }

  /** `pvarFn(v)[k]` with k owning no v: valueops' error on the function's value. */
  noPvarKey(row: Int32Array, v: number, k: number): never {
    apply(this.pvarFnValue(row, v), this.table.value(k));
    throw new Error('unreachable: the key was in the domain');
  }

  /** `pcFn[k]` with k no process: valueops' error on the function's value. */
  noPcKey(row: Int32Array, k: number): never {
    apply(this.pcFnValue(row), this.table.value(k));
    throw new Error('unreachable: the key was in the domain');
  }

  /** An assignment's key missed a flattened level: exceptAt's error on the variable's value. */
  noAssignKey(row: Int32Array, off: number, shape: LShape, keys: number[], v: number): never {
    exceptAt(compose(this.table, row, off, shape), keys.map((k) => this.table.value(k)), () => this.table.value(v));
    throw new Error('unreachable: the path was in the domain');
  }

  // ------------------------------------------------------------------ flattened values

  compose(row: Int32Array, off: number, shape: LShape): number {
    return this.table.intern(compose(this.table, row, off, shape));
  }

  /** Writes a whole value into a flattened variable; a value of another domain is an error. */
  writeWhole(row: Int32Array, off: number, shape: LShape, code: number, name: string): void {
    if (!decompose(this.table, row, off, shape, code)) fail('DomainChanged', name);
  }

  pvarFnValue(row: Int32Array, v: number): Value {
    const slots = this.layout.pvarSlot[v];
    const shape = this.layout.pvarShapes[v];
    return mkFn(
      this.program.instances.flatMap((inst, i) => (slots[i] >= 0 ? [[inst.id, compose(this.table, row, slots[i], shape)] as [Value, Value]] : [])),
    );
  }

  pcFnValue(row: Int32Array): Value {
    const names = this.pcNames;
    return mkFn(this.program.instances.map((inst, i) => [inst.id, this.table.value(names[row[this.layout.pcSlot[i]]])] as [Value, Value]));
  }

  pvarFn(row: Int32Array, v: number): number {
    return this.table.intern(this.pvarFnValue(row, v));
  }

  pcFn(row: Int32Array): number {
    return this.table.intern(this.pcFnValue(row));
  }

  /** Whether flattened keys are exactly the set `d` (the domain test of `f \in [d -> r]`). */
  keysIn(keys: FlatKeys, d: number): boolean {
    if (keys.lastDomain === d) return keys.lastFits;
    const elems = this.table.elems(d, 'the domain of [S -> T]');
    const fits = keys.codes.length === elems.length && keys.codes.every((k) => this.table.has(d, k, ''));
    keys.lastDomain = d;
    keys.lastFits = fits;
    return fits;
  }

  // ------------------------------------------------------------------ structured values

  /** The domain test of `f \in [d -> r]` (the range is tested by the caller). */
  fnDomIn(f: number, d: number): boolean {
    return inFnSetWith(this.table.value(f), this.table.value(d), () => true);
  }

  /** The field test of `r \in [a : S, ...]` (the fields' sets are tested by the caller). */
  recordOf(r: number, names: string[]): boolean {
    return inRecordSetWith(this.table.value(r), names, names.map(() => () => true));
  }

  exceptAt(f: number, keys: number[], v: number): number {
    const t = this.table;
    return t.intern(exceptAt(t.value(f), keys.map((k) => t.value(k)), () => t.value(v)));
  }

  /** The old value at `keys` in `f` (EXCEPT's `@`), with exceptAt's errors. */
  oldAt(f: number, keys: number[]): number {
    const t = this.table;
    let old: Value = false;
    exceptAt(t.value(f), keys.map((k) => t.value(k)), (o) => (old = o));
    return t.intern(old);
  }

  range(lo: number, hi: number): number {
    let byHi = this.ranges.get(lo);
    if (!byHi) this.ranges.set(lo, (byHi = new Map()));
    let code = byHi.get(hi);
    if (code === undefined) byHi.set(hi, (code = this.table.intern(range(lo, hi))));
    return code;
  }

  arith(op: 'div' | '%' | '^' | 'negpow', a: number, b: number): number {
    return arith(op, a, b);
  }

  builtin(op: string, a: number, b: number, c: number): number {
    const t = this.table;
    switch (op) {
      case 'DOMAIN':
        return t.intern(domainOf(t.value(a)));
      case 'SUBSET':
        return t.intern(powerset(t.value(a)));
      case 'UNION':
        return t.intern(bigUnion(t.value(a)));
      case 'Cardinality':
        return cardinality(t.value(a));
      default:
        return t.intern(seqBuiltin(op as 'Len', [t.value(a), t.value(b), t.value(c)]));
    }
  }

  binary(op: 'subseteq' | 'cup' | 'cap' | 'minus' | 'concat' | 'cross', a: number, b: number): number {
    const t = this.table;
    const x = t.value(a);
    const y = t.value(b);
    switch (op) {
      case 'subseteq':
        return subseteq(x, y) ? TRUE : FALSE;
      case 'concat':
        return t.intern(concat(x, y));
      case 'cross':
        return t.intern(cross(x, y));
      default:
        return t.intern(setOps(op, x, y));
    }
  }

  fnSet(d: number, r: number): number {
    return this.table.intern(fnSet(this.table.value(d), this.table.value(r)));
  }

  recordSet(names: string[], sets: number[]): number {
    return this.table.intern(recordSet(names, sets.map((s) => this.table.value(s))));
  }

  set(elems: number[]): number {
    return this.table.intern(mkSet(elems.map((e) => this.table.value(e))));
  }

  tuple(elems: number[]): number {
    return this.table.intern(mkTuple(elems.map((e) => this.table.value(e))));
  }

  fn(keys: Value[] | number[], vals: number[]): number {
    const t = this.table;
    return t.intern(mkFn(keys.map((k, i) => [typeof k === 'number' ? t.value(k) : k, t.value(vals[i])] as [Value, Value])));
  }

  // ------------------------------------------------------------------ procedures

  /**
   * PlusCal's call, up to the callee's locals: push the frame [procedure, pc, each param and
   * local's current value] and set the params to the args.
   */
  call(row: Int32Array, inst: number, procedure: number, returnTo: number, args: number[]): void {
    const stack = this.table.value(row[this.layout.stackSlot[inst]]);
    this.push(row, inst, procedure, returnTo === this.done ? DONE : this.program.labels[returnTo].name, stack);
    this.setParams(row, inst, procedure, args);
  }

  /**
   * PlusCal's `call q(); return;` in procedure `from` (see the IR's tailcall), up to the callee's
   * locals: the callee takes the caller's frame, or (calling itself) only its params change.
   */
  tailcall(row: Int32Array, inst: number, procedure: number, from: number, args: number[]): void {
    if (procedure !== from) {
      const p = this.program;
      const stack = this.table.value(row[this.layout.stackSlot[inst]]);
      const head = seqBuiltin('Head', [stack]);
      this.push(row, inst, procedure, apply(head, 'pc'), seqBuiltin('Tail', [stack]));
      for (const v of p.procedures[from].locals) this.writePvar(row, inst, v, this.table.intern(apply(head, p.processVars[v].name)));
    }
    this.setParams(row, inst, procedure, args);
  }

  /** Sets the stack to `below` under a new frame: [procedure, pc, each param and local's value]. */
  private push(row: Int32Array, inst: number, procedure: number, pc: Value, below: Value): void {
    const p = this.program;
    const proc = p.procedures[procedure];
    const frame = mkFn([
      ['procedure', proc.name],
      ['pc', pc],
      ...[...proc.params, ...proc.locals].map((v) => [p.processVars[v].name, this.readPvar(row, inst, v)] as [Value, Value]),
    ]);
    row[this.layout.stackSlot[inst]] = this.table.intern(concat(mkTuple([frame]), below));
  }

  private setParams(row: Int32Array, inst: number, procedure: number, args: number[]): void {
    this.program.procedures[procedure].params.forEach((v, j) => this.writePvar(row, inst, v, args[j]));
  }

  /** PlusCal's return: pop the frame, restoring the callee's variables and the caller's pc. */
  ret(row: Int32Array, inst: number, procedure: number): void {
    const p = this.program;
    const proc = p.procedures[procedure];
    const t = this.table;
    const slot = this.layout.stackSlot[inst];
    const stack = t.value(row[slot]);
    const frame = seqBuiltin('Head', [stack]);
    const target = apply(frame, 'pc');
    const label = target === DONE ? this.done : typeof target === 'string' ? this.labelByName.get(target) : undefined;
    if (label === undefined) fail('BadReturnPoint', showValue(target));
    row[this.layout.pcSlot[inst]] = label;
    for (const v of [...proc.params, ...proc.locals]) this.writePvar(row, inst, v, t.intern(apply(frame, p.processVars[v].name)));
    row[slot] = t.intern(seqBuiltin('Tail', [stack]));
  }

  private readPvar(row: Int32Array, inst: number, v: number): Value {
    const off = this.layout.pvarSlot[v][inst];
    if (off < 0) this.noVariable(inst, v);
    return compose(this.table, row, off, this.layout.pvarShapes[v]);
  }

  writePvar(row: Int32Array, inst: number, v: number, code: number): void {
    const off = this.layout.pvarSlot[v][inst];
    if (off < 0) this.noVariable(inst, v);
    this.writeWhole(row, off, this.layout.pvarShapes[v], code, this.program.processVars[v].name);
  }
}
