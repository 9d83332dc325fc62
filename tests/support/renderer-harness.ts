// Runs the built renderer in Debian's Chromium (driven by playwright-core) against a real engine:
// the page is served from out/renderer over loopback HTTP, and window.genqueue is an in-process
// bridge to the engine's real handlers and events — the same contract the preload offers.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Engine } from '../../main/engine/engine.ts';
import { createPathGate, gatedDispatch } from '../../main/hosts/electron/path-gate.ts';
import { REPO_ROOT, startTestEngine, type TestEngine } from './engine-harness.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RENDERER_DIR = join(REPO_ROOT, 'out', 'renderer');
export const ARTIFACTS = join(REPO_ROOT, 'test-results');

/** Why renderer tests cannot run here, or undefined when they can. In CI a missing piece is a failure. */
export function rendererSkipReason(): string | undefined {
  const missing = !existsSync(CHROMIUM_PATH)
    ? `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium)`
    : !existsSync(join(RENDERER_DIR, 'index.html'))
      ? 'the renderer is not built (npm run build)'
      : undefined;
  if (missing && process.env.CI) throw new Error(`Renderer e2e cannot run in CI: ${missing}.`);
  return missing && `Renderer e2e skipped: ${missing}.`;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The built files, read once per process: the app reads them from disk, not over a busy loop. */
const files = new Map<string, Promise<Buffer>>();
function builtFile(file: string): Promise<Buffer> {
  let body = files.get(file);
  if (!body) files.set(file, (body = readFile(file)));
  return body;
}

async function serveRenderer(t: TestContext): Promise<string> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    const file = join(RENDERER_DIR, path === '/' ? 'index.html' : path);
    if (!file.startsWith(RENDERER_DIR)) return void response.writeHead(403).end();
    builtFile(file).then(
      (body) =>
        response
          .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
          .end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/index.html`;
}

/**
 * startTestEngine for window tests, with a cleanup order that holds: node:test runs after-hooks
 * in the order they were registered, so a home made by startTestEngine would be removed while the
 * engine still writes into it (thumbnails the page asked for). Here the home goes after the engine
 * stops. Launch the browser first, so the page is gone before either.
 */
export async function startWindowEngine(
  t: TestContext,
  options: Parameters<typeof startTestEngine>[1] = {},
): Promise<TestEngine> {
  const home = options.home ?? (await mkdtemp(join(tmpdir(), 'genqueue-test-')));
  const started = await startTestEngine(t, { ...options, home });
  if (!options.home) t.after(() => rm(home, { recursive: true, force: true }));
  return started;
}

/** Debian's Chromium, headless; `extraArgs` add switches (the benchmark turns vsync off). */
export async function launchChromium(t: TestContext, extraArgs: string[] = []): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
  t.after(() => browser.close());
  return browser;
}

export interface OpenAppOptions {
  /** Files dropped on the page resolve to `<dropDir>/<file name>` (Electron's webUtils stand-in). */
  dropDir?: string;
  /** Emulated OS colour scheme, for screenshots of both themes. */
  colorScheme?: 'light' | 'dark';
}

/** Opens the app in a new page whose window.genqueue talks to `engine` in this process. */
export async function openApp(
  t: TestContext,
  browser: Browser,
  engine: Engine,
  viewport = { width: 1280, height: 800 },
  options: OpenAppOptions = {},
): Promise<Page> {
  const url = await serveRenderer(t);
  const page = await browser.newPage({ viewport, colorScheme: options.colorScheme ?? 'light' });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  t.after(() => {
    if (errors.length > 0) throw new Error(`The page threw: ${errors.join('; ')}`);
  });
  // Results and events cross as JSON text: Playwright's own value serialiser walks objects
  // recursively and costs ~80 ms for a page of 200 jobs, where Electron's IPC costs ~1 ms.
  // Like the app's IPC adapter, the window may name only the paths it was given (path-gate.ts):
  // picked, dropped (the stand-in pathForFile below), or shown by the engine.
  const gate = createPathGate();
  await page.exposeBinding('__genqueueInvoke', async (_source, route: unknown, input: unknown) =>
    JSON.stringify(await gatedDispatch(engine.handlers, gate, route, input)),
  );
  await page.exposeBinding('__genqueueDrop', (_source, path: unknown) => gate.dropped(path));
  await page.addInitScript((dropDir: string) => {
    const listeners = new Map<string, Set<(envelope: unknown) => void>>();
    const invoke = (
      globalThis as unknown as { __genqueueInvoke: (r: unknown, i: unknown) => Promise<string> }
    ).__genqueueInvoke;
    (globalThis as unknown as Record<string, unknown>).__genqueueEmit = (json: string) => {
      const envelope = JSON.parse(json) as { name: string };
      for (const listener of listeners.get(envelope.name) ?? []) listener(envelope);
    };
    (globalThis as unknown as Record<string, unknown>).genqueue = {
      invoke: async (route: unknown, input: unknown) => JSON.parse(await invoke(route, input)),
      subscribe(event: string, listener: (envelope: unknown) => void) {
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event)!.add(listener);
        return () => listeners.get(event)!.delete(listener);
      },
      pathForFile(file: File) {
        const path = dropDir ? `${dropDir}/${file.name}` : '';
        if (path)
          (globalThis as unknown as { __genqueueDrop: (p: string) => void }).__genqueueDrop(path);
        return path;
      },
    };
  }, options.dropDir ?? '');
  const unsubscribe = engine.subscribe((envelope) => {
    gate.learn(envelope.name, envelope.payload);
    page
      .evaluate(
        (json) =>
          (globalThis as unknown as { __genqueueEmit?: (json: string) => void }).__genqueueEmit?.(
            json,
          ),
        JSON.stringify(envelope),
      )
      .catch(() => {});
  });
  t.after(unsubscribe);
  await page.goto(url);
  return page;
}

/** Waits until every thumbnail on screen has arrived (or is known to have none). */
export async function thumbnailsSettled(page: Page): Promise<void> {
  // A function, not source text: the page's CSP forbids the eval a string predicate needs.
  type PageGlobals = { document: { querySelector(selector: string): unknown } };
  await page.waitForFunction(
    () =>
      (globalThis as unknown as PageGlobals).document.querySelector('[data-thumb="loading"]') ===
      null,
    null,
    { timeout: 15_000 },
  );
}

/** Saves a screenshot of the window as test-results/renderer/<name>.png, thumbnails loaded. */
export async function snapshot(page: Page, name: string): Promise<string> {
  await thumbnailsSettled(page);
  const dir = join(ARTIFACTS, 'renderer');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

// The two helpers below run page-side code given as source text (evaluated through the protocol,
// which the page's CSP allows): the test project type-checks without the DOM library.

/** Drags files called `names` over the window (the overlay shows), then drops them. */
export async function dropFiles(
  page: Page,
  names: string[],
  whileOver?: () => Promise<void>,
): Promise<void> {
  const transfer = await page.evaluateHandle(
    `(() => { const data = new DataTransfer();
      for (const name of ${JSON.stringify(names)}) data.items.add(new File(['x'], name));
      return data; })()`,
  );
  await page.dispatchEvent('main', 'dragenter', { dataTransfer: transfer });
  await whileOver?.();
  await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
}

/** Pastes an image into the window as the clipboard would (a File item of `mime`). */
export async function pasteImage(page: Page, bytes: Buffer, mime: string): Promise<void> {
  await page.evaluate(
    `(() => { const bytes = Uint8Array.from(atob(${JSON.stringify(bytes.toString('base64'))}), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'clipboard', { type: ${JSON.stringify(mime)} }));
      window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data })); })()`,
  );
}
