// Interrupt context: an interrupt handler (`interrupt process (h = e) preempts S`) runs on the CPU
// of the processes S. Its arrival is its first label's step, taken only while none of S has
// interrupts disabled and no other handler of that CPU is running; from then until it is back at
// its first label (or has finished) the processes S take no step. Both rules are plain awaits at
// the start of steps, so every search and both engines run them. local_irq_disable()/enable() and
// local_irq_save()/restore() keep each process's interrupt state in a hidden global. The checks:
// InconsistentLockState (lockdep's "inconsistent lock state": a lock some handler takes, taken in
// process context with interrupts enabled) and SleepInInterrupt (a point that may sleep reached by
// a handler).
import type { Span } from '../diagnostics/span.js';
import type * as IR from '../lang/ir.js';
import { DONE, processCount } from '../lang/ir.js';
import { forEachStmt } from '../lang/ir-walk.js';
import { mkFn, mkSet, valueEquals, type Value } from '../lang/values.js';
import { SELF, check, eq, lit, not, type InterruptGlobals, type KernelContext } from './context.js';

/** The program with the hidden interrupt state added when it uses local_irq_*, and what the pass needs to know. */
export function addInterruptGlobals(program: IR.Program): { program: IR.Program; interrupts: InterruptGlobals | null } {
  let usesIrqOps = false;
  for (const l of program.labels) forEachStmt(l.body, (s) => void (usesIrqOps ||= s.k === 'irq'));
  const handlerInstances = program.instances.filter((inst) => inst.preempts !== undefined);
  if (!usesIrqOps && handlerInstances.length === 0) return { program, interrupts: null };
  const handlers = handlerInstances.map((inst) => ({ id: inst.id, entry: program.labels[program.processes[inst.template].entry].name, preempts: inst.preempts! }));
  const handlerLocks = spinlocksTakenBy(program, new Set(handlerInstances.map((inst) => inst.template)));
  if (!usesIrqOps) return { program, interrupts: { irqsOff: null, handlers, handlerLocks } };
  const ids = program.instances.slice(0, processCount(program)).map((inst) => inst.id);
  const globals: IR.GlobalVar[] = [...program.globals, {
    name: 'irq$off',
    inits: [mkFn(ids.map((id) => [id, false] as [Value, Value]))],
    shape: { kind: 'fn', domain: ids, elem: { kind: 'leaf' } },
    span: program.labels[0].span,
    hidden: true,
  }];
  return { program: { ...program, globals }, interrupts: { irqsOff: globals.length - 1, handlers, handlerLocks } };
}

/**
 * The spinlocks taken (lock() or trylock()) in the steps of these templates and of the procedures
 * they call, transitively. A sleeping lock (mutex, rw-semaphore) a handler takes is its
 * SleepInInterrupt, not the InconsistentLockState of the processes that take it.
 */
function spinlocksTakenBy(program: IR.Program, templates: Set<number>): Set<number> {
  const spinlocks = new Set(program.locks.filter((l) => l.kind === 'spin').map((l) => l.global));
  const locks = new Set<number>();
  const procedures = new Set<number>();
  const visit = (owner: IR.LabelInfo['owner']): void => {
    for (const l of program.labels) {
      if (l.owner.kind !== owner.kind || l.owner.index !== owner.index) continue;
      forEachStmt(l.body, (s) => {
        if (((s.k === 'kernel' && s.op === 'lock') || s.k === 'trylock') && spinlocks.has(s.operand.global)) locks.add(s.operand.global);
        if ((s.k === 'call' || s.k === 'tailcall') && !procedures.has(s.procedure)) {
          procedures.add(s.procedure);
          visit({ kind: 'procedure', index: s.procedure });
        }
      });
    }
  };
  for (const t of templates) visit({ kind: 'process', index: t });
  return locks;
}

const inSet = (x: IR.Expr, set: Value[], span: Span): IR.Expr => ({ k: 'bin', op: 'in', left: x, right: lit(mkSet(set)), span });
const or = (args: IR.Expr[]): IR.Expr => ({ k: 'or', args });
const and = (args: IR.Expr[]): IR.Expr => ({ k: 'and', args });

/** Handler `h` is not running: at its first label, or finished. */
function idle(h: InterruptGlobals['handlers'][number], span: Span): IR.Expr {
  return inSet({ k: 'pcOf', proc: lit(h.id) }, [h.entry, DONE], span);
}

/** The running process is an interrupt handler. */
function inInterrupt(irq: InterruptGlobals, span: Span): IR.Expr {
  return inSet(SELF, irq.handlers.map((h) => h.id), span);
}

/** Interrupts are disabled by the running process (false when no process can disable them). */
function irqsDisabled(irq: InterruptGlobals, span: Span): IR.Expr {
  return irq.irqsOff === null ? lit(false) : eq({ k: 'apply', fn: { k: 'global', index: irq.irqsOff }, arg: SELF, span }, lit(true), span);
}

/**
 * The await a step of label `label` starts with: if it is a handler's first label, the handler may
 * arrive (interrupts enabled by every process of its CPU, no other handler of that CPU running);
 * otherwise no handler that preempts the running process is running. Empty when nothing restricts it.
 */
