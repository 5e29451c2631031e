// The explorer end to end in headless Chromium: the page served on 127.0.0.1 replays the racy
// design's race when a person clicks the steps of its shortest trace, and the invariant turns red
// at the step `check` reported, not before. No sleeps: every wait is for an element or a response.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { checkProgram } from '../../src/checker/check.js';
import { startExplorer, type RunningExplorer } from '../../src/explore/server.js';
import { ExploreSession } from '../../src/explore/session.js';
import { loadModel } from '../../src/pipeline/load-model.js';
import { checkToJson } from '../../src/report/json.js';
import { launchChromium } from '../browser/chromium.js';

const RACY = 'spec/bh-migration/bh_migration.lspec';
const ARTIFACTS = join(process.cwd(), 'artifacts/browser');

let browser: Browser;
let server: RunningExplorer;
let trace: { process: string; label: string }[];
let property: string;
let raceJson: string;

beforeAll(async () => {
  const loaded = loadModel(RACY, { design: 'racy_norefs' });
  const outcome = checkProgram(loaded.program!, { spec: RACY, sources: loaded.sources, design: 'racy_norefs', warnings: [] }, {});
  const json = checkToJson(outcome) as { trace: { process: string; label: string }[]; property: string };
  trace = json.trace.slice(1);
  property = json.property;
  raceJson = JSON.stringify(json);
  server = await startExplorer(new ExploreSession(loaded.program!), 'bh_migration (racy_norefs)', 0);
  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(width = 1280, height = 800): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(server.url);
  await page.locator('[data-testid=path] li').first().waitFor();
  return page;
}

/** The session's id of the state each step of the trace leads to (the branch `check` took). */
async function replayIds(page: Page): Promise<number[]> {
  return page.evaluate(async (body) => (await (await fetch('/api/replay', { method: 'POST', body })).json()).ids, raceJson);
}

test('the server listens on 127.0.0.1 only', () => {
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
});

test('clicking the steps of the shortest trace replays the race; the invariant turns red at its last step', async () => {
  const page = await openPage();
  const ids = await replayIds(page);
  expect(ids).toHaveLength(trace.length + 1);
  for (let i = 0; i < trace.length; i++) {
    const violated = page.locator('[data-testid=properties] li.violated');
    expect(await violated.count()).toBe(0);
    await page.locator(`button.step[data-step="${trace[i].process}:${trace[i].label}"][data-to="${ids[i + 1]}"]`).click();
    await page.locator('[data-testid=state-id]', { hasText: `#${ids[i + 1]}` }).waitFor();
  }
  const red = page.locator(`[data-testid=properties] li.violated[data-property="${property}"]`);
  await red.waitFor();
  expect(await red.textContent()).toContain(`invariant ${property} is violated`);
  expect(await page.locator('[data-testid=path] li').count()).toBe(trace.length + 1);
  expect(await page.locator('[data-testid=path] li.current').textContent()).toBe(`${trace[trace.length - 1].process}: ${trace[trace.length - 1].label}`);
  await page.screenshot({ path: join(ARTIFACTS, 'explore-1280x800.png'), fullPage: false });

  // Back: the last step undone, the invariant holds again; a path entry jumps back to its state.
  await page.locator('[data-testid=back]').click();
  await page.locator('[data-testid=state-id]', { hasText: `#${ids[trace.length - 1]}` }).waitFor();
  expect(await page.locator('[data-testid=properties] li.violated').count()).toBe(0);
  await page.locator('[data-testid=path] li[data-index="0"]').click();
  await page.locator('[data-testid=state-id]', { hasText: `#${ids[0]}` }).waitFor();
  expect(await page.locator('[data-testid=path] li').count()).toBe(1);
  await page.close();
}, 120_000);

test("a check run's JSON trace loads from a file and the page continues from its last state", async () => {
  const page = await openPage(420, 800);
  const file = join(ARTIFACTS, 'racy-trace.json');
  writeFileSync(file, raceJson);
  // The path's length at each change of the notice: the notice may say the trace is loaded only
  // once the path shows it (a mutation observer runs before any later request can be answered).
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { pathAtNotice: number[] }).pathAtNotice = seen;
    new MutationObserver(() => seen.push(document.querySelectorAll('[data-testid=path] li').length))
      .observe(document.querySelector('[data-testid=notice]')!, { childList: true, characterData: true, subtree: true });
  });
  await page.locator('[data-testid=load]').setInputFiles(file);
  await page.locator('[data-testid=notice]', { hasText: `Trace loaded: ${trace.length} steps` }).waitFor();
  expect(await page.evaluate(() => (window as unknown as { pathAtNotice: number[] }).pathAtNotice)).toEqual([trace.length + 1]);
  expect(await page.locator('[data-testid=path] li').count()).toBe(trace.length + 1);
  await page.locator(`[data-testid=properties] li.violated[data-property="${property}"]`).waitFor();
  // The changed variables of the last step are marked.
  expect(await page.locator('[data-testid=state] tr.changed').count()).toBeGreaterThan(0);
  await page.screenshot({ path: join(ARTIFACTS, 'explore-narrow.png'), fullPage: true });
  await page.close();
}, 120_000);

test('an answer that comes after a later navigation does not paint over it', async () => {
  // The page's first request (the model, for the initial state) is held until a loaded trace is
  // shown; when it is answered at last, the page keeps the trace.
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  let releaseModel!: () => void;
  const modelHeld = new Promise<void>((resolve) => { releaseModel = resolve; });
  let modelAsked!: () => void;
  const modelRequested = new Promise<void>((resolve) => { modelAsked = resolve; });
  await page.route('**/api/model', async (route) => { modelAsked(); await modelHeld; await route.continue(); });
  await page.goto(server.url);
  await modelRequested;
  const file = join(ARTIFACTS, 'racy-trace-held.json');
  writeFileSync(file, raceJson);
  await page.locator('[data-testid=load]').setInputFiles(file);
  await page.locator('[data-testid=notice]', { hasText: `Trace loaded: ${trace.length} steps` }).waitFor();
  const answered = page.waitForResponse('**/api/model');
  releaseModel();
  await answered;
  // Requests after the model's answer, so that the page's own continuation has run.
  await page.evaluate(async () => { await (await fetch('/api/model')).json(); await (await fetch('/api/model')).json(); });
  expect(await page.locator('[data-testid=path] li').count()).toBe(trace.length + 1);
  expect(await page.locator('[data-testid=notice]').textContent()).toContain('Trace loaded');
  await page.close();
}, 120_000);
