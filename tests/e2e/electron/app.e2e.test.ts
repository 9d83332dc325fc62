// The real desktop app, driven by Playwright's Electron support: the built main process starts
// with a fresh GENQUEUE_HOME, the user tries it without a key (the built-in simulator), adds a
// photo through the (stubbed) open dialog, sees the generated result, and quits cleanly. Runs
// wherever an Electron binary and a display exist; elsewhere it skips with one line saying why.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { _electron } from 'playwright-core';
import { CORPUS, REPO_ROOT, tempDir } from '../../support/paths.ts';

const MAIN = join(REPO_ROOT, 'out/main/index.js');
const HOW =
  'install the binary with `npx install-electron --no` (needs internet), `npm run build`, then ' +
  '`node --test tests/e2e/electron/app.e2e.test.ts` (under xvfb-run on a Linux server)';

/**
 * The Electron executable, found the way the electron package finds it, without requiring the
 * package (which downloads the binary when it is missing).
 */
function electronBinary(): string | undefined {
  const pkg = join(REPO_ROOT, 'node_modules/electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
const missing = !binary
  ? 'no Electron binary in node_modules/electron (Electron downloads it on first use, and this machine is offline)'
  : !existsSync(MAIN)
    ? 'the app is not built (out/main/index.js is missing)'
    : process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
      ? 'no display to open a window on'
      : undefined;
const skip = missing && `Electron e2e skipped: ${missing}; to run it, ${HOW}.`;

test(
  'the desktop app takes a photo through the simulator to a result, then quits cleanly',
  { skip },
  async (t) => {
    const home = await tempDir(t);
    // Results are written beside the source by default: keep them in the temp folder.
    const inbox = join(home, 'photos');
    await mkdir(inbox);
    const source = join(inbox, 'landscape_6.jpg');
    await copyFile(join(CORPUS, 'jpg/orientation/landscape_6.jpg'), source);

    const app = await _electron.launch({
      executablePath: binary,
      args: [MAIN],
      env: { ...(process.env as Record<string, string>), GENQUEUE_HOME: home },
      timeout: 60_000,
    });
    let closed = false;
    t.after(async () => {
      if (!closed) await app.close();
    });
    await app.evaluate(({ dialog }, path) => {
      dialog.showOpenDialog = (async () => ({
        canceled: false,
        filePaths: [path],
      })) as unknown as typeof dialog.showOpenDialog;
    }, source);

    const page = await app.firstWindow();
    await page
      .getByRole('button', { name: /try without a key/i })
      .first()
      .click();
    await page
      .getByRole('button', { name: /add images/i })
      .first()
      .click();
    await page
      .getByRole('button', { name: /open the result of landscape_6\.jpg/i })
      .waitFor({ timeout: 60_000 });

    const outputs = await readdir(join(inbox, 'genqueue-output'));
    assert.ok(
      outputs.some((name) => /^landscape_6-.+\.(png|jpe?g|webp)$/.test(name)),
      outputs.join(),
    );
    assert.ok(
      outputs.some((name) => name.endsWith('.json')),
      'the result has no sidecar',
    );

    await app.close();
    closed = true;
    // Quitting went through the app's own shutdown, which saves the window's bounds.
    assert.ok(existsSync(join(home, 'window-state.json')));
  },
);
