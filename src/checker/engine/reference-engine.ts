// The reference evaluator: the definition of the language. It runs the IR exactly as
// docs/semantics.md describes, over immutable values, with no cleverness, so that it can be read as
// the semantics and serve as the oracle the compiled engine is tested against.
import { List, Map as IMap, Record, type RecordOf } from '../../lang/immutable.js';
import { assertNever, DEFAULT_INIT, DONE, functionDomain, ownsProcessVar, processCount, processInitOrder, isKernelStmt, isRange, kernelKindReached, recursiveName, type Expr, type Program, type Property, type Stmt } from '../../lang/ir.js';
import type { Span } from '../../diagnostics/span.js';
import type { Value } from '../../lang/values.js';
import { compareValues, isFn, isSet, mkFn, mkSet, mkTuple, showValue, valueEquals } from '../../lang/values.js';
import { instancePermutations, permuteValue, symmetryPermutations, type Permutation } from './permutations.js';
import { StepFailure, type Engine, type Failure, type StateView, type SuccessorSink } from './contract.js';
import { checkFailed, firstViolation, ModelErrorSites, propertyTitle, type PropertyTest } from './failures.js';
import { holderIndex } from '../../invariants/locks.js';
import {
  apply, arith, asBool, BUILD_BOUND, FnSetElements, inProductWith, powersetElements, asInt, asSet, bigUnion, buildFn, buildSet, cardinality, isFiniteSet, checkInt, concat, cross,
  domainOf, elemsOf, equalValues, exceptAt, fitsShape, fnSet, inFnSetWith, inPowersetWith, inRecordSetWith, IntRange, lessThan,
  fail, inInfiniteSet, inInterval, inSeqSetWith, seqOf, memberOf, ModelError, powerset, range, recordSet, recursionError, seqBuiltin, setOps, tuplesOf, type Elements,
} from './valueops.js';

/**
 * A state: the globals, and per instance its pc (a label index, -1 when finished), its process
 * variables (null where the variable is not the instance's) and its call stack.
 */
interface StateFields {
  globals: List<Value>;
  pcs: List<number>;
  pvars: List<List<Value | null>>;
  stacks: List<Value>;
}
type State = RecordOf<StateFields>;
const makeState = Record<StateFields>({ globals: List(), pcs: List(), pvars: List(), stacks: List() }, 'State');

/** Values of bound names (`bound` ids are unique program-wide, so one map serves every scope). */
type Env = IMap<number, Value | Lazy>;

/** A `letIn` binding: its value is evaluated on first use, in the scope of the `letIn`, then kept. */
class Lazy {
  value: Value | undefined = undefined;
  constructor(
    readonly expr: Expr,
    readonly sc: Scope,
  ) {}
}

/** What an expression is evaluated against: a state, the running instance (-1: none) and bound names. */
interface Scope {
  st: State;
  self: number;
  env: Env;
}

/**
 * The step being run: which instance, where each complete path's successor goes, where a failing
 * path goes (unset: it is thrown), and who hears of a path stopped by a false await (unset: nobody).
 */
interface Step {
  inst: number;
  emit: (st: State) => void;
  failed?: (err: unknown) => void;
  blocked?: (s: Extract<Stmt, { k: 'await' }>, sc: Scope) => void;
}

/** A lock a step waits for: the lock element of a false `lock()` await and its holder there (-1: nobody). */
/** A wait queue an instance sleeps on, and whether the condition its sleepers sleep for holds. */
export interface QueueSleep {
  queue: number;
  conditionHolds: boolean;
}

export interface LockWait {
  global: number;
  key: Value | null;
  holder: number;
}

const FINISHED = -1;

export class ReferenceEngine implements Engine {
  private states: State[] = [];
  private ids: IMap<State, number> = IMap();
  private bytes = 0;
  /** How many successors TLC generates for the path being run: the product of its awaits' witnesses (see awaitWitnesses). */
  private copies = 1;
  /** Where each runtime error happened: the innermost expression or statement with a span. */
  private readonly errorSites = new ModelErrorSites();
  private instanceOf: IMap<Value, number>;
  /** The instances before this one are processes; the rest are hand-written actions. */
  private readonly processes: number;
  private labelByName: Map<string, number>;
  private perms: Permutation[];
  private instancePerms: Int32Array[];
  /** Each property as a test of a state's scope. */
  private readonly invariantTests: PropertyTest<Scope>[];
  private readonly finalTests: PropertyTest<Scope>[];

  constructor(readonly program: Program) {
    this.instanceOf = IMap(program.instances.slice(0, processCount(program)).map((inst, i) => [inst.id, i] as [Value, number]));
    this.processes = processCount(program);
    this.labelByName = new Map(program.labels.map((l, i) => [l.name, i] as [string, number]));
    this.perms = symmetryPermutations(program);
    this.instancePerms = instancePermutations(program, this.perms);
    this.invariantTests = program.invariants.map((inv) => this.propertyTest('invariant', inv));
    this.finalTests = program.finals.map((fin) => this.propertyTest('final property', fin));
  }

