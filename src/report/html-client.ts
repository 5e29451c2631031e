// The script of the HTML report, run in the browser: it builds the page from the report's data
// (html-data.ts) embedded in it. html.ts inlines this function's source, so it must use nothing
// from outside its own body (types only).
import type { DesignView, ReportView, StepRow, TraceView } from './html-data.js';

export function renderReport(data: ReportView): void {
  type Child = Node | string | null | false;
  const h = (tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    for (const c of children) if (c !== null && c !== false) el.append(c);
    return el;
  };
  const SVG = 'http://www.w3.org/2000/svg';
  const svg = (tag: string, attrs: Record<string, string | number>): SVGElement => {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    return el;
  };
  const COLORS = ['#2f6fb3', '#c2571a', '#2e8b57', '#8e44ad', '#b8860b', '#0e8a8a', '#b03060', '#556b2f'];
  const color = (column: number): string => (column < 0 ? '#777' : COLORS[column % COLORS.length]);
  const text = (v: unknown): string => (v === null || v === undefined ? '?' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const num = (v: unknown): string => (typeof v === 'number' ? v.toLocaleString('en-US') : text(v));

  /** A table from a head and rows of text. */
  const table = (head: string[], rows: string[][], cls = ''): HTMLElement =>
    h('table', { class: cls }, h('thead', {}, h('tr', {}, ...head.map((c) => h('th', {}, c)))), h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))));

  /** The panel that shows the whole state after the selected step. */
  function statePanel(trace: TraceView, row: StepRow): HTMLElement {
    const who = row.column >= 0 ? trace.columns[row.column] : null;
    const title = row.step === 0 ? 'Initial state' : `State after step ${row.step}: ${row.label} (${who})`;
    const entries = (items: StepRow['variables'], head: string): HTMLElement =>
      h('table', { class: 'state' }, h('thead', {}, h('tr', {}, h('th', {}, head), h('th', {}, 'value'))), h('tbody', {}, ...items.map((e) => h('tr', { class: e.changed ? 'changed' : '', 'data-name': e.name }, h('td', {}, e.changed ? '\u25cf ' : '', e.name), h('td', {}, e.value)))));
    const changed = row.variables.filter((e) => e.changed).length + row.pcs.filter((e) => e.changed).length;
    return h('div', {}, h('h4', {}, title), row.step > 0 ? h('p', { class: 'note' }, `${changed} entr${changed === 1 ? 'y' : 'ies'} changed (\u25cf)`) : null, entries(row.pcs, 'process (pc)'), entries(row.variables, 'variable'));
  }

  /** A trace as a sequence chart: a column per process, a row per step, hold spans in lanes beside them. */
  function traceChart(trace: TraceView): HTMLElement {
    const procs = trace.columns.length;
    const lanes = [...new Set(trace.holds.map((s) => s.lock))];
    const bracket = trace.loop ? 1 : 0;
    const lastRow = trace.rows.length - 1;
    // The grid's columns: the step number, the processes (one column when narrow), a lane per lock element, the lasso's bracket.
    const side = `${' 1.7em'.repeat(lanes.length)}${bracket ? ' 1.9em' : ''}`;
    const chart = h('div', { class: 'chart', 'data-testid': 'trace-chart', style: `--wide-cols:2.6em repeat(${Math.max(1, procs)}, minmax(10em, 1fr))${side};--narrow-cols:2.2em minmax(0, 1fr)${side}` });
    /** Places an element in the grid: its columns when wide and when narrow (one process column). */
    const place = (el: HTMLElement, row: string, wide: string, narrow: string): HTMLElement => {
      el.style.setProperty('grid-row', row);
      el.style.setProperty('--wc', wide);
      el.style.setProperty('--nc', narrow);
      return chart.appendChild(el);
    };
    place(h('div', { class: 'head num' }, '#'), '1', '1', '1');
    trace.columns.forEach((name, c) => place(h('div', { class: 'head col-head', style: `border-color:${color(c)}` }, name), '1', String(c + 2), '2'));
    place(h('div', { class: 'head narrow-only' }, 'step'), '1', '2', '2');
    lanes.forEach((lock, l) => place(h('div', { class: 'head lane-head', title: `lock ${lock}` }, lock), '1', String(procs + 2 + l), String(3 + l)));
    const panel = h('aside', { class: 'state-panel', 'data-testid': 'state-panel' });
    const bands: HTMLElement[] = [];
    const select = (r: number): void => {
      bands.forEach((b, i) => b.classList.toggle('selected', i === r));
      const row = trace.rows[r];
      panel.replaceChildren(row.failure === null ? statePanel(trace, row) : h('div', {}, h('h4', {}, `Step ${row.step} fails`), h('p', {}, row.failure)));
    };
    trace.rows.forEach((row, r) => {
      const gridRow = String(r + 2);
      const band = place(h('div', { class: 'band', 'data-step': String(row.step) }), gridRow, '1 / -1', '1 / -1');
      if (row.failure !== null) band.classList.add('failing');
      if (r === trace.violatingRow) band.classList.add('violating');
      bands.push(band);
      place(h('div', { class: 'num' }, row.step === 0 ? 'init' : String(row.step)), gridRow, '1', '1').addEventListener('click', () => select(r));
      const cell = h(
        'div',
        { class: 'cell', 'data-step': String(row.step), style: `border-color:${color(row.column)}` },
        row.column >= 0 ? h('span', { class: 'who', style: `color:${color(row.column)}` }, trace.columns[row.column]) : null,
        row.step === 0 ? h('span', { class: 'label' }, 'Initial state') : h('span', { class: 'label' }, row.label ?? ''),
        row.description ? h('span', { class: 'desc' }, row.description) : null,
        row.changes.length ? h('div', { class: 'changes' }, row.changes.join('  ')) : null,
        ...row.refcounts.map((c) => h('span', { class: 'badge ref', title: 'refcount change' }, `${c.name} ${c.from}\u2192${c.to}`)),
        ...row.freed.map((f) => h('span', { class: 'badge freed', title: 'object freed' }, `frees ${f}`)),
        row.failure !== null ? h('div', { class: 'failure' }, `\u2716 ${row.failure}`) : null,
        r === trace.violatingRow ? h('div', { class: 'failure' }, trace.kind === 'deadlock' ? '\u2716 deadlock: no process can step' : `\u2716 violates ${trace.property}`) : null,
      );
      cell.addEventListener('click', () => select(r));
      band.addEventListener('click', () => select(r));
      place(cell, gridRow, row.column >= 0 ? String(row.column + 2) : `2 / span ${Math.max(1, procs)}`, '2');
    });
    trace.holds.forEach((span) => {
      const l = lanes.indexOf(span.lock);
      const end = span.to === null ? lastRow + 1 : span.to;
      const words = `${span.lock} held by ${span.holder} from ${span.from === 0 ? 'the initial state' : `step ${span.from}`} to ${span.to === null ? 'the end' : `step ${span.to}`}`;
      place(h('div', { class: `hold${span.to === null ? ' open' : ''}`, title: words, 'aria-label': words, 'data-lock': span.lock, 'data-holder': span.holder, 'data-from': String(span.from), 'data-to': span.to === null ? '' : String(span.to), style: `background:${color(span.column)}` }, h('span', {}, `${span.lock}: ${span.holder}`)), `${span.from + 2} / ${end + 3}`, String(procs + 2 + l), String(3 + l));
    });
    if (trace.loop) {
      const loop = trace.loop;
      place(h('div', { class: 'bracket', 'data-testid': 'lasso', title: loop.text }, h('span', {}, `\u21ba ${loop.text}`)), `${loop.from + 2} / ${loop.to + 3}`, String(procs + 2 + lanes.length), String(3 + lanes.length));
    }
    select(trace.violatingRow ?? lastRow);
    return h('div', { class: 'trace-view' }, h('div', { class: 'chart-scroll' }, chart), panel);
  }

  function traceSection(trace: TraceView, open: boolean): HTMLElement {
    const details = h(
      'details',
      { class: 'trace', 'data-property': trace.property },
      h('summary', {}, h('span', { class: 'prop' }, trace.property), ` (${trace.kind}): ${trace.message} \u2014 ${trace.rows.length - 1} steps`),
      trace.cycle.length ? h('ul', { class: 'cycle' }, ...trace.cycle.map((c) => h('li', {}, c))) : null,
      h('p', { class: 'note' }, 'Click a step to see the whole state after it. Bars beside the columns: lock hold spans, coloured by holder.'),
      traceChart(trace),
    );
    if (open) details.setAttribute('open', '');
    return details;
  }

  function graphSection(d: DesignView): HTMLElement | null {
    if (!d.graph) return d.graphNote ? h('section', { class: 'graph' }, h('h3', {}, 'State graph'), h('p', { class: 'note', 'data-testid': 'graph-note' }, d.graphNote)) : null;
    const g = d.graph;
    const W = 1000;
    const rowH = 36;
    const H = rowH * Math.max(1, g.levels) + 20;
    const pos = (s: number): [number, number] => [g.nodes[s].x * W, 20 + g.nodes[s].level * rowH];
    const picture = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'graph-svg', 'data-testid': 'state-graph', role: 'img' });
    const onPath = new Set<string>();
    g.path?.forEach((s, i) => i > 0 && onPath.add(`${g.path![i - 1]},${s}`));
    const line = (a: number, b: number, cls: string): SVGElement => {
      const [x1, y1] = pos(a);
      const [x2, y2] = pos(b);
      return svg('line', { x1, y1, x2, y2, class: cls });
    };
    for (const [a, b] of g.edges) if (!onPath.has(`${a},${b}`)) picture.append(line(a, b, 'edge'));
    g.path?.forEach((s, i) => i > 0 && picture.append(line(g.path![i - 1], s, 'edge path')));
    if (g.loopEdge) picture.append(line(g.loopEdge[0], g.loopEdge[1], 'edge path loop'));
    const shown = h('pre', { class: 'graph-state' }, 'Click a state to see it.');
    const pathSet = new Set(g.path ?? []);
    // Dots no wider than their share of the widest level.
    const widest = Math.max(1, ...Object.values(g.nodes.reduce((n: Record<number, number>, x) => ((n[x.level] = (n[x.level] ?? 0) + 1), n), {})));
    const r = Math.max(0.8, Math.min(3, (0.35 * W) / widest));
    g.nodes.forEach((n, s) => {
      const [cx, cy] = pos(s);
      const dot = svg('circle', { cx, cy, r: pathSet.has(s) ? Math.max(2.5, 1.7 * r) : r, class: `node${pathSet.has(s) ? ' path' : ''}${n.initial ? ' initial' : ''}`, 'data-state': s });
      const title = svg('title', {});
      title.textContent = n.text;
      dot.append(title);
      dot.addEventListener('click', () => (shown.textContent = `State ${s}${n.initial ? ' (initial)' : ''}\n${n.text}`));
      picture.append(dot);
    });
    return h('section', { class: 'graph' }, h('h3', {}, `State graph: ${g.nodes.length} states, ${g.edges.length} steps`), d.graphNote ? h('p', { class: 'note' }, d.graphNote) : null, h('p', { class: 'note' }, 'One row per breadth-first level; the counterexample in red. Click a state to see it.'), picture, shown);
  }

  function designPanel(d: DesignView): HTMLElement {
    const j = d.json as Record<string, any>;
    const bad = j.verdict !== 'ok';
    const lockRows = Object.entries((j.lockStats ?? {}) as Record<string, Record<string, unknown>>).map(([name, s]) => [name, text(s.maxHoldSteps), text(s.maxHoldCost), text(s.maxWaiters), text(s.maxBypass), s.starvation === null ? '-' : text(s.starvation)]);
    const reach = (j.reachable ?? []) as { name: string; holds: boolean | null }[];
    const diagnostics = (j.diagnostics ?? []) as { code: string; severity: string; message: string }[];
    return h(
      'div',
      { class: 'design' },
      h('div', { class: `verdict ${bad ? 'bad' : 'good'}`, 'data-testid': 'verdict' }, h('strong', {}, j.verdict), j.property ? ` \u2014 ${j.property}` : '', j.message ? `: ${j.message}` : '', j.violations?.length > 1 ? ` (+${j.violations.length - 1} more)` : ''),
      h('p', { class: 'figures' }, [
        `${num(j.states?.distinct)} distinct states`,
        `${num(j.states?.generated)} generated`,
        `depth ${text(j.states?.depth)}`,
        `${((j.elapsedMs ?? 0) / 1000).toFixed(2)} s`,
        `${text(j.engine)} engine`,
        d.constants ? `constants ${d.constants}` : 'no constants',
      ].join(' \u00b7 ')),
      h(
        'div',
        { class: 'tables' },
        lockRows.length ? h('section', {}, h('h3', {}, 'Locks'), h('div', { class: 'table-scroll' }, table(['lock', 'max hold (steps)', 'max hold (cost)', 'max waiters', 'bypass count', 'starvation'], lockRows, 'locks')), lockRows.some((r) => r.includes('?')) ? h('p', { class: 'note' }, '?: unknown, the search stopped before the whole graph was explored (--continue explores on)') : null) : null,
        reach.length ? h('section', {}, h('h3', {}, 'Reachable'), table(['property', 'holds'], reach.map((r) => [r.name, r.holds === null ? 'not checked' : r.holds ? 'yes' : 'no']))) : null,
      ),
      j.coverage?.deadLabels?.length ? h('p', { class: 'note' }, `Labels never executed: ${j.coverage.deadLabels.join(', ')}`) : null,
      diagnostics.length ? h('ul', { class: 'diagnostics' }, ...diagnostics.map((x) => h('li', {}, `${x.severity} ${x.code}: ${x.message}`))) : null,
      ...d.traces.map((t, i) => traceSection(t, i === 0)),
      graphSection(d),
    );
  }

  /** Designs side by side: the comparison table with one column per design. */
  function summaryPanel(summary: NonNullable<ReportView['summary']>): HTMLElement {
    const rows = summary.head.slice(1).map((what, k) => [what, ...summary.rows.map((r) => r[k + 1])]);
    const t = table(['', ...summary.rows.map((r) => r[0])], rows, 'summary');
    summary.rows.forEach((r, c) => t.querySelectorAll(`tbody tr:nth-child(1) td:nth-child(${c + 2})`).forEach((td) => td.classList.add(r[1] === 'ok' ? 'good' : 'bad')));
    return h('div', {}, h('div', { class: 'table-scroll' }, t));
  }

  const app = document.getElementById('app')!;
  app.append(h('header', {}, h('h1', {}, `lockspec ${data.command} `, h('code', {}, data.spec))));
  if (!data.summary && data.designs.length === 1) {
    app.append(h('h2', {}, data.designs[0].name), designPanel(data.designs[0]));
    return;
  }
  const tabs = h('nav', { role: 'tablist', class: 'tabs' });
  const panels: HTMLElement[] = [];
  const show = (k: number): void => {
    [...tabs.children].forEach((t, i) => t.setAttribute('aria-selected', String(i === k)));
    panels.forEach((p, i) => (p.hidden = i !== k));
  };
  const addTab = (name: string, cls: string, panel: HTMLElement): void => {
    const k = panels.length;
    const tab = h('button', { role: 'tab', class: cls, 'aria-selected': 'false', type: 'button' }, name);
    tab.addEventListener('click', () => show(k));
    tabs.append(tab);
    panels.push(h('section', { role: 'tabpanel', 'data-tab': name }, panel));
  };
  if (data.summary) addTab('Summary', '', summaryPanel(data.summary));
  for (const d of data.designs) addTab(d.name, (d.json as { verdict: string }).verdict === 'ok' ? 'good' : 'bad', designPanel(d));
  app.append(tabs, ...panels);
  show(0);
}
