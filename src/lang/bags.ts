// The standard module Bags (EXTENDS Bags) as expressions of the IR: a bag is a function from its
// elements to their (positive) counts, as in TLC, so each operator lowers to functions, DOMAIN,
// sets and arithmetic the engines already evaluate alike, and needs nothing of its own in either.
// Arguments used more than once are bound once (letIn). SubBag, BagOfAll and \sqsubseteq are not
// here: a name of them is not defined (LS2001 at it), never a silent guess.
import type { Span } from '../diagnostics/span.js';
import { assertNever } from './ir.js';
import type * as IR from './ir.js';
import { mkFn } from './values.js';

export type BagOperator = 'SetToBag' | 'BagToSet' | 'BagIn' | 'CopiesIn' | 'IsABag' | 'BagCardinality' | 'BagUnion';

/** The Bags operators taking arguments, by name: their arity. */
export const BAG_ARITY: Readonly<Record<BagOperator, number>> = {
  SetToBag: 1, BagToSet: 1, BagIn: 2, CopiesIn: 2, IsABag: 1, BagCardinality: 1, BagUnion: 1,
};

export const isBagOperator = (name: string): name is BagOperator => Object.hasOwn(BAG_ARITY, name);

/** `EmptyBag`: the function with an empty domain (equal to `<<>>`, as in TLC). */
export const EMPTY_BAG: IR.Expr = { k: 'lit', value: mkFn([]) };

type Fresh = () => number;

const bound = (id: number, name: string): IR.Expr => ({ k: 'bound', id, name });
const lit = (value: number): IR.Expr => ({ k: 'lit', value });

/** `body(x)` with `value` bound once to x (used as it is when it is already a name or a literal). */
function once(value: IR.Expr, name: string, fresh: Fresh, body: (x: IR.Expr) => IR.Expr): IR.Expr {
  if (value.k === 'bound' || value.k === 'lit' || value.k === 'global') return body(value);
  const id = fresh();
  return { k: 'letIn', bound: id, value, body: body(bound(id, name)) };
}

const domain = (b: IR.Expr, span: Span): IR.Expr => ({ k: 'builtin', op: 'DOMAIN', args: [b], span });

/** `[x \in set |-> body(x)]`. */
function fnOver(set: IR.Expr, fresh: Fresh, span: Span, body: (x: IR.Expr) => IR.Expr): IR.Expr {
  const id = fresh();
  return { k: 'fnCons', bounds: [id], sets: [set], body: body(bound(id, 'e')), span };
}

/** `CopiesIn(e, B)`: IF e \in DOMAIN B THEN B[e] ELSE 0 (e and B already bound). */
function copies(e: IR.Expr, b: IR.Expr, span: Span): IR.Expr {
  return { k: 'ite', cond: { k: 'bin', op: 'in', left: e, right: domain(b, span), span }, then: { k: 'apply', fn: b, arg: e, span }, else: lit(0) };
}

/** `\sum_{x \in set} count(x)` for non-negative counts: the number of pairs <<x, i>>, i \in 1..count(x). */
function sumOver(set: IR.Expr, fresh: Fresh, span: Span, count: (x: IR.Expr) => IR.Expr): IR.Expr {
  const [x, i] = [fresh(), fresh()];
  const pairs: IR.Expr = {
    k: 'setMap', bounds: [i], sets: [{ k: 'bin', op: '..', left: lit(1), right: count(bound(x, 'e')), span }],
    body: { k: 'tuple', elems: [bound(x, 'e'), bound(i, 'i')] }, span,
  };
  const all: IR.Expr = { k: 'builtin', op: 'UNION', args: [{ k: 'setMap', bounds: [x], sets: [set], body: pairs, span }], span };
  return { k: 'builtin', op: 'Cardinality', args: [all], span };
}

/** `B1 (+) B2` and `B1 (-) B2` (TLC's Bags: a count that falls to 0 or below leaves the bag). */
export function bagArith(op: '(+)' | '(-)', left: IR.Expr, right: IR.Expr, fresh: Fresh, span: Span): IR.Expr {
  return once(left, 'B1', fresh, (b1) => once(right, 'B2', fresh, (b2) => {
    if (op === '(+)') {
      const keys: IR.Expr = { k: 'bin', op: 'cup', left: domain(b1, span), right: domain(b2, span), span };
      return fnOver(keys, fresh, span, (e) => ({ k: 'bin', op: '+', left: copies(e, b1, span), right: copies(e, b2, span), span }));
    }
    const diff = fnOver(domain(b1, span), fresh, span, (e) => ({ k: 'bin', op: '-', left: copies(e, b1, span), right: copies(e, b2, span), span }));
    return once(diff, 'B', fresh, (b) => {
      const d = fresh();
      const kept: IR.Expr = { k: 'setFilter', bound: d, set: domain(b, span), cond: { k: 'bin', op: '>', left: { k: 'apply', fn: b, arg: bound(d, 'd'), span }, right: lit(0), span }, span };
      return fnOver(kept, fresh, span, (e) => ({ k: 'apply', fn: b, arg: e, span }));
    });
  }));
}

/** A Bags operator of BAG_ARITY applied to its (lowered) arguments. */
export function bagOperator(name: BagOperator, args: IR.Expr[], fresh: Fresh, span: Span): IR.Expr {
  switch (name) {
    case 'SetToBag':
      return fnOver(args[0], fresh, span, () => lit(1));
    case 'BagToSet':
      return domain(args[0], span);
    case 'BagIn':
      return { k: 'bin', op: 'in', left: args[0], right: domain(args[1], span), span };
    case 'CopiesIn':
      return once(args[0], 'e', fresh, (e) => once(args[1], 'B', fresh, (b) => copies(e, b, span)));
    case 'IsABag':
      // B \in [DOMAIN B -> {n \in Nat : n > 0}], as B \in [DOMAIN B -> Nat] /\ \A e \in DOMAIN B : B[e] > 0.
      return once(args[0], 'B', fresh, (b) => {
        const counts: IR.Expr = { k: 'bin', op: 'in', left: b, right: { k: 'fnSet', domain: domain(b, span), range: { k: 'infSet', name: 'Nat', span }, span }, span };
        const e = fresh();
        const positive: IR.Expr = { k: 'quant', forall: true, bounds: [e], sets: [domain(b, span)], body: { k: 'bin', op: '>', left: { k: 'apply', fn: b, arg: bound(e, 'e'), span }, right: lit(0), span }, span };
        return { k: 'and', args: [counts, positive] };
      });
    case 'BagCardinality':
      return once(args[0], 'B', fresh, (b) => sumOver(domain(b, span), fresh, span, (e) => ({ k: 'apply', fn: b, arg: e, span })));
    case 'BagUnion':
      return once(args[0], 'S', fresh, (s) => {
        const bag = fresh();
        const keys: IR.Expr = { k: 'builtin', op: 'UNION', args: [{ k: 'setMap', bounds: [bag], sets: [s], body: domain(bound(bag, 'B'), span), span }], span };
        return fnOver(keys, fresh, span, (e) => sumOver(s, fresh, span, (b) => copies(e, b, span)));
      });
    default:
      return assertNever(name);
  }
}
