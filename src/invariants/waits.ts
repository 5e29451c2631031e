// Sleeping and waking on wait queues: prepare_to_wait() puts the process on the queue (its task
// state "sleeping"), schedule() sleeps while the process is on some queue (and is a point that may
// sleep: SleepInAtomic), wake_up() wakes every sleeper (empties the queue), finish_wait() takes the
// process off. The schedule() await names the queues it sleeps on, so a deadlock's report can tell
// a lost wake-up (a sleeper no one will wake while its queue's condition holds: LostWakeup, decided
// in src/checker/check.ts on the deadlocked state) from other waits. A completion counts complete()
// calls; wait_for_completion() may sleep, sleeps until one is there, and takes it.
import type { Span } from '../diagnostics/span.js';
import type * as IR from '../lang/ir.js';
import { mkSet } from '../lang/values.js';
import { SELF, lit, not, type KernelContext } from './context.js';
import { mightSleep } from './locks.js';

/** The wait queues of the program (their globals). */
export function waitQueues(program: IR.Program): number[] {
  return program.globals.flatMap((g, index) => (g.role?.kind === 'waitqueue' ? [index] : []));
}

/** The running process is on wait queue `queue`. */
function queued(queue: number, span: Span): IR.Expr {
  return { k: 'bin', op: 'in', left: SELF, right: { k: 'global', index: queue }, span };
}

export function waitQueueOp(s: Extract<IR.Stmt, { k: 'waitQueue' }>): IR.Stmt[] {
  const { queue, span } = s;
  const q: IR.Expr = { k: 'global', index: queue };
  const me: IR.Expr = { k: 'setEnum', elems: [SELF] };
  const value: IR.Expr =
    s.wait === 'wake_up' ? lit(mkSet([])) : { k: 'bin', op: s.wait === 'prepare_to_wait' ? 'cup' : 'minus', left: q, right: me, span };
  return [{ k: 'assign', targets: [{ ref: { kind: 'global', index: queue }, path: [] }], values: [value], span }];
}

/** complete(c) counts up; wait_for_completion(c) may sleep, sleeps until the count is above zero, and counts down. */
export function completion(ctx: KernelContext, s: Extract<IR.Stmt, { k: 'completion' }>): IR.Stmt[] {
  const { completion: c, span } = s;
  const count: IR.Expr = { k: 'global', index: c };
  const target: IR.Target = { ref: { kind: 'global', index: c }, path: [] };
  const step = (op: '+' | '-'): IR.Stmt => ({ k: 'assign', targets: [target], values: [{ k: 'bin', op, left: count, right: lit(1), span }], span });
  if (s.wait === 'complete') return [step('+')];
  return [...mightSleep(ctx, span), { k: 'await', cond: { k: 'bin', op: '>', left: count, right: lit(0), span }, span }, step('-')];
}

/** schedule(): may sleep; sleeps while on any wait queue. */
export function schedule(ctx: KernelContext, span: Span): IR.Stmt[] {
  const queues = waitQueues(ctx.program);
  const awake: IR.Expr = queues.length === 0 ? lit(true) : { k: 'and', args: queues.map((q) => not(queued(q, span))) };
  return [...mightSleep(ctx, span), { k: 'await', cond: awake, span, sleepsOn: queues }];
}
