// Lowering of process and procedure bodies: labels cut the structured code into atomic steps (one
// IR body per label, every path ending in goto/done/call/return), macros are expanded in place,
// and kernel operations have their operands resolved into the IR's kernel kinds (the kernel pass of
// src/invariants/ turns those into ordinary statements guarded by named built-in checks).
import type * as A from '../parser/ast.js';
import type * as IR from './ir.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostics.js';
import type { ExprLowering, GlobalRole, Local, Scope, Symbol } from './expressions.js';
import { ASSERTION } from './ir.js';
import { someExpr } from './ir-walk.js';

/** The kernel operations an invoke statement may name, with their number of arguments. */
const KERNEL_ARITY: Record<string, number> = {
  lock: 1, unlock: 1, get: 1, put: 1, free: 1, alloc: 1, might_sleep: 0,
  rcu_read_lock: 0, rcu_read_unlock: 0, synchronize_rcu: 0, kfree_rcu: 1,
  refcount_inc: 1, write_seqcount_begin: 2, write_seqcount_end: 1,
  prepare_to_wait: 1, finish_wait: 1, wake_up: 1, schedule: 0, complete: 1, wait_for_completion: 1,
  down_read: 1, up_read: 1, down_write: 1, up_write: 1, wait_event: 2, complete_all: 1,
  local_irq_disable: 0, local_irq_enable: 0, local_irq_save: 1, local_irq_restore: 1,
};
const RWSEM_OPS: Record<string, IR.RwsemOp> = { down_read: 'downRead', up_read: 'upRead', down_write: 'downWrite', up_write: 'upWrite' };
const IRQ_OPS: Record<string, IR.IrqOp> = { local_irq_disable: 'disable', local_irq_enable: 'enable', local_irq_save: 'save', local_irq_restore: 'restore' };
const RCU_OPS: Record<string, Extract<IR.KernelStmt, { k: 'rcu' }>['op']> = { rcu_read_lock: 'readLock', rcu_read_unlock: 'readUnlock', synchronize_rcu: 'synchronize' };

/** The error for an operand that is not of the role a kernel operation needs. */
const NOT_OF_ROLE = { lock: 'NotALock', refcount: 'NotARefcount', object: 'NotAnObject', waitqueue: 'NotAWaitQueue', completion: 'NotACompletion' } as const;

/** Where control goes when a statement sequence runs off its end. */
export type Continuation = { kind: 'label'; index: number } | { kind: 'done' } | { kind: 'return' };

export interface BodyEnv {
  exprs: ExprLowering;
  symbols: Map<string, Symbol>;
  diagnostics: Diagnostic[];
  labels: IR.LabelInfo[];
  freshBound: () => number;
  locate: (span: A.Span) => string;
  /** The name of global `index`. */
  globalName: (index: number) => string;
  /** Resolves an assignment target's variable: a global or one of the owner's variables. */
  targetRef: (name: A.Ident, scope: Scope) => IR.VarRef | null;
}

interface BodyCtx {
  owner: IR.LabelInfo['owner'];
  /** Label name -> global label index, for this process or procedure. */
  labelIndex: Map<string, number>;
  procedure: number | null;
  /** The process or procedure's name and declaration (where a path with no statement of its own ends). */
  name: string;
  span: A.Span;
}

export function collectLabels(body: A.Stmt[], owner: IR.LabelInfo['owner'], env: BodyEnv): Map<string, number> {
  const index = new Map<string, number>();
  const seen = new Map<string, A.Span>();
  const visit = (stmts: A.Stmt[]): void => {
    for (const s of stmts) {
      if (s.label) {
        const n = s.label.name.name;
        const prev = seen.get(n);
        if (prev) env.diagnostics.push(diag('DuplicateLabel', s.label.name.span, n, env.locate(prev)));
        else {
          seen.set(n, s.label.name.span);
          index.set(n, env.labels.length);
          env.labels.push({
            name: n, owner, description: s.label.description, cost: s.label.cost ?? 1, span: s.label.span, body: [],
            ...(s.label.fairness ? { fairness: s.label.fairness } : {}),
          });
        }
      }
      for (const inner of children(s)) visit(inner);
    }
  };
  visit(body);
  return index;
}

