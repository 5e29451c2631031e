// The human report of a check: a header, then either the figures of a passing run or each failed
// property and its shortest trace drawn one column per process, the way races are drawn on
// kernel mailing lists.
import type { CheckOutcome } from '../checker/check.js';
import type { TraceStep } from '../checker/search/breadth-first.js';
import type { CycleConduct, Violation } from '../checker/search/results.js';
import type { Program } from '../lang/ir.js';
import { formatDiagnostic } from '../diagnostics/diagnostics.js';
import { showValue } from '../lang/values.js';
import { formatChanges, formulaReads, freedObjects, readValues, stateChanges } from './trace.js';

/** The widest a process's column grows, however wide the terminal; the narrowest it shrinks to. */
const MAX_CELL = 48;
const MIN_CELL = 16;
/** The width reports fit when none is given (and the most a headline takes). */
export const DEFAULT_WIDTH = 100;

/** `n` rounded, its digits grouped by threes with commas, as toLocaleString('en-US') writes it. */
export function formatNumber(n: number): string {
  const rounded = Math.round(n);
  // Grouped here: a process's first toLocaleString loads ICU's number formatting, about 20 ms of
  // CPU in every check. What this does not write the same way (-0, NaN, past 2^53) is left to ICU.
  if (!Number.isSafeInteger(rounded) || Object.is(rounded, -0)) return rounded.toLocaleString('en-US');
  const grouped = String(Math.abs(rounded)).replace(/\B(?=(\d{3})+$)/g, ',');
  return rounded < 0 ? `-${grouped}` : grouped;
}

export function statesPerSecond(o: { distinct: number; elapsedMs: number }): number {
  return o.elapsedMs > 0 ? (o.distinct * 1000) / o.elapsedMs : o.distinct * 1000;
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** How a report names the run: a breadth-first check (shortest traces) or a random simulation. */
export type RunKind = 'check' | 'simulate';

function header(o: CheckOutcome, kind: RunKind): string[] {
  const consts = o.program?.constants.map((c) => `${c.name} = ${showValue(c.value)}`).join(', ') || '(none)';
  return [
    `lockspec ${kind} ${o.spec}`,
    `  spec       ${o.program?.name ?? '?'}`,
    `  design     ${o.design ?? '(base model)'}`,
    `  constants  ${consts}`,
    `  engine     ${o.engine}`,
    '',
  ];
}

function figures(o: CheckOutcome): string {
  return `${formatNumber(o.distinct)} distinct states, ${formatNumber(o.generated)} generated, depth ${o.depth}, ${formatSeconds(o.elapsedMs)} (${formatNumber(statesPerSecond(o))} states/s)`;
}

/** Greedy word wrap of a cell's items to the column width; an item wider than the column breaks at its spaces. */
function wrap(items: string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items.flatMap((i) => (i.length > width - 2 ? i.split(' ') : [i]))) {
    if (line && line.length + 1 + item.length > width) {
      lines.push(line);
      line = '  ' + item;
    } else line = line ? `${line} ${item}` : item;
  }
  if (line) lines.push(line);
  return lines;
}

/** A violation's trace as a table: a row per step, a column per process that moves in it. */
function formatTrace(o: CheckOutcome, v: Violation, trace: TraceStep[], width: number): string[] {
  const program = o.program!;
  const out: string[] = [];
  const first = trace[0].state;
  const initItems = program.globals.map((g, i) => (g.hidden ? '' : `${g.name}=${showValue(first.globals[i])}`)).filter(Boolean);
  program.instances.forEach((inst, i) => {
    initItems.push(`pc[${showValue(inst.id)}]=${showValue(first.pcs[i])}`);
    program.processVars.forEach((v, j) => {
      const x = first.pvars[i][j];
      if (x !== null && v.owner.kind === 'process') initItems.push(`${v.name}[${showValue(inst.id)}]=${showValue(x)}`);
    });
  });
  out.push(...wrap(['Initial state:', ...initItems], width).map((l) => l.replace(/^ {2}/, '    ')), '');

  /** A cell: its label (with the description) and its changes, each wrapped on its own lines. */
  type Row = { step: number; col: number; items: string[]; changes?: string[] };
  const rows: Row[] = [];
  const columns: number[] = [];
  const colOf = (instance: number): number => {
    let c = columns.indexOf(instance);
    if (c < 0) c = columns.push(instance) - 1;
    return c;
  };
  for (let i = 1; i < trace.length; i++) {
    const step = trace[i];
    const label = program.labels[step.label];
    const changes = stateChanges(program, trace[i - 1].state, step.state, step.instance);
    // The description may wrap word by word; each change stays whole.
    const described = label.description ? [label.name, ...`(${label.description})`.split(' ')] : [label.name];
    const changed = changes.map((c) => formatChanges([c]));
    const freed = freedObjects(program, step.state).filter((f) => !freedObjects(program, trace[i - 1].state).includes(f));
    if (freed.length) changed.push(`<- frees ${freed.join(', ')}`);
    rows.push({ step: i, col: colOf(step.instance), items: described, changes: changed });
  }
  if (v.failingStep && v.failingStep.instance >= 0) {
    const label = program.labels[v.failingStep.label];
    rows.push({ step: trace.length, col: colOf(v.failingStep.instance), items: [label.name, `<- ${v.failure.property}: ${v.failure.message}`] });
  }
  if (rows.length === 0) return out;
  // The columns share the width: a step number, then a column per process two spaces apart.
  const stepDigits = String(rows[rows.length - 1].step).length;
  const cell = Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor((width - stepDigits - 1 - 2 * (columns.length - 1)) / columns.length)));
  const cellLines = (r: Row): string[] => [...wrap(r.items, cell), ...wrap(r.changes ?? [], cell - 2).map((l) => '  ' + l.trimStart())];
  const widths = columns.map((inst, c) => {
    const name = program.instances[inst].display;
    const cells = rows.filter((r) => r.col === c).flatMap(cellLines);
    return Math.max(name.length, ...cells.map((l) => l.length));
  });
  const num = stepDigits;
  const pad = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - s.length));
  out.push(' '.repeat(num + 1) + columns.map((inst, c) => pad(program.instances[inst].display, widths[c])).join('  ').trimEnd());
  out.push(' '.repeat(num + 1) + widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) {
    cellLines(r).forEach((line, k) => {
      const lead = k === 0 ? pad(String(r.step), num) : ' '.repeat(num);
      const before = widths.slice(0, r.col).map((w) => ' '.repeat(w + 2)).join('');
      out.push(`${lead} ${before}${line}`.trimEnd());
    });
  }
  return out;
}

