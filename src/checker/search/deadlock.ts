// Deadlock explained through locks: in a deadlocked state, which process waits for which lock,
// held by whom, and the wait-for cycle when there is one ("Lookup(1) waits for bl[B1] held by
// Migrate, which waits for private_lock held by Lookup(1)").
import { NOBODY, type Expr, type Program } from '../../lang/ir.js';
import { awaitedLock } from '../../invariants/locks.js';
import type { StateView } from '../engine/contract.js';
import { isFn, showValue, sortedEntries, valueEquals, type Value } from '../../lang/values.js';

interface Wait {
  /** The lock as people name it: `private_lock`, `bl[B1]`. */
  lock: string;
  /** Instances holding it. */
  holders: number[];
}

function holderIndex(program: Program, v: Value): number {
  return program.instances.findIndex((inst) => valueEquals(inst.id, v));
}

/** Evaluates an expression in the deadlocked state as one instance sees it; throws if it cannot. */
export type Evaluate = (e: Expr, instance: number) => Value;

/** Who waits for what in `state`, per instance (null where an instance waits for no lock). */
export function lockWaits(program: Program, state: StateView, evaluate: Evaluate): (Wait | null)[] {
  return program.instances.map((_, i) => {
    const label = program.labels.findIndex((l) => l.name === state.pcs[i]);
    if (label < 0) return null;
    const awaited = awaitedLock(program, label);
    if (!awaited || !program.locks.some((l) => l.global === awaited.global)) return null;
    const name = program.globals[awaited.global].name;
    const value = state.globals[awaited.global];
    if (awaited.key === null || !isFn(value)) {
      const h = holderIndex(program, value);
      return { lock: name, holders: h >= 0 ? [h] : [] };
    }
    // The element it waits for, as this process computes it (`fork[Right(self)]`); when the key
    // cannot be computed outside its step (a with-bound name), every held element is listed.
    let key: Value | null = null;
    try {
      key = evaluate(awaited.key, i);
    } catch {
      key = null;
    }
    const entries = sortedEntries(value).filter(([k, holder]) => !valueEquals(holder, NOBODY) && (key === null || valueEquals(k, key)));
    const lock = key !== null ? `${name}[${showValue(key)}]` : `${name}[${entries.map(([k]) => showValue(k)).join('|')}]`;
    return { lock, holders: entries.map(([, holder]) => holderIndex(program, holder)).filter((h) => h >= 0 && h !== i) };
  });
}

/** A sentence naming the wait-for cycle (or the waits) of a deadlocked state; null if no lock is involved. */
export function explainDeadlock(program: Program, state: StateView, evaluate: Evaluate): string | null {
  const waits = lockWaits(program, state, evaluate);
  if (waits.every((w) => w === null)) return null;
  const name = (i: number): string => program.instances[i].display;
  // Follow the first holder from each waiting process until a process repeats.
  for (let startAt = 0; startAt < waits.length; startAt++) {
    const seen: number[] = [];
    let p = startAt;
    while (waits[p] && waits[p]!.holders.length > 0 && !seen.includes(p)) {
      seen.push(p);
      p = waits[p]!.holders[0];
    }
    const at = seen.indexOf(p);
    if (at >= 0) {
      const cycle = seen.slice(at);
      const parts = cycle.map((q, k) => `${k === 0 ? name(q) : 'which'} waits for ${waits[q]!.lock} held by ${name(waits[q]!.holders[0])}`);
      return `wait-for cycle: ${parts.join(', ')}`;
    }
  }
  const parts = waits.flatMap((w, i) => (w ? [`${name(i)} waits for ${w.lock}${w.holders.length ? ` held by ${w.holders.map(name).join(', ')}` : ''}`] : []));
  return parts.join('; ');
}
