// Symmetry reduction (TLC's SYMMETRY): the permutations of the declared sets of model values, and
// how a permutation acts on values and on process instances. A state is replaced by the least of
// its images under every permutation (in the canonical value order), so each orbit is stored
// once and the counts are exact orbit counts, as TLC's are.
import type { Program } from '../../lang/ir.js';
import { isFn, isSet, mkFn, mkSet, ModelValue, valueEquals, type Value } from '../../lang/values.js';
import type { StateView } from './contract.js';

/** A permutation: model value name -> its image. */
export type Permutation = Map<string, ModelValue>;

function permutationsOf<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutationsOf([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/** The symmetry sets that permute anything (two members or more), as model values. */
export function symmetrySets(program: Program): ModelValue[][] {
  return (program.symmetry ?? []).filter((s) => s.length > 1) as ModelValue[][];
}

/**
 * Every permutation of the symmetry sets, the identity first; empty when there is no symmetry.
 * Permutation number p is the mixed-radix number whose digit for each set (the first set the
 * most significant, radix n! for n members) is the lexicographic rank of the sequence of the
 * images' positions in the set (permutationRank).
 */
export function symmetryPermutations(program: Program): Permutation[] {
  const sets = symmetrySets(program);
  if (sets.length === 0) return [];
  let perms: Permutation[] = [new Map()];
  for (const set of sets) {
    const names = set.map((v) => v.name);
    const next: Permutation[] = [];
    for (const p of perms) {
      for (const image of permutationsOf(set)) {
        const q = new Map(p);
        names.forEach((n, i) => q.set(n, image[i]));
        next.push(q);
      }
    }
    perms = next;
  }
  return perms;
}

/**
 * The lexicographic rank of the permutation `image[at..at+n)` of 0..n-1 among all of them, as
 * permutationsOf lists them (the Lehmer code read in the factorial number system).
 */
export function permutationRank(image: Int32Array, at: number, n: number): number {
  let rank = 0;
  for (let i = 0; i < n; i++) {
    let smaller = 0;
    for (let j = i + 1; j < n; j++) if (image[at + j] < image[at + i]) smaller++;
    rank = rank * (n - i) + smaller;
  }
  return rank;
}

/** `v` with each model value m in it replaced by f(m). */
export function mapModelValues(v: Value, f: (m: ModelValue) => Value): Value {
  if (v instanceof ModelValue) return f(v);
  if (isSet(v)) return mkSet(v.toArray().map((x) => mapModelValues(x, f)));
  if (isFn(v)) return mkFn(v.entrySeq().toArray().map(([k, x]) => [mapModelValues(k, f), mapModelValues(x, f)] as [Value, Value]));
  return v;
}

export function permuteValue(v: Value, pi: Permutation): Value {
  return mapModelValues(v, (m) => pi.get(m.name) ?? m);
}

/** For each permutation, where each instance goes: target[i] is the instance whose id is pi(id_i). */
export function instancePermutations(program: Program, perms: Permutation[]): Int32Array[] {
  const key = (v: Value): string => (v instanceof ModelValue ? `mv:${v.name}` : `v:${String(v)}`);
  const index = new Map(program.instances.map((inst, i) => [key(inst.id), i] as [string, number]));
  return perms.map((pi) => Int32Array.from(program.instances, (inst, i) => index.get(key(permuteValue(inst.id, pi))) ?? i));
}

/** The image of a decoded state under permutation `pi`, whose action on instances is `target`. */
export function permuteView(s: StateView, pi: Permutation, target: Int32Array): StateView {
  const pcs = s.pcs.slice();
  const pvars = s.pvars.slice();
  const stacks = s.stacks.slice();
  for (let i = 0; i < s.pcs.length; i++) {
    pcs[target[i]] = s.pcs[i];
    pvars[target[i]] = s.pvars[i].map((v) => (v === null ? null : permuteValue(v, pi)));
    stacks[target[i]] = permuteValue(s.stacks[i], pi);
  }
  return { globals: s.globals.map((v) => permuteValue(v, pi)), pcs, pvars, stacks };
}

const sameValue = (a: Value | null, b: Value | null): boolean => (a === null || b === null ? a === b : valueEquals(a, b));

/** Whether two decoded states are equal. */
export function sameView(a: StateView, b: StateView): boolean {
  return (
    a.globals.every((v, i) => valueEquals(v, b.globals[i])) &&
    a.pcs.every((pc, i) => pc === b.pcs[i]) &&
    a.pvars.every((vs, i) => vs.every((v, j) => sameValue(v, b.pvars[i][j]))) &&
    a.stacks.every((v, i) => valueEquals(v, b.stacks[i]))
  );
}
