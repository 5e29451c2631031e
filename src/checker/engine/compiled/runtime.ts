// What the compiled engine's generated code calls: the choice replay that enumerates the paths of
// a step, and the slow paths on structured values, which decode codes to immutable values, reuse
// valueops (so both engines share one definition of every operator and of every error message),
// and intern the result.
import type { Span } from '../../../diagnostics/span.js';
import { DEFAULT_INIT, DONE, processCount, type InfiniteSet, type Program } from '../../../lang/ir.js';
import type { Value } from '../../../lang/values.js';
import { isFn, mkFn, mkSet, mkTuple, ModelValue, MODEL_VALUE_RANK, showValue } from '../../../lang/values.js';
import type { DiagnosticKind } from '../../../diagnostics/diagnostics.js';
import { checkFailed, ModelErrorSites } from '../failures.js';
import {
  apply, arith, asBool, asInt, assertComparable, bigUnion, cardinality, isFiniteSet, concat, cross, domainOf, exceptAt, fitsShape,
  BUILD_BOUND, type Elements, fail, fnSet, FnSetElements, inFnSetWith, inProductWith, powersetElements, type PowersetElements, inInfiniteSet, inInterval, inSeqSetWith, seqOf, inPowersetWith, inRecordSetWith, IntRange, powerset, range, recordSet, recursionError, seqBuiltin, setOps,
} from '../valueops.js';
import { compose, writeFitting, type Layout, type LShape } from './layout.js';
import { KeyIndex, type ValueTable } from './valuetable.js';
import { CodeMemoByObject, CodeNode, UNSET } from './code-memo.js';

/**
 * Array's statics that `set` calls on every set built, held in module bindings: where the global
 * object is a vm context's (jest runs the tests in one), each read of a global is an interceptor
 * call, a third of the CPU of checking a set-heavy model (examples/echo.lspec) in a test.
 */