  // ------------------------------------------------------------------ the store

  /** Under symmetry: the least image of the state under every permutation. */
  private canonical(st: State): State {
    let best = st;
    let bestKey: Value | null = null;
    this.perms.forEach((pi, p) => {
      const target = this.instancePerms[p];
      const pcs = st.pcs.toArray();
      const pvars = st.pvars.toArray();
      const stacks = st.stacks.toArray();
      const newPcs = pcs.slice();
      const newPvars = pvars.slice();
      const newStacks = stacks.slice();
      for (let i = 0; i < pcs.length; i++) {
        newPcs[target[i]] = pcs[i];
        newPvars[target[i]] = pvars[i].map((v) => (v === null ? null : permuteValue(v, pi)));
        newStacks[target[i]] = permuteValue(stacks[i], pi);
      }
      const image = makeState({
        globals: st.globals.map((v) => permuteValue(v, pi)),
        pcs: List(newPcs),
        pvars: List(newPvars),
        stacks: List(newStacks),
      });
      const key = mkTuple([
        ...image.globals.toArray(),
        ...newPcs,
        ...newPvars.flatMap((vs) => vs.toArray().map((v) => v ?? '')),
        ...newStacks,
      ]);
      if (bestKey === null || compareValues(key, bestKey) < 0) {
        best = image;
        bestKey = key;
      }
    });
    return best;
  }

  private store(state: State): [number, boolean] {
    const st = this.perms.length > 0 ? this.canonical(state) : state;
    const known = this.ids.get(st);
    if (known !== undefined) return [known, false];
    const id = this.states.length;
    this.states.push(st);
    this.ids = this.ids.set(st, id);
    this.bytes += stateBytes(st);
    return [id, true];
  }

  size(): number {
    return this.states.length;
  }

  storeBytes(): number {
    return this.bytes;
  }

  // ------------------------------------------------------------------ initial states

  initial(sink: SuccessorSink): void {
    const p = this.program;
    const start = makeState({
      globals: List(),
      pcs: List(p.instances.map((inst) => p.processes[inst.template].entry)),
      pvars: List(p.instances.map(() => List<Value | null>(p.processVars.map(() => null)))),
      stacks: List(p.instances.map(() => mkTuple([]))),
    });
    // The variables filled after the globals, in TLC's order of PlusCal's Init (processInitOrder).
    const slots = processInitOrder(p, (i, v) => ownsProcessVar(p, i, v));

    const fill = (st: State, k: number): void => {
      if (k === slots.length) {
        const [id, isNew] = this.store(st);
        sink(id, isNew, -1, -1, 1);
        return;
      }
      const [inst, v] = slots[k];
      for (const value of this.initialValues(v, { st, self: inst, env: IMap() })) {
        fill(writePvar(st, inst, v, value), k + 1);
      }
    };
    try {
      for (const globals of p.initialGlobals ?? tuplesOf(p.globals.map((g) => g.inits))) fill(start.set('globals', List(globals)), 0);
    } catch (e) {
      throw this.errorSites.asStepFailure(e);
    }
  }

  /** A process variable's initial values in canonical order (`=`: one, `\in`: each element). */
  private initialValues(v: number, sc: Scope): Elements<Value> {
    const pv = this.program.processVars[v];
    if (pv.init === null) return [DEFAULT_INIT];
    return pv.initKind === '=' ? [this.eval(pv.init, sc)] : this.enumerate(pv.init, sc, `the initial set of ${pv.name}`);
  }


  // ------------------------------------------------------------------ steps

  successors(id: number, sink: SuccessorSink, failed?: (failure: StepFailure) => void): void {
    const st = this.states[id];
    this.program.instances.forEach((_, inst) => {
      const label = st.pcs.get(inst)!;
      if (label === FINISHED) return;
      const info = this.program.labels[label];
      const stepFailure = (e: unknown): StepFailure => {
        const failure = this.errorSites.asStepFailure(e);
        failure.instance = inst;
        failure.label = label;
        return failure;
      };
      const step: Step = {
        inst,
        emit: (next) => {
          const [nid, isNew] = this.store(next);
          sink(nid, isNew, inst, label, this.copies);
        },
        failed: failed && ((e) => failed(stepFailure(e))),
      };
      this.path(step, () =>
        this.run(info.body, 0, st, IMap(), step, () => {
          throw new Error(`label ${info.name}: a path runs off the end of the step (a lowering bug)`);
        }),
      (e) => {
        throw stepFailure(e);
      });
    });
  }

