// Compiles the IR to JavaScript for the compiled engine: one function per (label, instance), per
// property and per initial-value expression, built with `new Function`. Values are int32 codes
// (see valuetable.ts); conditions are JS booleans and integers JS numbers where the type is known.
// A step reads and writes a scratch row, so each statement sees the writes before it; forks ask
// `rt.choose(n)` for the alternative the current path takes (the driver replays the step once per
// path). Every operation that can fail first records in `at` the innermost span around it, so
// errors are located as the reference evaluator locates them.
import type { Span } from '../../../diagnostics/span.js';
import { assertNever, isKernelStmt, isRange, kernelKindReached, functionDomain, recursiveName, type Expr, type Program, type RecFn, type Stmt, type Target } from '../../../lang/ir.js';
import { forEachSubExpr } from '../../../lang/ir-walk.js';
import type { Value } from '../../../lang/values.js';
import { isSet, mkSet, MODEL_VALUE_RANK, sortedElems } from '../../../lang/values.js';
import { BUILD_BOUND, checkInt, INT_MAX, INT_MIN, type Elements } from '../valueops.js';
import type { Layout, LShape } from './layout.js';
import { FlatKeys, type Runtime } from './runtime.js';
import { BASE, FALSE, KeyIndex, TRUE, type ValueTable } from './valuetable.js';

/** Runs one path of a step on the scratch row W (a copy of S); false when the path is disabled. */
export type StepFn = (S: Int32Array, W: Int32Array) => boolean;
/**
 * A compiled step and, sorted, every slot of W it may write (more rather than fewer: a whole
 * variable for a write at a computed key, every process variable and the stack of its instance
 * for a call or return): outside them a successor row is its parent's.
 */
export interface CompiledStep {
  run: StepFn;
  written: Int32Array;
}
/** A property on a row. */
export type PropertyFn = (R: Int32Array) => boolean;
/** A closed expression (an initial value) on the row built so far. */
export type ValueFn = (R: Int32Array) => number;
/** A closed set expression's elements (an initial set) on the row built so far: a range is not built. */
export type ElementsFn = (R: Int32Array) => Elements<number>;

type Ty = 'bool' | 'int' | 'code';
/** A compiled expression: side-effect-free JS (statements it needs are already emitted). */
interface R {
  js: string;
  t: Ty;
}
/** A flattened location: its offset in the row (JS) and the shape stored there. */
interface Loc {
  off: string;
  shape: LShape;
}
/** Tests an element code for membership; emits what it needs, returns a JS boolean. */
type Tester = (x: string) => string;

const str = (s: string): string => JSON.stringify(s);
const isName = (js: string): boolean => /^(-?\d+|[A-Za-z_]\w*)$/.test(js);
/** Whether `js` is an integer literal. */
const isLiteral = (js: string): boolean => /^-?\d+$/.test(js);
/** What a failure enumerating the domain of `[x \in S |-> e]` names. */
const FN_CONS_DOMAIN = 'a domain of [x \\in S |-> e]';
/** The offset (JS) of position `p` (JS) of elements `width` slots wide from `off` (JS): a literal when both are. */
function offsetAt(off: string, p: string, width: number): string {
  if (isLiteral(p)) return isLiteral(off) ? String(Number(off) + Number(p) * width) : `${off} + ${Number(p) * width}`;
  return `${off} + ${width === 1 ? p : `${p} * ${width}`}`;
}

export class Compiler {
  /** Per owner pvar: a KeyIndex over its owners' id codes and, per position, the owner's slot. */
  private pvarOwners: { index: KeyIndex; slots: Int32Array; keys: FlatKeys }[];
  /** Per recursive function, the bound names it captures: its JS function takes them after its argument. */
  readonly captured: number[][];

  constructor(
    readonly program: Program,
    readonly layout: Layout,
    readonly table: ValueTable,
    readonly rt: Runtime,
  ) {
    this.pvarOwners = program.processVars.map((_, v) => {
      const owners = program.instances.map((_, i) => i).filter((i) => layout.pvarSlot[v][i] >= 0);
      const codes = Int32Array.from(owners, (i) => table.intern(program.instances[i].id));
      return { index: new KeyIndex(codes), slots: Int32Array.from(owners, (i) => layout.pvarSlot[v][i]), keys: new FlatKeys(codes) };
    });
    this.captured = capturedBounds(program.recFns);
  }

  private flatKeysOf = new Map<LShape, FlatKeys>();

  /** The keys of a flattened function shape, with their domain-test cache. */
  flatKeys(shape: Extract<LShape, { kind: 'fn' }>): FlatKeys {
    let keys = this.flatKeysOf.get(shape);
    if (!keys) this.flatKeysOf.set(shape, (keys = new FlatKeys(shape.index.keys)));
    return keys;
  }

  ownersOf(v: number): { index: KeyIndex; slots: Int32Array; keys: FlatKeys } {
    return this.pvarOwners[v];
  }

  /** The step of `label` run by instance `inst`. */
  step(label: number, inst: number): CompiledStep {
    const info = this.program.labels[label];
    const fac = new Factory(this, inst);
    const fn = new FnGen(fac, 'W');
    fn.stmts(info.body);
    fn.emit(`throw new Error(${str(`label ${info.name}: a path runs off the end of the step (a lowering bug)`)});`);
    return { run: fac.build(fn.source('step', ['S', 'W'])), written: Int32Array.from(fac.written).sort() };
  }

  /** A property: `what` ("invariant", "final property") and its name make the non-boolean error. */
  property(body: Expr, what: string): PropertyFn {
    const fac = new Factory(this, -1);
    const fn = new FnGen(fac, 'R');
    const r = fn.expr(body, -1);
    const b = fn.bool(r, what, -1);
    fn.emit(`return ${b};`);
    return fac.build(fn.source('property', ['R']));
  }

  /** An initial value expression evaluated for instance `inst`. */
  value(e: Expr, inst: number): ValueFn {
    const fac = new Factory(this, inst);
    const fn = new FnGen(fac, 'R');
    fn.emit(`return ${fn.code(fn.expr(e, -1))};`);
    return fac.build(fn.source('value', ['R']));
  }

  /** The elements of an initial set expression evaluated for instance `inst` (`what` names the set). */
  elements(e: Expr, inst: number, what: string): ElementsFn {
    const fac = new Factory(this, inst);
    const fn = new FnGen(fac, 'R');
    const en = fn.enumeration(e, -1, what);
    fn.emit(`return ${en.range ? `rt.intRange(${en.range[0]}, ${en.range[1]})` : en.arr};`);
    return fac.build(fn.source('elements', ['R']));
  }
}

/**
 * A set to enumerate in generated code: `n` elements, the j-th `elem(j)`; either a range's bounds
 * (never built) or an Int32Array of element codes.
 */
interface Enumeration {
  n: string;
  elem: (j: string) => string;
  range: [string, string] | null;
  arr: string;
  /** `[S -> T]` (arr a FnSetCodes) or `SUBSET S` (a PowersetCodes): elements readable by position. */
  positional: 'fnSet' | 'subset' | null;
  /** A constant set's or range's element codes, in the order enumerated (null: not known when compiling). */
  constant: Int32Array | null;
}

/**
 * A name bound by `loops` to a position `j` of a FnSetCodes or PowersetCodes `arr`: `b<id>` holds
 * the element's code once something needs the element itself (0 until then), `mask` (SUBSET, when
 * the body tests membership or counts) the subset's bit mask.
 */
interface PositionalBound {
  kind: 'fnSet' | 'subset';
  arr: string;
  j: string;
  mask: string | null;
}

/** The longest constant range whose integers `enumeration` lists (for a loop over a function's domain). */
const CONSTANT_RANGE_MAX = 1 << 12;

