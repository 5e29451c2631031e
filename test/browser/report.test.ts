// The HTML report in headless Chromium: the page the built CLI writes for bh-migration's racy
// design (columns, steps, hold-span bars, the violating step, the state panel), a lasso's bracket,
// and a compare page's tabs. Screenshots at 1280x800 and 420 wide go to artifacts/browser/
// (gitignored) for people to look at. Every wait is for an element, never for time.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { CHILD_TIMEOUT_MS } from '../helpers.js';

const CLI = resolve('dist/src/cli/main.js');
const BH = 'spec/bh-migration/bh_migration.lspec';
const ARTIFACTS = resolve('artifacts/browser');
const dir = mkdtempSync(join(tmpdir(), 'lockspec-html-'));

/** Runs the built CLI; returns its stdout. */
function cli(...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status === 2 || r.status === null) throw new Error(`lockspec ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

let browser: Browser;
beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
}, CHILD_TIMEOUT_MS);
afterAll(async () => {
  await browser?.close();
});

/** Opens a report file in a new page of the given width, failing on any script error. */
async function open(file: string, width = 1280, height = 800): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // No network: any request other than the file itself is an error of the page.
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) errors.push(`network request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(file).href);
  return { page, errors };
}

describe("the report of bh-migration's racy design", () => {
  const html = join(dir, 'racy.html');
  let json: { trace: { process: string | null }[]; property: string };
  beforeAll(() => {
    json = JSON.parse(cli('check', BH, '--design', 'racy_norefs', '--format', 'json', '--html', html));
  }, CHILD_TIMEOUT_MS);

  test('columns, steps, hold-span bars and the violating step', async () => {
    const { page, errors } = await open(html);
    const chart = page.getByTestId('trace-chart').first();
    await chart.waitFor();
    // The columns of the text trace: the processes in the order they first step.
    const columns = [...new Set(json.trace.slice(1).map((s) => s.process))];
    expect(columns).toEqual(['Lookup(1)', 'Migrate']);
    expect(await chart.locator('.col-head').allTextContents()).toEqual(columns);
    // One row per state: the initial one and 17 steps.
    expect(json.trace).toHaveLength(18);
    expect(await chart.locator('.cell').count()).toBe(18);
    expect(await chart.locator('.cell[data-step="17"] .label').textContent()).toBe('write');
    // PL taken by Migrate at check_refs (step 7), released at step 8; by Lookup(1) from step 9 to 10.
    const pl = chart.locator('.hold[data-lock="PL"]');
    expect(await pl.evaluateAll((bars) => bars.map((b) => [b.getAttribute('data-holder'), b.getAttribute('data-from'), b.getAttribute('data-to')]))).toEqual([
      ['Migrate', '7', '8'],
      ['Lookup(1)', '9', '10'],
    ]);
    const bar = pl.nth(1);
    expect(await bar.getAttribute('title')).toBe('PL held by Lookup(1) from step 9 to step 10');
    // The bar spans its rows: from the top of step 9's row to the bottom of step 10's.
    const [barBox, row9, row10] = await Promise.all([bar.boundingBox(), chart.locator('.band[data-step="9"]').boundingBox(), chart.locator('.band[data-step="10"]').boundingBox()]);
    expect(barBox!.y).toBeGreaterThanOrEqual(row9!.y - 1);
    expect(barBox!.y).toBeLessThan(row9!.y + row9!.height);
    expect(barBox!.y + barBox!.height).toBeGreaterThan(row10!.y);
    expect(barBox!.y + barBox!.height).toBeLessThanOrEqual(row10!.y + row10!.height + 1);
    // The page locks of the migration are still held at the end: open bars.
    expect(await chart.locator('.hold.open[data-lock="FL[OLD]"][data-holder="Migrate"]').count()).toBe(1);
    // The violating state: the last row, highlighted, naming the property.
    const violating = chart.locator('.band.violating');
    expect(await violating.count()).toBe(1);
    expect(await violating.getAttribute('data-step')).toBe('17');
    expect(await chart.locator('.cell[data-step="17"] .failure').textContent()).toContain(`violates ${json.property}`);
    expect(await violating.evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
    // Refcount changes and the state graph with the trace on it.
    expect(await chart.locator('.cell[data-step="4"] .badge.ref').textContent()).toBe('page_ref[OLD] 3\u21924');
    expect(await page.locator('[data-testid=state-graph] circle.node.path').count()).toBe(18);
    await page.screenshot({ path: join(ARTIFACTS, 'report-1280.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, CHILD_TIMEOUT_MS);

  test('clicking a step shows the whole state after it, the changes marked', async () => {
    const { page, errors } = await open(html);
    const panel = page.getByTestId('state-panel').first();
    await page.locator('.cell[data-step="9"]').click();
    await panel.getByText('State after step 9: get_bh_pl (Lookup(1))').waitFor();
    expect(await page.locator('.band[data-step="9"]').getAttribute('class')).toContain('selected');
    // pc of every process, Lookup(1)'s changed.
    const pcs = await panel.locator('table.state').first().locator('tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-name'), r.classList.contains('changed')]));
    expect(pcs).toEqual([
      ['Lookup(1)', true],
      ['Lookup(2)', false],
      ['Migrate', false],
    ]);
    // The variables the step changed (b_count[1]=1 PL=1 got=1), and only those, marked.
    const changed = await panel.locator('table.state').nth(1).locator('tr.changed').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
    expect(changed).toEqual(['b_count', 'PL', 'got[Lookup(1)]']);
    expect(await panel.locator('tr[data-name="PL"] td').nth(1).textContent()).toBe('1');
    expect(await panel.locator('tr[data-name="slot"] td').nth(1).textContent()).toBe('OLD');
    // The initial state has nothing changed.
    await page.locator('.cell[data-step="0"]').click();
    await panel.getByText('Initial state').waitFor();
    expect(await panel.locator('tr.changed').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, CHILD_TIMEOUT_MS);

  test('a narrow window (420 wide) stacks the columns and keeps the bars', async () => {
    const { page, errors } = await open(html, 420, 800);
    const chart = page.getByTestId('trace-chart').first();
    await chart.waitFor();
    // Every cell in one column, naming its process; the chart fits the window.
    const lefts = await chart.locator('.cell').evaluateAll((cells) => [...new Set(cells.map((c) => Math.round(c.getBoundingClientRect().left)))]);
    expect(lefts).toHaveLength(1);
    expect(await chart.locator('.cell[data-step="9"] .who').isVisible()).toBe(true);
    expect(await chart.evaluate((c) => c.scrollWidth <= c.parentElement!.clientWidth)).toBe(true);
    expect(await chart.locator('.hold[data-lock="PL"]').first().isVisible()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'report-420.png') });
    await chart.locator('.cell[data-step="9"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'report-420-trace.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, CHILD_TIMEOUT_MS);
});

test("a lasso's cycle is a bracket that repeats for ever", async () => {
  const html = join(dir, 'lasso.html');
  const json = JSON.parse(cli('check', 'examples/tas-progress.lspec', '--design', 'weak', '--format', 'json', '--html', html));
  const { page, errors } = await open(html);
  const lasso = page.getByTestId('lasso').first();
  await lasso.waitFor();
  const loop = json.violations[0].loop as number;
  const last = json.violations[0].trace.length - 1;
  expect(await lasso.textContent()).toContain('repeats for ever');
  expect(await lasso.textContent()).toContain(`back to state ${loop}`);
  // The bracket spans the cycle's rows.
  const chart = page.getByTestId('trace-chart').first();
  const [box, first, end] = await Promise.all([lasso.boundingBox(), chart.locator(`.band[data-step="${loop}"]`).boundingBox(), chart.locator(`.band[data-step="${last}"]`).boundingBox()]);
  expect(box!.y).toBeLessThan(first!.y + first!.height);
  expect(box!.y + box!.height).toBeGreaterThan(end!.y);
  await page.screenshot({ path: join(ARTIFACTS, 'lasso-1280.png'), fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
}, CHILD_TIMEOUT_MS);

test("a compare page: the designs side by side, each failing design's trace on its tab", async () => {
  const html = join(dir, 'compare.html');
  const rows = JSON.parse(cli('compare', 'spec/bh-migration', '--format', 'json', '--html', html)) as { design: string; verdict: string }[];
  const { page, errors } = await open(html);
  const tabs = page.getByRole('tab');
  await tabs.first().waitFor();
  expect(await tabs.allTextContents()).toEqual(['Summary', ...rows.map((r) => r.design)]);
  const summary = page.locator('table.summary');
  expect(await summary.locator('thead th').allTextContents()).toEqual(['', ...rows.map((r) => r.design)]);
  expect(await summary.locator('tbody tr').first().locator('td').allTextContents()).toEqual(['verdict', ...rows.map((r) => r.verdict)]);
  expect(await page.getByTestId('trace-chart').filter({ visible: true }).count()).toBe(0);
  await page.screenshot({ path: join(ARTIFACTS, 'compare-1280.png') });
  // The failing design's tab: its verdict and its traces (three violated properties after --continue).
  await page.getByRole('tab', { name: 'racy_norefs' }).click();
  const racy = page.locator('[data-tab="racy_norefs"]');
  await racy.getByTestId('trace-chart').first().waitFor();
  expect(await racy.locator('details.trace').count()).toBe(3);
  expect(await page.getByRole('tab', { name: 'racy_norefs' }).getAttribute('aria-selected')).toBe('true');
  expect(await page.locator('table.summary').isVisible()).toBe(false);
  // A design that holds: no trace; its lock statistics.
  await page.getByRole('tab', { name: 'hold_private_lock' }).click();
  const ok = page.locator('[data-tab="hold_private_lock"]');
  await ok.getByTestId('verdict').waitFor();
  expect(await ok.getByTestId('verdict').textContent()).toBe('ok');
  expect(await ok.locator('details.trace').count()).toBe(0);
  expect(await ok.locator('table.locks tbody tr').count()).toBe(4);
  expect(await ok.getByTestId('graph-note').textContent()).toContain('left out: 4,104 states');
  await page.setViewportSize({ width: 420, height: 800 });
  await page.getByRole('tab', { name: 'Summary' }).click();
  await page.screenshot({ path: join(ARTIFACTS, 'compare-420.png') });
  expect(errors).toEqual([]);
  await page.close();
}, CHILD_TIMEOUT_MS);
