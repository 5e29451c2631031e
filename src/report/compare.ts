// The design comparison table of `lockspec compare`: one row per design with its verdict, the
// property that fails, the trace length, the state count, the time, the cover properties that hold
// and each lock's hold span and bypass count, so that the trade-off between designs reads at a glance.
import type { CheckOutcome } from '../checker/check.js';
import type { LockStats } from '../checker/search/lock-stats.js';
import { formatNumber, formatSeconds } from './text.js';

interface Table {
  head: string[];
  rows: string[][];
}

function lockNames(outcomes: CheckOutcome[]): string[] {
  const names = new Set<string>();
  for (const o of outcomes) for (const name of Object.keys(o.lockStats)) names.add(name);
  return [...names].sort();
}

function holdText(o: CheckOutcome, lock: string): string {
  const s = o.lockStats[lock];
  if (!s) return '-';
  const hold = s.maxHoldSteps === null ? '?' : Number.isFinite(s.maxHoldSteps) ? String(s.maxHoldSteps) : 'unbounded';
  return `${hold} / ${s.maxWaiters}`;
}

/** A lock's bypass count: a number, `unbounded` (some fair behaviour starves a waiter), `unbounded (unfair)`, or `?` when unknown. */
function bypassText(s: LockStats): string {
  if (s.maxBypass === null) return '?';
  if (Number.isFinite(s.maxBypass)) return String(s.maxBypass);
  return s.starvation === 'unfair' ? 'unbounded (unfair)' : 'unbounded';
}

/** One `reachable` property of a checked program: whether some reachable state satisfies it (null: not checked, the search stopped early). */
export interface CoverResult {
  name: string;
  holds: boolean | null;
}

/** Each cover property of the outcome's program, in declaration order, with its result. */
export function coverResults(o: CheckOutcome): CoverResult[] {
  const failed = new Set(o.violations.filter((v) => v.failure.kind === 'cover').map((v) => v.failure.property));
  return (o.program?.reachable ?? []).map((r) => ({ name: r.name, holds: o.progressChecked ? !failed.has(r.name) : null }));
}

/** `k/n` cover properties hold, with the ones not reached named; `?` when they were not checked. */
function reachText(o: CheckOutcome): string {
  const covers = coverResults(o);
  if (covers.length === 0) return '-';
  if (!o.progressChecked) return '?';
  const missed = covers.filter((c) => !c.holds).map((c) => c.name);
  const count = `${covers.length - missed.length}/${covers.length}`;
  return missed.length ? `${count} (not reached: ${missed.join(', ')})` : count;
}

/** The first failing property, and how many more failed (a search that continued finds them all). */
function failedText(o: CheckOutcome): string {
  if (!o.failure) return o.verdict === 'incomplete' ? `(${o.limit})` : '-';
  const more = o.violations.length - 1;
  return more > 0 ? `${o.failure.property} (+${more} more)` : o.failure.property;
}

/** The lock-order graph's class edges, `A>B C>D` (an edge inside a class is `bl>bl`), or `-` when none or not checked. */
function orderText(o: CheckOutcome): string {
  const edges = o.lockOrder?.edges ?? [];
  return edges.length ? edges.map((e) => `${e.from}>${e.to}`).join(' ') : '-';
}

export function compareTable(outcomes: CheckOutcome[]): Table {
  const locks = lockNames(outcomes);
  // The reach column only when some design declares a cover property.
  const reach = outcomes.some((o) => (o.program?.reachable?.length ?? 0) > 0);
  // The lock-order column only when some design nests one lock inside another.
  const order = outcomes.some((o) => (o.lockOrder?.edges.length ?? 0) > 0);
  const head = ['design', 'verdict', 'property', 'trace', 'distinct', 'time', ...(reach ? ['reach'] : []), ...locks.map((l) => `${l} hold/waiters`), ...locks.map((l) => `${l} bypass`), ...(order ? ['lock order'] : [])];
  const rows = outcomes.map((o) => [
    o.design ?? o.program?.name ?? o.spec,
    o.verdict,
    failedText(o),
    o.trace?.length ? String(o.trace.length) : '-',
    formatNumber(o.distinct),
    formatSeconds(o.elapsedMs),
    ...(reach ? [reachText(o)] : []),
    ...locks.map((l) => holdText(o, l)),
    ...locks.map((l) => (o.lockStats[l] ? bypassText(o.lockStats[l]) : '-')),
    ...(order ? [orderText(o)] : []),
  ]);
  return { head, rows };
}

export function formatCompare(outcomes: CheckOutcome[], format: 'text' | 'markdown'): string {
  const { head, rows } = compareTable(outcomes);
  if (format === 'markdown') {
    const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
    return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const notes = outcomes.flatMap((o) =>
    o.deadLabels.length ? [`${o.design ?? o.spec}: labels never executed: ${o.deadLabels.join(', ')}`] : [],
  );
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), ...(notes.length ? ['', ...notes] : [])].join('\n');
}