/** Whether two arrays of codes hold the same codes in the same order. */
function sameCodes(a: Int32Array, b: Int32Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Numbers things in first-seen order: the index generated code uses to name each. */
class Numbering<T> {
  readonly items: T[] = [];
  private ids = new Map<T, number>();
  index(x: T): number {
    let i = this.ids.get(x);
    if (i === undefined) {
      i = this.items.push(x) - 1;
      this.ids.set(x, i);
    }
    return i;
  }
}

/** One generated module: its constants, spans and recursive functions, around one main function. */
class Factory {
  private consts = new Numbering<unknown>();
  private spans = new Numbering<Span>();
  private recFns = new Map<number, string>();
  /** The slots of the row the generated code may write (a step's CompiledStep.written). */
  readonly written = new Set<number>();

  constructor(
    readonly cx: Compiler,
    readonly self: number,
  ) {}

  /** Records that the generated code may write slots `from` to `from + width - 1`. */
  writes(from: number, width: number): void {
    for (let k = from; k < from + width; k++) this.written.add(k);
  }

  /** Records that the generated code may write everything a call or return writes: instance `inst`'s pc, process variables and stack. */
  writesFrame(inst: number): void {
    const { layout } = this.cx;
    this.writes(layout.pcSlot[inst], 1);
    this.writes(layout.stackSlot[inst], 1);
    layout.pvarSlot.forEach((slots, v) => slots[inst] >= 0 && this.writes(slots[inst], layout.pvarShapes[v].width));
  }

  /** A constant object the generated code uses (by name). */
  k(obj: unknown): string {
    return `K${this.consts.index(obj)}`;
  }

  span(s: Span): number {
    return this.spans.index(s);
  }

  /** The name of recursive function `i`'s JS function, compiling it on first use. */
  recFn(i: number): string {
    const name = `rf${i}`;
    if (!this.recFns.has(i)) {
      this.recFns.set(i, '');
      const rf = this.cx.program.recFns[i];
      const fn = new FnGen(this, 'R', true);
      fn.bind(rf.param, 'code');
      fn.emit(`b${rf.param} = x;`);
      fn.emit(`return ${fn.code(fn.expr(rf.body, -1))};`);
      // Captured bound names arrive as codes (an integer is its own code), so they are read as 'code'.
      this.recFns.set(i, fn.source(name, ['R', 'x', ...this.cx.captured[i].map((b) => `b${b}`)]));
    }
    return name;
  }

  build<F>(main: string): F {
    const decls = this.consts.items.map((_, i) => `const K${i} = K[${i}];`).join('\n');
    const src = `'use strict';\n${decls}\n${[...this.recFns.values()].join('\n')}\nreturn ${main};`;
    const make = new Function('rt', 'T', 'K', 'SP', 'checkInt', src) as (...a: unknown[]) => F;
    return make(this.cx.rt, this.cx.table, this.consts.items, this.spans.items, checkInt);
  }
}

/** The body of one generated function. */
class FnGen {
  private lines: string[] = [];
  private ntmp = 0;
  private nloop = 0;
  private bounds = new Map<number, Ty>();
  /** Names `loops` bound to a position in `[S -> T]` or `SUBSET S`, while their loop is compiled. */
  private positional = new Map<number, PositionalBound>();
  /** Names `loops` binds to the elements of a constant set or range (by JS name): the codes and the loop's index, while their loop is compiled. */
  private enumerated = new Map<string, { codes: Int32Array; j: string }>();
  /** `letIn` bindings: `b<id>` holds the value once the flag `f<id>` is set, by the first use. */
  private lazies = new Map<number, Expr>();

  /**
   * @param reentrant a recursive function's body: a call in it may come back to any of its sites
   *   while one is building a list (see `list`).
   */
  constructor(
    readonly fac: Factory,
    readonly row: string,
    readonly reentrant = false,
  ) {}

  private get cx(): Compiler {
    return this.fac.cx;
  }

  private get self(): number {
    return this.fac.self;
  }

  emit(line: string): void {
    this.lines.push(line);
  }

  private tmp(): string {
    return `t${this.ntmp++}`;
  }

  bind(id: number, t: Ty): string {
    this.bounds.set(id, t);
    return `b${id}`;
  }

  /** Runs `gen` emitting into a fresh buffer; returns what it emitted and its result. */
  private sub<X>(gen: () => X): [string[], X] {
    const saved = this.lines;
    this.lines = [];
    try {
      const out = gen();
      return [this.lines, out];
    } finally {
      this.lines = saved;
    }
  }

  source(name: string, params: string[]): string {
    const vars = [
      ...Array.from({ length: this.ntmp }, (_, i) => `t${i}`),
      ...[...this.bounds.keys()].map((b) => `b${b}`),
      ...[...this.lazies.keys()].map((b) => `f${b}`),
    ];
    return [
      `function ${name}(${params.join(', ')}) {`,
      `let at = -1;${vars.length ? ` let ${vars.join(', ')};` : ''}`,
      'try {',
      ...this.lines,
      '} catch (e) { if (at >= 0) rt.errorSites.locate(e, SP[at]); throw e; }',
      '}',
    ].join('\n');
  }

  // ------------------------------------------------------------------ conversions

  code(r: R): string {
    return r.t === 'bool' ? `(${r.js} ? ${TRUE} : ${FALSE})` : r.js;
  }

  /** `js` as a name or literal, so it can be used several times. */
  private val(js: string): string {
    if (isName(js)) return js;
    const t = this.tmp();
    this.emit(`${t} = ${js};`);
    return t;
  }

  bool(r: R, what: string, at: number): string {
    if (r.t === 'bool') return r.js;
    const t = this.val(this.code(r));
    this.emit(`if (${t} !== ${TRUE} && ${t} !== ${FALSE}) { at = ${at}; rt.notBool(${t}, ${str(what)}); }`);
    return `(${t} === ${TRUE})`;
  }

  private int(r: R, what: string, at: number): string {
    if (r.t === 'int') return r.js;
    const t = this.val(this.code(r));
    this.emit(`if (${t} >= ${BASE}) { at = ${at}; rt.notInt(${t}, ${str(what)}); }`);
    return t;
  }

  /** The captured bound names recursive function `fn` is called with, each after a comma. */
  private captures(fn: number): string {
    return this.cx.captured[fn].map((b) => `, ${this.code({ js: this.boundCode(b), t: this.bounds.get(b) ?? 'code' })}`).join('');
  }

  /** A call that may throw, located at `at`, its result in a fresh temporary. */
  private call(js: string, at: number): string {
    const t = this.tmp();
    this.emit(`at = ${at}; ${t} = ${js};`);
    return t;
  }

  private fails(js: string, at: number): void {
    this.emit(`at = ${at}; ${js};`);
  }

  private lit(v: Value): R {
    if (typeof v === 'boolean') return { js: String(v), t: 'bool' };
    if (typeof v === 'number') return { js: v < 0 ? `(${v})` : String(v), t: 'int' };
    return { js: String(this.cx.table.intern(v)), t: 'code' };
  }

  /** Checked integer arithmetic whose result is already computed in JS. */
  private checked(js: string, at: number): R {
    const t = this.val(js);
    this.emit(`if (${t} > ${INT_MAX} || ${t} < ${INT_MIN}) { at = ${at}; checkInt(${t}); }`);
    return { js: t, t: 'int' };
  }

  // ------------------------------------------------------------------ locations

  /** The shape at a flattened location `e` denotes, or null when `e` is no such location. */
  private locShape(e: Expr): LShape | null {
    const { layout } = this.cx;
    switch (e.k) {
      case 'global':
        return layout.globals[e.index].shape;
      case 'pvar':
        return this.self >= 0 && layout.pvarSlot[e.index][this.self] >= 0 ? layout.pvarShapes[e.index] : null;
      case 'pvarOf':
        return layout.pvarShapes[e.index];
      case 'apply': {
        if (e.fn.k === 'pvarFn') return layout.pvarShapes[e.fn.index];
        const inner = this.locShape(e.fn);
        return inner && inner.kind === 'fn' ? inner.elem : null;
      }
      case 'checked':
        // An object read (`page[p]`, checked against use after free): the location it reads.
        return this.locShape(e.value);
      default:
        return null;
    }
  }

  /** Emits the address computation of a location (locShape(e) must be non-null). */
  private loc(e: Expr, at: number): Loc {
    const { layout } = this.cx;
    const here = 'span' in e ? this.fac.span(e.span) : at;
    switch (e.k) {
      case 'global': {
        const g = layout.globals[e.index];
        return { off: String(g.off), shape: g.shape };
      }
      case 'pvar':
        return { off: String(layout.pvarSlot[e.index][this.self]), shape: layout.pvarShapes[e.index] };
      case 'pvarOf': {
        const inst = this.instance(e.proc, here, (k) => `rt.noProcess(${k})`);
        const slots = layout.pvarSlot[e.index];
        if (isLiteral(inst) && slots[Number(inst)] >= 0) return { off: String(slots[Number(inst)]), shape: layout.pvarShapes[e.index] };
        const off = this.tmp();
        this.emit(`${off} = ${this.fac.k(slots)}[${inst}]; if (${off} < 0) { at = ${here}; rt.noVariable(${inst}, ${e.index}); }`);
        return { off, shape: layout.pvarShapes[e.index] };
      }
      case 'apply': {
        if (e.fn.k === 'pvarFn') {
          const owners = this.cx.ownersOf(e.fn.index);
          const k = this.val(this.code(this.expr(e.arg, here)));
          const p = this.keyPosition(owners.index, k, `at = ${here}; rt.noPvarKey(${this.row}, ${e.fn.index}, ${k});`);
          const off = isLiteral(p) ? String(owners.slots[Number(p)]) : `${this.fac.k(owners.slots)}[${p}]`;
          return { off, shape: layout.pvarShapes[e.fn.index] };
        }
        const inner = this.loc(e.fn, here);
        const shape = inner.shape as Extract<LShape, { kind: 'fn' }>;
        const k = this.val(this.code(this.expr(e.arg, here)));
        const p = this.keyPosition(shape.index, k, `at = ${here}; rt.noKey(${this.row}, ${inner.off}, ${this.fac.k(shape)}, ${k});`);
        return { off: offsetAt(inner.off, p, shape.elem.width), shape: shape.elem };
      }
      case 'checked':
        this.check(e, here);
        return this.loc(e.value, here);
      default:
        throw new Error(`no location: ${e.k}`);
    }
  }

  private read(l: Loc): R {
    if (l.shape.kind === 'leaf') return { js: `${this.row}[${l.off}]`, t: 'code' };
    return { js: this.call(`rt.compose(${this.row}, ${l.off}, ${this.fac.k(l.shape)})`, -1), t: 'code' };
  }

  /** The instance index a process id denotes (JS), failing with `missing(k)` when none. */
  private instance(proc: Expr, at: number, missing: (k: string) => string): string {
    if (proc.k === 'self' && this.self >= 0) return String(this.self);
    const k = this.val(this.code(this.expr(proc, at)));
    return this.keyPosition(this.cx.rt.instances, k, `at = ${at}; ${missing(k)};`);
  }

  /**
   * The position of key `k` (JS) in `index`: a literal when `k` is a constant code of its domain
   * (the domain is fixed once constants are), else a temporary looked up as the step runs, with
   * `missing` run when the key is not in the domain.
   */
  private keyPosition(index: KeyIndex, k: string, missing: string): string {
    const known = isLiteral(k) ? index.get(Number(k)) : -1;
    if (known >= 0) return String(known);
    // A name bound by a loop over a constant set or range whose elements are the domain's keys, in
    // order: its position is the loop's index.
    const loop = this.enumerated.get(k);
    if (loop && sameCodes(loop.codes, index.keys)) return loop.j;
    const p = this.tmp();
    this.emit(`${p} = ${this.fac.k(index)}.get(${k}); if (${p} < 0) { ${missing} }`);
    return p;
  }

  private pcName(inst: string): R {
    const { rt, layout } = this.cx;
    const slot = /^\d+$/.test(inst) ? String(layout.pcSlot[Number(inst)]) : `${this.fac.k(layout.pcSlot)}[${inst}]`;
    return { js: `${this.fac.k(rt.pcNames)}[${this.row}[${slot}]]`, t: 'code' };
  }

  // ------------------------------------------------------------------ expressions

  expr(e: Expr, cur: number): R {
    const at = 'span' in e ? this.fac.span(e.span) : cur;
    const { program, rt } = this.cx;
    switch (e.k) {
      case 'lit':
        return this.lit(e.value);
      case 'global':
      case 'pvar':
      case 'pvarOf':
        if (e.k === 'pvar' && this.locShape(e) === null) {
          this.fails(this.self < 0 ? `rt.fail('SelfOutsideProcess')` : `rt.noVariable(${this.self}, ${e.index})`, at);
          return { js: '0', t: 'code' };
        }
        return this.read(this.loc(e, at));
      case 'pvarFn':
        return { js: this.call(`rt.pvarFn(${this.row}, ${e.index})`, at), t: 'code' };
      case 'self':
        if (this.self < 0) {
          this.fails(`rt.fail('SelfOutsideProcess')`, at);
          return { js: '0', t: 'code' };
        }
        return { js: String(rt.table.intern(program.instances[this.self].id)), t: 'code' };
      case 'pcOf':
        return this.pcName(this.instance(e.proc, at, (k) => `rt.noProcess(${k})`));
      case 'pcFn':
        return { js: this.call(`rt.pcFn(${this.row})`, at), t: 'code' };
      case 'bound':
        if (this.lazies.has(e.id)) this.force(e.id, at);
        return { js: this.boundCode(e.id), t: this.bounds.get(e.id) ?? 'code' };
      case 'not':
        return { js: `!${this.bool(this.expr(e.arg, at), 'the argument of ~', at)}`, t: 'bool' };
      case 'and':
      case 'or':
        return this.logic(e.k, e.args, at);
      case 'implies': {
        const left = this.bool(this.expr(e.left, at), 'the left of =>', at);
        return this.combine(`!${left}`, '||', () => this.bool(this.expr(e.right, at), 'the right of =>', at));
      }
      case 'bin':
        return this.binary(e, at);
      case 'neg':
        return this.checked(`-(${this.int(this.expr(e.arg, at), 'the argument of unary -', at)})`, at);
      case 'builtin': {
        if (e.op === 'Cardinality' && isRange(e.args[0])) return { js: this.enumeration(e.args[0], at, 'the argument of Cardinality').n, t: 'int' };
        if (e.op === 'Cardinality' && e.args[0].k === 'setFilter') return this.countFilter(e.args[0]);
        if (e.op === 'DOMAIN') {
          // A flattened function's domain is its shape's, whatever its values: a constant set. Its
          // address is still computed, for the errors reading it would raise (a key it lacks).
          const shape = this.locShape(e.args[0]);
          if (shape?.kind === 'fn') {
            this.loc(e.args[0], at);
            return { js: String(this.cx.table.intern(mkSet(shape.domain))), t: 'code' };
          }
        }
        const counted = e.op === 'Cardinality' && e.args[0].k === 'bound' ? e.args[0].id : -1;
        const subset = this.positional.get(counted);
        if (subset?.mask) {
          const n = this.tmp();
          this.emit(`if (${subset.mask} >= 0) ${n} = ${subset.arr}.sizeOf(${subset.mask}); else { at = ${at}; ${n} = rt.builtin('Cardinality', ${this.boundCode(counted)}, 0, 0); }`);
          return { js: n, t: 'int' };
        }
        const args = e.args.map((a) => this.val(this.code(this.expr(a, at))));
        while (args.length < 3) args.push('0');
        const r = this.call(`rt.builtin(${str(e.op)}, ${args.join(', ')})`, at);
        return { js: r, t: e.op === 'Cardinality' || e.op === 'Len' ? 'int' : 'code' };
      }
      case 'apply': {
        if (e.fn.k === 'pcFn') return this.pcName(this.instance(e.arg, at, (k) => `rt.noPcKey(${this.row}, ${k})`));
        if (this.locShape(e) !== null) return this.read(this.loc(e, at));
        const applied = e.fn.k === 'bound' ? e.fn.id : -1;
        const fns = this.positional.get(applied);
        if (fns?.kind === 'fnSet') {
          // The value at the key's position, unless the key is none of the domain's (then apply's error).
          const k = this.val(this.code(this.expr(e.arg, at)));
          const p = this.tmp();
          const v = this.tmp();
          this.emit(`${p} = ${fns.arr}.keys.get(${k});`);
          this.emit(`if (${p} >= 0) ${v} = ${fns.arr}.valueAt(${fns.j}, ${p}); else { at = ${at}; ${v} = T.apply(${this.boundCode(applied)}, ${k}); }`);
          return { js: v, t: 'code' };
        }
        const f = this.val(this.code(this.expr(e.fn, at)));
        const k = this.val(this.code(this.expr(e.arg, at)));
        return { js: this.call(`T.apply(${f}, ${k})`, at), t: 'code' };
      }
      case 'setEnum':
        return this.built(this.codes(e.elems, at), (codes) => rt.set(codes), (arr) => `rt.set(${arr})`, at);
      case 'tuple':
        return this.built(this.codes(e.elems, at), (codes) => rt.tuple(codes), (arr) => `rt.tuple(${arr})`, at);
      case 'record':
        return this.built(this.codes(e.values, at), (codes) => rt.fn(e.names, codes), (arr) => `rt.fn(${this.fac.k(e.names)}, ${arr})`, at);
      case 'recordSet':
        return { js: this.call(`rt.recordSet(${this.fac.k(e.names)}, ${this.codeArray(this.codes(e.sets, at))})`, at), t: 'code' };
      case 'fnSet': {
        const [d, r] = this.codes([e.domain, e.range], at);
        return { js: this.call(`rt.fnSet(${d}, ${r})`, at), t: 'code' };
      }
      case 'infSet':
        this.fails(`rt.fail('NotEnumerable', ${str(e.name)})`, at);
        return { js: '0', t: 'code' };
      case 'seqSet':
        this.fails(`rt.fail('NotEnumerable', 'Seq(S)')`, at);
        return { js: '0', t: 'code' };
      case 'selectSeq': {
        const s = this.val(this.code(this.expr(e.seq, at)));
        const elems = this.tmp();
        const out = this.tmp();
        const j = this.tmp();
        this.emit(`at = ${at}; ${elems} = rt.seqElems(${s}, ${str('the sequence of SelectSeq')}); ${this.list(out)}`);
        this.bind(e.bound, 'code');
        this.emit(`for (${j} = 0; ${j} < ${elems}.length; ${j}++) { b${e.bound} = ${elems}[${j}];`);
        const c = this.bool(this.expr(e.cond, at), 'the test of SelectSeq', at);
        this.emit(`if (${c}) ${out}.push(b${e.bound}); }`);
        return { js: this.call(`rt.tuple(${out})`, at), t: 'code' };
      }
      case 'fnCons': {
        const keys = this.tmp();
        const vals = this.tmp();
        this.emit(`${this.list(keys)} ${this.list(vals)}`);
        this.loops(e.bounds, e.sets, at, FN_CONS_DOMAIN, () => {
          const key = e.bounds.length === 1 ? this.boundCode(e.bounds[0]) : this.call(`rt.tuple(${this.codeArray(e.bounds.map((b) => this.boundCode(b)))})`, at);
          this.emit(`${keys}.push(${key}); ${vals}.push(${this.code(this.expr(e.body, at))});`);
          this.bounded(`${keys}.length`, '[x \\in S |-> e]', at);
        }, [e.body]);
        return { js: this.call(`rt.fn(${keys}, ${vals})`, at), t: 'code' };
      }
      case 'setMap':
      case 'setFilter': {
        // Element codes, each once (a code is its value), so the bound counts distinct elements:
        // a filter keeps distinct elements of its set, a map's values may repeat.
        const out = this.tmp();
        this.emit(e.k === 'setMap' ? `${out} = new Set();` : this.list(out));
        const bounds = e.k === 'setMap' ? e.bounds : [e.bound];
        const sets = e.k === 'setMap' ? e.sets : [e.set];
        this.loops(bounds, sets, at, e.k === 'setMap' ? 'a set of {e : x \\in S}' : 'the set of {x \\in S : p}', () => {
          if (e.k === 'setMap') {
            this.emit(`${out}.add(${this.code(this.expr(e.body, at))});`);
          } else {
            const c = this.bool(this.expr(e.cond, at), 'the condition of {x \\in S : p}', at);
            this.emit(`if (${c}) ${out}.push(${this.boundCode(e.bound)});`);
          }
          this.bounded(e.k === 'setMap' ? `${out}.size` : `${out}.length`, e.k === 'setMap' ? '{e : x \\in S}' : '{x \\in S : p}', at);
        }, [e.k === 'setMap' ? e.body : e.cond]);
        return { js: this.call(`rt.set(${out})`, at), t: 'code' };
      }
      case 'except': {
        const f = this.tmp();
        this.emit(`${f} = ${this.code(this.expr(e.fn, at))};`);
        for (const u of e.updates) {
          // Filled again for exceptAt: the new value (a recursive function's call) may use the site.
          const keys = this.codes(u.path, at);
          const path = this.fac.k(keys.map(() => 0));
          this.emit(`at = ${at}; ${this.bind(u.at, 'code')} = rt.oldAt(${f}, ${this.codeArray(keys, path)});`);
          const v = this.val(this.code(this.expr(u.value, at)));
          this.emit(`at = ${at}; ${f} = rt.exceptAt(${f}, ${this.codeArray(keys, path)}, ${v});`);
        }
        return { js: f, t: 'code' };
      }
      case 'ite': {
        const c = this.bool(this.expr(e.cond, at), 'the condition of IF', at);
        const t = this.tmp();
        const [thenLines, thenR] = this.sub(() => this.expr(e.then, at));
        const [elseLines, elseR] = this.sub(() => this.expr(e.else, at));
        const ty: Ty = thenR.t === elseR.t ? thenR.t : 'code';
        const pick = (r: R): string => (ty === 'code' ? this.code(r) : r.js);
        this.emit(`if (${c}) {`);
        this.lines.push(...thenLines, `${t} = ${pick(thenR)}; } else {`, ...elseLines, `${t} = ${pick(elseR)}; }`);
        return { js: t, t: ty };
      }
      case 'case': {
        const t = this.tmp();
        const done = `C${this.nloop++}`;
        this.emit(`${done}: {`);
        for (const arm of e.arms) {
          const c = this.bool(this.expr(arm.cond, at), 'a CASE condition', at);
          this.emit(`if (${c}) {`);
          this.emit(`${t} = ${this.code(this.expr(arm.value, at))}; break ${done}; }`);
        }
        if (e.other === null) this.fails(`rt.fail('NoCaseArm')`, at);
        else this.emit(`${t} = ${this.code(this.expr(e.other, at))};`);
        this.emit('}');
        return { js: t, t: 'code' };
      }
      case 'quant': {
        const t = this.tmp();
        this.emit(`${t} = ${e.forall};`);
        const what = e.forall ? 'the body of \\A' : 'the body of \\E';
        this.loops(e.bounds, e.sets, at, 'a set of a quantifier', (brk) => {
          const b = this.bool(this.expr(e.body, at), what, at);
          this.emit(`if (${e.forall ? `!${b}` : b}) { ${t} = ${!e.forall}; break ${brk}; }`);
        }, [e.body]);
        return { js: t, t: 'bool' };
      }
      case 'choose': {
        const t = this.tmp();
        this.emit(`${t} = -1;`);
        const found = this.tmp();
        this.emit(`${found} = false;`);
        this.loops([e.bound], [e.set], at, 'the set of CHOOSE', (brk) => {
          const c = this.bool(this.expr(e.cond, at), 'the condition of CHOOSE', at);
          this.emit(`if (${c}) { ${t} = ${this.boundCode(e.bound)}; ${found} = true; break ${brk}; }`);
        }, [e.cond]);
        this.emit(`if (!${found}) { at = ${at}; rt.fail('ChooseNoElement'); }`);
        return { js: t, t: 'code' };
      }
      case 'letIn':
        this.lazies.set(e.bound, e.value);
        this.emit(`f${e.bound} = false;`);
        return this.expr(e.body, at);
      case 'recCall': {
        const rf = program.recFns[e.fn];
        const x = this.val(this.code(this.expr(e.arg, at)));
        if (rf.domain) {
          const inDomain = this.member(rf.domain, at)(x);
          this.emit(`if (!${inDomain}) { at = ${at}; rt.notInDomain(${x}, ${str(rf.name)}); }`);
        }
        const t = this.tmp();
        this.emit(`at = ${at}; try { ${t} = ${this.fac.recFn(e.fn)}(${this.row}, ${x}${this.captures(e.fn)}); } catch (e) { rt.recursion(e, ${str(recursiveName(rf))}); }`);
        return { js: t, t: 'code' };
      }
      case 'recFnValue': {
        const rf = program.recFns[e.fn];
        const name = this.fac.recFn(e.fn);
        const dom = this.val(this.code(this.expr(functionDomain(rf), at)));
        const keys = this.call(`T.elems(${dom}, ${str(`the domain of ${rf.name}`)})`, at);
        const vals = this.tmp();
        const j = this.tmp();
        this.emit(`${vals} = []; for (${j} = 0; ${j} < ${keys}.length; ${j}++) { at = ${at}; ${vals}.push(${name}(${this.row}, ${keys}[${j}]${this.captures(e.fn)})); }`);
        return { js: this.call(`rt.fn(Array.from(${keys}), ${vals})`, at), t: 'code' };
      }
      case 'checked':
        this.check(e, at);
        return this.expr(e.value, at);
      case 'objectRead':
        return kernelKindReached(e);
      default:
        return assertNever(e);
    }
  }

  /** Emits the property test of a `checked` expression, before its value is read. */
  private check(e: Extract<Expr, { k: 'checked' }>, at: number): void {
    const c = this.bool(this.expr(e.cond, at), `the condition of ${e.property}`, at);
    this.emit(`if (!${c}) rt.violation(${str(e.property)}, ${str(e.message)}, SP[${this.fac.span(e.span)}]);`);
  }

  /**
   * Emits the evaluation of `letIn` binding `id` where it is used, unless an earlier use did (its
   * flag): at most once per evaluation of the `letIn`, and only on paths that read it. Its value
   * is an integer where every use compiles it to one, else a code.
   */
  private force(id: number, at: number): void {
    const [lines, v] = this.sub(() => this.expr(this.lazies.get(id)!, at));
    const ty = this.bounds.get(id) ?? (v.t === 'int' ? 'int' : 'code');
    if (ty === 'int' && v.t !== 'int') throw new Error(`internal error: the LET value #${id} compiles to both an integer and a code`);
    this.bind(id, ty);
    this.emit(`if (!f${id}) {`);
    this.lines.push(...lines, `b${id} = ${ty === 'int' ? v.js : this.code(v)}; f${id} = true; }`);
  }

  /** Codes of several expressions, evaluated in order, as a JS argument list. */
  private codes(es: Expr[], at: number): string[] {
    return es.map((x) => this.val(this.code(this.expr(x, at))));
  }

  /**
   * The statement that sets `name` to an empty JS array to build a list of codes in, which a
   * runtime function reads only during its call: this site's own array emptied (V8 keeps a small
   * array's storage when its length is set to 0), so that building allocates nothing once it has
   * grown; a new one in a recursive function's body, where a call may come back to the site
   * mid-build.
   */
  private list(name: string): string {
    return this.reentrant ? `${name} = [];` : `${name} = ${this.fac.k([])}; ${name}.length = 0;`;
  }

  /**
   * An array of codes (names and literals, as `codes` gives) for a runtime function that only
   * reads it during the call: a constant when every item is a literal, else this site's own array
   * filled in place just before the call, so that the hot path allocates nothing. The items are
   * evaluated already, so filling calls nothing that could come back to the site and refill it.
   */
  /**
   * A value built from the codes `items`: of constants only, built once as the step is compiled
   * (`now`); else by the JS `later` gives for their array, called as the step runs.
   */
  private built(items: string[], now: (codes: number[]) => number, later: (arr: string) => string, at: number): R {
    if (items.every(isLiteral)) return { js: String(now(items.map(Number))), t: 'code' };
    return { js: this.call(later(this.codeArray(items)), at), t: 'code' };
  }

  private codeArray(items: string[], scratch?: string): string {
    if (items.every((x) => /^-?\d+$/.test(x))) return this.fac.k(items.map(Number));
    const arr = scratch ?? this.fac.k(items.map(() => 0));
    return `(${items.map((x, i) => `${arr}[${i}] = ${x}`).join(', ')}, ${arr})`;
  }

  /** `first op rest` (op `&&` or `||`), emitting what `rest` needs only where it is evaluated. */
  private combine(first: string, op: '&&' | '||', rest: () => string): R {
    const [lines, r] = this.sub(rest);
    if (lines.length === 0) return { js: `(${first} ${op} ${r})`, t: 'bool' };
    const t = this.tmp();
    this.emit(`${t} = ${first}; if (${op === '&&' ? t : `!${t}`}) {`);
    this.lines.push(...lines, `${t} = ${r}; }`);
    return { js: t, t: 'bool' };
  }

  /**
   * A temporary holding the number of ways TLC satisfies await condition `e` in action position,
   * as ReferenceEngine.awaitWitnesses counts them (the same order of evaluation, the same errors).
   */
  private witnesses(e: Expr, cur: number, what: string): string {
    const at = 'span' in e ? this.fac.span(e.span) : cur;
    const t = this.tmp();
    if (!splitsInAction(e)) {
      this.emit(`${t} = ${this.bool(this.expr(e, cur), what, cur)} ? 1 : 0;`);
      return t;
    }
    switch (e.k) {
      case 'or':
        this.emit(`${t} = 0;`);
        for (const a of e.args) this.emit(`${t} += ${this.witnesses(a, at, 'an operand of \\/')};`);
        return t;
      case 'and': {
        const done = `C${this.nloop++}`;
        this.emit(`${t} = 1; ${done}: {`);
        for (const a of e.args) this.emit(`${t} *= ${this.witnesses(a, at, 'an operand of /\\')}; if (${t} === 0) break ${done};`);
        this.emit('}');
        return t;
      }
      case 'quant': {
        this.emit(`${t} = ${e.forall ? 1 : 0};`);
        const bodyWhat = e.forall ? 'the body of \\A' : 'the body of \\E';
        this.loops(e.bounds, e.sets, at, 'a set of a quantifier', (brk) => {
          const w = this.witnesses(e.body, at, bodyWhat);
          this.emit(e.forall ? `${t} *= ${w}; if (${t} === 0) break ${brk};` : `${t} += ${w};`);
        }, [e.body]);
        return t;
      }
      case 'ite': {
        const c = this.bool(this.expr(e.cond, at), 'the condition of IF', at);
        const [thenLines, thenW] = this.sub(() => this.witnesses(e.then, at, what));
        const [elseLines, elseW] = this.sub(() => this.witnesses(e.else, at, what));
        this.emit(`if (${c}) {`);
        this.lines.push(...thenLines, `${t} = ${thenW}; } else {`, ...elseLines, `${t} = ${elseW}; }`);
        return t;
      }
      case 'case': {
        const done = `C${this.nloop++}`;
        this.emit(`${done}: {`);
        for (const arm of e.arms) {
          const c = this.bool(this.expr(arm.cond, at), 'a CASE condition', at);
          this.emit(`if (${c}) {`);
          this.emit(`${t} = ${this.witnesses(arm.value, at, what)}; break ${done}; }`);
        }
        if (e.other === null) this.fails(`rt.fail('NoCaseArm')`, at);
        else this.emit(`${t} = ${this.witnesses(e.other, at, what)};`);
        this.emit('}');
        return t;
      }
      case 'implies': {
        const left = this.bool(this.expr(e.left, at), 'the left of =>', at);
        const [rightLines, rightW] = this.sub(() => this.witnesses(e.right, at, 'the right of =>'));
        this.emit(`if (${left}) {`);
        this.lines.push(...rightLines, `${t} = ${rightW}; } else { ${t} = 1; }`);
        return t;
      }
      case 'letIn':
        this.lazies.set(e.bound, e.value);
        this.emit(`f${e.bound} = false;`);
        this.emit(`${t} = ${this.witnesses(e.body, at, what)};`);
        return t;
      default:
        throw new Error(`await condition ${e.k} does not split (splitsInAction)`);
    }
  }

  private logic(k: 'and' | 'or', args: Expr[], at: number): R {
    const what = k === 'and' ? 'an operand of /\\' : 'an operand of \\/';
    if (args.length === 0) return { js: String(k === 'and'), t: 'bool' };
    let acc = this.bool(this.expr(args[0], at), what, at);
    for (const a of args.slice(1)) acc = this.combine(acc, k === 'and' ? '&&' : '||', () => this.bool(this.expr(a, at), what, at)).js;
    return { js: acc, t: 'bool' };
  }

  private binary(e: Extract<Expr, { k: 'bin' }>, at: number): R {
    if (e.op === 'in' || e.op === 'notin') {
      let test: string;
      if (e.right.k === 'fnSet' && this.flatFn(e.left)) {
        test = this.flatInFnSet(e.left, e.right, at);
      } else {
        const x = this.val(this.code(this.expr(e.left, at)));
        test = this.member(e.right, at)(x);
      }
      return { js: e.op === 'in' ? test : `!${test}`, t: 'bool' };
    }
    if (e.op === 'subseteq') {
      const xs = this.val(this.code(this.expr(e.left, at)));
      const inRight = this.member(e.right, at);
      const ok = this.tmp();
      this.emit(`${ok} = true;`);
      this.everyElem(ok, this.call(`T.elems(${xs}, ${str('the left of \\subseteq')})`, at), inRight);
      return { js: ok, t: 'bool' };
    }
    const left = this.expr(e.left, at);
    const right = this.expr(e.right, at);
    switch (e.op) {
      case 'same':
        return { js: `(${this.code(left)} === ${this.code(right)})`, t: 'bool' };
      case '=':
      case '#': {
        const both = left.t === right.t && left.t !== 'code';
        if (both) return { js: `(${left.js} ${e.op === '=' ? '===' : '!=='} ${right.js})`, t: 'bool' };
        const a = this.val(this.code(left));
        const b = this.val(this.code(right));
        // A model value compares with any value: then no unequal pair is looked at.
        if (this.modelValue(a) || this.modelValue(b)) return { js: `(${a} ${e.op === '=' ? '===' : '!=='} ${b})`, t: 'bool' };
        // Two integers (codes below BASE) compare too: only a pair with another value is looked at.
        const same = this.tmp();
        this.emit(`${same} = ${a} === ${b}; if (!${same} && (${a} >= ${BASE} || ${b} >= ${BASE})) { at = ${at}; rt.unequal(${a}, ${b}); }`);
        return { js: e.op === '=' ? same : `!${same}`, t: 'bool' };
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const a = this.val(this.int(left, `the left of ${e.op}`, at));
        const b = this.int(right, `the right of ${e.op}`, at);
        return { js: `(${a} ${e.op} ${b})`, t: 'bool' };
      }
      case '+':
      case '-':
      case '*': {
        const a = this.val(this.int(left, `the left of ${e.op}`, at));
        const b = this.val(this.int(right, `the right of ${e.op}`, at));
        return this.checked(`${a} ${e.op} ${b}`, at);
      }
      case 'div':
      case '%':
      case '^':
      case 'negpow': {
        const a = this.val(this.int(left, `the left of ${e.op}`, at));
        const b = this.val(this.int(right, `the right of ${e.op}`, at));
        return { js: this.call(`rt.arith(${str(e.op)}, ${a}, ${b})`, at), t: 'int' };
      }
      case '..': {
        const a = this.val(this.int(left, 'the left of ..', at));
        const b = this.val(this.int(right, 'the right of ..', at));
        return { js: this.call(`rt.range(${a}, ${b})`, at), t: 'code' };
      }
      case 'equiv': {
        const a = this.val(this.bool(left, 'the left of <=>', at));
        const b = this.bool(right, 'the right of <=>', at);
        return { js: `(${a} === ${b})`, t: 'bool' };
      }
      default: {
        const a = this.val(this.code(left));
        const b = this.val(this.code(right));
        return { js: this.call(`rt.binary(${str(e.op)}, ${a}, ${b})`, at), t: 'code' };
      }
    }
  }

  // ------------------------------------------------------------------ membership

  /**
   * Membership in the set `set` denotes: evaluates now what the test needs (as the reference
   * does), and returns the test. `[S -> T]`, `SUBSET S`, `[a : S]`, `S \X T`, `S \cup T`,
   * `S \cap T`, `S \ T` and `{x \in S : p}` are never built; `Nat` and `Int` test an integer's
   * sign (any other code: the runtime decides).
   */
  member(set: Expr, at: number): Tester {
    const { table } = this.cx;
    if (set.k === 'infSet') {
      const here = this.fac.span(set.span);
      return (x) => {
        const ok = this.tmp();
        this.emit(`if (${x} < ${BASE}) ${ok} = ${set.name === 'Int' ? 'true' : `${x} >= 0`}; else { at = ${here}; ${ok} = rt.inInfinite(${str(set.name)}, ${x}); }`);
        return ok;
      };
    }
    if (set.k === 'seqSet') {
      const inElems = this.member(set.elems, at);
      return (x) => {
        const ok = this.tmp();
        this.emit(`at = ${at}; ${ok} = rt.isSeq(${x});`);
        this.everyElem(ok, `T.entries(${x})[1]`, inElems);
        return ok;
      };
    }
    if (set.k === 'fnSet') {
      const d = this.val(this.code(this.expr(set.domain, at)));
      const inRange = this.member(set.range, at);
      return (x) => {
        const ok = this.tmp();
        this.emit(`at = ${at}; ${ok} = rt.fnDomIn(${x}, ${d});`);
        this.everyElem(ok, `T.entries(${x})[1]`, inRange);
        return ok;
      };
    }
    if (set.k === 'builtin' && set.op === 'SUBSET') {
      const inBase = this.member(set.args[0], at);
      return (x) => {
        const ok = this.tmp();
        this.emit(`at = ${at}; ${ok} = rt.powersetOf(${x});`);
        this.everyElem(ok, `T.elems(${x}, '')`, inBase);
        return ok;
      };
    }
    if (set.k === 'recordSet') {
      const inFields = set.sets.map((s) => this.member(s, at));
      return (x) => {
        const ok = this.tmp();
        this.emit(`at = ${at}; ${ok} = rt.recordOf(${x}, ${this.fac.k(set.names)});`);
        set.names.forEach((n, i) => {
          const [lines, r] = this.sub(() => inFields[i](this.val(`T.apply(${x}, ${table.intern(n)})`)));
          this.emit(`if (${ok}) {`);
          this.lines.push(...lines, `${ok} = ${r}; }`);
        });
        return ok;
      };
    }
    if (set.k === 'setFilter') {
      const inBase = this.member(set.set, at);
      return (x) => {
        const ok = this.tmp();
        this.emit(`${ok} = ${inBase(x)}; if (${ok}) { ${this.bind(set.bound, 'code')} = ${x};`);
        this.emit(`${ok} = ${this.bool(this.expr(set.cond, at), 'the condition of {x \\in S : p}', at)}; }`);
        return ok;
      };
    }
    if (set.k === 'bin' && (set.op === 'cup' || set.op === 'cap' || set.op === 'minus')) {
      const inLeft = this.member(set.left, at);
      const inRight = this.member(set.right, at);
      return (x) => {
        const ok = this.tmp();
        this.emit(`${ok} = ${inLeft(x)}; if (${set.op === 'cup' ? `!${ok}` : ok}) {`);
        this.emit(`${ok} = ${set.op === 'minus' ? '!' : ''}${inRight(x)}; }`);
        return ok;
      };
    }
    if (set.k === 'bin' && set.op === 'cross') {
      const inComponents = [this.member(set.left, at), this.member(set.right, at)];
      return (x) => {
        const ok = this.tmp();
        this.emit(`at = ${at}; ${ok} = rt.tupleOf(${x}, ${inComponents.length});`);
        inComponents.forEach((test, i) => {
          this.emit(`if (${ok}) {`);
          this.emit(`${ok} = ${test(this.val(`T.apply(${x}, ${i + 1})`))}; }`);
        });
        return ok;
      };
    }
    if (isRange(set)) {
      const [lo, hi] = this.rangeOf(set);
      return (x) => `(${x} < ${BASE} ? ${x} >= ${lo} && ${x} <= ${hi} : (at = ${at}, rt.inInterval(${x}, ${lo}, ${hi})))`;
    }
    // An element tested by code equality; a value that is none is compared as TLC does (valueops.memberOf).
    if (set.k === 'lit' && isSet(set.value) && set.value.size <= 8) {
      const s = table.intern(set.value);
      const codes = sortedElems(set.value).map((v) => table.intern(v));
      return (x) => `(${[...codes.map((c) => `${x} === ${c}`), `(at = ${at}, T.absent(${s}, ${x}))`].join(' || ')})`;
    }
    if (set.k === 'setEnum') {
      const codes = this.codes(set.elems, at);
      return (x) => `(${[...codes.map((c) => `${x} === ${c}`), `(at = ${at}, ${[...codes.map((c) => `rt.unequal(${x}, ${c})`), 'false'].join(', ')})`].join(' || ')})`;
    }
    const tested = set.k === 'bound' ? set.id : -1;
    const subset = this.positional.get(tested);
    if (subset?.mask) {
      // In the subset when its bit is set; else, when S holds only integers and model values, an
      // element of S or an integer is absent without error (memberOf compares it with the rest).
      const { arr, mask } = subset;
      const whole = this.boundCode(tested);
      return (x) => {
        const ok = this.tmp();
        const p = this.tmp();
        this.emit(`${p} = ${arr}.base.get(${x});`);
        this.emit(
          `if (${mask} >= 0 && ${p} >= 0 && ((${mask} >>> ${p}) & 1) === 1) ${ok} = true; else if (${mask} >= 0 && ${arr}.intsOnly && (${p} >= 0 || ${x} < ${BASE})) ${ok} = false; else { at = ${at}; ${ok} = T.has(${whole}, ${x}, ''); }`,
        );
        return ok;
      };
    }
    const s = this.val(this.code(this.expr(set, at)));
    this.fails(`T.asSet(${s}, ${str('the right of \\in')})`, at);
    return (x) => `(at = ${at}, T.has(${s}, ${x}, ''))`;
  }

  /** While `ok`, tests every element of the code array `arr` with `test`. */
  private everyElem(ok: string, arr: string, test: Tester): void {
    const a = this.tmp();
    const j = this.tmp();
    const [lines, r] = this.sub(() => test(this.val(`${a}[${j}]`)));
    this.emit(`if (${ok}) { ${a} = ${arr}; for (${j} = 0; ${j} < ${a}.length; ${j}++) {`);
    this.lines.push(...lines, `if (!${r}) { ${ok} = false; break; } } }`);
  }

  /** A function stored flattened (keys known, one slot set per key), or null. */
  private flatFn(e: Expr): { keys: FlatKeys; slots: Int32Array; elem: LShape } | null {
    const { layout } = this.cx;
    if (e.k === 'pvarFn') {
      const owners = this.cx.ownersOf(e.index);
      return { keys: owners.keys, slots: owners.slots, elem: layout.pvarShapes[e.index] };
    }
    if (e.k !== 'global' && !(e.k === 'pvar' && this.locShape(e) !== null)) return null;
    const base = e.k === 'global' ? layout.globals[e.index].off : layout.pvarSlot[e.index][this.self];
    const shape = e.k === 'global' ? layout.globals[e.index].shape : layout.pvarShapes[e.index];
    if (shape.kind !== 'fn') return null;
    return { keys: this.cx.flatKeys(shape), slots: Int32Array.from(shape.index.keys, (_, i) => base + i * shape.elem.width), elem: shape.elem };
  }

  /** `f \in [D -> R]` for a flattened `f`: no function value is built. */
  private flatInFnSet(f: Expr, set: Extract<Expr, { k: 'fnSet' }>, at: number): string {
    const flat = this.flatFn(f)!;
    const d = this.val(this.code(this.expr(set.domain, at)));
    const inRange = this.member(set.range, at);
    const ok = this.tmp();
    const slots = this.fac.k(flat.slots);
    this.emit(`at = ${at}; ${ok} = rt.keysIn(${this.fac.k(flat.keys)}, ${d});`);
    const j = this.tmp();
    const [lines, r] = this.sub(() => inRange(this.read({ off: `${slots}[${j}]`, shape: flat.elem }).js));
    this.emit(`if (${ok}) { for (${j} = 0; ${j} < ${slots}.length; ${j}++) {`);
    this.lines.push(...lines, `if (!${r}) { ${ok} = false; break; } } }`);
    return ok;
  }

  /**
   * Nested loops binding `bounds` to the product of `sets` (all evaluated first, in canonical
   * order); `body` gets the label that breaks out of them all.
   */
  private loops(bounds: number[], sets: Expr[], at: number, what: string, body: (brk: string) => void, scope: Expr[]): void {
    const ens = sets.map((s) => this.enumeration(s, at, what));
    const brk = `L${this.nloop++}`;
    this.emit(`${brk}: {`);
    const js = bounds.map(() => this.tmp());
    bounds.forEach((b, i) => {
      this.bind(b, 'code');
      const en = ens[i];
      if (en.positional === null) {
        if (en.constant) this.enumerated.set(`b${b}`, { codes: en.constant, j: js[i] });
        this.emit(`for (${js[i]} = 0; ${js[i]} < ${en.n}; ${js[i]}++) { b${b} = ${en.elem(js[i])};`);
        return;
      }
      // Bound by position: the element is built only if something needs it whole.
      const mask = en.positional === 'subset' && scope.some((e) => testsOrCounts(e, b)) ? this.tmp() : null;
      this.positional.set(b, { kind: en.positional, arr: en.arr, j: js[i], mask });
      this.emit(`for (${js[i]} = 0; ${js[i]} < ${en.n}; ${js[i]}++) { b${b} = 0;${mask ? ` ${mask} = ${en.arr}.maskAt(${js[i]});` : ''}`);
    });
    body(brk);
    bounds.forEach((b) => {
      this.positional.delete(b);
      this.enumerated.delete(`b${b}`);
    });
    this.emit('}'.repeat(bounds.length) + ' }');
  }

  /** Whether `js` (a name or literal) is a model value's code whenever it runs: a constant one, or a name a loop binds to a constant set of them. */
  private modelValue(js: string): boolean {
    const { table } = this.cx;
    if (isLiteral(js)) return table.rankOf(Number(js)) === MODEL_VALUE_RANK;
    const loop = this.enumerated.get(js);
    return loop !== undefined && loop.codes.every((c) => table.rankOf(c) === MODEL_VALUE_RANK);
  }

  /** The code of bound name `id` (built here if it is bound by position and not built yet). */
  private boundCode(id: number): string {
    const p = this.positional.get(id);
    return p ? `(b${id} || (b${id} = ${p.arr}.at(${p.j})))` : `b${id}`;
  }

  /** `Cardinality({x \in S : p})`: counted, not built (more than BUILD_BOUND is still SetTooLarge). */
  private countFilter(f: Extract<Expr, { k: 'setFilter' }>): R {
    const at = this.fac.span(f.span);
    const n = this.tmp();
    this.emit(`${n} = 0;`);
    this.loops([f.bound], [f.set], at, 'the set of {x \\in S : p}', () => {
      const c = this.bool(this.expr(f.cond, at), 'the condition of {x \\in S : p}', at);
      this.emit(`if (${c}) ${n}++;`);
      this.bounded(n, '{x \\in S : p}', at);
    }, [f.cond]);
    return { js: n, t: 'int' };
  }

  /** Fails once a set or function being built has more than BUILD_BOUND elements (`count` is JS). */
  private bounded(count: string, what: string, at: number): void {
    this.emit(`if (${count} > ${BUILD_BOUND}) { at = ${at}; rt.fail('SetTooLarge', ${str(what)}, ${BUILD_BOUND}); }`);
  }

  /** The bounds of a range expression (JS names of ints), checked and located as the reference does. */
  private rangeOf(set: Extract<Expr, { k: 'bin' }>): [string, string] {
    const here = this.fac.span(set.span);
    const lo = this.val(this.int(this.expr(set.left, here), 'the left of ..', here));
    const hi = this.val(this.int(this.expr(set.right, here), 'the right of ..', here));
    return [lo, hi];
  }

  /**
   * The elements of a set in canonical order: a range is counted out, `[S -> T]` and `SUBSET S`
   * produce theirs one at a time (rt.fnSetElems), none is built; any other set is an Int32Array,
   * constant when the set is.
   */
  enumeration(set: Expr, at: number, what: string): Enumeration {
    if (isRange(set)) {
      const [lo, hi] = this.rangeOf(set);
      const n = this.tmp();
      this.emit(`${n} = ${hi} < ${lo} ? 0 : ${hi} - ${lo} + 1;`);
      // Literal bounds (a constant range): its integers, which are their own codes.
      const constant = isLiteral(lo) && isLiteral(hi) && Number(hi) - Number(lo) < CONSTANT_RANGE_MAX ? Int32Array.from({ length: Math.max(0, Number(hi) - Number(lo) + 1) }, (_, i) => Number(lo) + i) : null;
      return { n, elem: (j) => `(${lo} + ${j})`, range: [lo, hi], arr: '', positional: null, constant };
    }
    if (set.k === 'fnSet' || (set.k === 'builtin' && set.op === 'SUBSET')) {
      const here = this.fac.span(set.span);
      const args = this.codes(set.k === 'fnSet' ? [set.domain, set.range] : set.args, here);
      const en = this.call(set.k === 'fnSet' ? `rt.fnSetElems(${args.join(', ')})` : `rt.powersetElems(${args[0]})`, here);
      return { n: `${en}.length`, elem: (j) => `${en}.at(${j})`, range: null, arr: en, positional: set.k === 'fnSet' ? 'fnSet' : 'subset', constant: null };
    }
    let arr: string;
    let constant: Int32Array | null = null;
    const s = set.k === 'lit' ? String(this.cx.table.intern(set.value)) : this.code(this.expr(set, at));
    if (isLiteral(s) && isSet(this.cx.table.value(Number(s)))) {
      // A constant set: a literal, or one the expression folded to (the domain of a flattened function).
      constant = this.cx.table.elems(Number(s), what);
      arr = this.fac.k(constant);
    } else arr = this.call(`T.elems(${this.val(s)}, ${str(what)})`, at);
    return { n: `${arr}.length`, elem: (j) => `${arr}[${j}]`, range: null, arr, positional: null, constant };
  }

  // ------------------------------------------------------------------ statements

  stmts(list: Stmt[]): void {
    for (const s of list) this.stmt(s);
  }

  private stmt(s: Stmt): void {
    const at = this.fac.span(s.span);
    const { layout, program } = this.cx;
    const pc = this.self >= 0 ? layout.pcSlot[this.self] : -1;
    if (isKernelStmt(s)) return kernelKindReached(s);
    switch (s.k) {
      case 'assign':
        return this.assign(s.targets, s.values, at);
      case 'await': {
        if (!splitsInAction(s.cond)) {
          this.emit(`if (!${this.bool(this.expr(s.cond, at), 'the condition of await', at)}) return false;`);
          return;
        }
        const w = this.witnesses(s.cond, at, 'the condition of await');
        this.emit(`if (${w} === 0) return false; rt.copies *= ${w};`);
        return;
      }
      case 'if': {
        const c = this.bool(this.expr(s.cond, at), 'the condition of if', at);
        this.emit(`if (${c}) {`);
        this.stmts(s.then);
        this.emit('} else {');
        this.stmts(s.else);
        this.emit('}');
        return;
      }
      case 'either':
        this.emit(`switch (rt.choose(${s.branches.length})) {`);
        s.branches.forEach((b, i) => {
          this.emit(`case ${i}: {`);
          this.stmts(b);
          this.emit('break; }');
        });
        this.emit('}');
        return;
      case 'with': {
        const en = this.enumeration(s.set, at, 'the set of with');
        const b = this.bind(s.bound, 'code');
        this.emit(`if (${en.n} === 0) return false;`);
        this.emit(`${b} = ${en.elem(`(${en.n} === 1 ? 0 : rt.choose(${en.n}))`)};`);
        this.stmts(s.body);
        return;
      }
      case 'let': {
        const v = this.expr(s.value, at);
        this.emit(`${this.bind(s.bound, v.t === 'int' ? 'int' : 'code')} = ${this.code(v)};`);
        this.stmts(s.body);
        return;
      }
      case 'goto':
        this.fac.writes(pc, 1);
        this.emit(`W[${pc}] = ${s.label}; return true;`);
        return;
      case 'done':
        this.fac.writes(pc, 1);
        this.emit(`W[${pc}] = ${this.cx.rt.done}; return true;`);
        return;
      case 'check': {
        const c = this.bool(this.expr(s.cond, at), `the condition of ${s.property}`, at);
        this.emit(`if (!${c}) rt.violation(${str(s.property)}, ${str(s.message)}, SP[${at}]);`);
        return;
      }
      case 'print':
        return;
      case 'call':
      case 'tailcall': {
        const proc = program.procedures[s.procedure];
        const args = this.codeArray(this.codes(s.args, at));
        this.fac.writesFrame(this.self);
        if (s.k === 'call') this.fails(`rt.call(W, ${this.self}, ${s.procedure}, ${s.returnTo ?? this.cx.rt.done}, ${args})`, at);
        else this.fails(`rt.tailcall(W, ${this.self}, ${s.procedure}, ${s.from}, ${args})`, at);
        for (const v of proc.locals) {
          const pv = program.processVars[v];
          if (pv.init === null || pv.initKind !== '=') {
            this.fails(`rt.fail('LocalNotInitialised', ${str(pv.name)})`, at);
            continue;
          }
          const value = this.val(this.code(this.expr(pv.init, at)));
          this.fails(`rt.writePvar(W, ${this.self}, ${v}, ${value})`, at);
        }
        this.emit(`W[${pc}] = ${proc.entry}; return true;`);
        return;
      }
      case 'return':
        this.fac.writesFrame(this.self);
        this.fails(`rt.ret(W, ${this.self}, ${s.procedure})`, at);
        this.emit('return true;');
        return;
      default:
        return assertNever(s);
    }
  }

  /** Simultaneous assignment: every key and value first, then the writes in order. */
  private assign(targets: Target[], values: Expr[], at: number): void {
    const keys = targets.map((t) => t.path.map((k) => this.val(this.code(this.expr(k, at)))));
    const vals = values.map((v, j) => {
      const whole = targets[j].path.length === 0 ? this.target(targets[j]) : null;
      const inOrder = whole ? this.valuesInOrder(v, whole.shape, at) : null;
      if (inOrder) return inOrder;
      const r = this.code(this.expr(v, at));
      const t = this.tmp();
      this.emit(`${t} = ${r};`);
      return { code: t };
    });
    targets.forEach((t, j) => this.write(t, keys[j], vals[j], at));
  }

  /** The offset, shape and name of an assignment's variable, or null where this code has none (the write fails). */
  private target(t: Target): { off: number; shape: LShape; name: string } | null {
    const { layout, program } = this.cx;
    if (t.ref.kind === 'global') return { off: layout.globals[t.ref.index].off, shape: layout.globals[t.ref.index].shape, name: program.globals[t.ref.index].name };
    const slot = this.self >= 0 ? layout.pvarSlot[t.ref.index][this.self] : -1;
    return slot < 0 ? null : { off: slot, shape: layout.pvarShapes[t.ref.index], name: program.processVars[t.ref.index].name };
  }

  /**
   * `[x \in S |-> e]` assigned whole to a flattened function whose keys are S's elements in order
   * (S a constant set): its values, one per key in that order, in this site's own array, and no
   * function built (its domain is the variable's, so it fits). Null, with nothing emitted, otherwise.
   */
  private valuesInOrder(e: Expr, shape: LShape, at: number): { values: string; elem: LShape } | null {
    if (e.k !== 'fnCons' || e.bounds.length !== 1 || shape.kind !== 'fn' || this.reentrant) return null;
    const [, domain] = this.sub(() => this.enumeration(e.sets[0], at, FN_CONS_DOMAIN));
    if (!domain.constant || !sameCodes(domain.constant, shape.index.keys)) return null;
    const values = this.fac.k(new Int32Array(domain.constant.length));
    const n = this.tmp();
    this.emit(`${n} = 0;`);
    this.loops(e.bounds, e.sets, at, FN_CONS_DOMAIN, () => this.emit(`${values}[${n}++] = ${this.code(this.expr(e.body, at))};`), [e.body]);
    return { values, elem: shape.elem };
  }

  /** Writes `v` at `keys` of `t`'s variable: a code, or the values of a function one per key of its domain (valuesInOrder). */
  private write(t: Target, keys: string[], v: { code: string } | { values: string; elem: LShape }, at: number): void {
    const whole = this.target(t);
    if (!whole) {
      this.fails(this.self < 0 ? `rt.fail('SelfOutsideProcess')` : `rt.noVariable(${this.self}, ${t.ref.index})`, at);
      return;
    }
    let off = String(whole.off);
    let shape = whole.shape;
    const name = whole.name;
    if ('values' in v) {
      const { elem } = v;
      this.fac.writes(...writtenRange(whole.off, shape, []));
      const j = this.tmp();
      if (elem.kind === 'leaf') this.emit(`for (${j} = 0; ${j} < ${v.values}.length; ${j}++) W[${off} + ${j}] = ${v.values}[${j}];`);
      else this.emit(`for (${j} = 0; ${j} < ${v.values}.length; ${j}++) { at = ${at}; rt.writeWhole(W, ${off} + ${j} * ${elem.width}, ${this.fac.k(elem)}, ${v.values}[${j}], ${str(name)}); }`);
      return;
    }
    const varOff = off;
    const varShape = shape;
    this.fac.writes(...writtenRange(Number(varOff), varShape, keys));
    for (let i = 0; i < keys.length; i++) {
      if (shape.kind === 'leaf') {
        this.emit(`at = ${at}; W[${off}] = rt.exceptAt(W[${off}], ${this.codeArray(keys.slice(i))}, ${v.code});`);
        return;
      }
      const p = this.keyPosition(shape.index, keys[i], `at = ${at}; rt.noAssignKey(W, ${varOff}, ${this.fac.k(varShape)}, [${keys.join(', ')}], ${v.code});`);
      off = offsetAt(off, p, shape.elem.width);
      shape = shape.elem;
    }
    if (shape.kind === 'leaf') this.emit(`W[${off}] = ${v.code};`);
    else this.fails(`rt.writeWhole(W, ${off}, ${this.fac.k(shape)}, ${v.code}, ${str(name)})`, at);
  }
}

/**
 * The slots (first, count) an assignment at `keys` (JS expressions) into the variable of `shape`
 * at slot `off` may write: narrowed through each leading key that is a constant code in the
 * domain of its level, the rest of the variable below the first that is not.
 */
function writtenRange(off: number, shape: LShape, keys: string[]): [number, number] {
  for (const key of keys) {
    const p = shape.kind === 'fn' && /^-?\d+$/.test(key) ? shape.index.get(Number(key)) : -1;
    if (p < 0 || shape.kind !== 'fn') break;
    off += p * shape.elem.width;
    shape = shape.elem;
  }
  return [off, shape.width];
}

/**
 * For each recursive function, the bound names it reads but does not bind (a function defined in a
 * LET under a quantifier or `with`, or in an operator applied to one): what it reads directly, and
 * what the recursive functions it uses capture, to a fixpoint since they may use each other.
 */
function capturedBounds(recFns: readonly RecFn[]): number[][] {
  const scans = recFns.map((rf) => {
    const reads = new Set<number>();
    const binds = new Set<number>([rf.param]);
    const uses = new Set<number>();
    for (const root of rf.domain ? [rf.domain, rf.body] : [rf.body]) {
      forEachSubExpr(root, (e) => {
        switch (e.k) {
          case 'bound':
            reads.add(e.id);
            break;
          case 'fnCons':
          case 'setMap':
          case 'quant':
            e.bounds.forEach((b) => binds.add(b));
            break;
          case 'setFilter':
          case 'choose':
          case 'letIn':
          case 'selectSeq':
            binds.add(e.bound);
            break;
          case 'except':
            e.updates.forEach((u) => binds.add(u.at));
            break;
          case 'recCall':
          case 'recFnValue':
            uses.add(e.fn);
            break;
          default:
            break;
        }
      });
    }
    return { reads, binds, uses };
  });
  const captured = scans.map(({ reads, binds }) => new Set([...reads].filter((b) => !binds.has(b))));
  for (let changed = true; changed; ) {
    changed = false;
    scans.forEach(({ binds, uses }, i) => {
      for (const j of uses) {
        for (const b of captured[j]) {
          if (!binds.has(b) && !captured[i].has(b)) {
            captured[i].add(b);
            changed = true;
          }
        }
      }
    });
  }
  return captured.map((c) => [...c].sort((a, b) => a - b));
}

/** Whether `e` tests membership in bound name `id` or counts it (what a subset's mask answers). */
/**
 * Whether TLC may generate an await with condition `e` more than once (a `\/` or `\E` in action
 * position, see ReferenceEngine.awaitWitnesses): otherwise its count is its value, 1 or 0.
 */
function splitsInAction(e: Expr): boolean {
  switch (e.k) {
    case 'or':
      return true;
    case 'quant':
      return !e.forall || splitsInAction(e.body);
    case 'and':
      return e.args.some(splitsInAction);
    case 'ite':
      return splitsInAction(e.then) || splitsInAction(e.else);
    case 'case':
      return e.arms.some((arm) => splitsInAction(arm.value)) || (e.other !== null && splitsInAction(e.other));
    case 'implies':
      return splitsInAction(e.right);
    case 'letIn':
      return splitsInAction(e.body);
    default:
      return false;
  }
}

function testsOrCounts(e: Expr, id: number): boolean {
  let found = false;
  forEachSubExpr(e, (x) => {
    const isId = (y: Expr): boolean => y.k === 'bound' && y.id === id;
    if ((x.k === 'bin' && (x.op === 'in' || x.op === 'notin') && isId(x.right)) || (x.k === 'builtin' && x.op === 'Cardinality' && isId(x.args[0]))) found = true;
  });
  return found;
}