function children(s: A.Stmt): A.Stmt[][] {
  switch (s.kind) {
    case 'if':
      return s.else ? [s.then, s.else] : [s.then];
    case 'while':
    case 'with':
    case 'block':
      return [s.body];
    case 'either':
      return s.branches;
    default:
      return [];
  }
}

function hasLabels(s: A.Stmt): boolean {
  return children(s).some((b) => b.some((x) => x.label !== null || hasLabels(x)));
}

/** A compound statement ends its step if it holds a label or a call (which must end a step, as in PlusCal). */
function endsStep(s: A.Stmt): boolean {
  return children(s).some((b) => b.some((x) => x.label !== null || x.kind === 'call' || endsStep(x)));
}

export class BodyLowering {
  private ctx!: BodyCtx;
  /** The statement that begins the step being lowered, and its label (where wait_event() loops back to). */
  private stepStart: { stmt: A.Stmt; label: number } | null = null;
  constructor(private env: BodyEnv) {}

  /** Lowers a whole process or procedure body; every label's IR body is filled in. */
  lowerBody(body: A.Stmt[], ctx: BodyCtx, end: Continuation, scope: Scope, what: string): void {
    this.ctx = ctx;
    if (body.length === 0 || !body[0].label) {
      this.env.diagnostics.push(diag('MissingLabel', body[0]?.span ?? ctx.span, `the first statement of ${what}`));
      return;
    }
    this.block(body, end, scope);
  }

  private fail(d: Diagnostic): IR.Stmt[] {
    this.env.diagnostics.push(d);
    return [];
  }

  /** Generates the IR body of the label on stmts[0]. */
  private block(stmts: A.Stmt[], k: Continuation, scope: Scope): void {
    const label = this.ctx.labelIndex.get(stmts[0].label!.name.name);
    if (label === undefined) return; // a duplicate, already reported
    this.stepStart = { stmt: stmts[0], label };
    const body = this.seq(stmts, k, scope, true);
    this.env.labels[label].body = body;
    this.env.diagnostics.push(...synchronizeMidStep(body, false));
  }

  private jump(k: Continuation, span: A.Span): IR.Stmt[] {
    switch (k.kind) {
      case 'label':
        return [{ k: 'goto', label: k.index, span }];
      case 'done':
        return [{ k: 'done', span }];
      case 'return':
        return [{ k: 'return', procedure: this.ctx.procedure!, span }];
    }
  }

  private labelCont(s: A.Stmt): Continuation {
    return { kind: 'label', index: this.ctx.labelIndex.get(s.label!.name.name) ?? 0 };
  }