  /**
   * The locks instance `inst`'s step waits for in a decoded state: on every path of the step that
   * stops at a false `lock()` await, its lock element (the key evaluated in that path's scope) and
   * the element's holder. Paths that fail or complete wait for nothing.
   */
  lockWaits(view: StateView, inst: number): LockWait[] {
    const waits: LockWait[] = [];
    this.blockedAwaits(view, inst, (s, sc) => {
      if (!s.waitsFor) return;
      const { global, key } = s.waitsFor;
      const k = key && this.eval(key, sc);
      waits.push({ global, key: k, holder: holderIndex(this.program, sc.st.globals.get(global)!, k) });
    });
    return waits;
  }

  /**
   * The wait queues instance `inst` sleeps on in a decoded state (a schedule() that stops while it
   * is on the queue), each with whether the queue's condition holds, evaluated for it.
   */
  sleeps(view: StateView, inst: number): QueueSleep[] {
    const sleeps: QueueSleep[] = [];
    const id = this.program.instances[inst].id;
    this.blockedAwaits(view, inst, (s, sc) => {
      for (const queue of s.sleepsOn ?? []) {
        const role = this.program.globals[queue].role;
        const sleepers = sc.st.globals.get(queue)!;
        if (role?.kind !== 'waitqueue' || !isSet(sleepers) || !sleepers.has(id) || sleeps.some((x) => x.queue === queue)) continue;
        sleeps.push({ queue, conditionHolds: this.eval(role.until, sc) === true });
      }
    });
    return sleeps;
  }

  /** Calls `visit` on each false await where a path of instance `inst`'s step stops in a decoded state, with that path's scope. */
  private blockedAwaits(view: StateView, inst: number, visit: (s: Extract<Stmt, { k: 'await' }>, sc: Scope) => void): void {
    const st = this.stateOf(view);
    const label = st.pcs.get(inst)!;
    if (label === FINISHED) return;
    const step: Step = { inst, emit: () => {}, failed: () => {}, blocked: visit };
    this.path(step, () => this.run(this.program.labels[label].body, 0, st, IMap(), step, () => {}));
  }

  /** Runs the paths of a step or of one fork's branch; a path that fails goes to `step.failed`, else to `otherwise`. */
  private path(step: Step, paths: () => void, otherwise: (e: unknown) => void = (e) => { throw e; }): void {
    try {
      paths();
    } catch (e) {
      if (!(e instanceof StepFailure) && !(e instanceof ModelError)) throw e;
      (step.failed ?? otherwise)(e);
    }
  }

  /**
   * Runs `stmts` from index `i` on `st`; when they run out, continues with `next`. Every complete
   * path ends at a goto, done, call or return, which hands its successor to `step.emit`.
   */
  private run(stmts: Stmt[], i: number, st: State, env: Env, step: Step, next: (st: State) => void): void {
    if (i === stmts.length) return next(st);
    const s = stmts[i];
    const sc: Scope = { st, self: step.inst, env };
    const rest = (after: State): void => this.run(stmts, i + 1, after, env, step, next);
    try {
      if (isKernelStmt(s)) return kernelKindReached(s);
      switch (s.k) {
        case 'assign':
          return rest(this.assign(s, sc));
        case 'await': {
          const witnesses = this.awaitWitnesses(s.cond, sc, 'the condition of await');
          if (witnesses === 0) return step.blocked?.(s, sc);
          const before = this.copies;
          this.copies = before * witnesses;
          try {
            return rest(st);
          } finally {
            this.copies = before;
          }
        }
        case 'if':
          return this.run(this.test(s.cond, sc, 'the condition of if') ? s.then : s.else, 0, st, env, step, rest);
        case 'either':
          for (const branch of s.branches) this.path(step, () => this.run(branch, 0, st, env, step, rest));
          return;
        case 'with':
          for (const x of this.enumerate(s.set, sc, 'the set of with')) this.path(step, () => this.run(s.body, 0, st, env.set(s.bound, x), step, rest));
          return;
        case 'let':
          return this.run(s.body, 0, st, env.set(s.bound, this.eval(s.value, sc)), step, rest);
        case 'check':
          if (!this.test(s.cond, sc, `the condition of ${s.property}`)) throw checkFailed(s.property, s.message, s.span);
          return rest(st);
        case 'print':
          return rest(st);
        case 'goto':
          return step.emit(setPc(st, step.inst, s.label));
        case 'done':
          return step.emit(setPc(st, step.inst, FINISHED));
        case 'call':
          return step.emit(this.call(s, sc));
        case 'tailcall':
          return step.emit(this.tailcall(s, sc));
        case 'return':
          return step.emit(this.return(s, sc));
        default:
          return assertNever(s);
      }
    } catch (e) {
      this.errorSites.locate(e, s.span);
      throw e;
    }
  }

