// The IR: the resolved, lowered program. It is the only thing the checker's engines see; the
// reference evaluator reads it as the definition of the language, the compiled engine compiles it.
//
// Everything is resolved to numbers: globals and process variables by index, labels by index,
// bound names by a program-wide unique id. Constants are folded into literals; operators and
// macros are expanded in place (with fresh binder ids), so an expression never calls a user
// operator except a recursive function definition.
//
// Kernel primitives come out of the core lowering as kernel kinds (`kernel`, `alloc`, `trylock`,
// `mightSleep` statements, `objectRead` expressions) with their operands resolved; the kernel pass
// of src/invariants/ rewrites them into ordinary statements plus `check` statements and `checked`
// expressions that name the built-in property. The engines never see a kernel kind.
import type { Span } from '../diagnostics/span.js';
import type { Fairness, LockKind } from '../parser/ast.js';
import { ModelValue, type Value } from './values.js';

export type { Fairness, LockKind };

/** The holder value of a free lock. */
export const NOBODY = new ModelValue('nobody');
/** PlusCal's value of a variable declared without one and of a parameter before any call. */
export const DEFAULT_INIT = new ModelValue('defaultInitValue');

/** Every built-in check, by the property name reports use (what `disable` may name). */
export const BUILTIN_CHECKS = [
  'SelfDeadlock', 'UnlockNotHeld', 'SleepInAtomic', 'LockHeldAtExit',
  'RefcountNonNegative', 'FreeWhileReferenced', 'NoLeak',
  'NoUseAfterFree', 'DoubleFree', 'MappingToFreed', 'MappingUnique',
  'Deadlock', 'LockOrder', 'LostWakeup',
  'RcuReaderSleeps', 'RcuSyncInReader', 'RcuUnbalanced',
  'RefcountIncOnZero', 'SeqcountWriterUnlocked', 'SeqcountNestedWriter',
  'InconsistentLockState', 'SleepInInterrupt',
] as const;
export type BuiltinCheck = (typeof BUILTIN_CHECKS)[number];

/** The property an `assert` statement's check names. */
export const ASSERTION = 'Assertion';
/** The pc of a finished process (PlusCal's "Done"), and the return point of a call that finishes it. */
export const DONE = 'Done';

/** How a failed `check` or `checked` is reported: a user's assertion, or a built-in check. */
export function checkFailureKind(property: string): 'assert' | 'builtin' {
  return property === ASSERTION ? 'assert' : 'builtin';
}

/** The number of instances that are processes: those before the hand-written actions' pseudo-processes. */
export function processCount(p: Program): number {
  const first = p.instances.findIndex((inst) => p.processes[inst.template]?.action);
  return first < 0 ? p.instances.length : first;
}

/** Whether instance `inst` has process variable `v`: a process has its template's locals and every procedure's. */
export function ownsProcessVar(p: Program, inst: number, v: number): boolean {
  const owner = p.processVars[v].owner;
  const template = p.instances[inst].template;
  if (p.processes[template].action) return false;
  return owner.kind === 'procedure' || owner.index === template;
}

/**
 * The (instance, process variable) pairs an initial state gives values after the globals, in the
 * order TLC enumerates PlusCal's Init: the procedures' variables, then the processes', each in
 * declaration order and each as a function of the instances (the last instance varying fastest).
 * It decides which initial state comes first, and so the counts and trace of a search that stops.
 */
export function processInitOrder(p: Program, owns: (inst: number, v: number) => boolean): [number, number][] {
  const procedureFirst = (v: number): number => (p.processVars[v].owner.kind === 'procedure' ? 0 : 1);
  const vars = p.processVars.map((_, v) => v).sort((a, b) => procedureFirst(a) - procedureFirst(b) || a - b);
  return vars.flatMap((v) => p.instances.flatMap((_, i): [number, number][] => (owns(i, v) ? [[i, v]] : [])));
}

/** The default of a switch over IR kinds: `tsc` lists every switch a new kind must be handled in. */
export function assertNever(x: never): never {
  throw new Error(`internal error: unhandled IR kind ${JSON.stringify((x as { k?: unknown }).k)}`);
}

