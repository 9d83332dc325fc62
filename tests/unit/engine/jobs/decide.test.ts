// DESIGN.md §4's error table, row by row, as decide() reads it: what a job does next when one of
// its steps failed. Pure: a job record and an error in, a decision out; no clock, no dice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engineError, type EngineError } from '../../../../main/contract/errors.ts';
import type { JobStage } from '../../../../main/contract/schemas.ts';
import { errorFromReply } from '../../../../main/engine/apimart/error-model.ts';
import { decide, resendVerdict } from '../../../../main/engine/jobs/decide.ts';
import type { JobRecord } from '../../../../main/engine/store/jobs-store.ts';

const context = { backoff: { baseMs: 1000, capMs: 8000 }, random: () => 1 };

function job(stage: JobStage, patch: Partial<JobRecord> = {}): JobRecord {
  return {
    id: 'j1',
    seq: 1,
    source: '/in/a.jpg',
    sourceHash: null,
    recipe: { model: 'm', prompt: 'p' },
    recipeKey: 'k',
    stage,
    resumeStage: null,
    attempts: 0,
    nextAttemptAt: null,
    prepared: null,
    report: null,
    uploadUrl: null,
    uploadExpiresAt: null,
    submitIntendedAt: null,
    submission: null,
    taskId: null,
    taskProgress: null,
    taskEta: null,
    resultImages: null,
    results: [],
    error: null,
    simulated: false,
    held: false,
    forced: false,
    capHold: null,
    costMicros: null,
    timings: {},
    createdAt: 0,
    updatedAt: 0,
    finishedAt: null,
    ...patch,
  };
}

const reset: EngineError = {
  ...engineError('network', 'reset', { retryable: true }),
  detail: 'ECONNRESET',
};
const refused: EngineError = { ...reset, detail: 'ECONNREFUSED' };
const prepared = {
  path: '/cache/a.jpg',
  bytes: 20_000_000,
  format: 'jpeg',
  contentType: 'image/jpeg',
  width: 10,
  height: 10,
  sha256: 'x',
};

const HOUR = 3600_000;
const submission = { key: 'k-1', body: '{"model":"m"}', madeAt: 0, sends: 1, path: [] };
const sent = (patch: Partial<JobRecord> = {}): JobRecord =>
  job('submitting', { submitIntendedAt: 1, submission, ...patch });

test('a lost answer to a create sent with a key: resent with the same key, once APIMart honours keys', () => {
  const decision = decide(sent(), reset, { ...context, keys: 'honours', now: 1000 });
  assert.equal(decision.kind, 'resend');
  assert.equal(decision.kind === 'resend' && decision.note, 'answer lost (reset)');
  assert.equal(decision.kind === 'resend' && decision.delayMs, 1000, 'base · 2^0, dice at top');
});

test('a lost answer: a person decides when resending could pay twice, saying why', () => {
  const cases = [
    {
      name: 'no key',
      job: job('submitting', { submitIntendedAt: 1 }),
      keys: 'honours',
      cause: 'no-key',
    },
    { name: 'server ignores keys', job: sent(), keys: 'ignores', cause: 'keys-ignored' },
    {
      name: 'key older than APIMart keeps it',
      job: sent(),
      keys: 'honours',
      now: 25 * HOUR,
      cause: 'key-expired',
    },
  ] as const;
  for (const c of cases) {
    const decision = decide(c.job, reset, {
      ...context,
      keys: c.keys,
      now: 'now' in c ? c.now : 1,
    });
    assert.equal(decision.kind, 'ambiguous', c.name);
    assert.equal(decision.kind === 'ambiguous' && decision.error.detail, c.cause, c.name);
    assert.match(
      decision.kind === 'ambiguous' ? decision.error.message : '',
      /could pay twice\. Resubmit it, or cancel it\.$/,
    );
  }
});

test('a lost answer while APIMart has not shown whether it honours keys: waits for proof, then asks', () => {
  const first = decide(sent(), reset, { ...context, keys: 'unknown', now: 1000 });
  assert.equal(first.kind, 'resend', 'the loss is noted and the job waits');
  const lost = sent({ submission: { ...submission, lostAt: 1000 } });
  assert.equal(resendVerdict(lost, 'unknown', 1000 + 60_000)?.kind, 'resend', 'still waiting');
  assert.equal(resendVerdict(lost, 'honours', 1000 + 60_000), undefined, 'proof came: send');
  const asked = resendVerdict(lost, 'unknown', 1000 + 6 * 60_000);
  assert.equal(asked?.kind === 'ambiguous' && asked.error.detail, 'keys-unproven');
  assert.equal(resendVerdict(sent(), 'unknown', 1000), undefined, 'nothing was lost: send');
});

