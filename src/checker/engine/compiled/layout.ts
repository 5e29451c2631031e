// Where each part of a state lives in the compiled engine's int32 row: globals flattened by their
// Shape (a `fn` shape becomes one slot per domain element, recursively), then per instance its pc,
// its process variables flattened the same way, and its call stack. Also the slow paths between a
// flattened variable and its immutable value (compose, writeFitting).
import type { Program, Shape } from '../../../lang/ir.js';
import { ownsProcessVar } from '../../../lang/ir.js';
import type { Value } from '../../../lang/values.js';
import { mkFn } from '../../../lang/values.js';
import { KeyIndex, type ValueTable } from './valuetable.js';

/** A Shape with its slot width and, for a function, the index from key codes to positions. */
export type LShape =
  | { kind: 'leaf'; width: 1 }
  | { kind: 'fn'; ir: Shape; domain: Value[]; index: KeyIndex; elem: LShape; width: number };

export function layoutShape(shape: Shape, table: ValueTable): LShape {
  if (shape.kind === 'leaf') return { kind: 'leaf', width: 1 };
  const elem = layoutShape(shape.elem, table);
  const keys = Int32Array.from(shape.domain, (d) => table.intern(d));
  return { kind: 'fn', ir: shape, domain: shape.domain, index: new KeyIndex(keys), elem, width: keys.length * elem.width };
}

/** The immutable value stored flattened at `row[off..]`. */
export function compose(table: ValueTable, row: Int32Array, off: number, shape: LShape): Value {
  if (shape.kind === 'leaf') return table.value(row[off]);
  const elem = shape.elem;
  return mkFn(shape.domain.map((d, i) => [d, compose(table, row, off + i * elem.width, elem)] as [Value, Value]));
}

/**
 * Writes the value `code` flattened at `row[off..]`, a value that fits `shape` (fitsShape of its
 * value and `shape.ir`: the caller tests that, once per code).
 */
export function writeFitting(table: ValueTable, row: Int32Array, off: number, shape: LShape, code: number): void {
  if (shape.kind === 'leaf') {
    row[off] = code;
    return;
  }
  // Entries come in canonical key order; the index maps each key to its position in the shape.
  const entries = table.entries(code);
  const keys = entries[0];
  const vals = entries[1];
  const elem = shape.elem;
  for (let i = 0; i < keys.length; i++) writeFitting(table, row, off + shape.index.get(keys[i]) * elem.width, elem, vals[i]);
}

export interface Layout {
  width: number;
  globals: { off: number; shape: LShape }[];
  /** Per process variable, its shape. */
  pvarShapes: LShape[];
  /** Per instance: the pc slot, the stack slot (-1 when the program has no procedures). */
  pcSlot: Int32Array;
  stackSlot: Int32Array;
  /** Per process variable, per instance: its offset, or -1 when the instance does not own it. */
  pvarSlot: Int32Array[];
}


export function makeLayout(program: Program, table: ValueTable): Layout {
  let off = 0;
  const globals = program.globals.map((g) => {
    const shape = layoutShape(g.shape, table);
    const at = off;
    off += shape.width;
    return { off: at, shape };
  });
  const pvarShapes = program.processVars.map((v) => layoutShape(v.shape, table));
  const n = program.instances.length;
  const pcSlot = new Int32Array(n);
  const stackSlot = new Int32Array(n).fill(-1);
  const pvarSlot = program.processVars.map(() => new Int32Array(n).fill(-1));
  for (let inst = 0; inst < n; inst++) {
    pcSlot[inst] = off++;
    program.processVars.forEach((_, v) => {
      if (!ownsProcessVar(program, inst, v)) return;
      pvarSlot[v][inst] = off;
      off += pvarShapes[v].width;
    });
    if (program.procedures.length > 0) stackSlot[inst] = off++;
  }
  return { width: off, globals, pvarShapes, pcSlot, stackSlot, pvarSlot };
}
