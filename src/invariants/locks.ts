// Lock facts read off the IR, shared by the lock checks' consumers: which lock a label's step
// waits for (a `lock()` lowers to checks, then `await L = nobody`, then `L := self`).
import type { Expr, Program } from '../lang/ir.js';
import { NOBODY } from '../lang/kernel.js';
import { valueEquals } from '../lang/values.js';

/** What a label's step waits for first: its lock global and the key when it is a literal. */
export function awaitedLock(program: Program, label: number): { global: number; key: Expr | null } | null {
  for (const s of program.labels[label].body) {
    if (s.k === 'check') continue;
    if (s.k !== 'await') return null;
    const c = s.cond;
    if (c.k !== 'bin' || c.op !== '=' || c.right.k !== 'lit' || !valueEquals(c.right.value, NOBODY)) return null;
    if (c.left.k === 'global') return { global: c.left.index, key: null };
    if (c.left.k === 'apply' && c.left.fn.k === 'global') return { global: c.left.fn.index, key: c.left.arg };
    return null;
  }
  return null;
}

