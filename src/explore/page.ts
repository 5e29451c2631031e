// The explorer's one page: inline style and script, no network beyond its own server's /api.
// The script keeps the path walked so far (state ids) and asks the server for each state's report
// (session.ts); stepping back is dropping the path's tail. Elements carry data-testid names that
// the browser tests (test/explore/) find them by.
import { escapeHtml } from '../report/html.js';

export function explorerPage(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - lockspec explore</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>lockspec explore: <span data-testid="model">${escapeHtml(title)}</span></h1>
  <div class="tools">
    <button data-testid="back" id="back">Back</button>
    <button data-testid="restart" id="restart">Restart</button>
    <label class="load">Load trace (JSON or ITF) <input data-testid="load" id="load" type="file" accept=".json,.itf,.itf.json"></label>
  </div>
  <p data-testid="notice" id="notice" class="notice"></p>
</header>
<main>
  <section class="path"><h2>Path</h2><ol data-testid="path" id="path"></ol></section>
  <section class="state"><h2>State <span data-testid="state-id" id="state-id"></span></h2>
    <ul data-testid="properties" id="properties" class="properties"></ul>
    <table data-testid="state" id="state"><tbody></tbody></table>
  </section>
  <section class="steps"><h2>Enabled steps</h2><div data-testid="steps" id="steps"></div></section>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fafafa; }