test("APIMart's idempotency answers: in progress and unavailable wait with the key kept; reused fails; indeterminate asks", () => {
  const answer = (status: number, code: string) =>
    errorFromReply({
      status,
      headers: {},
      body: JSON.stringify({ error: { code, message: 'x' } }),
    });
  const keys = { ...context, keys: 'honours' as const, now: 1000 };
  for (const [status, code] of [
    [409, 'idempotency_in_progress'],
    [503, 'idempotency_unavailable'],
  ] as const) {
    const decision = decide(sent(), answer(status, code), keys);
    assert.equal(decision.kind, 'wait', code);
    assert.equal(decision.kind === 'wait' && decision.resumeStage, 'submitting', code);
  }
  const reused = decide(sent(), answer(409, 'idempotency_key_reused'), keys);
  assert.equal(reused.kind, 'fail');
  assert.match(reused.kind === 'fail' ? reused.error.message : '', /nothing was paid/);
  const unknown = decide(sent(), answer(409, 'idempotency_result_indeterminate'), keys);
  assert.equal(unknown.kind === 'ambiguous' && unknown.error.detail, 'indeterminate');
});

test('a create that provably never left (connection refused): waits, intent cleared, no attempt spent', () => {
  const decision = decide(job('submitting', { submitIntendedAt: 1 }), refused, context);
  assert.deepEqual(decision.kind === 'wait' && [decision.clearIntent, decision.attempts], [
    true,
    0,
  ]);
});

test('network down: wait with backoff, attempts untouched, network failures counted', () => {
  const decision = decide(job('uploading', { timings: { networkFailures: 2 } }), reset, context);
  assert.equal(decision.kind, 'wait');
  if (decision.kind !== 'wait') return;
  assert.equal(decision.attempts, 0);
  assert.equal(decision.timings.networkFailures, 3);
  assert.equal(decision.delayMs, 4000, 'base · 2^(3-1) with the dice at their top');
  assert.equal(decision.resumeStage, 'uploading');
});

test('401/403, 402 and a full disk pause the queue; the job stays at its step', () => {
  for (const pause of ['auth', 'balance', 'disk'] as const) {
    const error = engineError('auth', 'refused', { pause });
    const decision = decide(job('uploading'), error, context);
    assert.deepEqual(decision, { kind: 'pause', error, clearIntent: false }, pause);
  }
});

test('429: wait what Retry-After says, counted against the rate-limit budget of this step', () => {
  const error = engineError('rate_limited', 'slow down', { retryable: true, retryAfterMs: 7000 });
  const decision = decide(job('uploading', { attempts: 2 }), error, context);
  assert.equal(decision.kind, 'wait');
  if (decision.kind !== 'wait') return;
  assert.deepEqual(
    [decision.delayMs, decision.attempts, decision.timings['failures.uploading.rate_limited']],
    [7000, 3, 1],
  );
});

test("5xx: waited out with backoff for the step's window, counted from its first server error; then the job fails", () => {
  const error = engineError('server', 'HTTP 502', { retryable: true });
  const window = {
    ...context,
    backoff: { ...context.backoff, serverWindowMs: 60_000 },
    now: 100_000,
  };
  const first = decide(job('downloading'), error, window);
  assert.equal(first.kind, 'wait');
  assert.equal(first.kind === 'wait' && first.timings['serverErrorsSince.downloading'], 100_000);
  const later = job('downloading', {
    timings: { 'serverErrorsSince.downloading': 50_000, 'failures.downloading.server': 40 },
  });
  assert.equal(
    decide(later, error, window).kind,
    'wait',
    '50 s into a 60 s window, whatever the count',
  );
  const past = job('downloading', { timings: { 'serverErrorsSince.downloading': 30_000 } });
  const failed = decide(past, error, window);
  assert.equal(failed.kind, 'fail');
  assert.match(
    failed.kind === 'fail' ? failed.error.message : '',
    /server errors for 1 minute \(1 tries\)/,
  );
  const otherStep = job('uploading', { timings: { 'serverErrorsSince.downloading': 30_000 } });
  assert.equal(decide(otherStep, error, window).kind, 'wait', 'windows are per step');
  const byDefault = { ...context, now: 100_000 };
  assert.equal(decide(past, error, byDefault).kind, 'wait', 'the default window is 30 minutes');
});

test('413: prepared once more for three quarters of the size, then a failure naming the sizes', () => {
  const error = engineError('too_large', 'APIMart refused the file as too large.');
  const first = decide(job('uploading', { prepared }), error, context);
  assert.deepEqual(first, { kind: 'shrink', shrinkTo: 15_000_000 });
  const again = decide(
    job('uploading', { prepared, timings: { shrinkTo: 15_000_000 } }),
    error,
    context,
  );
  assert.equal(again.kind, 'fail');
  assert.match(
    again.kind === 'fail' ? again.error.message : '',
    /GenQueue sent 20\.0 MB after shrinking it once/,
  );
});

test('400, a failed task (a content policy refusal among them), a file that is not an image: fail with its words', () => {
  for (const [stage, code] of [
    ['submitting', 'bad_input'],
    ['running', 'task_failed'],
    ['preparing', 'corrupt'],
  ] as const) {
    const error = engineError(code, `the ${code} sentence`);
    const decision = decide(job(stage), error, context);
    assert.deepEqual(decision.kind === 'fail' && decision.error, error, code);
  }
});