  /** Simultaneous assignment: every key and value first, then the writes in order. */
  private assign(s: Extract<Stmt, { k: 'assign' }>, sc: Scope): State {
    const paths = s.targets.map((t) => t.path.map((k) => this.eval(k, sc)));
    const values = s.values.map((v) => this.eval(v, sc));
    let st = sc.st;
    s.targets.forEach((t, j) => {
      const isGlobal = t.ref.kind === 'global';
      const decl = isGlobal ? this.program.globals[t.ref.index] : this.program.processVars[t.ref.index];
      const old = isGlobal ? st.globals.get(t.ref.index)! : this.readPvar(st, sc.self, t.ref.index);
      const updated = exceptAt(old, paths[j], () => values[j]);
      if (!fitsShape(updated, decl.shape)) fail('DomainChanged', decl.name);
      st = isGlobal ? st.set('globals', st.globals.set(t.ref.index, updated)) : writePvar(st, sc.self, t.ref.index, updated);
    });
    return st;
  }

  /** PlusCal's call: push a frame with the return label and the callee's variables, then enter it. */
  private call(s: Extract<Stmt, { k: 'call' }>, sc: Scope): State {
    const args = s.args.map((a) => this.eval(a, sc));
    const stack = sc.st.stacks.get(sc.self)!;
    const st = this.push(sc.st, sc.self, s.procedure, s.returnTo === null ? DONE : this.program.labels[s.returnTo].name, stack);
    return this.enter(s.procedure, args, { ...sc, st });
  }

  /** PlusCal's `call q(); return;` (see the IR's tailcall): the callee takes the caller's frame. */
  private tailcall(s: Extract<Stmt, { k: 'tailcall' }>, sc: Scope): State {
    const args = s.args.map((a) => this.eval(a, sc));
    if (s.procedure === s.from) return this.enter(s.procedure, args, sc);
    const stack = sc.st.stacks.get(sc.self)!;
    const head = seqBuiltin('Head', [stack]);
    let st = this.push(sc.st, sc.self, s.procedure, apply(head, 'pc'), seqBuiltin('Tail', [stack]));
    for (const v of this.program.procedures[s.from].locals) st = writePvar(st, sc.self, v, apply(head, this.program.processVars[v].name));
    return this.enter(s.procedure, args, { ...sc, st });
  }

  /** Sets the stack to `below` under a new frame: [procedure, pc, each param and local's value in st]. */
  private push(st: State, self: number, procedure: number, pc: Value, below: Value): State {
    const proc = this.program.procedures[procedure];
    const frame = mkFn([
      ['procedure', proc.name],
      ['pc', pc],
      ...[...proc.params, ...proc.locals].map((v) => [this.program.processVars[v].name, this.readPvar(st, self, v)] as [Value, Value]),
    ]);
    return st.set('stacks', st.stacks.set(self, concat(mkTuple([frame]), below)));
  }

  /** Enters a procedure: its params := args, then its locals := their initial values, goto its entry. */
  private enter(procedure: number, args: Value[], sc: Scope): State {
    const proc = this.program.procedures[procedure];
    let st = sc.st;
    proc.params.forEach((v, j) => (st = writePvar(st, sc.self, v, args[j])));
    for (const v of proc.locals) {
      const pv = this.program.processVars[v];
      if (pv.init === null || pv.initKind !== '=') fail('LocalNotInitialised', pv.name);
      st = writePvar(st, sc.self, v, this.eval(pv.init, { ...sc, st }));
    }
    return setPc(st, sc.self, proc.entry);
  }

  /** PlusCal's return: pop the frame, restoring the callee's variables and the caller's pc. */
  private return(s: Extract<Stmt, { k: 'return' }>, sc: Scope): State {
    const proc = this.program.procedures[s.procedure];
    const stack = sc.st.stacks.get(sc.self)!;
    const frame = seqBuiltin('Head', [stack]);
    const target = apply(frame, 'pc');
    const label = target === DONE ? FINISHED : typeof target === 'string' ? this.labelByName.get(target) : undefined;
    if (label === undefined) fail('BadReturnPoint', showValue(target));
    let st = setPc(sc.st, sc.self, label);
    for (const v of [...proc.params, ...proc.locals]) st = writePvar(st, sc.self, v, apply(frame, this.program.processVars[v].name));
    return st.set('stacks', st.stacks.set(sc.self, seqBuiltin('Tail', [stack])));
  }

  // ------------------------------------------------------------------ checking states

  private propertyTest(role: 'invariant' | 'final property', prop: Property): PropertyTest<Scope> {
    return (sc) => asBool(this.eval(prop.body, sc), propertyTitle(role, prop));
  }

  predicate(body: Expr, what: string): (id: number) => boolean {
    return (id) => {
      try {
        return asBool(this.eval(body, { st: this.states[id], self: -1, env: IMap() }), what);
      } catch (e) {
        throw this.errorSites.asStepFailure(e);
      }
    };
  }

  checkState(id: number, skip?: Uint8Array): Failure | null {
    const sc: Scope = { st: this.states[id], self: -1, env: IMap() };
    return firstViolation(this.program, this.invariantTests, this.finalTests, sc, (done) => this.everyFinished(done.st), this.errorSites, skip);
  }

