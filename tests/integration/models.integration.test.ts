// The live model catalogue end to end (issue 14, part A): the simulator's /v1/models and
// /v1/model-schema behind the key, its refusals of bodies outside a schema (400, or 500
// build_request_failed for sizes) and how the client reads them, recipes refused before anything
// is uploaded (the real CLI: exit 2 and one sentence; the engine's routes), `genqueue models`,
// and a model only the simulator knows, run from the command line to a result on disk.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { EngineFailure } from '../../main/contract/errors.ts';
import { createApimartClient } from '../../main/engine/apimart/client.ts';
import { LIVE_ONLY_MODEL } from '../../main/simulator/catalogue.ts';
import { startSimulator, type Simulator } from '../../main/simulator/simulator.ts';
import { genqueue, simulatorEnv } from '../support/cli.ts';
import { startTestEngine } from '../support/engine-harness.ts';
import { makeImages } from '../support/images.ts';
import { tempDir } from '../support/paths.ts';

type Json = Record<string, unknown>;

async function simulator(t: Parameters<typeof tempDir>[0]): Promise<Simulator> {
  const started = await startSimulator({ taskDurationMs: 100, resultSize: 64 });
  t.after(() => started.close());
  return started;
}

async function get(sim: Simulator, path: string, key: string | null = sim.apiKey) {
  const response = await fetch(`${sim.url}${path}`, {
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
  });
  return { status: response.status, json: (await response.json()) as Json };
}

