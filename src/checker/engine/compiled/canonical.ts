// Symmetry reduction on compiled rows: each permutation of the symmetry sets (../permutations.ts)
// is turned into a slot move (flattened keys and instance blocks go where the permutation sends
// them) plus a code map (values are permuted). Trying every permutation costs n! images per state;
// instead the members of each set are sorted by a signature, and only the permutations that put
// the signatures in order are tried: usually one, n! only when every member looks alike.
//
// Why this is a canonical form. The group G (the permutations) acts on rows: (πs)[move_π[j]] =
// π(s[j]). Each member e of a symmetry set has a signature sig_s(e), a sequence of ints read from
// the row, built so that sig_πs(πe) = sig_s(e) for every π in G (see `signatures`). Call a row
// sorted when in each set the members' signatures do not decrease in the set's order e_0, e_1, ...
// For a row s let C(s) be the sorted rows of its orbit. Every orbit has one (sort the members: the
// π sending the member of rank k to e_k gives sig_πs(e_k) = sig_s(π⁻¹e_k), in order), and C(σs) =
// C(s) for every σ since the orbit is the same. The canonical form is the least row of C(s) (rows
// compared slot by slot, codes by orderOf): it depends only on the orbit and lies in it, so it is a
// true canonical form and the counts are the reference's orbit counts (its representative, the
// least image in value order, may differ). The rows of C(s) are the images πs for the π that sort
// s: those are the sorting orders of s's members, ties broken every way, which is what `canonical`
// enumerates.
//
// The signature of e, for one set: for each fixed slot (a slot whose keys and owner mention no
// symmetric value, which every π leaves in place), then for each slot that belongs to e (its keys
// and owner mention e and no other symmetric value: e's own pc, locals and stack, f[e] of a global
// f), the feature of the value there relative to e: the value with e replaced by a marker and every
// other symmetric member by its set's marker (so `holder = e`, `e \in waiters` and `holder = d`
// differ), compared by orderOf. The slots of e_k are those of e_0 moved by the transposition of e_0
// and e_k; a slot of e moves under π to the same slot of πe whatever π does elsewhere, and the
// feature of πv relative to πe is that of v relative to e, which gives sig_πs(πe) = sig_s(e).
import type { Program } from '../../../lang/ir.js';
import { ModelValue, type Value } from '../../../lang/values.js';
import {
  instancePermutations,
  mapModelValues,
  permutationRank,
  permuteValue,
  symmetryPermutations,
  symmetrySets,
  type Permutation,
} from '../permutations.js';
import type { Layout, LShape } from './layout.js';
import { BASE, type ValueTable } from './valuetable.js';

/** Marker values of relative features (names no model value can have). */
const SELF = new ModelValue('symmetric self');
const setMarker = (s: number): ModelValue => new ModelValue(`symmetric set ${s}`);
/** slotOwner's marks of a fixed slot and of a slot no signature reads. */
const FIXED_SLOT = -2;
const NO_MEMBER = -1;

export class RowSymmetry {
  private readonly perms: Permutation[];
  /** Per permutation: the slot each slot's value comes from (the inverse of its slot move). */
  private readonly sources: Int32Array[];
  /** Per permutation: code -> permuted code, filled on demand (0: not yet known). */
  private readonly codeMaps: Int32Array[];
  private readonly best: Int32Array;
  private orderOf: (code: number) => number = (code) => code;
  /** How many images `canonical` has built (n! per state if it tried every permutation). */
  imagesTried = 0;

  /** All members of all sets, set by set: member g's model value, its set, and where its set starts. */
  private readonly members: ModelValue[] = [];
  private readonly memberIndex = new Map<string, number>();
  private readonly setOf: Int32Array;
  private readonly setStart: Int32Array;
  private readonly setSize: Int32Array;
  /** Per set: how much one step of its rank digit moves the permutation number. */
  private readonly radix: Int32Array;
  /** Slots no permutation moves, then per member the slots that belong to it (same length in a set). */
  private readonly fixed: Int32Array;
  private readonly own: Int32Array[];
  /** Per member: its signature at sig[sigAt[g]..], sigLen[set] ints long. */
  private readonly sig: Int32Array;
  /**
   * The signatures of the row being expanded (`prepare`), which its successors share but for the
   * members whose own slots their step wrote; per slot, the member it belongs to (FIXED_SLOT: every
   * signature reads it; NO_MEMBER: none does).
   */
  private readonly parentSig: Int32Array;
  private prepared = false;
  private readonly slotOwner: Int32Array;
  /** Per slot a signature reads, where in the signature (of each member, or of its owner) it is read. */
  private readonly slotSigPos: Int32Array;
  private readonly sigAt: Int32Array;
  private readonly sigLen: Int32Array;
  /** Per member: code - BASE -> the code's feature relative to the member (0: not yet known). */
  private readonly features: Int32Array[];
  /** The members in signature order, set by set; per position, where its tie group starts. */
  private readonly order: Int32Array;
  private readonly groupStart: Int32Array;
  /** Scratch: per member, the position its permutation sends it to. */
  private readonly target: Int32Array;
  /** The number of the identity permutation. */
  private readonly identity: number;
  /** Whether the last sort found members with equal signatures (more than one sorting order). */
  private tied = false;

