// The lowered program, sent to the parallel search's helper threads as it is instead of each
// helper parsing and lowering the model again (which, with loading the parser, made a helper join
// the search about 0.1 s later). The IR is plain objects and arrays except for its values
// (../../lang/values.ts): model values and immutable sets and functions, which structured clone
// cannot carry; they travel as tagged objects. Shared references stay shared.
import { ModelValue, isFn, isSet, mkFn, mkSet, type FnValue, type SetValue, type Value } from '../../lang/values.js';
import type { Program } from '../../lang/ir.js';

type Tagged = { '#mv': string } | { '#set': unknown[] } | { '#fn': [unknown, unknown][] };

/** `program` in a form structured clone carries. */
export function encodeProgram(program: Program): unknown {
  const done = new Map<object, unknown>();
  const encode = (x: unknown): unknown => {
    if (x === null || typeof x !== 'object') return x;
    const seen = done.get(x);
    if (seen !== undefined) return seen;
    let out: unknown;
    if (x instanceof ModelValue) out = { '#mv': x.name };
    else if (isSet(x as Value)) out = { '#set': Array.from(x as SetValue, encode) };
    else if (isFn(x as Value)) out = { '#fn': Array.from((x as FnValue).entries(), ([k, v]) => [encode(k), encode(v)]) };
    else if (Array.isArray(x)) out = x.map(encode);
    else out = Object.fromEntries(Object.entries(x).map(([k, v]) => [k, encode(v)]));
    done.set(x, out);
    return out;
  };
  return encode(program);
}

/** The program `encodeProgram` encoded. */
export function decodeProgram(data: unknown): Program {
  const done = new Map<object, unknown>();
  const decode = (x: unknown): unknown => {
    if (x === null || typeof x !== 'object') return x;
    const seen = done.get(x);
    if (seen !== undefined) return seen;
    let out: unknown;
    const t = x as Tagged;
    if (Array.isArray(x)) out = x.map(decode);
    else if ('#mv' in t) out = new ModelValue(t['#mv']);
    else if ('#set' in t) out = mkSet(t['#set'].map((e) => decode(e) as Value));
    else if ('#fn' in t) out = mkFn(t['#fn'].map(([k, v]) => [decode(k) as Value, decode(v) as Value]));
    else out = Object.fromEntries(Object.entries(x).map(([k, v]) => [k, decode(v)]));
    done.set(x, out);
    return out;
  };
  return decode(data) as Program;
}
