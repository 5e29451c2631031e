// The lowered program, sent to the parallel search's helper threads as it is instead of each
// helper parsing and lowering the model again (which, with loading the parser, made a helper join
// the search about 0.1 s later). The IR is plain objects and arrays except for its values
// (../../lang/values.ts): model values and immutable sets and functions, which structured clone
// cannot carry; they travel as tagged objects. Shared references stay shared.
import { ModelValue, isFn, isSet, mkFn, mkSet, type FnValue, type SetValue, type Value } from '../../../lang/values.js';
import type { Program } from '../../../lang/ir.js';

type Tagged = { '#mv': string } | { '#set': unknown[] } | { '#fn': [unknown, unknown][] };

/** `program` in a form structured clone carries. */
export function encodeProgram(program: Program): unknown {
  return rebuild(program, (x, recur) => {
    if (x instanceof ModelValue) return { '#mv': x.name };
    if (isSet(x as Value)) return { '#set': Array.from(x as SetValue, recur) };
    if (isFn(x as Value)) return { '#fn': Array.from((x as FnValue).entries(), ([k, v]) => [recur(k), recur(v)]) };
    return undefined;
  });
}

/** The program `encodeProgram` encoded. */
export function decodeProgram(data: unknown): Program {
  return rebuild(data, (x, recur) => {
    const t = x as Tagged;
    if ('#mv' in t) return new ModelValue(t['#mv']);
    if ('#set' in t) return mkSet(t['#set'].map((e) => recur(e) as Value));
    if ('#fn' in t) return mkFn(t['#fn'].map(([k, v]) => [recur(k) as Value, recur(v) as Value]));
    return undefined;
  }) as Program;
}

/**
 * A copy of `root`, each object once (shared references stay shared): `special` gives an
 * object's copy, or undefined to copy it as an array or a plain object.
 */
function rebuild(root: unknown, special: (x: object, recur: (y: unknown) => unknown) => unknown): unknown {
  const done = new Map<object, unknown>();
  const recur = (x: unknown): unknown => {
    if (x === null || typeof x !== 'object') return x;
    if (done.has(x)) return done.get(x);
    let out = Array.isArray(x) ? undefined : special(x, recur);
    if (out === undefined) out = Array.isArray(x) ? x.map(recur) : Object.fromEntries(Object.entries(x).map(([k, v]) => [k, recur(v)]));
    done.set(x, out);
    return out;
  };
  return recur(root);
}
