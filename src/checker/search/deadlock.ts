// Deadlock explained through locks: in a deadlocked state, which process waits for which lock,
// held by whom, and the wait-for cycle when there is one ("Lookup(1) waits for bl[B1] held by
// Migrate, which waits for private_lock held by Lookup(1)"; a running handler and the process it
// preempts: "DevIrq waits for dev_lock held by Reader, which DevIrq preempts"), and who sleeps on
// which wait queue: a sleeper whose queue's condition holds is a lost wake-up (LostWakeup).
import type { Program } from '../../lang/ir.js';
import type { LockWait, QueueSleep } from '../engine/reference-engine.js';
import { showValue, valueEquals } from '../../lang/values.js';

/** A lock one process waits for, as people name it (`private_lock`, `bl[B1]`), and its holder (-1: nobody). */
interface Wait {
  lock: string;
  holder: number;
}

/** The locks each instance's step waits for in the deadlocked state (every path of the step). */
export type LockWaitsOf = (instance: number) => LockWait[];

/** Who waits for what, per instance: each lock element once, in the order the step's paths meet them. */
function lockWaits(program: Program, waitsOf: LockWaitsOf): Wait[][] {
  return program.instances.map((_, i) => {
    const waits: Wait[] = [];
    for (const w of waitsOf(i)) {
      const name = program.globals[w.global].name;
      const lock = w.key === null ? name : `${name}[${showValue(w.key)}]`;
      if (!waits.some((x) => x.lock === lock)) waits.push({ lock, holder: w.holder });
    }
    return waits;
  });
}

/** The first cycle of the wait-for graph (depth first from each instance in order), as the wait each member follows. */
function waitForCycle(waits: Wait[][]): [number, Wait][] | null {
  const done = new Uint8Array(waits.length);
  const path: [number, Wait][] = [];
  const visit = (p: number): [number, Wait][] | null => {
    const at = path.findIndex(([q]) => q === p);
    if (at >= 0) return path.slice(at);
    if (done[p]) return null;
    for (const w of waits[p]) {
      if (w.holder < 0) continue;
      path.push([p, w]);
      const cycle = visit(w.holder);
      if (cycle) return cycle;
      path.pop();
    }
    done[p] = 1;
    return null;
  };
  for (let p = 0; p < waits.length; p++) {
    const cycle = visit(p);
    if (cycle) return cycle;
  }
  return null;
}

/** A sentence naming the wait-for cycle (or the waits) of a deadlocked state; null if no lock is involved. */
export function explainDeadlock(program: Program, waitsOf: LockWaitsOf): string | null {
  const waits = lockWaits(program, waitsOf);
  if (waits.every((w) => w.length === 0)) return null;
  const name = (i: number): string => program.instances[i].display;
  // A handler waiting is running: the holder it preempts takes no step until it returns.
  const preempts = (waiter: number, holder: number): boolean => program.instances[waiter].preempts?.some((id) => valueEquals(id, program.instances[holder].id)) ?? false;
  const held = (waiter: number, w: Wait): string => {
    if (w.holder < 0) return w.lock;
    return `${w.lock} held by ${name(w.holder)}${preempts(waiter, w.holder) ? `, which ${name(waiter)} preempts` : ''}`;
  };
  const cycle = waitForCycle(waits);
  if (cycle) return `wait-for cycle: ${cycle.map(([q, w], k) => `${k === 0 ? name(q) : 'which'} waits for ${held(q, w)}`).join(', ')}`;
  return waits.flatMap((ws, i) => (ws.length ? [`${name(i)} waits for ${ws.map((w) => held(i, w)).join(' or ')}`] : [])).join('; ');
}

/** The wait queues each instance sleeps on in the deadlocked state. */
export type SleepsOf = (instance: number) => QueueSleep[];

/**
 * A deadlocked state's sleepers: the lost wake-up, when a process sleeps on a queue whose
 * condition holds (no wake_up will come: it came before the process was on the queue), and the
 * sentence naming who sleeps where (null: nobody sleeps on a wait queue).
 */
export function explainSleeps(program: Program, sleepsOf: SleepsOf): { lost: string | null; sleeping: string | null } {
  const lines: string[] = [];
  let lost: string | null = null;
  for (let i = 0; i < program.instances.length; i++) {
    for (const s of sleepsOf(i)) {
      const who = `${program.instances[i].display} sleeps on ${program.globals[s.queue].name}`;
      if (s.conditionHolds) lost ??= `${who} for ever (no process can take a step) while its condition holds: no wake_up() came after it was on the queue`;
      lines.push(s.conditionHolds ? `${who} while its condition holds` : who);
    }
  }
  return { lost, sleeping: lines.length ? lines.join('; ') : null };
}