const { isArray, from: arrayFrom } = Array;

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
  private readonly fnSetElemsMemo = new Map<number, Map<number, FnSetCodes>>();
  private readonly powersetElemsMemo = new Map<number, PowersetCodes>();
  // Results of the slow paths by operand codes (code-memo.ts): each kind of operation its own trie.
  private readonly setMemo = new CodeNode();
  private readonly tupleMemo = new CodeNode();
  private readonly fnMemo = new CodeNode();
  private readonly opMemo = new Map<string, CodeNode>();
  private readonly recordMemo = new CodeMemoByObject<Value[]>();
  private readonly composeMemo = new CodeMemoByObject<LShape>();
  /** Per flattened shape, the codes writeWhole found to fit it. */
  private readonly fitsMemo = new CodeMemoByObject<LShape>();
  /** By stack code: what returning from its top frame restores. */
  private readonly pops = new Map<number, PoppedFrame>();
  /** Pairs of unequal values (codes, one at least not an integer) already found comparable. */
  private readonly comparable = new Map<number, Set<number>>();

  // Choice replay: the choices of the current path; the first `fixed` are replayed.
  private bounds: Int32Array = new Int32Array(64);
  private picks: Int32Array = new Int32Array(64);
  private cursor = 0;
  private fixed = 0;
  /** How many successors TLC generates for the current path: its awaits' witnesses multiplied (the engine sets 1 per path). */
  copies = 1;

  constructor(
    readonly program: Program,
    readonly table: ValueTable,
    readonly layout: Layout,
  ) {
    this.done = program.labels.length;
    this.pcNames = Int32Array.from([...program.labels.map((l) => l.name), DONE], (n) => table.intern(n));
    this.instances = new KeyIndex(Int32Array.from(program.instances.slice(0, processCount(program)), (i) => table.intern(i.id)));
    this.defaultInit = table.intern(DEFAULT_INIT);
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
    // Atoms of one kind compare, and a model value with anything: nothing to decode.
    const ra = this.table.rankOf(a);
    const rb = this.table.rankOf(b);
    if (ra === MODEL_VALUE_RANK || rb === MODEL_VALUE_RANK || (ra === rb && ra < MODEL_VALUE_RANK)) return;
    // Codes are values, so a pair found comparable stays so: decode and compare it once.
    let seen = this.comparable.get(a);
    if (seen?.has(b)) return;
    assertComparable(this.table.value(a), this.table.value(b));
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
    let node = this.composeMemo.root(shape);
    for (let i = 0, n = shape.width; i < n; i++) node = node.child(row[off + i]);
    if (node.code === UNSET) node.code = this.table.intern(compose(this.table, row, off, shape));
    return node.code;
  }

  /** Writes a whole value into a flattened variable; a value of another domain is an error. */
  writeWhole(row: Int32Array, off: number, shape: LShape, code: number, name: string): void {
    if (shape.kind !== 'leaf') {
      // A code is its value: one that fits the shape fits it for good.
      const fits = this.fitsMemo.root(shape).child(code);
      if (fits.code === UNSET) {
        if (!fitsShape(this.table.value(code), shape.ir)) fail('DomainChanged', name);
        fits.code = code;
      }
    }
    writeFitting(this.table, row, off, shape, code);
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
    return mkFn(this.program.instances.slice(0, processCount(this.program)).map((inst, i) => [inst.id, this.table.value(names[row[this.layout.pcSlot[i]]])] as [Value, Value]));
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
    const node = this.opNode('except', f, v).walk(keys);
    if (node.code === UNSET) {
      const t = this.table;
      node.code = t.intern(exceptAt(t.value(f), keys.map((k) => t.value(k)), () => t.value(v)));
    }
    return node.code;
  }

  /** The old value at `keys` in `f` (EXCEPT's `@`), with exceptAt's errors. */
  oldAt(f: number, keys: number[]): number {
    const node = this.opNode('old', f, 0).walk(keys);
    if (node.code === UNSET) {
      const t = this.table;
      let old: Value = false;
      exceptAt(t.value(f), keys.map((k) => t.value(k)), (o) => (old = o));
      node.code = t.intern(old);
    }
    return node.code;
  }

  range(lo: number, hi: number): number {
    let byHi = this.ranges.get(lo);
    if (!byHi) this.ranges.set(lo, (byHi = new Map()));
    let code = byHi.get(hi);
    if (code === undefined) byHi.set(hi, (code = this.table.intern(range(lo, hi))));
    return code;
  }

  /** `lo..hi` to enumerate, not built (an initial set). */
  intRange(lo: number, hi: number): IntRange {
    return new IntRange(lo, hi);
  }

  arith(op: 'div' | '%' | '^' | 'negpow', a: number, b: number): number {
    return arith(op, a, b);
  }

  builtin(op: string, a: number, b: number, c: number): number {
    const node = this.opNode(op, a, b).child(c);
    if (node.code === UNSET) node.code = this.computeBuiltin(op, a, b, c);
    return node.code;
  }

  private computeBuiltin(op: string, a: number, b: number, c: number): number {
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
      case 'IsFiniteSet':
        return t.intern(isFiniteSet(t.value(a)));
      default:
        return t.intern(seqBuiltin(op as 'Len', [t.value(a), t.value(b), t.value(c)]));
    }
  }

  binary(op: 'cup' | 'cap' | 'minus' | 'concat' | 'cross', a: number, b: number): number {
    const node = this.opNode(op, a, b);
    if (node.code === UNSET) node.code = this.computeBinary(op, a, b);
    return node.code;
  }

  private computeBinary(op: 'cup' | 'cap' | 'minus' | 'concat' | 'cross', a: number, b: number): number {
    const t = this.table;
    const x = t.value(a);
    const y = t.value(b);
    switch (op) {
      case 'concat':
        return t.intern(concat(x, y));
      case 'cross':
        return t.intern(cross(x, y));
      default:
        return t.intern(setOps(op, x, y));
    }
  }

  /** `x \in lo..hi` for a code that is no integer: false or an error. */
  inInterval(x: number, lo: number, hi: number): boolean {
    return inInterval(this.table.value(x), lo, hi);
  }

  /** The set test of `x \in SUBSET S` (the elements are tested by the caller): false or an error for a non-set. */
  powersetOf(x: number): boolean {
    return inPowersetWith(this.table.value(x), () => true);
  }

  /** `x \in Nat` or `x \in Int` for a code that is no integer: false or an error. */
  /**
   * Whether `x` is a sequence (Seq(S)'s first test; anything but a function or model value fails,
   * as in TLC). A function's keys come from the table's cache, in canonical order: a sequence's are
   * the codes 1..n (an integer is its own code), so the common case builds nothing.
   */
  isSeq(x: number): boolean {
    const v = this.table.value(x);
    if (!isFn(v)) return inSeqSetWith(v, () => true);
    const keys = this.table.entries(x)[0];
    for (let i = 0; i < keys.length; i++) if (keys[i] !== i + 1) return inSeqSetWith(v, () => true);
    return true;
  }

  /** A sequence's element codes in order (NotASequence for anything else). */
  seqElems(s: number, what: string): Int32Array {
    seqOf(this.table.value(s), what);
    return this.table.entries(s)[1];
  }

  inInfinite(name: InfiniteSet, x: number): boolean {
    return inInfiniteSet(name, this.table.value(x));
  }

  /** The elements of `[d -> r]` to enumerate, not built (memoised by the operands' codes). */
  fnSetElems(d: number, r: number): FnSetCodes {
    let byRange = this.fnSetElemsMemo.get(d);
    if (!byRange) this.fnSetElemsMemo.set(d, (byRange = new Map()));
    let els = byRange.get(r);
    if (!els) byRange.set(r, (els = new FnSetCodes(new FnSetElements(this.table.value(d), this.table.value(r)), this.table)));
    return els;
  }

  /** The elements of `SUBSET s` to enumerate, not built (memoised by the operand's code). */
  powersetElems(s: number): PowersetCodes {
    let els = this.powersetElemsMemo.get(s);
    if (!els) this.powersetElemsMemo.set(s, (els = new PowersetCodes(powersetElements(this.table.value(s)), this.table)));
    return els;
  }

  /** The shape test of `t \in S1 \X ... \X Sn` (the components are tested by the caller). */
  tupleOf(t: number, n: number): boolean {
    return inProductWith(this.table.value(t), new Array<(v: Value) => boolean>(n).fill(() => true));
  }

  fnSet(d: number, r: number): number {
    const node = this.opNode('fnSet', d, r);
    if (node.code === UNSET) node.code = this.table.intern(fnSet(this.table.value(d), this.table.value(r)));
    return node.code;
  }

  recordSet(names: string[], sets: number[]): number {
    const node = this.recordMemo.root(names).child(1).walk(sets);
    if (node.code === UNSET) node.code = this.table.intern(recordSet(names, sets.map((s) => this.table.value(s))));
    return node.code;
  }

  /** A set of element codes: an array may repeat none (a filter's), a JS Set deduplicates (a map's). */
  set(elems: number[] | Set<number>): number {
    const codes = isArray(elems) ? elems : arrayFrom(elems);
    const node = this.setMemo.walk(codes);
    if (node.code === UNSET) node.code = this.table.intern(mkSet(codes.map((e) => this.table.value(e))));
    return node.code;
  }

  tuple(elems: number[]): number {
    const node = this.tupleMemo.walk(elems);
    if (node.code === UNSET) node.code = this.table.intern(mkTuple(elems.map((e) => this.table.value(e))));
    return node.code;
  }

  /** A record (constant field names, the values' codes) or a function (key codes, value codes). */
  fn(keys: Value[] | number[], vals: number[]): number {
    const node = (isCodes(keys) ? this.fnMemo.walk(keys) : this.recordMemo.root(keys).child(0)).walk(vals);
    if (node.code === UNSET) {
      const t = this.table;
      node.code = t.intern(mkFn(keys.map((k, i) => [typeof k === 'number' ? t.value(k) : k, t.value(vals[i])] as [Value, Value])));
    }
    return node.code;
  }

  /** The memo node of a named operation on two codes. */
  private opNode(op: string, a: number, b: number): CodeNode {
    let root = this.opMemo.get(op);
    if (root === undefined) this.opMemo.set(op, (root = new CodeNode()));
    return root.child(a).child(b);
  }

  // ------------------------------------------------------------------ procedures

  /**
   * PlusCal's call, up to the callee's locals: push the frame [procedure, pc, each param and
   * local's current value] and set the params to the args.
   */
  call(row: Int32Array, inst: number, procedure: number, returnTo: number, args: number[]): void {
    const proc = this.program.procedures[procedure];
    const slot = this.layout.stackSlot[inst];
    // The pushed stack is memoised by (procedure, return point, old stack, saved variables' codes).
    let node = this.opNode('call', procedure, returnTo).child(row[slot]);
    for (let j = 0; j < proc.params.length; j++) node = node.child(this.pvarCode(row, inst, proc.params[j]));
    for (let j = 0; j < proc.locals.length; j++) node = node.child(this.pvarCode(row, inst, proc.locals[j]));
    if (node.code === UNSET) {
      node.code = this.pushed(row, inst, procedure, returnTo === this.done ? DONE : this.program.labels[returnTo].name, this.table.value(row[slot]));
    }
    row[slot] = node.code;
    this.setParams(row, inst, procedure, args);
  }

  /**
   * PlusCal's `call q(); return;` in procedure `from` (see the IR's tailcall), up to the callee's
   * locals: the callee takes the caller's frame, or (calling itself) only its params change.
   */
  tailcall(row: Int32Array, inst: number, procedure: number, from: number, args: number[]): void {
    if (procedure !== from) {
      const p = this.program;
      const slot = this.layout.stackSlot[inst];
      const stack = this.table.value(row[slot]);
      const head = seqBuiltin('Head', [stack]);
      row[slot] = this.pushed(row, inst, procedure, apply(head, 'pc'), seqBuiltin('Tail', [stack]));
      for (const v of p.procedures[from].locals) this.writePvar(row, inst, v, this.table.intern(apply(head, p.processVars[v].name)));
    }
    this.setParams(row, inst, procedure, args);
  }

  /** The stack `below` under a new frame: [procedure, pc, each param and local's value]. */
  private pushed(row: Int32Array, inst: number, procedure: number, pc: Value, below: Value): number {
    const p = this.program;
    const proc = p.procedures[procedure];
    const frame = mkFn([
      ['procedure', proc.name],
      ['pc', pc],
      ...[...proc.params, ...proc.locals].map((v) => [p.processVars[v].name, this.readPvar(row, inst, v)] as [Value, Value]),
    ]);
    return this.table.intern(concat(mkTuple([frame]), below));
  }

  private setParams(row: Int32Array, inst: number, procedure: number, args: number[]): void {
    const params = this.program.procedures[procedure].params;
    for (let j = 0; j < params.length; j++) this.writePvar(row, inst, params[j], args[j]);
  }

  /** PlusCal's return: pop the frame, restoring the callee's variables and the caller's pc. */
  ret(row: Int32Array, inst: number, procedure: number): void {
    const proc = this.program.procedures[procedure];
    const slot = this.layout.stackSlot[inst];
    const stack = row[slot];
    let popped = this.pops.get(stack);
    if (popped === undefined) this.pops.set(stack, (popped = this.popFrame(procedure, stack)));
    row[this.layout.pcSlot[inst]] = popped.label;
    let i = 0;
    for (let j = 0; j < proc.params.length; j++) this.writePvar(row, inst, proc.params[j], popped.saved[i++]);
    for (let j = 0; j < proc.locals.length; j++) this.writePvar(row, inst, proc.locals[j], popped.saved[i++]);
    row[slot] = popped.rest;
  }

  /** What returning from the frame on top of `stack` restores (the frame names its procedure, so the stack's code is the key). */
  private popFrame(procedure: number, stackCode: number): PoppedFrame {
    const p = this.program;
    const proc = p.procedures[procedure];
    const t = this.table;
    const stack = t.value(stackCode);
    const frame = seqBuiltin('Head', [stack]);
    const target = apply(frame, 'pc');
    const label = target === DONE ? this.done : typeof target === 'string' ? this.labelByName.get(target) : undefined;
    if (label === undefined) fail('BadReturnPoint', showValue(target));
    const saved = Int32Array.from([...proc.params, ...proc.locals], (v) => t.intern(apply(frame, p.processVars[v].name)));
    return { label, saved, rest: t.intern(seqBuiltin('Tail', [stack])) };
  }

  /** A process variable's code (a flattened one composed, memoised). */
  private pvarCode(row: Int32Array, inst: number, v: number): number {
    const off = this.layout.pvarSlot[v][inst];
    if (off < 0) this.noVariable(inst, v);
    const shape = this.layout.pvarShapes[v];
    return shape.kind === 'leaf' ? row[off] : this.compose(row, off, shape);
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

/** The caller's state a return restores: its pc, the callee's saved variables, the rest of the stack. */
interface PoppedFrame {
  label: number;
  saved: Int32Array;
  rest: number;
}

/** Whether a key list holds codes (a function built at run time), not constant field names. */
function isCodes(keys: Value[] | number[]): keys is number[] {
  return keys.length === 0 || typeof keys[0] === 'number';
}

/**
 * A set enumerated without being built (`[S -> T]`, `SUBSET S`), as codes: each element is made
 * and interned when first asked for, and its code kept (up to BUILD_BOUND of them).
 */
export class CodeElements implements Elements<number> {
  private readonly codes: Int32Array | null;

  constructor(
    private readonly elems: Elements<Value>,
    private readonly table: ValueTable,
  ) {
    this.codes = elems.length <= BUILD_BOUND ? new Int32Array(elems.length) : null;
  }

  get length(): number {
    return this.elems.length;
  }

  /** The i-th element's code (never 0: the elements are sets or functions, coded from 2^28 up). */
  at(i: number): number {
    const known = this.codes === null ? 0 : this.codes[i];
    if (known !== 0) return known;
    const code = this.table.intern(this.elems.at(i) as Value);
    if (this.codes !== null) this.codes[i] = code;
    return code;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
}

/**
 * `[S -> T]` to enumerate, read by position without building its functions: the compiled engine
 * binds a quantifier's or filter's name to a position i and reads `f[x]` as `valueAt(i, keys.get(x))`.
 */
export class FnSetCodes extends CodeElements {
  /** The code of each key of S -> its position in S's canonical order. */
  readonly keys: KeyIndex;
  private readonly rangeCodes: Int32Array;
  /** Per key position: how many consecutive functions share their value there (|T| to the later keys). */
  private readonly stride: Float64Array;

  constructor(fns: FnSetElements, table: ValueTable) {
    super(fns, table);
    this.keys = new KeyIndex(Int32Array.from(fns.domain, (k) => table.intern(k)));
    this.rangeCodes = Int32Array.from(fns.range, (v) => table.intern(v));
    this.stride = new Float64Array(fns.domain.length);
    for (let p = fns.domain.length - 1, n = 1; p >= 0; p--, n *= fns.range.length) this.stride[p] = n;
  }

  /** The code of the i-th function's value at the key in position p (as FnSetElements.at orders them). */
  valueAt(i: number, p: number): number {
    return this.rangeCodes[Math.floor(i / this.stride[p]) % this.rangeCodes.length];
  }
}

/**
 * `SUBSET S` to enumerate, read by position without building its sets: the i-th subset as a bit
 * mask over S's positions, so `x \in t` is a bit test and `Cardinality(t)` a count of bits.
 */
export class PowersetCodes extends CodeElements {
  /** The code of each element of S -> its position in S's canonical order. */
  readonly base: KeyIndex;
  /**
   * Whether S holds only integers and model values: an integer not in S is then in none of its
   * subsets, and compares with all their elements (no error to raise).
   */
  readonly intsOnly: boolean;
  private readonly positions: Int32Array;

  constructor(
    private readonly subsets: PowersetElements,
    table: ValueTable,
  ) {
    super(subsets, table);
    const codes = Int32Array.from(subsets.base, (v) => table.intern(v));
    this.base = new KeyIndex(codes);
    this.intsOnly = subsets.base.every((v) => typeof v === 'number' || v instanceof ModelValue);
    this.positions = new Int32Array(subsets.base.length);
  }

  /** The i-th subset as a mask (bit p: S's p-th element is in it), or -1 when S has more than 31 elements. */
  maskAt(i: number): number {
    if (this.positions.length > 31) return -1;
    const k = this.subsets.positions(i, this.positions);
    let mask = 0;
    for (let q = 0; q < k; q++) mask |= 1 << this.positions[q];
    return mask;
  }

  /** The number of elements of a subset given by its mask. */
  sizeOf(mask: number): number {
    let n = 0;
    for (let m = mask >>> 0; m !== 0; m &= m - 1) n++;
    return n;
  }
}