  /**
   * The statements of one step, from stmts[0] on. A labeled statement (other than the block's own)
   * ends the step with a goto and starts its own block.
   */
  seq(stmts: A.Stmt[], k: Continuation, scope: Scope, startsBlock: boolean): IR.Stmt[] {
    const out: IR.Stmt[] = [];
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i];
      const rest = stmts.slice(i + 1);
      if (s.label && !(startsBlock && i === 0)) {
        this.block(stmts.slice(i), k, scope);
        out.push(...this.jump(this.labelCont(s), s.span));
        return out;
      }
      // The continuation after s when s itself must end the step (it holds labels, or calls).
      const after = (): Continuation | null => {
        if (rest.length === 0) return k;
        if (rest[0].label) return this.labelCont(rest[0]);
        return null;
      };
      switch (s.kind) {
        case 'while': {
          if (!s.label) return [...out, ...this.fail(diag('MissingLabel', s.span, 'a while statement'))];
          const self = this.labelCont(s);
          const cond = this.expr(s.cond, scope);
          out.push({ k: 'if', cond, then: this.seq(s.body, self, scope, false), else: this.seq(rest, k, scope, false), span: s.span });
          return out;
        }
        case 'if':
        case 'either':
        case 'with':
        case 'block':
          if (endsStep(s)) {
            if (s.kind === 'with' && hasLabels(s)) return [...out, ...this.fail(labelInWith(s))];
            const cont = after();
            if (!cont) return [...out, ...this.fail(diag('MissingLabel', rest[0].span, `a statement after a ${s.kind} that holds labels or calls`))];
            out.push(...this.compound(s, scope, (body, inner) => this.seq(body, cont, inner, false)));
            if (rest.length > 0) this.block(rest, k, scope);
            return out;
          }
          out.push(...this.compound(s, scope, (body, inner) => this.inline(body, inner)));
          break;
        case 'call': {
          // `call p(); goto L;` returns to L, `call p(); return;` is a tail call; the statements after
          // the goto or return are lowered as after any goto or return.
          const next = rest.length > 0 && !rest[0].label ? rest[0] : null;
          if (next?.kind === 'return' && this.ctx.procedure === null) return [...out, ...this.fail(diag('ReturnOutsideProcedure', next.span))];
          const thenJump = next?.kind === 'goto' || next?.kind === 'return' ? next : null;
          let cont: Continuation | null;
          if (thenJump?.kind === 'goto') cont = this.gotoCont(thenJump);
          else if (thenJump) cont = { kind: 'return' };
          else {
            cont = after();
            // A call at a procedure's open end: the procedure returns there, as at any open end.
            if (cont?.kind === 'return') this.runsOff(s.span);
          }
          if (!cont) return [...out, ...this.fail(diag('MissingLabel', rest[0]?.span ?? s.span, 'the statement after a call'))];
          out.push(...this.call(s, scope, cont));
          return this.finishAfterJump(out, thenJump ? rest.slice(1) : rest, k, scope);
        }
        case 'return':
          if (this.ctx.procedure === null) return [...out, ...this.fail(diag('ReturnOutsideProcedure', s.span))];
          out.push({ k: 'return', procedure: this.ctx.procedure, span: s.span });
          return this.finishAfterJump(out, rest, k, scope);
        case 'goto': {
          const c = this.gotoCont(s);
          if (c) out.push(...this.jump(c, s.span));
          return this.finishAfterJump(out, rest, k, scope);
        }
        default:
          out.push(...this.simple(s, scope));
      }
    }
    const end = stmts[stmts.length - 1]?.span ?? this.ctx.span;
    if (k.kind === 'return' && fallsThrough(out)) this.runsOff(end);
    out.push(...this.jump(k, end));
    return out;
  }

  private warnedRunsOff = new Set<number>();
  /** A path of a procedure that ends without `return` is an error in PlusCal: warned once per procedure. */
  private runsOff(span: A.Span): void {
    const procedure = this.ctx.procedure!;
    if (this.warnedRunsOff.has(procedure)) return;
    this.warnedRunsOff.add(procedure);
    this.env.diagnostics.push(diag('ProcedureRunsOff', span, this.ctx.name));
  }

  /** After a goto or return, the rest of the sequence runs only if it is labeled. */
  private finishAfterJump(out: IR.Stmt[], rest: A.Stmt[], k: Continuation, scope: Scope): IR.Stmt[] {
    if (rest.length > 0) {
      if (rest[0].label) this.block(rest, k, scope);
      else this.env.diagnostics.push(diag('MissingLabel', rest[0].span, 'a statement after goto or return'));
    }
    return out;
  }

  private gotoCont(s: A.GotoStmt): Continuation | null {
    if (s.target.name === 'Done') return { kind: 'done' };
    const index = this.ctx.labelIndex.get(s.target.name);
    if (index === undefined) {
      this.env.diagnostics.push(diag('UnknownLabel', s.target.span, s.target.name));
      return null;
    }
    return { kind: 'label', index };
  }

  /** Statements inside a step that hold no labels: they never end the step by falling off. */
  private inline(stmts: A.Stmt[], scope: Scope): IR.Stmt[] {
    const out: IR.Stmt[] = [];
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i];
      switch (s.kind) {
        case 'if':
        case 'either':
        case 'with':
        case 'block':
          out.push(...this.compound(s, scope, (body, inner) => this.inline(body, inner)));
          break;
        case 'goto': {
          const c = this.gotoCont(s);
          if (c) out.push(...this.jump(c, s.span));
          if (i + 1 < stmts.length) this.env.diagnostics.push(diag('MissingLabel', stmts[i + 1].span, 'a statement after goto'));
          return out;
        }
        case 'return':
          if (this.ctx.procedure === null) return [...out, ...this.fail(diag('ReturnOutsideProcedure', s.span))];
          out.push({ k: 'return', procedure: this.ctx.procedure, span: s.span });
          return out;
        case 'call':
          return [...out, ...this.fail(diag('MissingLabel', s.span, 'a call inside a branch (the statement after it)'))];
        case 'while':
          return [...out, ...this.fail(diag('MissingLabel', s.span, 'a while statement'))];
        default:
          out.push(...this.simple(s, scope));
      }
    }
    return out;
  }

  private compound(s: A.IfStmt | A.EitherStmt | A.WithStmt | A.BlockStmt, scope: Scope, body: (b: A.Stmt[], scope: Scope) => IR.Stmt[]): IR.Stmt[] {
    switch (s.kind) {
      case 'if': {
        // A missing else is `else skip`: inside a step it falls through, at a step's end it jumps on.
        const otherwise: A.Stmt[] = s.else ?? [{ kind: 'skip', label: null, span: s.span }];
        return [{ k: 'if', cond: this.expr(s.cond, scope), then: body(s.then, scope), else: body(otherwise, scope), span: s.span }];
      }
      case 'either':
        return [{ k: 'either', branches: s.branches.map((b) => body(b, scope)), span: s.span }];
      case 'block':
        return body(s.body, scope);
      case 'with': {
        // Nested binders, outermost first: `with (x \in S, y = e)` binds x, then y.
        const build = (i: number, inner: Scope): IR.Stmt[] => {
          if (i === s.bindings.length) return body(s.body, inner);
          const b = s.bindings[i];
          const value = this.expr(b.value, inner);
          const id = this.env.freshBound();
          const next = this.env.exprs.withLocals(inner, [[b.name.name, { kind: 'ir', expr: { k: 'bound', id, name: b.name.name } } as Local]]);
          const rest = build(i + 1, next);
          return b.kind === '\\in'
            ? [{ k: 'with', bound: id, set: value, body: rest, span: b.span }]
            : [{ k: 'let', bound: id, value, body: rest, span: b.span }];
        };
        return build(0, scope);
      }
    }
  }

  private expr(e: A.Expr, scope: Scope): IR.Expr {
    return this.env.exprs.lower(e, scope);
  }

  /** A call that returns to `k`: a label, Done, or (a tail call) where this procedure returns to. */
  private call(s: A.CallStmt, scope: Scope, k: Continuation): IR.Stmt[] {
    const sym = this.env.symbols.get(s.name.name);
    if (sym?.kind !== 'procedure') return this.fail(diag('UnknownProcedure', s.name.span, s.name.name));
    if (s.args.length !== sym.decl.params.length) return this.fail(diag('Arity', s.span, s.name.name, sym.decl.params.length, s.args.length));
    const args = s.args.map((a) => this.expr(a, scope));
    if (k.kind === 'return') return [{ k: 'tailcall', procedure: sym.index, from: this.ctx.procedure!, args, span: s.span }];
    return [{ k: 'call', procedure: sym.index, args, returnTo: k.kind === 'label' ? k.index : null, span: s.span }];
  }

  /** Statements that never end a step. */
  private simple(s: A.Stmt, scope: Scope): IR.Stmt[] {
    switch (s.kind) {
      case 'assign': {
        const result = this.macroResult(s, scope);
        if (result) return result;
        const targets: IR.Target[] = [];
        const values: IR.Expr[] = [];
        const guards: IR.Stmt[] = [];
        // Per variable, whether it is assigned whole: PlusCal takes parts of one variable (x[1] := a
        // || x[2] := b), not the variable twice, whose first value would be computed for nothing.
        const assignedWhole = new Map<string, boolean>();
        for (const p of s.parts) {
          const t = this.target(p.target, scope);
          if (!t) continue;
          const variable = `${t.ref.kind} ${t.ref.index}`;
          const whole = t.path.length === 0;
          if (assignedWhole.has(variable) && (whole || assignedWhole.get(variable))) return this.fail(diag('MultipleAssignment', p.target.span, p.target.name.name));
          assignedWhole.set(variable, whole || assignedWhole.get(variable) === true);
          guards.push(...this.objectWrite(p.target, t));
          targets.push(t);
          values.push(this.assignedValue(t, p.value, scope));
        }
        return [...guards, { k: 'assign', targets, values, span: s.span }];
      }
      case 'await':
        return [{ k: 'await', cond: this.expr(s.cond, scope), span: s.span }];
      case 'assert':
        return [{ k: 'check', cond: this.expr(s.cond, scope), property: ASSERTION, message: `assertion at ${s.span.file}`, span: s.span }];
      case 'skip':
        return [];
      case 'print':
        return [{ k: 'print', value: this.expr(s.value, scope), span: s.span }];
      case 'invoke':
        return this.invoke(s, scope);
      case 'trylock': {
        const result = this.target(s.target, scope);
        const lock = result && this.lockOperand(s.lock, scope, 'trylock');
        return result && lock ? [{ k: 'trylock', operand: lock, result, span: s.span }] : [];
      }
      case 'while':
      case 'if':
      case 'either':
      case 'with':
      case 'block':
      case 'call':
      case 'return':
      case 'goto':
        throw new Error(`internal error: the ${s.kind} statement is not a simple statement`);
    }
  }

  /**
   * `x := m(a, b);` where m is a macro: the macro expanded with the target as its last argument,
   * `m(a, b, x)` (the one form of every value-returning library operation: atomic_cmpxchg(),
   * refcount_inc_not_zero(), rcu_dereference() ...). Null when the assignment is not of that form.
   */
  private macroResult(s: A.AssignStmt, scope: Scope): IR.Stmt[] | null {
    if (s.parts.length !== 1) return null;
    const { target, value } = s.parts[0];
    if (value.kind !== 'opcall') return null;
    const sym = this.env.symbols.get(value.name.name);
    if (sym?.kind !== 'macro') return null;
    const invoke: A.InvokeStmt = { kind: 'invoke', label: null, name: value.name, args: [...value.args, exprOf(target)], span: s.span };
    return this.expandMacro(sym.decl, invoke, scope);
  }

  /**
   * The value of `x[i] := e`: in `e`, `@` is the old value of `x[i]` (PlusCal's translation makes
   * the assignment an EXCEPT), read against the state before the assignment as `e` is.
   */
  private assignedValue(t: IR.Target, value: A.Expr, scope: Scope): IR.Expr {
    if (t.path.length === 0) return this.expr(value, scope);
    const at = this.env.freshBound();
    const lowered = this.expr(value, { ...scope, at });
    if (!someExpr(lowered, (x) => x.k === 'bound' && x.id === at)) return lowered;
    const variable: IR.Expr = t.ref.kind === 'global' ? { k: 'global', index: t.ref.index } : { k: 'pvar', index: t.ref.index };
    const old = t.path.reduce((fn: IR.Expr, arg): IR.Expr => ({ k: 'apply', fn, arg, span: value.span }), variable);
    return { k: 'letIn', bound: at, value: old, body: lowered };
  }

  /** An assignment into an object's data (`page[p].data := ...`): the kernel pass checks the object is live. */
  private objectWrite(lv: A.LValue, t: IR.Target): IR.Stmt[] {
    if (t.ref.kind !== 'global' || t.path.length === 0) return [];
    const sym = this.env.symbols.get(this.env.globalName(t.ref.index));
    if (sym?.kind !== 'global' || sym.role.kind !== 'object') return [];
    return [{ k: 'kernel', op: 'write', operand: { global: t.ref.index, key: t.path[0], span: lv.span }, span: lv.span }];
  }

  /** `L` or `L[i]` naming a declared global of the given role, resolved; null (reported) if it does not. */
  private operand(e: A.Expr, scope: Scope, role: keyof typeof NOT_OF_ROLE, op: string): { operand: IR.KernelOperand; role: GlobalRole } | null {
    const arg = e.kind === 'name' ? scope.locals.get(e.name) : undefined;
    if (arg?.kind === 'macroArg') return this.operand(arg.ast, arg.scope, role, op);
    // `counts[b]` in a macro whose argument `counts` names a whole indexed global (`b_count`).
    const fnArg = e.kind === 'apply' && e.fn.kind === 'name' ? scope.locals.get(e.fn.name) : undefined;
    if (e.kind === 'apply' && fnArg?.kind === 'macroArg') {
      const whole = this.operand(fnArg.ast, fnArg.scope, role, op);
      if (whole && whole.operand.key === null) return { operand: { ...whole.operand, key: this.env.exprs.selectorKey({ kind: 'index', args: e.args, span: e.span }, scope), span: e.span }, role: whole.role };
      if (whole) this.env.diagnostics.push(diag(NOT_OF_ROLE[role], e.span, op, this.env.globalName(whole.operand.global)));
      return null;
    }
    const base = e.kind === 'apply' ? e.fn : e;
    const name = base.kind === 'name' ? base.name : '?';
    const sym = this.env.symbols.get(name);
    if (sym?.kind !== 'global' || sym.role.kind !== role) {
      this.env.diagnostics.push(diag(NOT_OF_ROLE[role], e.span, op, name));
      return null;
    }
    const key = e.kind === 'apply' ? this.env.exprs.selectorKey({ kind: 'index', args: e.args, span: e.span }, scope) : null;
    return { operand: { global: sym.index, key, span: e.span }, role: sym.role };
  }

  /** The operand of lock(), unlock() or trylock(): a spinlock or sleeplock (an rw-semaphore is taken by down_read() or down_write()). */
  private lockOperand(e: A.Expr, scope: Scope, op: string): IR.KernelOperand | null {
    const o = this.operand(e, scope, 'lock', op);
    if (o?.role.kind !== 'lock' || o.role.lockKind !== 'rwsem') return o && o.operand;
    this.env.diagnostics.push(diag('RwsemTakenAsLock', e.span, op, this.env.globalName(o.operand.global)));
    return null;
  }

  /** A kernel operation by name (lock, unlock, get, put, free, alloc, might_sleep), or null if the name is not one. */
  private kernelOp(s: A.InvokeStmt, scope: Scope): IR.Stmt[] | null {
    const op = s.name.name;
    const arity = KERNEL_ARITY[op];
    if (arity === undefined) return null;
    if (s.args.length !== arity) return this.fail(diag('Arity', s.span, op, arity, s.args.length));
    switch (op) {
      case 'might_sleep':
        return [{ k: 'mightSleep', span: s.span }];
      case 'rcu_read_lock':
      case 'rcu_read_unlock':
      case 'synchronize_rcu':
        return [{ k: 'rcu', op: RCU_OPS[op], span: s.span }];
      case 'write_seqcount_begin':
      case 'write_seqcount_end':
        return this.seqWrite(s, scope);
      case 'local_irq_disable':
      case 'local_irq_enable':
      case 'local_irq_save':
      case 'local_irq_restore':
        return this.irq(s, scope);
      case 'refcount_inc': {
        const o = this.operand(s.args[0], scope, 'refcount', op);
        return o ? [{ k: 'kernel', op: 'refInc', operand: o.operand, span: s.span }] : [];
      }
      case 'schedule':
        return [{ k: 'schedule', span: s.span }];
      case 'wait_event': {
        if (this.stepStart?.stmt !== s) return this.fail(diag('WaitEventMidStep', s.span));
        const o = this.operand(s.args[0], scope, 'waitqueue', op);
        return o ? [{ k: 'waitEvent', queue: o.operand.global, cond: this.expr(s.args[1], scope), label: this.stepStart.label, span: s.span }] : [];
      }
      case 'complete':
      case 'complete_all':
      case 'wait_for_completion': {
        const o = this.operand(s.args[0], scope, 'completion', op);
        return o ? [{ k: 'completion', wait: op, completion: o.operand.global, span: s.span }] : [];
      }
      case 'prepare_to_wait':
      case 'finish_wait':
      case 'wake_up': {
        const o = this.operand(s.args[0], scope, 'waitqueue', op);
        return o ? [{ k: 'waitQueue', wait: op, queue: o.operand.global, span: s.span }] : [];
      }
      case 'down_read':
      case 'up_read':
      case 'down_write':
      case 'up_write': {
        const o = this.operand(s.args[0], scope, 'lock', op);
        if (o && o.role.kind === 'lock' && o.role.lockKind !== 'rwsem') return this.fail(diag('NotAnRwsem', s.span, op, this.env.globalName(o.operand.global)));
        return o ? [{ k: 'kernel', op: RWSEM_OPS[op], operand: o.operand, span: s.span }] : [];
      }
      case 'lock':
      case 'unlock': {
        const o = this.lockOperand(s.args[0], scope, op);
        return o ? [{ k: 'kernel', op, operand: o, span: s.span }] : [];
      }
      case 'get':
      case 'put': {
        const o = this.operand(s.args[0], scope, 'refcount', op);
        return o ? [{ k: 'kernel', op, operand: o.operand, span: s.span }] : [];
      }
      default: {
        const o = this.operand(s.args[0], scope, 'object', op);
        if (!o) return [];
        const { operand } = o;
        if (operand.key === null) return this.fail(diag('NotAnObject', s.args[0].span, op, this.env.globalName(operand.global)));
        if (op === 'free' || op === 'kfree_rcu') return [{ k: 'kernel', op: op === 'free' ? 'free' : 'freeRcu', operand, span: s.span }];
        // alloc: the declaration's initial value for this index, the index name bound to the key.
        const { init, indexName } = o.role as Extract<GlobalRole, { kind: 'object' }>;
        const initScope = this.env.exprs.withLocals(scope, [[indexName, { kind: 'ir', expr: operand.key }]]);
        return [{ k: 'alloc', operand, init: this.env.exprs.lower(init, { ...initScope, mode: 'code' }), span: s.span }];
      }
    }
  }

  /** write_seqcount_begin(s, L) / write_seqcount_end(s): `s` a variable (or element) holding the sequence. */
  private seqWrite(s: A.InvokeStmt, scope: Scope): IR.Stmt[] {
    const counterAst = this.macroArgAst(s.args[0], scope);
    const lv = lvalueOf(counterAst.ast);
    if (!lv) return this.fail(diag('SeqcountNotVariable', s.args[0].span, s.name.name));
    const counter = this.target(lv, counterAst.scope);
    if (!counter) return [];
    const begin = s.name.name === 'write_seqcount_begin';
    const lock = begin ? this.operand(s.args[1], scope, 'lock', s.name.name) : null;
    if (begin && !lock) return [];
    return [{ k: 'seqWrite', begin, counter, read: this.expr(counterAst.ast, counterAst.scope), lock: lock && lock.operand, span: s.span }];
  }

  /** local_irq_disable(), local_irq_enable(); local_irq_save(flags), local_irq_restore(flags) on a variable (or element). */
  private irq(s: A.InvokeStmt, scope: Scope): IR.Stmt[] {
    const op = IRQ_OPS[s.name.name];
    if (s.args.length === 0) return [{ k: 'irq', op, flags: null, span: s.span }];
    const flagsAst = this.macroArgAst(s.args[0], scope);
    const lv = lvalueOf(flagsAst.ast);
    if (!lv) return this.fail(diag('IrqFlagsNotVariable', s.args[0].span, s.name.name));
    const target = this.target(lv, flagsAst.scope);
    return target ? [{ k: 'irq', op, flags: { target, read: this.expr(flagsAst.ast, flagsAst.scope) }, span: s.span }] : [];
  }

  /** A macro's argument as the expression it stands for, in the scope it was written in. */
  private macroArgAst(e: A.Expr, scope: Scope): { ast: A.Expr; scope: Scope } {
    const arg = e.kind === 'name' ? scope.locals.get(e.name) : undefined;
    return arg?.kind === 'macroArg' ? this.macroArgAst(arg.ast, arg.scope) : { ast: e, scope };
  }

  /** An assignment target: the variable and the keys of its path. */
  target(lv: A.LValue, scope: Scope): IR.Target | null {
    const macroArg = scope.locals.get(lv.name.name);
    if (macroArg?.kind === 'macroArg') {
      const base = lvalueOf(macroArg.ast);
      if (!base) {
        this.env.diagnostics.push(diag('NotAFunctionTarget', lv.span, lv.name.name));
        return null;
      }
      const inner = this.target(base, macroArg.scope);
      if (!inner) return null;
      return { ref: inner.ref, path: [...inner.path, ...lv.path.map((sel) => this.env.exprs.selectorKey(sel, scope))] };
    }
    const ref = this.env.targetRef(lv.name, scope);
    if (!ref) return null;
    return { ref, path: lv.path.map((sel) => this.env.exprs.selectorKey(sel, scope)) };
  }

  private invoke(s: A.InvokeStmt, scope: Scope): IR.Stmt[] {
    const sym = this.env.symbols.get(s.name.name);
    if (sym?.kind === 'macro') return this.expandMacro(sym.decl, s, scope);
    const kernel = this.kernelOp(s, scope);
    if (kernel) return kernel;
    return this.fail(diag('UnknownMacro', s.name.span, s.name.name));
  }

  private expanding = new Set<A.MacroDecl>();
  private expandMacro(m: A.MacroDecl, s: A.InvokeStmt, scope: Scope): IR.Stmt[] {
    if (s.args.length !== m.params.length) return this.fail(diag('Arity', s.span, m.name.name, m.params.length, s.args.length));
    if (this.expanding.has(m)) return this.fail(diag('MacroRecursion', s.span, m.name.name));
    const bad = findInMacro(m.body);
    if (bad) return this.fail(bad);
    const inner = this.env.exprs.withLocals(scope, m.params.map((p, i) => [p.name, { kind: 'macroArg', ast: s.args[i], scope }] as [string, Local]));
    this.expanding.add(m);
    try {
      return this.inline(m.body, inner);
    } finally {
      this.expanding.delete(m);
    }
  }
}