  private everyFinished(st: State): boolean {
    return st.pcs.every((pc, i) => pc === FINISHED || i >= this.processes);
  }

  allDone(id: number): boolean {
    return this.everyFinished(this.states[id]);
  }

  pcLabels(id: number, out: Int32Array): Int32Array {
    this.states[id].pcs.forEach((pc, i) => (out[i] = pc));
    return out;
  }

  lockHolders(global: number, keys: (Value | null)[], n: number): Int32Array[] {
    return keys.map((key) => Int32Array.from({ length: n }, (_, id) => holderIndex(this.program, this.states[id].globals.get(global)!, key)));
  }

  decode(id: number): StateView {
    const st = this.states[id];
    return {
      globals: st.globals.toArray(),
      pcs: st.pcs.toArray().map((pc) => this.pcName(pc)),
      pvars: st.pvars.toArray().map((vars) => vars.toArray()),
      stacks: st.stacks.toArray(),
    };
  }

  // ------------------------------------------------------------------ expressions

  private stateOf(view: StateView): State {
    return makeState({
      globals: List(view.globals),
      pcs: List(view.pcs.map((name) => this.labelByName.get(name) ?? FINISHED)),
      pvars: List(view.pvars.map((vars) => List(vars))),
      stacks: List(view.stacks),
    });
  }

  /** Evaluates an expression that reads no state, with `self` the instance `self` (-1: none). */
  evaluateClosed(e: Expr, self: number): Value {
    return this.eval(e, { st: makeState(), self, env: IMap() });
  }

  private eval(e: Expr, sc: Scope): Value {
    if (!('span' in e)) return this.evalExpr(e, sc);
    try {
      return this.evalExpr(e, sc);
    } catch (err) {
      this.errorSites.locate(err, e.span);
      throw err;
    }
  }

  /**
   * The number of ways TLC satisfies an await's condition in action position (0: false), each a
   * successor it generates: a true disjunct of `\/` or witness of `\E` each counts, `/\` and `\A`
   * multiply, IF, CASE (its first true arm), LET and the right of `=>` (when the left holds) pass
   * it through; anything else is a value, 1 when true. docs/semantics.md, "Counting generated states".
   */
  private awaitWitnesses(e: Expr, sc: Scope, what: string): number {
    switch (e.k) {
      case 'or':
        return e.args.reduce((n, a) => n + this.awaitWitnesses(a, sc, 'an operand of \\/'), 0);
      case 'and': {
        let n = 1;
        for (const a of e.args) if ((n *= this.awaitWitnesses(a, sc, 'an operand of /\\')) === 0) return 0;
        return n;
      }
      case 'quant':
        return this.located(e.span, () => {
          let n = e.forall ? 1 : 0;
          for (const [, inner] of this.bindings(e.bounds, e.sets, sc, 'a set of a quantifier')) {
            const w = this.awaitWitnesses(e.body, inner, e.forall ? 'the body of \\A' : 'the body of \\E');
            if (!e.forall) n += w;
            else if ((n *= w) === 0) return 0;
          }
          return n;
        });
      case 'ite':
        return this.awaitWitnesses(this.test(e.cond, sc, 'the condition of IF') ? e.then : e.else, sc, what);
      case 'case':
        return this.located(e.span, () => {
          for (const arm of e.arms) if (this.test(arm.cond, sc, 'a CASE condition')) return this.awaitWitnesses(arm.value, sc, what);
          if (e.other === null) fail('NoCaseArm');
          return this.awaitWitnesses(e.other, sc, what);
        });
      case 'implies':
        return this.test(e.left, sc, 'the left of =>') ? this.awaitWitnesses(e.right, sc, 'the right of =>') : 1;
      case 'letIn':
        return this.awaitWitnesses(e.body, bind(sc, e.bound, new Lazy(e.value, sc)), what);
      default:
        return this.test(e, sc, what) ? 1 : 0;
    }
  }

  /** A condition: must be a boolean. */
  private test(e: Expr, sc: Scope, what: string): boolean {
    return asBool(this.eval(e, sc), what);
  }

