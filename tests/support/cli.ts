// Runs the real `genqueue` command as a child process (bin/genqueue.mjs under this Node) with a
// clean environment, collecting its output; `spawnGenqueue` gives the child for tests that kill it
// or wait for what it prints; `simulatorEnv` the environment of a run against a simulator.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { startSimulator, type SimulatorOptions } from '../../main/simulator/simulator.ts';
import { REPO_ROOT, tempDir } from './paths.ts';

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function spawnGenqueue(
  args: string[],
  env: Record<string, string | undefined>,
): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [join(REPO_ROOT, 'bin/genqueue.mjs'), ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
}

export function finished(child: ChildProcessWithoutNullStreams): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

export function genqueue(args: string[], env: Record<string, string | undefined>): Promise<Ran> {
  return finished(spawnGenqueue(args, env));
}

/** Resolves with everything printed so far once the child's stdout matches `pattern` `count` times. */
export function printed(
  child: ChildProcessWithoutNullStreams,
  pattern: RegExp,
  count = 1,
): Promise<string> {
  let seen = '';
  return new Promise((resolve) => {
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if ((seen.match(new RegExp(pattern, 'gm')) ?? []).length >= count) {
        child.stdout.off('data', onData);
        resolve(seen);
      }
    };
    child.stdout.on('data', onData);
  });
}

/** A simulator for this test (closed when it ends) and the environment of a run against it. */
export async function simulatorEnv(t: TestContext, options: SimulatorOptions = {}) {
  const simulator = await startSimulator({ taskDurationMs: 100, ...options });
  t.after(() => simulator.close());
  const home = await tempDir(t);
  const env = {
    APIMART_BASE_URL: simulator.url,
    APIMART_API_KEY: simulator.apiKey,
    GENQUEUE_HOME: home,
  };
  return { simulator, home, env };
}
