// Memo tables keyed by sequences of value codes. Every structured value is interned, so an operator
// applied to the same operand codes always yields the same code: the compiled engine's slow paths
// (building a set, a union, a record, an EXCEPT) run once per distinct operands and are then one
// walk down a trie of small maps, with no immutable value decoded, built or hashed.

/** A node of a trie over codes; `code` is the memoised result, `UNSET` until computed. */
export class CodeNode {
  code = UNSET;
  private next: Map<number, CodeNode> | null = null;

  /** The child for one more code (created on first sight). */
  child(code: number): CodeNode {
    if (this.next === null) this.next = new Map();
    let node = this.next.get(code);
    if (node === undefined) this.next.set(code, (node = new CodeNode()));
    return node;
  }

  /** The node for this node's sequence followed by `codes`, length first (so sequences of different lengths never share a node). */
  walk(codes: ArrayLike<number>): CodeNode {
    let node = this.child(codes.length);
    for (let i = 0; i < codes.length; i++) node = node.child(codes[i]);
    return node;
  }
}

/** No value's code: integers are their own codes within ±INT_MAX and interned codes are above it. */
export const UNSET = -0x7fffffff;

/** One trie per object the caller keys by identity (a constant list of field names, a shape). */
export class CodeMemoByObject<K extends object> {
  private readonly roots = new Map<K, CodeNode>();

  root(key: K): CodeNode {
    let node = this.roots.get(key);
    if (node === undefined) this.roots.set(key, (node = new CodeNode()));
    return node;
  }
}
