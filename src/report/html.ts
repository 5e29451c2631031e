// `--html FILE`: the report as one self-contained page (inline style and script, no network), to
// open from a file or keep as a CI artifact. The page embeds the report's data (html-data.ts) as
// JSON and builds itself from it with the script of html-client.ts.
import { renderReport } from './html-client.js';
import type { ReportView } from './html-data.js';

const STYLE = `
:root { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330; background: #fff; }
body { margin: 0 auto; padding: 12px 18px 40px; max-width: 1500px; }
h1 { font-size: 1.3rem; margin: 4px 0 10px; } h1 code { font-size: 1.1rem; }
h2 { font-size: 1.15rem; margin: 10px 0 6px; } h3 { font-size: 1rem; margin: 14px 0 6px; } h4 { margin: 0 0 6px; font-size: .95rem; }
code, pre, .changes, .state td { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: .82rem; }
.note { color: #5a6272; font-size: .85rem; margin: 4px 0; }
.verdict { padding: 8px 12px; border-radius: 6px; margin: 6px 0 10px; }
.verdict.bad { background: #fde8e8; border: 1px solid #e8a0a0; } .verdict.good { background: #e6f6ea; border: 1px solid #96d0a6; }
.figures { margin: 0 0 6px; color: #3a4252; }
.tables { display: flex; flex-wrap: wrap; gap: 0 28px; } .tables > section { min-width: 0; max-width: 100%; }
table { border-collapse: collapse; margin: 4px 0; } th, td { border: 1px solid #d8dce4; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f2f4f8; font-weight: 600; }
td.good { background: #e6f6ea; } td.bad { background: #fde8e8; }
.table-scroll, .chart-scroll { overflow-x: auto; }
.tabs { display: flex; flex-wrap: wrap; gap: 4px; border-bottom: 2px solid #d8dce4; margin: 8px 0 10px; }
.tabs button { font: inherit; border: 1px solid #d8dce4; border-bottom: none; background: #f2f4f8; padding: 5px 12px; border-radius: 6px 6px 0 0; cursor: pointer; }
.tabs button[aria-selected="true"] { background: #fff; font-weight: 600; box-shadow: 0 2px 0 #fff; }
.tabs button.bad::before { content: "\\2716 "; color: #b3261e; } .tabs button.good::before { content: "\\2714 "; color: #2e7d32; }
details.trace { border: 1px solid #d8dce4; border-radius: 6px; padding: 6px 10px; margin: 10px 0; }
details.trace > summary { cursor: pointer; font-weight: 600; } .prop { color: #b3261e; }
.cycle { margin: 4px 0; }
.trace-view { display: flex; gap: 12px; align-items: flex-start; }
.chart-scroll { flex: 1 1 auto; min-width: 0; }
.state-panel { flex: 0 0 340px; position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow: auto; border: 1px solid #d8dce4; border-radius: 6px; padding: 8px; background: #fbfcfe; }
.state-panel table { width: 100%; } .state td { word-break: break-word; } .state tr.changed td { background: #fff4c2; font-weight: 600; }
.chart { display: grid; grid-template-columns: var(--wide-cols); column-gap: 6px; }
.chart > * { grid-column: var(--wc); }
.head { font-weight: 600; padding: 4px 2px; border-bottom: 2px solid #d8dce4; position: sticky; top: 0; background: #fff; z-index: 2; }
.col-head { border-bottom-width: 3px; }
.lane-head { border-bottom: none; writing-mode: vertical-rl; transform: rotate(180deg); font-size: .75rem; white-space: nowrap; text-align: left; }
.narrow-only, .who { display: none; }
.band { z-index: 0; border-top: 1px solid #eef0f4; cursor: pointer; }
.band.selected { background: #e8f0fc; } .band.failing { background: #fde8e8; } .band.violating { background: #fde8e8; box-shadow: inset 3px 0 #b3261e; }
.band.failing.selected, .band.violating.selected { background: #f9d4d4; }
.num { z-index: 1; padding: 4px 2px; color: #5a6272; font-variant-numeric: tabular-nums; cursor: pointer; }
.cell { z-index: 1; padding: 4px 6px; margin: 2px 0; border-left: 3px solid; cursor: pointer; min-width: 0; overflow-wrap: anywhere; }
.label { font-weight: 600; } .desc { color: #5a6272; font-size: .85rem; margin-left: 4px; }
.changes { color: #24405f; margin-top: 2px; }
.badge { display: inline-block; font-size: .75rem; border-radius: 4px; padding: 0 5px; margin: 2px 4px 0 0; }
.badge.ref { background: #e3ecfa; color: #1d4f91; } .badge.freed { background: #b3261e; color: #fff; }
.failure { color: #b3261e; font-weight: 600; margin-top: 2px; }
.hold { z-index: 1; margin: 2px 3px; border-radius: 4px; color: #fff; font-size: .7rem; overflow: hidden; min-height: 1em; opacity: .85; }
.hold.open { border-bottom: 3px dashed #fff; border-radius: 4px 4px 0 0; }
.hold span { writing-mode: vertical-rl; white-space: nowrap; display: block; padding: 3px 0; margin: 0 auto; }
.bracket { z-index: 1; border: 3px solid #8e44ad; border-left: none; border-radius: 0 8px 8px 0; margin: 4px 0; color: #8e44ad; font-size: .75rem; font-weight: 600; }
.bracket span { writing-mode: vertical-rl; white-space: nowrap; display: block; padding: 4px 0; }
.graph-svg { width: 100%; height: auto; border: 1px solid #d8dce4; border-radius: 6px; background: #fcfcfd; }
.graph-svg .edge { stroke: #9aa3b2; stroke-width: .6; opacity: .5; } .graph-svg .edge.path { stroke: #d0312d; stroke-width: 2.5; opacity: 1; }
.graph-svg .edge.loop { stroke-dasharray: 6 4; }
.graph-svg .node { fill: #6b7a90; cursor: pointer; } .graph-svg .node.initial { fill: #2e7d32; } .graph-svg .node.path { fill: #d0312d; }
.graph-state { background: #f6f7f9; padding: 6px; border-radius: 4px; white-space: pre-wrap; }
@media (max-width: 760px) {
  body { padding: 8px 8px 30px; }
  .trace-view { flex-direction: column; } .state-panel { position: static; flex: none; width: auto; max-height: none; align-self: stretch; }
  .chart { grid-template-columns: var(--narrow-cols); column-gap: 4px; }
  .chart > * { grid-column: var(--nc); }
  .col-head { display: none; } .narrow-only { display: block; }
  .who { display: inline; font-weight: 600; margin-right: 6px; }
}
`;

/** JSON safe inside a script element: no `<` (so no `</script>` or `<!--`), no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The page of a report. */
export function reportHtml(view: ReportView): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lockspec ${view.command}: ${escapeHtml(view.spec)}</title>
<style>${STYLE}</style>
</head>
<body>
<main id="app"></main>
<script id="report-data" type="application/json">${scriptJson(view)}</script>
<script>
(${renderReport.toString()})(JSON.parse(document.getElementById('report-data').textContent));
</script>
</body>
</html>
`;
}
