// What changed at each step of a trace, as `name=value` items: the raw material of both the
// column view and the JSON `changes`. Functions with a fixed domain report only the changed keys
// (`data[OLD]=1`, `obj[o1].refs=2`), the way people write them.
import type { Program } from '../lang/ir.js';
import type { StateView } from '../checker/engine/contract.js';
import { isFn, showValue, sortedEntries, valueEquals, type Value } from '../lang/values.js';

export interface Change {
  /** `x`, `x[k]`, `x[k].f`, or `mine` for a process variable of the stepping process. */
  path: string;
  value: Value;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function keyText(k: Value): string {
  return typeof k === 'string' && IDENT.test(k) ? `.${k}` : `[${showValue(k)}]`;
}

/** The changed leaves between two values of one variable. */
export function diffValue(path: string, before: Value, after: Value, out: Change[]): void {
  if (valueEquals(before, after)) return;
  if (isFn(before) && isFn(after) && before.size === after.size && before.size > 0 && before.keySeq().every((k) => after.has(k))) {
    const changed = sortedEntries(after).filter(([k, v]) => !valueEquals(before.get(k)!, v));
    // A whole new value reads better than a list of every key.
    if (changed.length < before.size || before.size === 1) {
      for (const [k, v] of changed) diffValue(path + keyText(k), before.get(k)!, v, out);
      return;
    }
  }
  out.push({ path, value: after });
}

/** Changes of the globals and of every instance's variables from one state to the next. */
export function stateChanges(program: Program, before: StateView, after: StateView, instance: number): Change[] {
  const out: Change[] = [];
  program.globals.forEach((g, i) => {
    if (!g.hidden) diffValue(g.name, before.globals[i], after.globals[i], out);
  });
  program.instances.forEach((inst, i) => {
    const own = i === instance;
    program.processVars.forEach((v, j) => {
      const b = before.pvars[i][j];
      const a = after.pvars[i][j];
      if (b === null || a === null) return;
      diffValue(own ? v.name : `${v.name}[${showValue(inst.id)}]`, b, a, out);
    });
  });
  return out;
}

/** Which freed objects a state has, from the object families' live flags: `OLD is freed`. */
export function freedObjects(program: Program, state: StateView): string[] {
  const out: string[] = [];
  program.globals.forEach((g, i) => {
    const flags = state.globals[i];
    if (g.role?.kind !== 'liveFlags' || !isFn(flags)) return;
    const object = program.globals[g.role.object].name;
    for (const [k, live] of sortedEntries(flags)) {
      if (live === false) out.push(`${object}[${showValue(k)}]`);
    }
  });
  return out;
}

export function formatChanges(changes: Change[]): string {
  return changes.map((c) => `${c.path}=${showValue(c.value)}`).join(' ');
}