/** The kernel kinds of statements (a Record: a new KernelStmt kind fails `tsc` until it is here). */
const KERNEL_KINDS: Record<KernelStmt['k'], true> = { kernel: true, alloc: true, trylock: true, mightSleep: true, rcu: true, seqWrite: true, waitQueue: true, schedule: true, completion: true, waitEvent: true, irq: true };

/** Whether a statement is a kernel kind (only the kernel pass and the IR walk handle them). */
export function isKernelStmt(s: Stmt): s is KernelStmt {
  return Object.hasOwn(KERNEL_KINDS, s.k);
}

/** What an engine does with a kernel kind: the kernel pass should have rewritten it. */
export function kernelKindReached(x: { k: string }): never {
  throw new Error(`internal error: the kernel kind ${x.k} reached the engine (the kernel pass did not run)`);
}

export interface Program {
  /** The algorithm's name and the design it was lowered for (null: the base model). */
  name: string;
  design: string | null;
  /** Constants after overrides, for reports. */
  constants: { name: string; value: Value }[];
  globals: GlobalVar[];
  /**
   * The initial tuples of the globals (in global order, canonical order) when an `init ==`
   * predicate gives them; absent: the product of each global's `inits`.
   */
  initialGlobals?: Value[][];
  /** Per-process variables: process locals and every procedure's parameters and locals. */
  processVars: ProcessVar[];
  processes: ProcessTemplate[];
  procedures: Procedure[];
  /** Every running process, in a fixed order: templates in declaration order, ids in value order. */
  instances: Instance[];
  /** Every label of every process and procedure; `Stmt.goto` and `pc` refer to these indices. */
  labels: LabelInfo[];
  recFns: RecFn[];
  /** Properties checked in every reachable state. */
  invariants: Property[];
  /** Properties checked in states where every process has finished. */
  finals: Property[];
  /** Temporal properties (`property`), one obligation per instance of their \A binders (absent: none). */
  temporal?: TemporalProperty[];
  /** Cover properties (`reachable`): each holds when some reachable state satisfies its body (absent: none). */
  reachable?: Property[];
  /**
   * TLC's CONSTRAINTs (`constraint`): a state that falsifies one is counted as generated and its
   * properties are checked, but it is not a distinct state and is never expanded (absent: none).
   */
  constraints?: Property[];
  /** Built-in checks switched off with `disable`, with the reason. */
  disabled: { name: string; reason: string }[];
  /** Locks, for lock statistics and reports. */
  locks: LockInfo[];
  /**
   * Symmetry sets (each a list of model values, from `symmetry`): states equal up to permuting
   * each set's members are one state. Absent or empty: no symmetry.
   */
  symmetry?: Value[][];
  /**
   * A uniprocess algorithm (a body, no `process`): one instance, whose id is the algorithm's name.
   * The engines run it as any process; the TLA+ export writes PlusCal's uniprocess translation
   * (`pc` one value, procedure variables plain variables). Absent: processes.
   */
  uniprocess?: true;
}

/**
 * The fixed shape of a variable: a leaf holds any value; a fn holds a function whose domain is
 * fixed for ever (records, arrays of locks...). Assigning a value of another domain is an error.
 */
export type Shape = { kind: 'leaf' } | { kind: 'fn'; domain: Value[]; elem: Shape };

export interface GlobalVar {
  name: string;
  /** Every initial value (one for `x = e`, each element for `x \in S`), in canonical order. */
  inits: Value[];
  shape: Shape;
  span: Span;
  /** Hidden bookkeeping variable of a kernel primitive (an object's live flags): not printed. */
  hidden?: boolean;
  /** What a kernel declaration made of it; absent for a plain variable. */
  role?: KernelRole;
}

/**
 * The kernel role of a global, for the kernel pass and for reports. `domain` is the index set of an
 * indexed declaration (`bl[b \in Bufs]`), null for a single one.
 */
