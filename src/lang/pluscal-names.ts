// Label names as PlusCal's translator gives them. pcal.trans lets two processes or procedures use
// one label name and renames the clash (PcalSymTab.Disambiguate): the renamed name is the pc
// value, so invariants and traces must use it. lockspec renames the same way, so that a spec
// ported from PlusCal reads the pc values TLC reads.

/** A label, in PlusCal's order (procedures' labels, then processes', each in body order). */
export interface LabelEntry {
  name: string;
  /** The procedure or process it belongs to; "" in a uniprocess algorithm's body. */
  context: string;
}

/**
 * Each label's name after PlusCal's disambiguation. Names are considered in pcal.trans's type
 * order: the variables first (`pc`, `stack`, the globals: never renamed), then the labels in order;
 * a label whose name is also another symbol's current name (a variable's, another label's, or a
 * procedure's, process's or local's, which come later and keep their names) gets `_`, then the
 * characters of its context one by one, then `1` (the label type's number) until it is unique.
 */
export function pluscalLabelNames(variables: string[], labels: LabelEntry[], later: string[]): string[] {
  const current = [...variables, ...labels.map((l) => l.name), ...later];
  const count = new Map<string, number>();
  for (const n of current) count.set(n, (count.get(n) ?? 0) + 1);
  const ambiguous = (n: string): boolean => (count.get(n) ?? 0) > 1;
  return labels.map((l) => {
    let name = l.name;
    for (let suffix = 1; ambiguous(name); suffix++) {
      count.set(name, count.get(name)! - 1);
      name += suffix === 1 ? '_' : suffix > l.context.length + 1 ? '1' : l.context[suffix - 2];
      count.set(name, (count.get(name) ?? 0) + 1);
    }
    return name;
  });
}
