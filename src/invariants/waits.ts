// Sleeping and waking on wait queues: prepare_to_wait() puts the process on the queue (its task
// state "sleeping"), schedule() sleeps while the process is on some queue (and is a point that may
// sleep: SleepInAtomic), wake_up() wakes every sleeper (empties the queue), finish_wait() takes the
// process off. The schedule() await names the queues it sleeps on, so a deadlock's report can tell
// a lost wake-up (a sleeper no one will wake while its queue's condition holds: LostWakeup, decided
// in src/checker/check.ts on the deadlocked state) from other waits. wait_event(wq, cond) is the
// kernel's loop around them, one step per point where the kernel's may be interrupted, with each
// process's next step in a global of its own. A completion counts complete() calls (complete_all()
// makes it COMPLETION_ALL, done for ever); wait_for_completion() may sleep, sleeps until one is
// there, and takes it.
import type { Span } from '../diagnostics/span.js';
import type * as IR from '../lang/ir.js';
import { forEachStmt } from '../lang/ir-walk.js';
import { mkFn, mkSet, type Value } from '../lang/values.js';
import { SELF, apply, eq, lit, not, type KernelContext } from './context.js';
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

/** The count of a completion after complete_all(): every wait_for_completion() returns from then on (the kernel's UINT_MAX). */
export const COMPLETION_ALL = -1;

/**
 * complete(c) counts up; complete_all(c) sets the count to COMPLETION_ALL, which neither moves;
 * wait_for_completion(c) may sleep, sleeps until the count is not zero, and counts down (not from
 * COMPLETION_ALL).
 */
export function completion(ctx: KernelContext, s: Extract<IR.Stmt, { k: 'completion' }>): IR.Stmt[] {
  const { completion: c, span } = s;
  const count: IR.Expr = { k: 'global', index: c };
  const target: IR.Target = { ref: { kind: 'global', index: c }, path: [] };
  const counted: IR.Expr = { k: 'bin', op: '>=', left: count, right: lit(0), span };
  const step = (op: '+' | '-'): IR.Stmt => ({ k: 'if', cond: counted, then: [{ k: 'assign', targets: [target], values: [{ k: 'bin', op, left: count, right: lit(1), span }], span }], else: [], span });
  switch (s.wait) {
    case 'complete':
      return [step('+')];
    case 'complete_all':
      return [{ k: 'assign', targets: [target], values: [lit(COMPLETION_ALL)], span }];
    case 'wait_for_completion':
      return [...mightSleep(ctx, span), { k: 'await', cond: not(eq(count, lit(0), span)), span }, step('-')];
  }
}

/** The next step of each process's wait_event(): the kernel's first test of the condition, then its loop. */
type WaitEventStep = 'check' | 'prepare' | 'test' | 'sleep';

/** The program with the global of each process's next wait_event() step, if it has a wait_event() (else `step` is null). */
export function addWaitEventSteps(program: IR.Program): { program: IR.Program; step: number | null } {
  let uses = false;
  for (const l of program.labels) forEachStmt(l.body, (s) => void (uses ||= s.k === 'waitEvent'));
  if (!uses) return { program, step: null };
  const ids = program.instances.map((i) => i.id);
  const first: WaitEventStep = 'check';
  const global: IR.GlobalVar = {
    name: 'wait_event$step',
    inits: [mkFn(ids.map((id): [Value, Value] => [id, first]))],
    shape: { kind: 'fn', domain: ids, elem: { kind: 'leaf' } },
    span: program.labels[0].span,
  };
  return { program: { ...program, globals: [...program.globals, global] }, step: program.globals.length };
}

/**
 * wait_event(wq, cond) at the start of label L's step, followed by `rest` in that step, as the
 * kernel's macro: might_sleep(); if (cond) break (check); then for (;;) { prepare_to_wait(wq)
 * (prepare); if (cond) break (test); schedule() (sleep) }; finish_wait(wq). Each of these is a step
 * that goes back to L, the process's next one held in its wait_event$step; the test that succeeds
 * runs finish_wait(wq) and `rest` in its step.
 */
export function waitEvent(ctx: KernelContext, s: Extract<IR.Stmt, { k: 'waitEvent' }>, rest: IR.Stmt[]): IR.Stmt[] {
  const { queue, cond, label, span } = s;
  const steps = ctx.waitEventStep!;
  const next = apply({ k: 'global', index: steps }, SELF, span);
  const at = (step: WaitEventStep): IR.Expr => eq(next, lit(step), span);
  const goOn = (step: WaitEventStep): IR.Stmt[] => [
    { k: 'assign', targets: [{ ref: { kind: 'global', index: steps }, path: [SELF] }], values: [lit(step)], span },
    ...(step === 'check' ? [] : [{ k: 'goto', label, span } as IR.Stmt]),
  ];
  const queueOp = (wait: IR.WaitQueueOp): IR.Stmt[] => waitQueueOp({ k: 'waitQueue', wait, queue, span });
  const sleeps = mightSleep(ctx, span);
  return [
    ...(sleeps.length ? [{ k: 'if', cond: at('check'), then: sleeps, else: [], span } as IR.Stmt] : []),
    { k: 'if', cond: at('prepare'), then: [...queueOp('prepare_to_wait'), ...goOn('test')], span, else: [
      { k: 'if', cond: at('sleep'), then: [...schedule(ctx, span), ...goOn('prepare')], span, else: [
        { k: 'if', cond: not(cond), then: [{ k: 'if', cond: at('check'), then: goOn('prepare'), else: goOn('sleep'), span }], span, else: [
          ...queueOp('finish_wait'), ...goOn('check'), ...rest,
        ] },
      ] },
    ] },
  ];
}

/** schedule(): may sleep; sleeps while on any wait queue. */
export function schedule(ctx: KernelContext, span: Span): IR.Stmt[] {
  const queues = waitQueues(ctx.program);
  const awake: IR.Expr = queues.length === 0 ? lit(true) : { k: 'and', args: queues.map((q) => not(queued(q, span))) };
  return [...mightSleep(ctx, span), { k: 'await', cond: awake, span, sleepsOn: queues }];
}