export type KernelRole =
  | { kind: 'lock'; lockKind: LockKind; domain: Value[] | null }
  /** `of`: the object family (a global index) whose free requires this count to be zero. */
  | { kind: 'refcount'; of: number | null; domain: Value[] | null }
  /** `liveFlags`: the hidden global that says which objects of the family are live. */
  | { kind: 'object'; liveFlags: number; domain: Value[] }
  /** The hidden live flags of object family `object`. */
  | { kind: 'liveFlags'; object: number }
  /** `target`: the object family (a global index) the slots name. */
  | { kind: 'mapping'; target: number; domain: Value[] | null }
  /** A wait queue: the global is the set of its sleepers; `until`, the condition they sleep for (a definition-scope expression). */
  | { kind: 'waitqueue'; until: Expr };

export interface ProcessVar {
  name: string;
  /** The template that owns a process local, or the procedure that owns a parameter/local. */
  owner: { kind: 'process'; index: number } | { kind: 'procedure'; index: number };
  /** `=` one initial value, `\in` every element of the set; evaluated per instance (may use self). */
  initKind: '=' | '\\in';
  /** Null for a procedure parameter (its initial value, before any call, is the default). */
  init: Expr | null;
  shape: Shape;
  span: Span;
}

export interface ProcessTemplate {
  name: string;
  /**
   * A hand-written action (`action Name == ...`): a pseudo-process of one instance whose one label,
   * the action, is always enabled to run again. Action templates come after every process
   * template, so their instances come last. They are not processes: not in ProcSet, `pc` or a
   * process variable's function, never finished, owning no process variable (see processCount).
   */
  action?: boolean;
  /** PlusCal's fairness of the process (a `fair algorithm` makes every process at least weak; absent: none). */
  fairness?: Fairness;
  /** The label every instance starts at. */
  entry: number;
  /** Process variables (indices into processVars) this template owns. */
  locals: number[];
  span: Span;
}

export interface Procedure {
  name: string;
  params: number[];
  /** Locals in declaration order, with their initial value expressions (set on call). */
  locals: number[];
  entry: number;
  span: Span;
}

export interface Instance {
  template: number;
  id: Value;
  /** Shown in traces: `Lookup(1)`, or the template name for a single process. */
  display: string;
  /**
   * An interrupt handler (`interrupt process ... preempts S`): the ids of the processes it
   * preempts, those of its CPU (src/invariants/interrupts.ts). Absent: an ordinary process.
   */
  preempts?: Value[];
}

export interface LabelInfo {
  name: string;
  owner: { kind: 'process'; index: number } | { kind: 'procedure'; index: number };
  description: string | null;
  cost: number;
  span: Span;
  /** `lbl:+` strongly fair, `lbl:-` without fairness; absent: as its process. */
  fairness?: 'strong' | 'none';
  /** The atomic step that starts at this label. */
  body: Stmt[];
}

/**
 * One temporal obligation, over state predicates: `leadsTo` from ~> to; `infinitelyOften` []<>to;
 * `eventually` <>to (from the initial states); `eventuallyAlways` <>[]to. (`[]P` is an invariant.)
 */
export interface TemporalProperty {
  name: string;
  /** The values of the property's \A binders for this obligation (`p = 2`), or null. */
  instance: string | null;
  shape: 'leadsTo' | 'infinitelyOften' | 'eventually' | 'eventuallyAlways';
  from: Expr | null;
  to: Expr;
  span: Span;
}

/**
 * A recursive function `f[x \in domain] == body`, or a RECURSIVE operator (`domain` null: only
 * called, never a value, its arguments one tuple `param` when it takes more than one).
 */
export interface RecFn {
  name: string;
  param: number;
  domain: Expr | null;
  body: Expr;
}

/** A recursive function's domain, for its value (`recFnValue`): lowering never makes a value of an operator. */
export function functionDomain(fn: RecFn): Expr {
  if (!fn.domain) throw new Error(`internal: the RECURSIVE operator ${fn.name} used as a function value`);
  return fn.domain;
}

/** How a recursive function or operator is named in a runtime error. */
export function recursiveName(fn: RecFn): string {
  return `${fn.domain ? 'function' : 'operator'} ${fn.name}`;
}

export interface Property {
  name: string;
  body: Expr;
  /** Built-in properties (generated from kernel declarations) are marked. */
  builtin: boolean;
  span: Span | null;
}