/** Whether a path through IR statements can reach their end (not every branch ended in a jump). */
function fallsThrough(ss: IR.Stmt[]): boolean {
  const last = ss[ss.length - 1];
  if (!last) return true;
  switch (last.k) {
    case 'goto':
    case 'done':
    case 'call':
    case 'tailcall':
    case 'return':
      return false;
    case 'if':
      return fallsThrough(last.then) || fallsThrough(last.else);
    case 'either':
      return last.branches.some(fallsThrough);
    case 'with':
    case 'let':
      return fallsThrough(last.body);
    default:
      return true;
  }
}

/**
 * synchronize_rcu() statements with more of their step after them: its grace period ends at the
 * process's next step, so it must be the last statement of its own (`endsAfter`: whether the end
 * of `ss` ends the step).
 */
function synchronizeMidStep(ss: IR.Stmt[], endsAfter: boolean): Diagnostic[] {
  const jumps = (s: IR.Stmt | undefined): boolean => s === undefined ? endsAfter : s.k === 'goto' || s.k === 'done' || s.k === 'call' || s.k === 'tailcall' || s.k === 'return';
  return ss.flatMap((s, i) => {
    const ends = jumps(ss[i + 1]);
    if (s.k === 'rcu' && s.op === 'synchronize') return ends ? [] : [diag('SynchronizeRcuMidStep', s.span)];
    if (s.k === 'if') return [...synchronizeMidStep(s.then, ends), ...synchronizeMidStep(s.else, ends)];
    if (s.k === 'either') return s.branches.flatMap((b) => synchronizeMidStep(b, ends));
    if (s.k === 'with' || s.k === 'let') return synchronizeMidStep(s.body, ends);
    return [];
  });
}

