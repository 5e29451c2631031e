// RCU: read-side sections, grace periods (synchronize_rcu() and kfree_rcu()) and their checks.
// Hidden per-process state: each process's read-side nesting, the readers a synchronize_rcu()
// still waits for, and per object family the readers a kfree_rcu()'d object still waits for. A
// grace period waits exactly for the readers in a read-side section when it starts; the last of
// them to leave ends it (synchronize_rcu() returns at its caller's next step, a kfree_rcu()'d
// object is freed in that leaving step). An object kfree()d at once while a reader may still hold
// it is then read or written freed: NoUseAfterFree at the reader's step. Checks: RcuReaderSleeps,
// RcuSyncInReader, RcuUnbalanced (an unlock outside a section, or a section left open at the end).
import type { Span } from '../diagnostics/span.js';
import type * as IR from '../lang/ir.js';
import { forEachStmt } from '../lang/ir-walk.js';
import { mkFn, mkSet, type Value } from '../lang/values.js';
import { SELF, apply, check, eq, lit, nameOf, roleOf, type KernelContext, type RcuGlobals } from './context.js';
import { free, live } from './lifetime.js';

/** The program with the hidden globals of the RCU primitives it uses added, and where they are. */
export function addRcuGlobals(program: IR.Program): { program: IR.Program; rcu: RcuGlobals | null } {
  let uses = false;
  let synchronizes = false;
  const freedObjects = new Set<number>();
  for (const l of program.labels) {
    forEachStmt(l.body, (s) => {
      if (s.k === 'rcu') uses = true;
      if (s.k === 'rcu' && s.op === 'synchronize') synchronizes = true;
      if (s.k === 'kernel' && s.op === 'freeRcu') (uses = true), freedObjects.add(s.operand.global);
    });
  }
  if (!uses) return { program, rcu: null };
  const globals = [...program.globals];
  const ids = program.instances.map((i) => i.id);
  const hidden = (name: string, span: Span, domain: Value[], init: Value): number => {
    globals.push({ name, inits: [mkFn(domain.map((d) => [d, init] as [Value, Value]))], shape: { kind: 'fn', domain, elem: { kind: 'leaf' } }, span, hidden: true });
    return globals.length - 1;
  };
  const span = program.labels[0].span;
  const nesting = hidden('rcu$nesting', span, ids, 0);
  const gracePeriod = synchronizes ? hidden('rcu$grace', span, ids, mkSet([])) : null;
  const pendingFree = new Map<number, number>();
  for (const o of [...freedObjects].sort((a, b) => a - b)) {
    const g = program.globals[o];
    if (g.role?.kind !== 'object') throw new Error(`internal error: kfree_rcu of ${g.name}, which is not an object`);
    pendingFree.set(o, hidden(`${g.name}$rcu`, g.span, g.role.domain, mkSet([])));
  }
  return { program: { ...program, globals }, rcu: { nesting, gracePeriod, pendingFree } };
}

const ids = (ctx: KernelContext): IR.Expr => lit(mkSet(ctx.program.instances.map((i) => i.id)));
const at = (global: number, key: IR.Expr, span: Span): IR.Expr => apply({ k: 'global', index: global }, key, span);
const setAt = (global: number, key: IR.Expr, value: IR.Expr, span: Span): IR.Stmt => ({ k: 'assign', targets: [{ ref: { kind: 'global', index: global }, path: [key] }], values: [value], span });

/** The running process is in no read-side section (true when the program has no RCU). */
export function outsideReader(ctx: KernelContext, span: Span): IR.Expr {
  return ctx.rcu ? eq(at(ctx.rcu.nesting, SELF, span), lit(0), span) : lit(true);
}

/** What a point that may sleep checks besides spinlocks: it is not in a read-side section. */
export function sleepInReader(ctx: KernelContext, what: string, span: Span): IR.Stmt[] {
  return ctx.rcu ? check(ctx, outsideReader(ctx, span), 'RcuReaderSleeps', `${what} inside an RCU read-side section`, span) : [];
}

/** The readers in a read-side section now: what a grace period starting now waits for. */
function readersNow(ctx: KernelContext, span: Span): IR.Expr {
  const id = ctx.freshBound();
  const q: IR.Expr = { k: 'bound', id, name: 'q' };
  return { k: 'setFilter', bound: id, set: ids(ctx), cond: { k: 'bin', op: '>', left: at(ctx.rcu!.nesting, q, span), right: lit(0), span }, span };
}