export interface LockInfo {
  name: string;
  kind: LockKind;
  global: number;
  /** For an array of locks, its domain; null for a single lock. */
  domain: Value[] | null;
  /**
   * An rw-semaphore's readers: the hidden global the kernel pass adds, from <<key, id>> (an array's
   * element key and a process id) or id (a single semaphore) to that process if it holds the element
   * for read, else nobody. The global of the lock itself holds its writer.
   */
  readers?: number;
}

// ---------------------------------------------------------------- statements

/**
 * A step runs its statements in order; each sees the writes of the ones before it.
 * It ends at `goto` (pc := label), `done` (the process finishes), `call` or `return`; running off
 * the end of a label's body does not happen (lowering ends every path with one of those).
 */
export type Stmt =
  | { k: 'assign'; targets: Target[]; values: Expr[]; span: Span }
  /** `waitsFor`: set on the await a `lock()` becomes, naming the lock element it waits for; `sleepsOn`: on schedule()'s, the wait queues (globals) it sleeps on. */
  | { k: 'await'; cond: Expr; span: Span; waitsFor?: LockElement; sleepsOn?: number[] }
  | { k: 'if'; cond: Expr; then: Stmt[]; else: Stmt[]; span: Span }
  | { k: 'either'; branches: Stmt[][]; span: Span }
  /** Binds `bound` to each element of `set` in canonical order (fork); no element: disabled. */
  | { k: 'with'; bound: number; set: Expr; body: Stmt[]; span: Span }
  /** Binds `bound` to one value (no fork). */
  | { k: 'let'; bound: number; value: Expr; body: Stmt[]; span: Span }
  | { k: 'goto'; label: number; span: Span }
  | { k: 'done'; span: Span }
  /** `assert` and built-in checks: if cond is false the search stops with `property` violated. */
  | { k: 'check'; cond: Expr; property: string; message: string; span: Span }
  | { k: 'print'; value: Expr; span: Span }
  /**
   * PlusCal's call: push [procedure, pc: returnTo, each param and local's current value], set the
   * params to the args (evaluated before any write) and the locals to their initial values, goto
   * the procedure's entry. A null `returnTo` is PlusCal's "Done": the process finishes when the
   * procedure returns (a call as a process's last statement).
   */
  | { k: 'call'; procedure: number; args: Expr[]; returnTo: number | null; span: Span }
  /**
   * PlusCal's `call q(); return;` in procedure `from`, as pcal.trans translates it. When `procedure`
   * is another procedure: every write at once, from the values before the call: `from`'s locals (not
   * its params) := their values in the top frame, the top frame := [procedure, pc: its pc, each of
   * the callee's params and locals' current value], the callee's params := the args; then the
   * callee's locals := their initial values, goto its entry. When it is `from` itself: the params
   * := the args, the locals := their initial values, goto the entry; the stack is left alone.
   */
  | { k: 'tailcall'; procedure: number; from: number; args: Expr[]; span: Span }
  /** Pop the frame of procedure `procedure`: restore its params and locals and pc. */
  | { k: 'return'; procedure: number; span: Span }
  | KernelStmt;

/** A lock, refcount or object element: its global and the key (null: the whole global). */
export interface LockElement {
  global: number;
  key: Expr | null;
}

/** The operand of a kernel primitive, `L` or `L[i]`, resolved; `span` is the operand's. */
export interface KernelOperand extends LockElement {
  span: Span;
}

/**
 * A primitive on one operand; `write` is an assignment into an object's data (key not null);
 * `freeRcu` is kfree_rcu() (free after a grace period); `refInc` is refcount_inc() (refcount_t).
 */
export type KernelOp = 'lock' | 'unlock' | 'get' | 'put' | 'free' | 'write' | 'freeRcu' | 'refInc' | RwsemOp;
/** down_read(), up_read(), down_write(), up_write() on an rw-semaphore; see src/invariants/locks.ts. */
export type RwsemOp = 'downRead' | 'upRead' | 'downWrite' | 'upWrite';

