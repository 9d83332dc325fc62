// A real engine for tests: a fresh data directory, the simulator as its APIMart, in-memory
// settings and secrets (the only ports that would need Electron), and short retry and poll
// timings. Everything is closed and removed when the test ends.
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { dispatch } from '../../main/contract/dispatch.ts';
import { EngineFailure } from '../../main/contract/errors.ts';
import type { RouteInput, RouteName, RouteOutput } from '../../main/contract/routes.ts';
import { DEFAULT_SETTINGS, type JobStage } from '../../main/contract/schemas.ts';
import { createEngine, type Engine, type EngineOptions } from '../../main/engine/engine.ts';
import { memorySecrets, memorySettings, type DesktopPort } from '../../main/engine/host/ports.ts';
import {
  startSimulator,
  type Simulator,
  type SimulatorOptions,
} from '../../main/simulator/simulator.ts';

import { onTestEnd, tempDir } from './paths.ts';

export { CORPUS, REPO_ROOT, tempDir } from './paths.ts';

export interface TestEngine {
  engine: Engine;
  simulator: Simulator;
  home: string;
  call<K extends RouteName>(route: K, input: RouteInput<K>): Promise<RouteOutput<K>>;
}

export async function startTestEngine(
  t: TestContext,
  options: {
    simulator?: SimulatorOptions;
    home?: string;
    desktop?: DesktopPort;
    settings?: unknown;
    engine?: Partial<EngineOptions>;
  } = {},
): Promise<TestEngine> {
  const simulator = await startSimulator({
    taskDurationMs: 200,
    resultSize: 128,
    ...options.simulator,
  });
  const home = options.home ?? (await tempDir(t));
  const engine = await createEngine({
    home,
    version: '0.0.0-test',
    command: 'test',
    // Results go to the test's own folder unless a test says otherwise: never beside a corpus photo.
    settings: memorySettings({
      ...DEFAULT_SETTINGS,
      concurrency: { prepare: 2, upload: 4, running: 32, download: 4 },
      outputDir: join(home, 'out'),
      ...(options.settings as object | undefined),
    }),
    secrets: memorySecrets(simulator.apiKey),
    baseUrl: simulator.url,
    // "Try without a key" starts a second, quick simulator of its own.
    simulator: () => startSimulator({ taskDurationMs: 200, resultSize: 128 }),
    timing: {
      minPollMs: 50,
      backoff: { baseMs: 50, capMs: 500 },
      http: { connectMs: 2000, headersMs: 2000, bodyMs: 2000 },
      probeDelayMs: 200,
    },
    ...(options.desktop && { desktop: options.desktop }),
    ...options.engine,
  });
  onTestEnd(t, async () => {
    await engine.stop();
    await simulator.close();
  });
  await engine.start();
  return {
    engine,
    simulator,
    home,
    async call(route, input) {
      const result = await dispatch(engine.handlers, route, input);
      if (!result.ok) throw new EngineFailure(result.error);
      return result.value as RouteOutput<typeof route>;
    },
  };
}

/** Queues `paths` with a plain recipe (prompt "x", results in `outDir`), as the queue tests do. */
export function enqueue(
  gq: TestEngine,
  paths: string[],
  outDir: string,
): Promise<RouteOutput<'jobs.enqueue'>> {
  return gq.call('jobs.enqueue', { paths, recipe: { prompt: 'x', outDir } });
}

/** The stages of the jobs `ids`, in their order. */
export async function stagesOf(gq: TestEngine, ids: string[]): Promise<JobStage[]> {
  return (await gq.call('jobs.get', { ids })).map((job) => job.stage);
}
