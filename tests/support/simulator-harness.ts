// Shared helpers for tests that use the APIMart simulator as their APIMart through plain fetch:
// one simulator per test (closed when the test ends), authorised calls, uploads from bytes, and
// a poll loop that waits for a task to finish.
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  startSimulator,
  type Simulator,
  type SimulatorOptions,
} from '../../main/simulator/simulator.ts';

export async function useSimulator(t: TestContext, options?: SimulatorOptions): Promise<Simulator> {
  const simulator = await startSimulator(options);
  t.after(() => simulator.close());
  return simulator;
}

/** fetch against the simulator with its key (override `authorization` in `init` to test auth). */
export function call(
  simulator: Simulator,
  route: string,
  init: RequestInit = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('authorization')) headers.set('authorization', `Bearer ${simulator.apiKey}`);
  return fetch(`${simulator.url}${route}`, { ...init, headers });
}

export function uploadBytes(
  simulator: Simulator,
  bytes: Uint8Array,
  filename: string,
  init: RequestInit = {},
): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), filename);
  return call(simulator, '/v1/uploads/images', { ...init, method: 'POST', body: form });
}

/** Uploads and returns the URL the simulator issued, failing loudly on anything but 200. */
export async function uploadUrl(
  simulator: Simulator,
  bytes: Uint8Array,
  filename: string,
): Promise<string> {
  const response = await uploadBytes(simulator, bytes, filename);
  const body = (await response.json()) as { url?: string };
  if (response.status !== 200 || typeof body.url !== 'string') {
    throw new Error(`upload failed with ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.url;
}

export function postTask(
  simulator: Simulator,
  body: Record<string, unknown>,
  init: RequestInit = {},
): Promise<Response> {
  return call(simulator, '/v1/images/generations', {
    ...init,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: JSON.stringify(body),
  });
}

/** The task id from a create-task answer, whichever documented shape it came in. */
export function taskIdOf(answer: unknown): string {
  const data = (answer as { data?: unknown }).data;
  const id = Array.isArray(data)
    ? (data[0] as { task_id?: unknown } | undefined)?.task_id
    : (data as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string') throw new Error(`no task id in ${JSON.stringify(answer)}`);
  return id;
}

export async function createTask(
  simulator: Simulator,
  body: Record<string, unknown>,
): Promise<string> {
  const response = await postTask(simulator, body);
  if (response.status !== 200) throw new Error(`create failed with ${response.status}`);
  return taskIdOf(await response.json());
}

export interface TaskData {
  id: string;
  status: string;
  progress: number;
  created: number;
  estimated_time: number;
  completed?: number;
  actual_time?: number;
  result?: { images: { url: string | string[]; expires_at: number }[] };
  error?: { message: string };
}

/** Polls GET /v1/tasks/{id} until the task is completed or failed. */
export async function waitForTask(simulator: Simulator, id: string): Promise<TaskData> {
  for (;;) {
    const response = await call(simulator, `/v1/tasks/${id}`);
    const { data } = (await response.json()) as { data: TaskData };
    if (data.status === 'completed' || data.status === 'failed') return data;
    await sleep(20);
  }
}