/** The kernel kinds of statements: the core lowering's output, rewritten by the kernel pass. */
export type KernelStmt =
  | { k: 'kernel'; op: KernelOp; operand: KernelOperand; span: Span }
  /** `alloc(o[i])`: `init` is the declaration's initial value for that index, lowered here. */
  | { k: 'alloc'; operand: KernelOperand; init: Expr; span: Span }
  | { k: 'trylock'; operand: KernelOperand; result: Target; span: Span }
  | { k: 'mightSleep'; span: Span }
  /** rcu_read_lock(), rcu_read_unlock(), synchronize_rcu(). */
  | { k: 'rcu'; op: 'readLock' | 'readUnlock' | 'synchronize'; span: Span }
  /**
   * write_seqcount_begin(s, L) (`lock`: the lock that must be held) and write_seqcount_end(s)
   * (`lock` null): `counter` is the sequence variable, `read` its value.
   */
  | { k: 'seqWrite'; begin: boolean; counter: Target; read: Expr; lock: KernelOperand | null; span: Span }
  /** prepare_to_wait, finish_wait, wake_up on wait queue `queue` (a global index); see src/invariants/waits.ts. */
  | { k: 'waitQueue'; wait: WaitQueueOp; queue: number; span: Span }
  /** complete(c), wait_for_completion(c) on completion `completion` (a global index); see src/invariants/waits.ts. */
  | { k: 'completion'; wait: 'complete' | 'complete_all' | 'wait_for_completion'; completion: number; span: Span }
  /**
   * wait_event(wq, cond), the first statement of label `label`'s step: the kernel's waiting loop,
   * which comes back to that label between its steps; see src/invariants/waits.ts.
   */
  | { k: 'waitEvent'; queue: number; cond: Expr; label: number; span: Span }
  /** schedule(): sleeps while the process is on some wait queue. */
  | { k: 'schedule'; span: Span }
  /**
   * local_irq_disable(), local_irq_enable() (`flags` null), local_irq_save(flags) (the state
   * saved into `flags.target`) and local_irq_restore(flags) (the state `flags.read` restored);
   * see src/invariants/interrupts.ts.
   */
  | { k: 'irq'; op: IrqOp; flags: { target: Target; read: Expr } | null; span: Span };

export type IrqOp = 'disable' | 'enable' | 'save' | 'restore';

export type WaitQueueOp = 'prepare_to_wait' | 'finish_wait' | 'wake_up';

/** A kernel statement on one operand. */
export type KernelOpStmt = Extract<KernelStmt, { k: 'kernel' }>;

/** An assignment target: a variable and a path of keys into it (`x[i].f` has path [i, "f"]). */
export interface Target {
  ref: VarRef;
  path: Expr[];
}

export type VarRef = { kind: 'global'; index: number } | { kind: 'pvar'; index: number };

// ---------------------------------------------------------------- expressions