/** Per label, its process (or procedure), steps taken and new states found; null when not counted. */
export function labelCoverage(o: CheckOutcome): { owner: string; label: string; taken: number; newStates: number }[] | null {
  const program = o.program;
  if (!program || !o.labelCounts) return null;
  const counts = o.labelCounts;
  return program.labels.map((l, i) => ({
    owner: l.owner.kind === 'process' ? program.processes[l.owner.index].name : program.procedures[l.owner.index].name,
    label: l.name,
    taken: counts.taken[i],
    newStates: counts.newStates[i],
  }));
}

/** `--coverage`: a row per label, the steps taken from it and the new states they found, as TLC's -coverage. */
export function formatCoverage(o: CheckOutcome): string {
  const rows = labelCoverage(o);
  const title = `Coverage${o.design ? ` of design ${o.design}` : ''}`;
  if (!rows) return `${title}: not counted.`;
  const table = [['process', 'label', 'taken', 'new states'], ...rows.map((r) => [r.owner, r.label, formatNumber(r.taken), formatNumber(r.newStates)])];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const line = (row: string[]): string => row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const never = rows.filter((r) => r.taken === 0).map((r) => r.label);
  return [
    `${title}: steps taken from each label and the new states they found`,
    ...table.map((row) => `  ${line(row)}`),
    ...(never.length && o.verdict !== 'ok' ? [`Not executed before the search stopped: ${never.join(', ')}`] : []),
  ].join('\n');
}

/**
 * The failing state in full for every variable the violated property reads, changed or not (a
 * value that never changed appears in no step).
 */
function failingStateLines(o: CheckOutcome, v: Violation, width: number): string[] {
  const program = o.program;
  const last = v.trace?.[v.trace.length - 1];
  const property = [...(program?.invariants ?? []), ...(program?.finals ?? [])].find((p) => p.name === v.failure.property);
  if (!program || !last || !property) return [];
  const items = readValues(program, last.state, formulaReads(program, property.body));
  return items.length ? wrap([`What ${property.name} reads there:`, ...items], width).map((l) => l.replace(/^ {2}/, '    ')) : [];
}

function verdictLine(v: Violation, kind: RunKind): string {
  const f = v.failure;
  const steps = v.trace ? v.trace.length - 1 + (v.failingStep ? 1 : 0) : 0;
  const states = v.trace?.length ?? 0;
  const which = kind === 'check' ? `shortest trace, ${states} states` : `a random walk's trace, ${states} states`;
  switch (f.kind) {
    case 'deadlock':
      return `Deadlock after ${steps} steps (${which}): ${f.message}`;
    case 'invariant':
      return `Invariant ${f.property} violated after ${steps} steps (${which})`;
    case 'final':
      return `End-state property ${f.property} violated after ${steps} steps (${which})`;
    case 'assert':
      return `Assertion failed at step ${steps} (${which}): ${f.message}`;
    case 'builtin':
      if (v.paths) return `${f.property}: a potential deadlock (lockdep's circular locking; no deadlock need be reached): ${f.message}`;
      return `${f.property} violated at step ${steps} (${which}): ${f.message}`;
    case 'runtime':
      return `Error in the model at step ${steps} (${which}): ${f.message}`;
    case 'temporal':
      return `Temporal property ${f.message} (a lasso: ${states} states, then a cycle)`;
    case 'cover':
      return `Reachable ${f.property} fails: ${f.message}`;
  }
}