  private evalExpr(e: Expr, sc: Scope): Value {
    switch (e.k) {
      case 'lit':
        return e.value;
      case 'global':
        return sc.st.globals.get(e.index)!;
      case 'pvar':
        return this.readPvar(sc.st, this.self(sc), e.index);
      case 'pvarOf':
        return this.readPvar(sc.st, this.instanceWithId(this.eval(e.proc, sc)), e.index);
      case 'pvarFn':
        return mkFn(
          this.program.instances.flatMap((inst, i) => (ownsProcessVar(this.program, i, e.index) ? [[inst.id, this.readPvar(sc.st, i, e.index)] as [Value, Value]] : [])),
        );
      case 'self':
        return this.program.instances[this.self(sc)].id;
      case 'pcOf':
        return this.pcName(sc.st.pcs.get(this.instanceWithId(this.eval(e.proc, sc)))!);
      case 'pcFn':
        return mkFn(this.program.instances.slice(0, this.processes).map((inst, i) => [inst.id, this.pcName(sc.st.pcs.get(i)!)] as [Value, Value]));
      case 'bound': {
        const v = sc.env.get(e.id);
        if (v === undefined) throw new Error(`bound name ${e.name} (#${e.id}) is not bound (a lowering bug)`);
        if (!(v instanceof Lazy)) return v;
        v.value ??= this.eval(v.expr, v.sc);
        return v.value;
      }
      case 'not':
        return !this.test(e.arg, sc, 'the argument of ~');
      case 'and':
        return e.args.every((a) => this.test(a, sc, 'an operand of /\\'));
      case 'or':
        return e.args.some((a) => this.test(a, sc, 'an operand of \\/'));
      case 'implies':
        return !this.test(e.left, sc, 'the left of =>') || this.test(e.right, sc, 'the right of =>');
      case 'bin':
        return this.binary(e, sc);
      case 'neg':
        return checkInt(-asInt(this.eval(e.arg, sc), 'the argument of unary -'));
      case 'builtin': {
        if (e.op === 'Cardinality' && isRange(e.args[0])) return this.rangeOf(e.args[0], sc).length;
        if (e.op === 'Cardinality' && e.args[0].k === 'setFilter') return this.countFilter(e.args[0], sc);
        const args = e.args.map((a) => this.eval(a, sc));
        switch (e.op) {
          case 'DOMAIN':
            return domainOf(args[0]);
          case 'SUBSET':
            return powerset(args[0]);
          case 'UNION':
            return bigUnion(args[0]);
          case 'Cardinality':
            return cardinality(args[0]);
          case 'IsFiniteSet':
            return isFiniteSet(args[0]);
          default:
            return seqBuiltin(e.op, args);
        }
      }
      case 'apply':
        return apply(this.eval(e.fn, sc), this.eval(e.arg, sc));
      case 'setEnum':
        return mkSet(e.elems.map((x) => this.eval(x, sc)));
      case 'tuple':
        return mkTuple(e.elems.map((x) => this.eval(x, sc)));
      case 'record':
        return mkFn(e.names.map((n, i) => [n, this.eval(e.values[i], sc)] as [Value, Value]));
      case 'recordSet':
        return recordSet(e.names, e.sets.map((s) => this.eval(s, sc)));
      case 'fnSet':
        return fnSet(this.eval(e.domain, sc), this.eval(e.range, sc));
      case 'infSet':
        return fail('NotEnumerable', e.name);
      case 'seqSet':
        return fail('NotEnumerable', 'Seq(S)');
      case 'selectSeq': {
        const elems = seqOf(this.eval(e.seq, sc), 'the sequence of SelectSeq');
        return mkTuple(elems.filter((x) => this.test(e.cond, bind(sc, e.bound, x), 'the test of SelectSeq')));
      }
      case 'fnCons': {
        const all = this.bindings(e.bounds, e.sets, sc, 'a domain of [x \\in S |-> e]');
        return buildFn('[x \\in S |-> e]', (add) => {
          for (const [xs, inner] of all) add(xs.length === 1 ? xs[0] : mkTuple(xs), this.eval(e.body, inner));
        });
      }
      case 'setFilter': {
        const elems = this.enumerate(e.set, sc, 'the set of {x \\in S : p}');
        return buildSet('{x \\in S : p}', (add) => {
          for (const x of elems) if (this.test(e.cond, bind(sc, e.bound, x), 'the condition of {x \\in S : p}')) add(x);
        });
      }
      case 'setMap': {
        const all = this.bindings(e.bounds, e.sets, sc, 'a set of {e : x \\in S}');
        return buildSet('{e : x \\in S}', (add) => {
          for (const [, inner] of all) add(this.eval(e.body, inner));
        });
      }
      case 'except': {
        let f = this.eval(e.fn, sc);
        for (const u of e.updates) {
          const path = u.path.map((k) => this.eval(k, sc));
          f = exceptAt(f, path, (old) => this.eval(u.value, bind(sc, u.at, old)));
        }
        return f;
      }
      case 'ite':
        return this.eval(this.test(e.cond, sc, 'the condition of IF') ? e.then : e.else, sc);
      case 'case': {
        for (const arm of e.arms) if (this.test(arm.cond, sc, 'a CASE condition')) return this.eval(arm.value, sc);
        if (e.other === null) fail('NoCaseArm');
        return this.eval(e.other, sc);
      }
      case 'quant': {
        const what = e.forall ? 'the body of \\A' : 'the body of \\E';
        // \A stops at the first false body, \E at the first true one.
        for (const [, inner] of this.bindings(e.bounds, e.sets, sc, 'a set of a quantifier')) {
          if (this.test(e.body, inner, what) !== e.forall) return !e.forall;
        }
        return e.forall;
      }
      case 'choose': {
        for (const x of this.enumerate(e.set, sc, 'the set of CHOOSE')) {
          if (this.test(e.cond, bind(sc, e.bound, x), 'the condition of CHOOSE')) return x;
        }
        return fail('ChooseNoElement');
      }
      case 'letIn':
        return this.eval(e.body, bind(sc, e.bound, new Lazy(e.value, sc)));
      case 'recCall': {
        const fn = this.program.recFns[e.fn];
        const arg = this.eval(e.arg, sc);
        if (fn.domain && !this.member(fn.domain, sc)(arg)) fail('NotInDomain', showValue(arg), fn.name);
        try {
          return this.eval(fn.body, bind(sc, fn.param, arg));
        } catch (err) {
          throw recursionError(err, recursiveName(fn));
        }
      }
      case 'recFnValue': {
        const fn = this.program.recFns[e.fn];
        return mkFn(
          elemsOf(this.eval(functionDomain(fn), sc), `the domain of ${fn.name}`).map((x) => [x, this.eval(fn.body, bind(sc, fn.param, x))] as [Value, Value]),
        );
      }
      case 'checked':
        if (!this.test(e.cond, sc, `the condition of ${e.property}`)) throw checkFailed(e.property, e.message, e.span);
        return this.eval(e.value, sc);
      case 'objectRead':
        return kernelKindReached(e);
      default:
        return assertNever(e);
    }
  }