export type Expr =
  | { k: 'lit'; value: Value }
  | { k: 'global'; index: number }
  /** The running process's own process variable. */
  | { k: 'pvar'; index: number }
  /** Process `proc`'s process variable (`i[k]` in an invariant). */
  | { k: 'pvarOf'; index: number; proc: Expr }
  /** The function from process ids to that variable (`i` in an invariant). */
  | { k: 'pvarFn'; index: number }
  | { k: 'self' }
  /** `pc[p]`: the label name of process p as a string, "Done" when finished. */
  | { k: 'pcOf'; proc: Expr }
  | { k: 'pcFn' }
  | { k: 'bound'; id: number; name: string }
  | { k: 'not'; arg: Expr }
  | { k: 'and'; args: Expr[] }
  | { k: 'or'; args: Expr[] }
  | { k: 'implies'; left: Expr; right: Expr }
  | { k: 'bin'; op: BinOp; left: Expr; right: Expr; span: Span }
  | { k: 'neg'; arg: Expr; span: Span }
  | { k: 'builtin'; op: BuiltinOp; args: Expr[]; span: Span }
  | { k: 'apply'; fn: Expr; arg: Expr; span: Span }
  | { k: 'setEnum'; elems: Expr[] }
  | { k: 'tuple'; elems: Expr[] }
  | { k: 'record'; names: string[]; values: Expr[] }
  | { k: 'recordSet'; names: string[]; sets: Expr[]; span: Span }
  | { k: 'fnSet'; domain: Expr; range: Expr; span: Span }
  /**
   * `Nat` or `Int`: an infinite set, so only membership in it is decided (`\in`, `\notin`,
   * `\subseteq`, and within `[S -> T]`, `SUBSET S`, `[a : S]` on their right); evaluating it as a
   * value (enumerating it) is the runtime error NotEnumerable, as in TLC.
   */
  | { k: 'infSet'; name: InfiniteSet; span: Span }
  /**
   * `Seq(S)`: the sequences over `elems`, infinite, so (as `infSet`) only membership in it is
   * decided, each element tested against `elems`; evaluating it is the runtime error NotEnumerable.
   */
  | { k: 'seqSet'; elems: Expr; span: Span }
  /** `SelectSeq(s, Test)`: the elements of `seq` for which `cond` (binding `bound` to one) holds, in order. */
  | { k: 'selectSeq'; seq: Expr; bound: number; cond: Expr; span: Span }
  /** `[x \in S |-> body]`; several binders make a function of tuples. */
  | { k: 'fnCons'; bounds: number[]; sets: Expr[]; body: Expr; span: Span }
  | { k: 'setFilter'; bound: number; set: Expr; cond: Expr; span: Span }
  | { k: 'setMap'; bounds: number[]; sets: Expr[]; body: Expr; span: Span }
  /** `[fn EXCEPT ![p1][p2] = value]`; `value` may read `at`: the old value at that path. */
  | { k: 'except'; fn: Expr; updates: { path: Expr[]; at: number; value: Expr }[]; span: Span }
  | { k: 'ite'; cond: Expr; then: Expr; else: Expr }
  | { k: 'case'; arms: { cond: Expr; value: Expr }[]; other: Expr | null; span: Span }
  | { k: 'quant'; forall: boolean; bounds: number[]; sets: Expr[]; body: Expr; span: Span }
  | { k: 'choose'; bound: number; set: Expr; cond: Expr; span: Span }
  /** Binds `bound` to `value` in `body` (from `with (x = e)`-like lowering and EXCEPT's @). */
  | { k: 'letIn'; bound: number; value: Expr; body: Expr }
  | { k: 'recCall'; fn: number; arg: Expr; span: Span }
  | { k: 'recFnValue'; fn: number; span: Span }
  /** Evaluates `cond`; if false the step fails with `property`; else the value of `value`. */
  | { k: 'checked'; cond: Expr; property: string; message: string; value: Expr; span: Span }
  /** A kernel kind: `value` reads the data of object `global` at `key` (process code only). */
  | { k: 'objectRead'; global: number; key: Expr; value: Expr; span: Span };

/** Whether `e` is a range `lo..hi`: the engines enumerate, count and test it without building it. */
export function isRange(e: Expr): e is Extract<Expr, { k: 'bin' }> {
  return e.k === 'bin' && e.op === '..';
}

/** The infinite built-in sets. */
export type InfiniteSet = 'Nat' | 'Int';

export type BinOp =
  | '=' | '#' | '<' | '<=' | '>' | '>='
  | 'in' | 'notin' | 'subseteq'
  | 'cup' | 'cap' | 'minus'
  | '+' | '-' | '*' | 'div' | '%' | '^'
  /** `-(a^b)`. */
  | 'negpow'
  | '..' | 'concat' | 'cross' | 'equiv'
  /**
   * The kernel pass's identity test (a lock's holder against `self` or `nobody`): value equality
   * that never fails, since process ids of different kinds (1, "M") are told apart by the checker's
   * own bookkeeping, not by a user's comparison (which `=` makes an error, as TLC does).
   */
  | 'same';

export type BuiltinOp =
  | 'DOMAIN' | 'SUBSET' | 'UNION' | 'Cardinality' | 'IsFiniteSet'
  | 'Len' | 'Append' | 'Head' | 'Tail' | 'SubSeq';

export const BUILTIN_ARITY: Record<BuiltinOp, number> = {
  DOMAIN: 1, SUBSET: 1, UNION: 1, Cardinality: 1, IsFiniteSet: 1, Len: 1, Append: 2, Head: 1, Tail: 1, SubSeq: 3,
};
