// The panel beside the results grid for one finished job: before/after (and the way into the
// full-screen compare), open, show in folder, copy the path, run again with another prompt, and
// the sidecar's facts on demand.
import { useState } from 'react';
import { useApp } from '../hooks/use-app.ts';
import { useJob } from '../hooks/use-job.ts';
import { copyText } from '../lib/clipboard.ts';
import { fileName, formatDimensions, formatFacts } from '../lib/format.ts';
import { CompareSlider } from './CompareSlider.tsx';
import { Icon } from './Icon.tsx';
import { JobFacts } from './JobFacts.tsx';
import { RunAgainForm } from './RunAgainForm.tsx';
import { Thumb } from './Thumb.tsx';

interface Props {
  id: string;
  onClose: () => void;
  /** Opens the full-screen compare on this result. */
  onCompare: () => void;
}

export function ResultPanel({ id, onClose, onCompare }: Props) {
  const { client, act } = useApp();
  const job = useJob(client, id);
  const [index, setIndex] = useState(0);
  const result = job?.results[index];
  return (
    <aside
      className="inspector result-panel"
      aria-label="Result details"
      aria-busy={job === undefined}
    >
      <header className="inspector-head">
        <h2 title={result?.path}>{result ? fileName(result.path) : (job?.name ?? 'Result')}</h2>
        <button type="button" className="icon-button" aria-label="Close details" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      {job && result && (
        <div className="inspector-body">
          <CompareSlider key={index} job={job} index={index} />
          <button type="button" className="button" onClick={onCompare}>
            <Icon name="image" size={14} /> Compare full screen
          </button>
          <p className="muted">
            {formatFacts(result)} · {formatDimensions(result)} · from {job.name}
            {job.simulated && <span className="badge">Simulated</span>}
          </p>
          {job.results.length > 1 && (
            <div className="result-picker" role="group" aria-label="Results of this job">
              {job.results.map((item, i) => (
                <button
                  key={item.path}
                  type="button"
                  aria-pressed={i === index}
                  aria-label={`Result ${i + 1}`}
                  onClick={() => setIndex(i)}
                >
                  <Thumb job={job} which="result" index={i} className="thumb" />
                </button>
              ))}
            </div>
          )}
          <div className="inspector-actions">
            <button
              type="button"
              className="button"
              onClick={() => act(() => client.call('shell.open', { path: result.path }))}
            >
              <Icon name="open" size={14} /> Open
            </button>
            <button
              type="button"
              className="button"
              onClick={() => act(() => client.call('shell.reveal', { path: result.path }))}
            >
              <Icon name="folder" size={14} /> Show in folder
            </button>
            <button
              type="button"
              className="button"
              onClick={() => act(() => copyText(result.path), 'Path copied.')}
            >
              <Icon name="copy" size={14} /> Copy path
            </button>
            <button
              type="button"
              className="button"
              onClick={() =>
                act(
                  () => client.call('clipboard.copyImage', { path: result.path }),
                  'Image copied.',
                )
              }
            >
              <Icon name="image" size={14} /> Copy image
            </button>
          </div>
          <section className="panel-section" aria-label="Run again">
            <h3>Run again with another prompt</h3>
            <RunAgainForm job={job} />
          </section>
          <details className="panel-section">
            <summary>Sidecar facts</summary>
            <JobFacts job={job} now={job.updatedAt} />
            <button
              type="button"
              className="button ghost"
              onClick={() => act(() => client.call('shell.open', { path: result.sidecar }))}
            >
              <Icon name="file" size={14} /> Open the sidecar file
            </button>
          </details>
        </div>
      )}
    </aside>
  );
}
