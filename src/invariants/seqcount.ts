// Sequence counts: write_seqcount_begin(s, L) and write_seqcount_end(s) on a variable holding the
// sequence (odd while a writer is inside), with SeqcountWriterUnlocked, a writer section entered
// without holding its lock L, and SeqcountNestedWriter, a writer section entered while another is
// open (the count already odd) or ended when none is (the count even). The readers'
// read_seqcount_begin()/read_seqcount_retry() are plain reads, macros of the kernel library.
import type * as IR from '../lang/ir.js';
import { SELF, check, eq, lit, nameOf, operandRead, type KernelContext } from './context.js';

export function seqcountWrite(ctx: KernelContext, s: Extract<IR.Stmt, { k: 'seqWrite' }>): IR.Stmt[] {
  const { begin, counter, read, lock, span } = s;
  const odd = eq({ k: 'bin', op: '%', left: read, right: lit(2), span }, lit(1), span);
  const what = begin ? 'write_seqcount_begin()' : 'write_seqcount_end()';
  return [
    ...(lock ? check(ctx, eq(operandRead(lock), SELF, span), 'SeqcountWriterUnlocked', `${what} without holding ${nameOf(ctx, lock)}`, span) : []),
    ...check(ctx, begin ? { k: 'not', arg: odd } : odd, 'SeqcountNestedWriter', begin ? `${what} while a writer section is open` : `${what} outside a writer section`, span),
    { k: 'assign', targets: [counter], values: [{ k: 'bin', op: '+', left: read, right: lit(1), span }], span },
  ];
}