  private binary(e: Extract<Expr, { k: 'bin' }>, sc: Scope): Value {
    if (e.op === 'in' || e.op === 'notin') {
      const x = this.eval(e.left, sc);
      return this.member(e.right, sc)(x) === (e.op === 'in');
    }
    if (e.op === 'subseteq') {
      const xs = this.eval(e.left, sc);
      const inRight = this.member(e.right, sc);
      return asSet(xs, 'the left of \\subseteq').every(inRight);
    }
    const a = this.eval(e.left, sc);
    const b = this.eval(e.right, sc);
    switch (e.op) {
      case '=':
        return equalValues(a, b);
      case '#':
        return !equalValues(a, b);
      case '<':
      case '<=':
      case '>':
      case '>=':
        return lessThan(e.op, a, b);
      case 'cup':
      case 'cap':
      case 'minus':
        return setOps(e.op, a, b);
      case '+':
      case '-':
      case '*':
      case 'div':
      case '%':
      case '^':
      case 'negpow':
        return arith(e.op, asInt(a, `the left of ${e.op}`), asInt(b, `the right of ${e.op}`));
      case '..':
        return range(asInt(a, 'the left of ..'), asInt(b, 'the right of ..'));
      case 'concat':
        return concat(a, b);
      case 'cross':
        return cross(a, b);
      case 'equiv':
        return asBool(a, 'the left of <=>') === asBool(b, 'the right of <=>');
      case 'same':
        return valueEquals(a, b);
    }
  }

  /**
   * A test for membership in the set `set` denotes. `[S -> T]`, `SUBSET S`, `[a : S]`, `S \X T`,
   * `S \cup T`, `S \cap T`, `S \ T` and `{x \in S : p}` are decided from their parts without
   * building the set (a filter tests the value, then p of it), `Nat` and `Int` by the integer's
   * sign; any other set is evaluated.
   */
  private member(set: Expr, sc: Scope): (v: Value) => boolean {
    if (set.k === 'infSet') return (v) => inInfiniteSet(set.name, v);
    if (set.k === 'seqSet') {
      const inElems = this.member(set.elems, sc);
      return (v) => inSeqSetWith(v, inElems);
    }
    if (set.k === 'fnSet') {
      const dom = this.eval(set.domain, sc);
      const inRange = this.member(set.range, sc);
      return (v) => inFnSetWith(v, dom, inRange);
    }
    if (set.k === 'builtin' && set.op === 'SUBSET') {
      const inBase = this.member(set.args[0], sc);
      return (v) => inPowersetWith(v, inBase);
    }
    if (set.k === 'recordSet') {
      const inFields = set.sets.map((s) => this.member(s, sc));
      return (v) => inRecordSetWith(v, set.names, inFields);
    }
    if (set.k === 'setFilter') {
      const inBase = this.member(set.set, sc);
      return (v) => inBase(v) && this.test(set.cond, bind(sc, set.bound, v), 'the condition of {x \\in S : p}');
    }
    if (set.k === 'bin' && (set.op === 'cup' || set.op === 'cap' || set.op === 'minus')) {
      const inLeft = this.member(set.left, sc);
      const inRight = this.member(set.right, sc);
      if (set.op === 'cup') return (v) => inLeft(v) || inRight(v);
      return set.op === 'cap' ? (v) => inLeft(v) && inRight(v) : (v) => inLeft(v) && !inRight(v);
    }
    if (set.k === 'bin' && set.op === 'cross') {
      const inComponents = [this.member(set.left, sc), this.member(set.right, sc)];
      return (v) => inProductWith(v, inComponents);
    }
    if (isRange(set)) {
      const { lo, hi } = this.rangeOf(set, sc);
      return (v) => inInterval(v, lo, hi);
    }
    const s = asSet(this.eval(set, sc), 'the right of \\in');
    return (v) => memberOf(s, v);
  }