/** PlusCal forbids labels in a with: its bound names live within one step. */
function labelInWith(s: A.WithStmt): Diagnostic {
  const find = (stmts: A.Stmt[]): A.Label | null => {
    for (const x of stmts) {
      const found = x.label ?? children(x).map(find).find((l) => l !== null) ?? null;
      if (found) return found;
    }
    return null;
  };
  const label = find(s.body)!;
  return diag('LabelInWith', label.name.span, label.name.name);
}

/** The first label, call or return in a macro body, as a diagnostic. */
function findInMacro(stmts: A.Stmt[]): Diagnostic | null {
  for (const s of stmts) {
    if (s.label) return diag('LabelInMacro', s.label.name.span, s.label.name.name);
    if (s.kind === 'call' || s.kind === 'return' || s.kind === 'while') return diag('CallInMacro', s.span, s.kind === 'while' ? 'a while loop' : `a ${s.kind}`);
    for (const inner of children(s)) {
      const d = findInMacro(inner);
      if (d) return d;
    }
  }
  return null;
}

/** An assignment target as the expression that reads it (`x[i].f`), to pass it as a macro argument. */
function exprOf(lv: A.LValue): A.Expr {
  let e: A.Expr = { kind: 'name', name: lv.name.name, span: lv.name.span };
  for (const sel of lv.path) {
    const span = { ...lv.span, end: sel.span.end };
    e = sel.kind === 'index' ? { kind: 'apply', fn: e, args: sel.args, span } : { kind: 'field', record: e, field: sel.name, span };
  }
  return e;
}

/** A macro argument used as an assignment target: `x`, `x[i]`, `x.f` as an LValue. */
function lvalueOf(e: A.Expr): A.LValue | null {
  if (e.kind === 'name') return { name: { name: e.name, span: e.span }, path: [], span: e.span };
  if (e.kind === 'apply') {
    const base = lvalueOf(e.fn);
    return base && { ...base, path: [...base.path, { kind: 'index', args: e.args, span: e.span }], span: e.span };
  }
  if (e.kind === 'field') {
    const base = lvalueOf(e.record);
    return base && { ...base, path: [...base.path, { kind: 'field', name: e.field, span: e.span }], span: e.span };
  }
  return null;
}