export function interruptGuard(ctx: KernelContext, labelIndex: number): IR.Stmt[] {
  const irq = ctx.interrupts;
  if (irq === null || irq.handlers.length === 0) return [];
  const { span, owner } = ctx.program.labels[labelIndex];
  const template = owner.kind === 'process' ? owner.index : null;
  const runners = ctx.program.instances.filter((inst) => template === null || inst.template === template);
  const conds: IR.Expr[] = [];
  if (template !== null && runners[0]?.preempts !== undefined) {
    if (ctx.program.processes[template].entry !== labelIndex) return [];
    // Each instance of the handler template arrives under its own condition.
    for (const inst of runners) {
      const h = irq.handlers.find((x) => valueEquals(x.id, inst.id))!;
      const enabled = irq.irqsOff === null ? [] : h.preempts.map((p) => not(eq({ k: 'apply', fn: { k: 'global', index: irq.irqsOff! }, arg: lit(p), span }, lit(true), span)));
      const sameCpu = irq.handlers.filter((o) => o !== h && o.preempts.some((p) => h.preempts.some((q) => valueEquals(p, q))));
      const arrives = and([...enabled, ...sameCpu.map((o) => idle(o, span))]);
      conds.push(runners.length === 1 ? arrives : or([not(eq(SELF, lit(inst.id), span)), arrives]));
    }
  } else {
    for (const h of irq.handlers) {
      const preempted = runners.filter((r) => h.preempts.some((p) => valueEquals(p, r.id)));
      if (preempted.length === 0) continue;
      conds.push(preempted.length === runners.length ? idle(h, span) : or([not(inSet(SELF, h.preempts, span)), idle(h, span)]));
    }
  }
  return conds.length === 0 ? [] : [{ k: 'await', cond: and(conds), span }];
}

/**
 * local_irq_disable(), local_irq_enable(), local_irq_save(flags), local_irq_restore(flags) on the
 * running process's state. Interrupts enabled in process context while it holds a lock some
 * handler takes is InconsistentLockState too (as lockdep checks the held locks when interrupts are
 * enabled): `holdsNone(locks, what, span)` is the check that the process holds none of `locks`.
 */
export function irqStatement(
  ctx: KernelContext, s: Extract<IR.Stmt, { k: 'irq' }>,
  holdsNone: (locks: Set<number>, what: string, span: Span) => IR.Stmt[],
): IR.Stmt[] {
  const irq = ctx.interrupts!;
  const { op, flags, span } = s;
  const state: IR.Target = { ref: { kind: 'global', index: irq.irqsOff! }, path: [SELF] };
  const disabled = irqsDisabled(irq, span);
  const enabling = (): IR.Stmt[] => {
    const held = irq.handlers.length === 0 ? [] : holdsNone(irq.handlerLocks, 'interrupts enabled in process context while holding', span);
    return held.length === 0 ? [] : [{ k: 'if', cond: or([inInterrupt(irq, span), disabled]), then: [], else: held, span }];
  };
  switch (op) {
    case 'disable':
      return [{ k: 'assign', targets: [state], values: [lit(true)], span }];
    case 'enable':
      return [{ k: 'assign', targets: [state], values: [lit(false)], span }, ...enabling()];
    case 'save':
      return [{ k: 'assign', targets: [flags!.target, state], values: [disabled, lit(true)], span }];
    case 'restore':
      // A saved state is a boolean: anything else is an error (WrongType) where it is restored.
      return [{ k: 'assign', targets: [state], values: [{ k: 'ite', cond: flags!.read, then: lit(true), else: lit(false) }], span }, ...enabling()];
  }
}

/** A point that may sleep (`what`) must not be reached in interrupt context. */
export function sleepInInterrupt(ctx: KernelContext, what: string, span: Span): IR.Stmt[] {
  const irq = ctx.interrupts;
  return irq === null || irq.handlers.length === 0 ? [] : check(ctx, not(inInterrupt(irq, span)), 'SleepInInterrupt', `${what} in interrupt context`, span);
}

/**
 * A point that may sleep (`what`) must not be reached in process context with interrupts disabled
 * (SleepInAtomic; in a handler it is SleepInInterrupt, whatever the interrupt state).
 */
export function sleepWithIrqsDisabled(ctx: KernelContext, what: string, span: Span): IR.Stmt[] {
  const irq = ctx.interrupts;
  if (irq === null || irq.irqsOff === null) return [];
  const enabled = not(irqsDisabled(irq, span));
  return check(ctx, irq.handlers.length === 0 ? enabled : or([inInterrupt(irq, span), enabled]), 'SleepInAtomic', `${what} with interrupts disabled`, span);
}

/**
 * Taking lock `global` (named `name`): if some handler takes it, process context must have
 * interrupts disabled, else the handler can arrive on this CPU while the lock is held and spin on
 * it for ever (lockdep's {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage).
 */
export function irqSafeLock(ctx: KernelContext, global: number, name: string, span: Span): IR.Stmt[] {
  const irq = ctx.interrupts;
  if (irq === null || !irq.handlerLocks.has(global)) return [];
  return check(ctx, or([inInterrupt(irq, span), irqsDisabled(irq, span)]), 'InconsistentLockState', `${name}, which an interrupt handler takes, taken in process context with interrupts enabled`, span);
}