  constructor(
    program: Program,
    layout: Layout,
    private readonly table: ValueTable,
  ) {
    this.perms = symmetryPermutations(program);
    const targets = instancePermutations(program, this.perms);
    const moves = this.perms.map((pi, p) => {
      const move = new Int32Array(layout.width);
      const place = (from: number, to: number, shape: LShape): void => {
        if (shape.kind === 'leaf') {
          move[from] = to;
          return;
        }
        const w = shape.elem.width;
        shape.domain.forEach((k, i) => {
          const j = shape.index.get(table.intern(permuteValue(k, pi)));
          place(from + i * w, to + (j < 0 ? i : j) * w, shape.elem);
        });
      };
      for (const g of layout.globals) place(g.off, g.off, g.shape);
      program.instances.forEach((_, i) => {
        const t = targets[p][i];
        move[layout.pcSlot[i]] = layout.pcSlot[t];
        if (layout.stackSlot[i] >= 0) move[layout.stackSlot[i]] = layout.stackSlot[t];
        layout.pvarSlot.forEach((slots, v) => slots[i] >= 0 && place(slots[i], slots[t], layout.pvarShapes[v]));
      });
      return move;
    });
    this.sources = moves.map((move) => {
      const from = new Int32Array(move.length);
      move.forEach((to, j) => (from[to] = j));
      return from;
    });
    this.codeMaps = this.perms.map(() => new Int32Array(0));
    this.identity = this.perms.findIndex((pi) => [...pi].every(([name, image]) => image.name === name));
    this.best = new Int32Array(layout.width);

    const sets = symmetrySets(program);
    sets.forEach((set) => this.members.push(...set));
    this.members.forEach((mv, g) => this.memberIndex.set(mv.name, g));
    const m = this.members.length;
    this.setOf = new Int32Array(m);
    this.setStart = Int32Array.from(sets, (_, s) => sets.slice(0, s).reduce((a, x) => a + x.length, 0));
    this.setSize = Int32Array.from(sets, (set) => set.length);
    sets.forEach((set, s) => this.setOf.fill(s, this.setStart[s], this.setStart[s] + set.length));
    const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
    this.radix = Int32Array.from(sets, (_, s) => sets.slice(s + 1).reduce((a, x) => a * factorial(x.length), 1));

    // Which symmetric members each slot's keys and owner mention.
    const index = this.memberIndex;
    const mentioned = (v: Value, into: Set<number>): Set<number> => {
      const out = new Set(into);
      mapModelValues(v, (mv) => (index.has(mv.name) && out.add(index.get(mv.name)!), mv));
      return out;
    };
    const mentions: Set<number>[] = new Array(layout.width);
    const walk = (off: number, shape: LShape, m: Set<number>): void => {
      if (shape.kind === 'leaf') mentions[off] = m;
      else shape.domain.forEach((k, i) => walk(off + i * shape.elem.width, shape.elem, mentioned(k, m)));
    };
    for (const g of layout.globals) walk(g.off, g.shape, new Set());
    program.instances.forEach((inst, i) => {
      const m = mentioned(inst.id, new Set());
      mentions[layout.pcSlot[i]] = m;
      if (layout.stackSlot[i] >= 0) mentions[layout.stackSlot[i]] = m;
      layout.pvarSlot.forEach((slots, v) => slots[i] >= 0 && walk(slots[i], layout.pvarShapes[v], m));
    });
    const slotsOf = (test: (m: Set<number>) => boolean): Int32Array => Int32Array.from(mentions.flatMap((m, j) => (test(m) ? [j] : [])));
    this.fixed = slotsOf((m) => m.size === 0);
    // The transposition of e_0 and e_k: the set's rank digit of that swap, the other sets fixed.
    const swap = (s: number, k: number): number => {
      const img = Int32Array.from({ length: this.setSize[s] }, (_, i) => (i === 0 ? k : i === k ? 0 : i));
      return permutationRank(img, 0, img.length) * this.radix[s];
    };
    this.own = this.members.map((_, g) => {
      const s = this.setOf[g];
      const first = slotsOf((m) => m.size === 1 && m.has(this.setStart[s]));
      const move = moves[swap(s, g - this.setStart[s])];
      return first.map((j) => move[j]);
    });
    this.sigLen = Int32Array.from(sets, (_, s) => this.fixed.length + this.own[this.setStart[s]].length);
    this.sigAt = new Int32Array(m);
    for (let g = 1; g < m; g++) this.sigAt[g] = this.sigAt[g - 1] + this.sigLen[this.setOf[g - 1]];
    this.sig = new Int32Array(m === 0 ? 0 : this.sigAt[m - 1] + this.sigLen[this.setOf[m - 1]]);
    this.parentSig = new Int32Array(this.sig.length);
    this.slotOwner = new Int32Array(layout.width).fill(NO_MEMBER);
    this.slotSigPos = new Int32Array(layout.width);
    this.fixed.forEach((j, i) => {
      this.slotOwner[j] = FIXED_SLOT;
      this.slotSigPos[j] = i;
    });
    this.own.forEach((slots, g) =>
      slots.forEach((j, i) => {
        this.slotOwner[j] = g;
        this.slotSigPos[j] = this.fixed.length + i;
      }),
    );
    this.features = this.members.map(() => new Int32Array(0));
    this.order = new Int32Array(m);
    this.groupStart = new Int32Array(m);
    this.target = new Int32Array(m);
  }

