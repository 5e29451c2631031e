// The one way tests start a browser: Debian's Chromium (found on PATH or at CHROMIUM_PATH), driven
// by playwright-core, headless, with no network of its own. Pages under test are opened from files
// or from a server bound to 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

/** The Chromium binary, or undefined when none is installed (`.ci/run` installs it). */
export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      // not this name
    }
  }
  return undefined;
}

/** Launches headless Chromium; throws a clear error when it is missing. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('no Chromium found: install Debian\'s chromium (apt-get install -y chromium) or set CHROMIUM_PATH');
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}