async function create(sim: Simulator, body: Json) {
  const response = await fetch(`${sim.url}/v1/images/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as { error?: Json } };
}

test('the simulator lists its models and their schemas, only with the key', async (t) => {
  const sim = await simulator(t);
  assert.equal((await get(sim, '/v1/models', null)).status, 401);
  assert.equal((await get(sim, '/v1/models', 'wrong')).status, 401);
  const listed = await get(sim, '/v1/models');
  assert.equal(listed.status, 200);
  const ids = (listed.json.data as { id: string }[]).map((model) => model.id);
  assert.ok(ids.includes(LIVE_ONLY_MODEL) && ids.includes('gpt-image-2'), ids.join(' '));

  const schema = await get(
    sim,
    `/v1/model-schema?model=${LIVE_ONLY_MODEL}&operation=image_generation`,
  );
  assert.equal(schema.status, 200);
  assert.equal(schema.json.model, LIVE_ONLY_MODEL);
  assert.equal(schema.json.operation, 'image_generation');
  const properties = (schema.json.input_schema as { properties: Record<string, Json> }).properties;
  assert.ok(properties.style && properties.size && !properties.model);

  assert.equal(
    (await get(sim, '/v1/model-schema?model=nope&operation=image_generation')).status,
    404,
  );
  assert.equal(
    (await get(sim, `/v1/model-schema?model=${LIVE_ONLY_MODEL}&operation=video`)).status,
    400,
  );
  assert.equal((await get(sim, '/v1/model-schema')).status, 400);
  assert.equal((await get(sim, `/v1/model-schema?model=${LIVE_ONLY_MODEL}`, null)).status, 401);
});

test('the simulator refuses bodies outside the schema as APIMart does, and the client reads a 500 build_request_failed as a refused recipe', async (t) => {
  const sim = await simulator(t);
  const refusals: [Json, number, RegExp][] = [
    [{ model: LIVE_ONLY_MODEL, prompt: 'p', image_urls: ['u'], size: '16:9' }, 400, /invalid size/],
    [{ model: LIVE_ONLY_MODEL, prompt: 'p' }, 400, /image_urls is required/],
    [{ model: LIVE_ONLY_MODEL, prompt: 'p', image_urls: ['u'], strength: 2 }, 400, /at most 1/],
    [{ model: 'gpt-image-2', prompt: 'p', n: 2 }, 400, /invalid n 2/],
    [{ model: 'gpt-image-2', prompt: 'p', quality: 'high' }, 400, /unknown parameter quality/],
    [{ model: 'doubao-seedream-5-0-lite', prompt: 'p', resolution: '4K' }, 400, /resolution/],
    [{ model: 'gpt-image-2', prompt: 'p', size: '7:5' }, 500, /invalid size "7:5"/],
  ];
  for (const [body, status, words] of refusals) {
    const answer = await create(sim, body);
    assert.equal(answer.status, status, JSON.stringify(body));
    assert.match(String(answer.json.error?.message), words);
    assert.equal(answer.json.error?.code, status === 500 ? 'build_request_failed' : undefined);
  }
  assert.equal(sim.stats().tasks.length, 0);
  // What the schema allows goes through (a raw pixel size for gpt-image-2 too).
  assert.equal(
    (await create(sim, { model: 'gpt-image-2', prompt: 'p', size: '1881x836' })).status,
    200,
  );

  const client = createApimartClient({ baseUrl: sim.url, apiKey: () => sim.apiKey });
  t.after(() => client.close());
  const body = JSON.stringify({ model: 'gpt-image-2', prompt: 'p', size: '7:5' });
  const thrown = await client.createTask({ body, key: 'k-1' }, {}).catch((error: unknown) => error);
  assert.ok(thrown instanceof EngineFailure);
  assert.equal(thrown.error.code, 'invalid_recipe');
  assert.equal(thrown.error.retryable, false);
  assert.match(thrown.error.message, /^APIMart refused the recipe: ".*invalid size "7:5".*"\.$/);
});

test('genqueue run and watch refuse a recipe outside the schema with one sentence, and upload nothing', async (t) => {
  const { simulator: sim, env } = await simulatorEnv(t);
  const dir = await tempDir(t);
  await makeImages(dir, 1);
  const cases: [string[], RegExp][] = [
    // The README's old example: gpt-image-2 makes one image per request.
    [
      ['--model', 'gpt-image-2', '--n', '2'],
      /^gpt-image-2 makes exactly 1 image per request; this job asks for 2\.$/,
    ],
    [
      ['--model', LIVE_ONLY_MODEL, '--size', '16:9'],
      /^sim-image-live-1 takes size square_hd, portrait_4_3 or landscape_16_9; this job asks for 16:9\.$/,
    ],
    [
      ['--model', LIVE_ONLY_MODEL, '--option', 'strength=1.5'],
      /^sim-image-live-1 takes strength from 0 to 1; this job asks for 1\.5\.$/,
    ],
    [
      ['--model', LIVE_ONLY_MODEL, '--option', 'style=glitter'],
      /^sim-image-live-1 takes style plain, neon or sepia; this job asks for glitter\.$/,
    ],
    [
      ['--model', 'gpt-image-2', '--option', 'quality=high'],
      /^gpt-image-2 takes no quality; this job asks for high\.$/,
    ],
    [['--option', 'quality'], /^--option takes name=value, such as quality=high, not "quality"\.$/],
  ];
  // Every case through run; watch refuses in the same words (two of them, to keep this short).
  const runs = [
    ...cases.map(([flags, sentence]) => ['run', flags, sentence] as const),
    ...cases.slice(0, 2).map(([flags, sentence]) => ['watch', flags, sentence] as const),
  ];
  for (const [command, flags, sentence] of runs) {
    const ran = await genqueue([command, dir, '--prompt', 'x', ...flags], env);
    assert.equal(ran.code, 2, `${command} ${flags.join(' ')}: ${ran.stderr}${ran.stdout}`);
    const [first, hint] = ran.stderr.replace(/^genqueue: /, '').split('\n');
    assert.match(first ?? '', sentence);
    assert.equal(hint, 'Run "genqueue --help" for usage.');
  }
  assert.deepEqual(sim.stats().uploads, [], 'nothing was uploaded');
  assert.equal(sim.stats().tasks.length, 0);
  const status = JSON.parse((await genqueue(['status', '--json'], env)).stdout) as Json;
  assert.equal(status.total, 0, 'nothing was queued');
  const watched = await genqueue(['watch', '--list', '--json'], env);
  assert.equal(watched.stdout, '', 'no folder is watched');
});

test('a model only APIMart knows runs from the command line to a result on disk', async (t) => {
  const { simulator: sim, env } = await simulatorEnv(t, { resultSize: 64 });
  const dir = await tempDir(t);
  const out = await tempDir(t);
  await makeImages(dir, 1);
  const ran = await genqueue(
    [
      'run',
      dir,
      '--prompt',
      'x',
      '--model',
      LIVE_ONLY_MODEL,
      '--size',
      'landscape_16_9',
      '--n',
      '2',
      '--option',
      'style=neon',
      '--option',
      'strength=0.8',
      '--out',
      out,
      '--json',
    ],
    env,
  );
  assert.equal(ran.code, 0, ran.stderr + ran.stdout);
  const lines = ran.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Json);
  assert.equal(lines.at(-1)?.done, 1, ran.stdout);
  const [task] = sim.stats().tasks;
  assert.equal(task?.model, LIVE_ONLY_MODEL);
  assert.equal(task?.n, 2);
  // The results, and their sidecars with the options as the schema types them.
  const { readdir } = await import('node:fs/promises');
  const files = (await readdir(out)).sort();
  assert.equal(files.filter((file) => file.endsWith('.png')).length, 2, files.join(' '));
  const sidecar = JSON.parse(
    await readFile(
      join(
        out,
        files.find((file) => file.endsWith('.json'))!,
      ),
      'utf8',
    ),
  ) as { recipe: Json };
  assert.deepEqual(sidecar.recipe.options, { style: 'neon', strength: 0.8 });
  assert.equal(sidecar.recipe.size, 'landscape_16_9');

  const listed = await genqueue(['models'], env);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /^\d+ models offered by http:\/\/127\.0\.0\.1:\d+ \(read .+\)\.$/m);
  assert.match(
    listed.stdout,
    /^sim-image-live-1 \(Simulated Live Image 1, from APIMart's schema\)$/m,
  );
  assert.match(listed.stdout, /^ {2}style: plain, neon or sepia \(default plain\)$/m);
  assert.match(listed.stdout, /^ {2}strength: from 0 to 1 \(default 0\.6\)$/m);
  assert.match(listed.stdout, /^ {2}reference images: 1 to 2$/m);
  const json = await genqueue(['models', '--json', '--simulate'], {
    GENQUEUE_HOME: env.GENQUEUE_HOME,
  });
  assert.equal(json.code, 0, json.stderr);
  const models = json.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Json);
  const live = models.find((model) => model.id === LIVE_ONLY_MODEL);
  assert.equal(live?.source, 'live');
  assert.deepEqual(
    (live?.fields as { name: string }[]).map((field) => field.name),
    ['size', 'n', 'style', 'strength'],
  );
  const offline = await genqueue(['models'], { ...env, APIMART_BASE_URL: 'http://127.0.0.1:9' });
  assert.equal(offline.code, 0, offline.stderr);
  assert.match(
    offline.stdout,
    /^\d+ models from GenQueue's built-in list: http:\/\/127\.0\.0\.1:9 could not be asked for its own\.$/m,
  );
});

test('the engine refuses to queue a recipe outside the schema, from every route, before any upload', async (t) => {
  const gq = await startTestEngine(t, { simulator: { resultSize: 64 } });
  const list = await gq.call('models.list', { fresh: true });
  assert.equal(list.source, 'live');
  assert.ok(list.models.some((model) => model.id === LIVE_ONLY_MODEL));
  const dir = await tempDir(t);
  const [image] = await makeImages(dir, 1);
  const refused = async (run: () => Promise<unknown>, sentence: string): Promise<void> => {
    const thrown = await run().then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(thrown instanceof EngineFailure, `refused: ${sentence}`);
    assert.equal(thrown.error.code, 'invalid_recipe');
    assert.equal(thrown.error.message, sentence);
  };
  const badSize = { model: LIVE_ONLY_MODEL, prompt: 'x', size: '16:9' };
  const sizeSentence =
    'sim-image-live-1 takes size square_hd, portrait_4_3 or landscape_16_9; this job asks for 16:9.';
  await refused(() => gq.call('jobs.enqueue', { paths: [image!], recipe: badSize }), sizeSentence);
  await refused(
    () => gq.call('jobs.enqueue', { paths: [image!], recipe: { model: 'gpt-image-2', n: 2 } }),
    'gpt-image-2 makes exactly 1 image per request; this job asks for 2.',
  );
  const png = (await readFile(image!)).toString('base64');
  await refused(
    () => gq.call('files.paste', { dataBase64: png, mime: 'image/png', recipe: badSize }),
    sizeSentence,
  );
  await refused(() => gq.call('watch.add', { path: dir, recipe: badSize }), sizeSentence);
  assert.deepEqual((await gq.call('watch.list', {})).length, 0);

  // A recipe that fits is queued, its options typed as the schema says, and runs.
  const { jobIds } = await gq.call('jobs.enqueue', {
    paths: [image!],
    recipe: { model: LIVE_ONLY_MODEL, prompt: 'x', options: { strength: '0.25', style: 'sepia' } },
  });
  const [job] = await gq.call('jobs.get', { ids: jobIds });
  assert.deepEqual(job?.recipe.options, { strength: 0.25, style: 'sepia' });
  await refused(
    () => gq.call('jobs.retry', { ids: jobIds, recipe: { options: { strength: 3 } } }),
    'sim-image-live-1 takes strength from 0 to 1; this job asks for 3.',
  );
  assert.equal(await gq.engine.settled(), 'idle');
  const [finished] = await gq.call('jobs.get', { ids: jobIds });
  assert.equal(finished?.stage, 'done', JSON.stringify(finished?.error));
  assert.equal(gq.simulator.stats().uploads.length, 1, 'only the job that fits was uploaded');
});