  /**
   * Compares codes by `order` when choosing a symmetric image: in a parallel search by their global
   * codes (../parallel/codes.ts), so that every thread picks the same image.
   */
  useOrder(order: (code: number) => number): void {
    this.orderOf = order;
    this.features.fill(new Int32Array(0));
    this.prepared = false;
  }

  /** Computes the signatures of `src`, the row whose successors come next (canonical's `written`). */
  prepare(src: Int32Array): void {
    this.signatures(src);
    this.parentSig.set(this.sig);
    this.prepared = true;
  }

  get active(): boolean {
    return this.perms.length > 0;
  }

  /**
   * The canonical image of `row`: `row` itself when it is sorted and no two members tie (then the
   * identity is the only sorting order), else a buffer reused by the next call. The first sorting
   * order's image is written into `best`; each further one is compared slot by slot as it is
   * computed, given up at the first slot where it is greater, and written over `best` from the first
   * where it is less. `written`: for a successor of the row last prepared, the slots where it may
   * differ from it (then only the signatures they belong to are computed again).
   */
  canonical(row: Int32Array, written: Int32Array | null = null): Int32Array {
    const { best, order, groupStart } = this;
    const m = order.length;
    if (written !== null && this.prepared) this.successorSignatures(row, written);
    else this.signatures(row);
    this.tied = false;
    for (let s = 0; s < this.setSize.length; s++) this.sortSet(s);
    const w = row.length;
    let first = true;
    do {
      const p = this.permutationOfOrder();
      this.imagesTried++;
      if (first && p === this.identity && !this.tied) return row;
      const from = this.sources[p];
      let j = 0;
      if (!first) {
        for (; j < w; j++) {
          const v = this.permuteCode(p, row[from[j]]);
          if (v === best[j]) continue;
          if (this.orderOf(v) < this.orderOf(best[j])) best[j++] = v;
          else j = w;
          break;
        }
      }
      for (; j < w; j++) best[j] = this.permuteCode(p, row[from[j]]);
      first = false;
    } while (nextTieBreak(order, groupStart, m));
    return best;
  }

  /** Each member's signature in `row`. */
  private signatures(row: Int32Array): void {
    const { sig, fixed, sigAt } = this;
    for (let i = 0; i < fixed.length; i++) this.fixedFeature(row[fixed[i]], i);
    for (let g = 0; g < sigAt.length; g++) {
      let at = sigAt[g] + fixed.length;
      const own = this.own[g];
      for (let i = 0; i < own.length; i++) sig[at++] = this.feature(row[own[i]], g);
    }
  }

  /** Feature `pos` of every member's signature: that of `code`, in a fixed slot, relative to each member. */
  private fixedFeature(code: number, pos: number): void {
    const { sig, sigAt } = this;
    // A code below BASE names no member: its feature is the same for all.
    if (code < BASE) {
      const f = this.orderOf(code);
      for (let g = 0; g < sigAt.length; g++) sig[sigAt[g] + pos] = f;
    } else for (let g = 0; g < sigAt.length; g++) sig[sigAt[g] + pos] = this.feature(code, g);
  }