  /**
   * The elements of the set `set` denotes in canonical order: a range `lo..hi` is counted out,
   * `[S -> T]` and `SUBSET S` are produced one at a time, never built; any other set is evaluated.
   */
  private enumerate(set: Expr, sc: Scope, what: string): Elements<Value> {
    if (isRange(set)) return this.rangeOf(set, sc);
    if (set.k === 'fnSet') return this.located(set.span, () => new FnSetElements(this.eval(set.domain, sc), this.eval(set.range, sc)));
    if (set.k === 'builtin' && set.op === 'SUBSET') return this.located(set.span, () => powersetElements(this.eval(set.args[0], sc)));
    return elemsOf(this.eval(set, sc), what);
  }

  /** `make()`, its errors located at `span` (as evaluating the expression there would). */
  private located<X>(span: Span, make: () => X): X {
    try {
      return make();
    } catch (err) {
      this.errorSites.locate(err, span);
      throw err;
    }
  }

  /** `Cardinality({x \in S : p})`: counted, not built (more than BUILD_BOUND is still SetTooLarge). */
  private countFilter(e: Extract<Expr, { k: 'setFilter' }>, sc: Scope): number {
    return this.located(e.span, () => {
      let n = 0;
      for (const x of this.enumerate(e.set, sc, 'the set of {x \\in S : p}')) {
        if (this.test(e.cond, bind(sc, e.bound, x), 'the condition of {x \\in S : p}') && ++n > BUILD_BOUND) fail('SetTooLarge', '{x \\in S : p}', BUILD_BOUND);
      }
      return n;
    });
  }

  /** The bounds of a range expression, with the errors (and their place) of evaluating it. */
  private rangeOf(set: Extract<Expr, { k: 'bin' }>, sc: Scope): IntRange {
    return this.located(set.span, () => new IntRange(asInt(this.eval(set.left, sc), 'the left of ..'), asInt(this.eval(set.right, sc), 'the right of ..')));
  }

  /**
   * Every binding of `bounds` to the product of `sets` in canonical order, with its scope, one at
   * a time (the sets are evaluated first, in order).
   */
  private *bindings(bounds: number[], sets: Expr[], sc: Scope, what: string): Generator<[Value[], Scope]> {
    for (const xs of tuplesOf(sets.map((s) => this.enumerate(s, sc, what)))) {
      yield [xs, { ...sc, env: bounds.reduce((env, b, i) => env.set(b, xs[i]), sc.env) }];
    }
  }

  // ------------------------------------------------------------------ helpers

  private self(sc: Scope): number {
    if (sc.self < 0) fail('SelfOutsideProcess');
    return sc.self;
  }

  private instanceWithId(id: Value): number {
    const inst = this.instanceOf.get(id);
    if (inst === undefined) fail('NotAProcess', showValue(id));
    return inst;
  }

  private readPvar(st: State, inst: number, v: number): Value {
    const value = st.pvars.get(inst)!.get(v);
    if (value === null || value === undefined) {
      fail('NoSuchProcessVariable', this.program.instances[inst].display, this.program.processVars[v].name);
    }
    return value;
  }

  private pcName(pc: number): string {
    return pc === FINISHED ? DONE : this.program.labels[pc].name;
  }
}

function bind(sc: Scope, bound: number, v: Value | Lazy): Scope {
  return { ...sc, env: sc.env.set(bound, v) };
}

function setPc(st: State, inst: number, pc: number): State {
  return st.set('pcs', st.pcs.set(inst, pc));
}

function writePvar(st: State, inst: number, v: number, value: Value): State {
  return st.set('pvars', st.pvars.set(inst, st.pvars.get(inst)!.set(v, value)));
}

/** A rough size of a stored state: its values plus the store's per-state overhead. */
function stateBytes(st: State): number {
  const values = [...st.globals, ...st.stacks, ...st.pvars.flatMap((vars) => vars)];
  return 64 + 8 * (st.pcs.size + values.length) + values.reduce((n: number, v) => n + (v === null ? 0 : valueBytes(v)), 0);
}

function valueBytes(v: Value): number {
  if (typeof v === 'string') return 16 + 2 * v.length;
  if (isSet(v)) return 32 + v.toArray().reduce((n: number, x) => n + 8 + valueBytes(x), 0);
  if (isFn(v)) return 32 + v.entrySeq().toArray().reduce((n: number, [k, x]) => n + 16 + valueBytes(k) + valueBytes(x), 0);
  return 8;
}
