// The failed jobs grouped by cause — "12 failed: content policy", "3 failed: not an image" — each
// group with one way to clear it at once: Retry all, Edit and retry all (one recipe for the whole
// group), or Remove all from the list. A group that no retry can help offers only removal.
import { useState } from 'react';
import type { FailureGroup } from '../../../main/contract/routes.ts';
import type { Recipe } from '../../../main/contract/schemas.ts';
import { useApp } from '../hooks/use-app.ts';
import { batchStarted } from '../hooks/use-batch-toasts.ts';
import { useFailureGroups } from '../hooks/use-failure-groups.ts';
import { formatCount, plural } from '../lib/format.ts';
import { retryHelps } from '../lib/job-text.ts';
import { EditRetryForm } from './EditRetryForm.tsx';
import { Icon } from './Icon.tsx';

function Group({ group }: { group: FailureGroup }) {
  const { client, act, toasts } = useApp();
  const [editing, setEditing] = useState<Recipe | null>(null);
  const helps = retryHelps(group);
  const ids = group.ids;
  const jobs = plural(group.count, 'job');
  return (
    <div
      className="failure-group"
      role="group"
      aria-label={`${formatCount(group.count)} failed: ${group.label}`}
      data-code={group.code}
    >
      <div className="failure-what">
        <p className="failure-title">
          <strong>{formatCount(group.count)} failed:</strong> {group.label}
        </p>
        <p className="failure-example" title={group.example}>
          {helps ? group.example : `${group.example} Trying again cannot help these files.`}
        </p>
      </div>
      <div className="failure-actions">
        {helps && (
          <>
            <button
              type="button"
              className="button small"
              onClick={() =>
                void act(async () => {
                  await client.call('jobs.retry', { ids });
                  batchStarted(toasts, `${jobs} queued again.`);
                })
              }
            >
              <Icon name="retry" size={14} /> Retry all
            </button>
            <button
              type="button"
              className="button small"
              aria-expanded={editing !== null}
              onClick={() =>
                void act(async () => {
                  const [first] = await client.call('jobs.get', { ids: ids.slice(0, 1) });
                  if (first) setEditing(first.recipe);
                })
              }
            >
              <Icon name="edit" size={14} /> Edit and retry all
            </button>
          </>
        )}
        <button
          type="button"
          className="button small ghost danger"
          onClick={() =>
            void act(() => client.call('jobs.remove', { ids }), `${jobs} removed from the list.`)
          }
        >
          <Icon name="trash" size={14} /> Remove all
        </button>
      </div>
      {editing && (
        <EditRetryForm
          ids={ids}
          recipe={editing}
          success={`${jobs} queued again with the new recipe.`}
          onDone={() => setEditing(null)}
        />
      )}
    </div>
  );
}

export function FailureGroups({ failed }: { failed: number }) {
  const groups = useFailureGroups(failed);
  if (!groups || groups.length === 0) return null;
  return (
    <section className="failure-groups" aria-label="Failures by cause">
      {groups.map((group) => (
        <Group key={group.cause} group={group} />
      ))}
    </section>
  );
}