export function rcuStatement(ctx: KernelContext, s: Extract<IR.Stmt, { k: 'rcu' }>, mightSleep: (span: Span) => IR.Stmt[]): IR.Stmt[] {
  const rcu = ctx.rcu!;
  const { span } = s;
  const depth = at(rcu.nesting, SELF, span);
  switch (s.op) {
    case 'readLock':
      return [setAt(rcu.nesting, SELF, { k: 'bin', op: '+', left: depth, right: lit(1), span }, span)];
    case 'readUnlock':
      return [
        ...check(ctx, { k: 'bin', op: '>', left: depth, right: lit(0), span }, 'RcuUnbalanced', 'rcu_read_unlock() outside an RCU read-side section', span),
        setAt(rcu.nesting, SELF, { k: 'bin', op: '-', left: depth, right: lit(1), span }, span),
        { k: 'if', cond: eq(depth, lit(0), span), then: readerLeaves(ctx, span), else: [], span },
      ];
    case 'synchronize':
      return [
        ...check(ctx, outsideReader(ctx, span), 'RcuSyncInReader', 'synchronize_rcu() inside an RCU read-side section waits for itself (deadlock)', span),
        ...mightSleep(span),
        setAt(rcu.gracePeriod!, SELF, readersNow(ctx, span), span),
      ];
  }
}

/** The running process leaves its outermost read-side section: it no longer holds up any grace period. */
function readerLeaves(ctx: KernelContext, span: Span): IR.Stmt[] {
  const rcu = ctx.rcu!;
  const without = (set: IR.Expr): IR.Expr => ({ k: 'bin', op: 'minus', left: set, right: { k: 'setEnum', elems: [SELF] }, span });
  const out: IR.Stmt[] = [];
  if (rcu.gracePeriod !== null) {
    for (const inst of ctx.program.instances) {
      const waiter = lit(inst.id);
      out.push(setAt(rcu.gracePeriod, waiter, without(at(rcu.gracePeriod, waiter, span)), span));
    }
  }
  for (const [object, pending] of rcu.pendingFree) {
    for (const d of roleOf(ctx, object, 'object').domain) {
      const key = lit(d);
      const waits = at(pending, key, span);
      out.push({
        k: 'if',
        cond: { k: 'bin', op: 'in', left: SELF, right: waits, span },
        then: [
          setAt(pending, key, without(waits), span),
          { k: 'if', cond: eq(waits, lit(mkSet([])), span), then: free(ctx, { k: 'kernel', op: 'free', operand: { global: object, key, span }, span }), else: [], span },
        ],
        else: [],
        span,
      });
    }
  }
  return out;
}

/** kfree_rcu(obj[k]): freed once the readers in a section now have left (at once if there are none). */
export function freeAfterGracePeriod(ctx: KernelContext, s: IR.KernelOpStmt): IR.Stmt[] {
  const { operand, span } = s;
  const pending = ctx.rcu!.pendingFree.get(operand.global)!;
  const key = operand.key!;
  const readers = readersNow(ctx, span);
  return [
    ...check(ctx, { k: 'and', args: [live(ctx, operand.global, key, span), eq(at(pending, key, span), lit(mkSet([])), span)] }, 'DoubleFree', `kfree_rcu(${nameOf(ctx, operand)}) of an object already freed or queued to be`, span),
    {
      k: 'if',
      cond: eq(readers, lit(mkSet([])), span),
      then: free(ctx, { ...s, op: 'free' }),
      else: [setAt(pending, key, readers, span)],
      span,
    },
  ];
}

/** What a process checks when it finishes: no read-side section left open. */
export function readersAtExit(ctx: KernelContext, span: Span): IR.Stmt[] {
  return ctx.rcu ? check(ctx, outsideReader(ctx, span), 'RcuUnbalanced', 'the process finishes inside an RCU read-side section', span) : [];
}

/** The await every step starts with when synchronize_rcu() is used: its caller's grace period is over. */
export function gracePeriodOver(ctx: KernelContext, span: Span): IR.Stmt[] {
  const g = ctx.rcu?.gracePeriod;
  return g === null || g === undefined ? [] : [{ k: 'await', cond: eq(at(g, SELF, span), lit(mkSet([])), span), span }];
}
