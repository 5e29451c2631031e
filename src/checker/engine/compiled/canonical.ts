// Symmetry reduction on compiled rows: each permutation of the symmetry sets (../symmetry.ts) is
// turned into a slot move (flattened keys and instance blocks go where the permutation sends them)
// plus a code map (values are permuted), and a row is replaced by the least of its images in
// row order (codes compared by orderOf). Every state of an orbit has the same images, so this form is exact: the counts are
// the reference's orbit counts (its representative, chosen in value order, may differ).
import type { Program } from '../../../lang/ir.js';
import { instancePermutations, permuteValue, symmetryPermutations, type Permutation } from '../permutations.js';
import type { Layout, LShape } from './layout.js';
import { BASE, type ValueTable } from './valuetable.js';

export class RowSymmetry {
  private readonly perms: Permutation[];
  /** Per permutation: the slot each slot's value moves to. */
  private readonly moves: Int32Array[];
  /** Per permutation: code -> permuted code, filled on demand (0: not yet known). */
  private readonly codeMaps: Int32Array[];
  private readonly image: Int32Array;
  private readonly best: Int32Array;

  constructor(
    program: Program,
    layout: Layout,
    private readonly table: ValueTable,
  ) {
    this.perms = symmetryPermutations(program);
    const targets = instancePermutations(program, this.perms);
    this.moves = this.perms.map((pi, p) => {
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
    this.codeMaps = this.perms.map(() => new Int32Array(0));
    this.image = new Int32Array(layout.width);
    this.best = new Int32Array(layout.width);
  }

  /**
   * The number a code is compared by when images are ordered: the code itself, or in a parallel
   * search its global code (../parallel/codes.ts), so that every thread picks the same image.
   */
  orderOf: (code: number) => number = (code) => code;

  get active(): boolean {
    return this.perms.length > 0;
  }

  /** The least image of `row` under every permutation (a buffer reused by the next call). */
  canonical(row: Int32Array): Int32Array {
    const { image, best } = this;
    const w = row.length;
    for (let p = 0; p < this.perms.length; p++) {
      const move = this.moves[p];
      for (let j = 0; j < w; j++) image[move[j]] = this.permuteCode(p, row[j]);
      let less = p === 0;
      if (!less) {
        let j = 0;
        while (j < w && image[j] === best[j]) j++;
        less = j < w && this.orderOf(image[j]) < this.orderOf(best[j]);
      }
      if (less) best.set(image);
    }
    return best;
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
