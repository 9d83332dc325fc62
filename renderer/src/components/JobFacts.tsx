// The facts of a job as a definition list: where it came from, what preparing changed, the recipe,
// the task, what it cost and its timing — the same facts its JSON sidecar keeps, shown on demand.
import { formatUsd } from '../../../main/contract/money.ts';
import type { JobView } from '../../../main/contract/schemas.ts';
import { formatDimensions, formatFacts, relativeTime } from '../lib/format.ts';
import { modelLabel } from '../lib/recipe.ts';

export function JobFacts({ job, now }: { job: JobView; now: number }) {
  const rows: [string, string][] = [['Source', job.source]];
  if (job.report) {
    rows.push([
      'Before',
      `${formatFacts(job.report.before)} · ${formatDimensions(job.report.before)}`,
    ]);
    rows.push(['Sent', `${formatFacts(job.report.after)} · ${formatDimensions(job.report.after)}`]);
    if (job.report.changes.length > 0) rows.push(['Preparing', job.report.changes.join('; ')]);
  }
  rows.push(['Model', modelLabel(job.recipe.model)]);
  rows.push(['Prompt', job.recipe.prompt]);
  if (job.recipe.size) rows.push(['Size', job.recipe.size]);
  if (job.recipe.resolution) rows.push(['Resolution', job.recipe.resolution]);
  if (job.recipe.n && job.recipe.n > 1) rows.push(['Images', String(job.recipe.n)]);
  rows.push(['Attempts', String(job.attempts)]);
  if (job.nextAttemptAt && job.stage === 'waiting')
    rows.push(['Next retry', relativeTime(job.nextAttemptAt, now)]);
  if (job.taskId) rows.push(['Task', job.taskId]);
  if (job.cost !== undefined) rows.push(['Cost', formatUsd(job.cost)]);
  if (job.capHold) rows.push(['Held', job.capHold.reason]);
  if (job.submissionPath) rows.push(['Asked for', job.submissionPath.join('; ')]);
  for (const [i, result] of job.results.entries()) {
    rows.push([
      job.results.length > 1 ? `Result ${i + 1}` : 'Result',
      `${result.path} (${formatFacts(result)} · ${formatDimensions(result)})`,
    ]);
  }
  if (job.simulated) rows.push(['Made by', 'The built-in simulator (not APIMart)']);
  rows.push(['Queued', new Date(job.createdAt).toLocaleString()]);
  rows.push(['Updated', new Date(job.updatedAt).toLocaleString()]);
  return (
    <dl className="facts">
      {rows.map(([term, value]) => (
        <div key={term} className="fact">
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