header { padding: 8px 16px; background: #20303f; color: #fff; }
header h1 { font-size: 18px; margin: 4px 0; }
.tools { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.tools button, .load { background: #e8eef4; color: #1b1b1b; border: 1px solid #9aa9b8; border-radius: 4px; padding: 4px 10px; font: inherit; cursor: pointer; }
.notice { min-height: 1.2em; margin: 4px 0; color: #ffd37a; }
main { display: grid; grid-template-columns: minmax(180px, 1fr) minmax(280px, 2fr) minmax(240px, 1.5fr); gap: 12px; padding: 12px 16px; }
@media (max-width: 800px) { main { grid-template-columns: 1fr; } }
section { background: #fff; border: 1px solid #d5dbe1; border-radius: 6px; padding: 8px 12px; min-width: 0; }
h2 { font-size: 15px; margin: 4px 0 8px; }
ol#path { padding-left: 22px; margin: 0; }
ol#path li { cursor: pointer; padding: 2px 4px; border-radius: 3px; }
ol#path li:hover { background: #eef3f8; }
ol#path li.current { background: #dce8f5; font-weight: 600; }
ol#path li.bad { color: #b00020; }
table { border-collapse: collapse; width: 100%; }
td { border-top: 1px solid #eceff2; padding: 3px 6px; vertical-align: top; font-family: ui-monospace, monospace; font-size: 13px; overflow-wrap: anywhere; }
td.name { font-weight: 600; white-space: nowrap; }
tr.changed td { background: #fff4c2; }
ul.properties { list-style: none; padding: 0; margin: 0 0 8px; }
ul.properties li { padding: 2px 6px; margin: 2px 0; border-radius: 3px; background: #e6f4ea; }
ul.properties li.violated { background: #fde7e9; color: #b00020; font-weight: 600; }
.process { margin-bottom: 10px; }
.process h3 { font-size: 14px; margin: 4px 0; }
button.step { display: block; width: 100%; text-align: left; margin: 3px 0; padding: 4px 8px; border: 1px solid #9aa9b8; border-radius: 4px; background: #f4f7fa; font: inherit; cursor: pointer; }
button.step:hover { background: #e3ecf5; }
button.step.fails { border-color: #b00020; background: #fde7e9; color: #b00020; }
button.step .changes { display: block; font-family: ui-monospace, monospace; font-size: 12px; color: #4a5866; overflow-wrap: anywhere; }
.end { padding: 6px; border-radius: 4px; background: #eef3f8; }
.end.deadlock { background: #fde7e9; color: #b00020; font-weight: 600; }
`;

// Plain browser JavaScript (no build step): fetches /api/model, /api/state/:id, /api/replay.
const SCRIPT = `
const $ = (id) => document.getElementById(id);
let path = [];          // [{ id, step: { process, label } | null, bad }]
let previous = null;    // the report of the state before the current one, to mark changes

async function api(url, body) {
  const r = await fetch(url, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const json = await r.json();
  if (!r.ok) throw new Error(json.error || r.statusText);
  return json;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function rows(text) {
  // Globals first, then pc and each process variable per process.
  const out = [];
  for (const [name, value] of Object.entries(text)) {
    if (value !== null && typeof value === 'object') for (const [p, v] of Object.entries(value)) out.push([name + '[' + p + ']', v]);
    else out.push([name, value]);
  }
  return out;
}

// Each navigation (restart, a loaded trace, a step, back, a jump) counts one; a request answered
// after a later navigation began is dropped, so a slow answer never paints over a newer path.
let navigation = 0;

async function show() {
  const mine = ++navigation;
  const here = path[path.length - 1];
  const report = await api('/api/state/' + here.id);
  const before = path.length > 1 ? await api('/api/state/' + path[path.length - 2].id) : null;
  if (mine !== navigation) return false;
  const old = new Map(before ? rows(before.text) : []);
  $('state-id').textContent = '#' + report.id;
  const tbody = $('state').tBodies[0];
  tbody.replaceChildren(...rows(report.text).map(([name, value]) =>
    el('tr', { class: before && old.get(name) !== value ? 'changed' : '', 'data-var': name }, el('td', { class: 'name' }, name), el('td', {}, String(value)))));
  $('properties').replaceChildren(...report.properties.map((p) =>
    el('li', { class: p.holds ? 'holds' : 'violated', 'data-property': p.name }, (p.holds ? '\\u2713 ' : '\\u2717 ') + p.name + (p.holds ? '' : ': ' + p.message))));
  here.bad = report.properties.some((p) => !p.holds);
  const byProcess = new Map();
  for (const s of report.steps) { if (!byProcess.has(s.process)) byProcess.set(s.process, []); byProcess.get(s.process).push(s); }
  const groups = [...byProcess].map(([process, steps]) => el('div', { class: 'process', 'data-process': process }, el('h3', {}, process),
    ...steps.map((s) => el('button', {
      class: 'step' + (s.failure ? ' fails' : ''), 'data-step': s.process + ':' + s.label, 'data-to': s.to === null ? '' : String(s.to),
      onclick: () => take(s),
    }, s.label + (s.description ? ': ' + s.description : ''), el('span', { class: 'changes' }, s.failure ? s.failure.property + ': ' + s.failure.message : s.changesText)))));
  if (report.finished) groups.push(el('p', { class: 'end', 'data-testid': 'finished' }, 'Every process has finished.'));
  else if (report.deadlock) groups.push(el('p', { class: 'end deadlock', 'data-testid': 'deadlock' }, 'Deadlock: no process can take a step.'));
  $('steps').replaceChildren(...groups);
  $('path').replaceChildren(...path.map((p, i) => el('li', {
    class: (i === path.length - 1 ? 'current' : '') + (p.bad ? ' bad' : ''), 'data-index': String(i),
    onclick: () => { path = path.slice(0, i + 1); show(); },
  }, p.step ? p.step.process + ': ' + p.step.label : 'initial state #' + p.id)));
  $('back').disabled = path.length < 2;
  return true;
}

function take(step) {
  if (step.failure) { $('notice').textContent = 'This step fails ' + step.failure.property + ': ' + step.failure.message; return; }
  $('notice').textContent = '';
  path.push({ id: step.to, step: { process: step.process, label: step.label } });
  show();
}

async function restart(initial) {
  const mine = ++navigation;
  const model = await api('/api/model');
  if (mine !== navigation) return;
  const choices = model.initial;
  path = [{ id: initial ?? choices[0], step: null }];
  $('notice').textContent = choices.length > 1 ? choices.length + ' initial states: starting from the first.' : '';
  await show();
}

$('back').addEventListener('click', () => { if (path.length > 1) { path.pop(); show(); } });
$('restart').addEventListener('click', () => restart());
$('load').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  if (!file) return;
  try {
    const mine = ++navigation;
    const r = await api('/api/replay', await file.text());
    if (mine !== navigation) return;
    if (r.ids.length === 0) { $('notice').textContent = r.stoppedAt.reason; return; }
    path = r.ids.map((id, i) => ({ id, step: i === 0 ? null : r.steps[i] }));
    if (await show()) $('notice').textContent = r.stoppedAt ? 'Trace followed to step ' + (r.stoppedAt.index - 1) + ': ' + r.stoppedAt.reason : 'Trace loaded: ' + (r.ids.length - 1) + ' steps. Click a step of the path to continue from it.';
  } catch (err) { $('notice').textContent = String(err.message || err); }
});
restart();
`;