export const FAIRNESS_WORDS: Record<CycleConduct['fairness'], string> = { weak: 'weakly fair', strong: 'strongly fair', none: 'not fair' };

/**
 * How a lasso's trace ends: the cycle back to an earlier state, or stuttering for ever in the last
 * one, with the processes that wait throughout; then each process's behaviour on the cycle and
 * so the fairness it satisfies there.
 */
function loopLines(program: Program, v: Violation): string[] {
  const last = v.trace!.length;
  const how = v.loop === last - 1
    ? `State ${last} stutters for ever: no process that fairness obliges to move can move there`
    : `Back to state ${v.loop! + 1}: the cycle from state ${v.loop! + 1} to state ${last} repeats for ever`;
  const cycle = v.cycle ?? [];
  const name = (c: CycleConduct): string => program.instances[c.instance].display;
  const waiting = cycle.filter((c) => c.at !== null).map((c) => `${name(c)} waits at ${program.labels[c.at!].name} throughout`);
  const conduct = (c: CycleConduct): string => {
    switch (c.conduct) {
      case 'steps':
        return 'takes steps';
      case 'finished':
        return 'has finished';
      case 'never-enabled':
        return 'never enabled on the cycle';
      case 'disabled':
        return `disabled in state ${c.disabledIn! + 1} on the cycle`;
      case 'stops':
        return 'takes no step';
    }
  };
  return [`${how}${waiting.length ? `; ${waiting.join(', ')}` : ''}.`, ...cycle.map((c) => `  ${name(c)}: ${FAIRNESS_WORDS[c.fairness]}, ${conduct(c)}`)];
}

/** The text report; `width` is the terminal's (traces share it between their columns, long lines wrap). */
export function formatCheck(o: CheckOutcome, kind: RunKind = 'check', width = DEFAULT_WIDTH): string {
  // Nothing was checked: the model or the command is wrong.
  if (o.verdict === 'error' && !o.failure) return o.diagnostics.map((d) => formatDiagnostic(d, o.sources)).join('\n\n');
  const out = header(o, kind);
  // Warnings (what the model says that is not checked) come before the result they qualify; a
  // runtime error found by the search is the last of them, its trace follows.
  if (o.diagnostics.length > 0) out.push(...o.diagnostics.map((d) => formatDiagnostic(d, o.sources)), '');
  if (o.verdict === 'ok') {
    out.push(`No violation: ${figures(o)}.`);
    const progress = [...(o.program?.temporal ?? []).map((t) => t.name), ...(o.program?.reachable ?? []).map((r) => `reachable ${r.name}`)];
    if (progress.length) out.push(`Progress and reachability hold under the model's fairness: ${[...new Set(progress)].join(', ')}.`);
    if (o.finishedStates > 0) out.push(`States where every process has finished: ${formatNumber(o.finishedStates)}.`);
    out.push(o.deadLabels.length ? `Warning: labels never executed: ${o.deadLabels.join(', ')} (what holds only because they never run holds vacuously)` : 'Every label was executed.');
  } else if (o.verdict === 'incomplete') {
    out.push(`Incomplete: stopped by ${o.limit} after ${figures(o)}.`);
  } else {
    // Each violated property with its own trace (several after --continue), the first found first.
    if (o.violations.length > 1) out.push(`${o.violations.length} properties violated: ${o.violations.map((v) => v.failure.property).join(', ')}.`, '');
    o.violations.forEach((v, i) => {
      if (i > 0) out.push('');
      out.push(...wrap(verdictLine(v, kind).split(' '), Math.min(width, DEFAULT_WIDTH - 1)), '');
      // A lock-order cycle: each acquisition on it with a shortest behaviour to it.
      if (v.paths) v.paths.forEach((p, k) => out.push(...(k > 0 ? [''] : []), `Path ${k + 1}: ${p.title} (${p.trace.length} states)`, '', ...formatTrace(o, v, p.trace, width)));
      else if (v.trace && v.trace.length > 0) out.push(...formatTrace(o, v, v.trace, width));
      if (v.loop !== undefined && v.loop !== null && v.trace?.length && o.program) out.push('', ...loopLines(o.program, v));
      if (v.failure.kind === 'invariant' || v.failure.kind === 'final' || v.failure.kind === 'deadlock') {
        out.push('', `State ${v.trace?.length ?? 0} ${v.failure.kind === 'deadlock' ? 'is a deadlock' : `violates ${v.failure.property}`}.`);
        out.push(...failingStateLines(o, v, width));
      }
    });
    out.push('', `Explored ${figures(o)}${o.limit ? `, then stopped by ${o.limit}` : ''}.`);
    if ((o.program?.temporal?.length || o.program?.reachable?.length) && !o.progressChecked) {
      out.push('Temporal and reachable properties were not checked: the search stopped before every state was expanded (--continue goes on).');
    }
  }
  return out.join('\n');
}