  /**
   * Each member's signature in `row`, a successor of the prepared row that may differ from it in
   * the slots `written` alone: the prepared signatures, with the feature of each written slot
   * computed again (a signature's every feature reads one slot), for every member when the slot is
   * fixed, else for its owner.
   */
  private successorSignatures(row: Int32Array, written: Int32Array): void {
    const { sig, sigAt, slotOwner, slotSigPos } = this;
    sig.set(this.parentSig);
    for (let i = 0; i < written.length; i++) {
      const j = written[i];
      const owner = slotOwner[j];
      if (owner === NO_MEMBER) continue;
      const pos = slotSigPos[j];
      if (owner !== FIXED_SLOT) sig[sigAt[owner] + pos] = this.feature(row[j], owner);
      else this.fixedFeature(row[j], pos);
    }
  }

  /** Orders set s's members by signature (ties by member) and marks the tie groups. */
  private sortSet(s: number): void {
    const { order, groupStart } = this;
    const lo = this.setStart[s];
    const hi = lo + this.setSize[s];
    for (let g = lo; g < hi; g++) {
      let k = g;
      while (k > lo && this.compareSignatures(order[k - 1], g, s) > 0) {
        order[k] = order[k - 1];
        k--;
      }
      order[k] = g;
    }
    groupStart[lo] = lo;
    for (let i = lo + 1; i < hi; i++) {
      if (this.compareSignatures(order[i - 1], order[i], s) !== 0) groupStart[i] = i;
      else {
        groupStart[i] = groupStart[i - 1];
        this.tied = true;
      }
    }
  }

  private compareSignatures(a: number, b: number, s: number): number {
    const { sig } = this;
    const n = this.sigLen[s];
    const x = this.sigAt[a];
    const y = this.sigAt[b];
    for (let i = 0; i < n; i++) if (sig[x + i] !== sig[y + i]) return sig[x + i] < sig[y + i] ? -1 : 1;
    return 0;
  }

  /** The number of the permutation sending the member at position k of `order` to member k. */
  private permutationOfOrder(): number {
    const { order, target } = this;
    let p = 0;
    for (let s = 0; s < this.setSize.length; s++) {
      const lo = this.setStart[s];
      const n = this.setSize[s];
      for (let k = 0; k < n; k++) target[order[lo + k]] = k;
      p += permutationRank(target, lo, n) * this.radix[s];
    }
    return p;
  }

  /** The feature of `code` relative to member g (see the head of this file). */
  private feature(code: number, g: number): number {
    if (code < BASE) return this.orderOf(code);
    let known = this.features[g];
    const i = code - BASE;
    if (i >= known.length) {
      const grown = new Int32Array(Math.max(64, (i + 1) * 2));
      grown.set(known);
      this.features[g] = known = grown;
    }
    if (known[i] === 0) known[i] = this.orderOf(this.table.intern(this.relative(this.table.value(code), g)));
    return known[i];
  }

  /** `v` relative to member g: g as SELF, the other members as their sets' markers. */
  private relative(v: Value, g: number): Value {
    return mapModelValues(v, (mv) => {
      const h = this.memberIndex.get(mv.name);
      return h === undefined ? mv : h === g ? SELF : setMarker(this.setOf[h]);
    });
  }

  private permuteCode(p: number, code: number): number {
    if (code < BASE) return code;
    let map = this.codeMaps[p];
    const i = code - BASE;
    if (i >= map.length) {
      const grown = new Int32Array(Math.max(64, (i + 1) * 2));
      grown.set(map);
      this.codeMaps[p] = map = grown;
    }
    if (map[i] === 0) map[i] = this.table.intern(permuteValue(this.table.value(code), this.perms[p]));
    return map[i];
  }
}

/**
 * Steps `order` to its next tie break: the tie groups (runs with one groupStart) are permuted like
 * an odometer, the last group fastest, each through its orders lexicographically; false (every group
 * back in ascending order) after the last.
 */
function nextTieBreak(order: Int32Array, groupStart: Int32Array, m: number): boolean {
  for (let hi = m; hi > 0; hi = groupStart[hi - 1]) {
    const lo = groupStart[hi - 1];
    let i = hi - 2;
    while (i >= lo && order[i] > order[i + 1]) i--;
    if (i >= lo) {
      let j = hi - 1;
      while (order[j] < order[i]) j--;
      swapAt(order, i, j);
      reverse(order, i + 1, hi);
      return true;
    }
    reverse(order, lo, hi);
  }
  return false;
}

function swapAt(a: Int32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

function reverse(a: Int32Array, lo: number, hi: number): void {
  for (let i = lo, j = hi - 1; i < j; i++, j--) swapAt(a, i, j);
}
