// The first screen when no API key is set: what GenQueue does, the key (paste, test), or trying it
// right away with the built-in simulator. Not a dialog: the sidebar stays usable, and "Later"
// goes straight to the queue.
import type { KeyStatus } from '../../../main/contract/schemas.ts';
import { Icon } from './Icon.tsx';
import { KeyPanel } from './KeyPanel.tsx';

interface Props {
  status: KeyStatus | null;
  onStatus: (status: KeyStatus) => void;
  onDone: () => void;
}

export function Onboarding({ status, onStatus, onDone }: Props) {
  const ready = status !== null && status.state !== 'not-set';
  return (
    <section className="view onboarding" aria-label="Welcome">
      <div className="onboarding-card">
        <span className="brand-mark large">
          <Icon name="logo" size={28} />
        </span>
        <h1>Welcome to GenQueue</h1>
        <p className="lead">
          Turn folders of images into AI-generated images through APIMart — one or ten thousand,
          with every step shown and nothing paid for twice.
        </p>
        <ol className="steps">
          <li>Paste your APIMart API key, or try GenQueue with the built-in simulator.</li>
          <li>Pick a model and write a prompt in the recipe bar.</li>
          <li>Drop images or folders anywhere in the window.</li>
        </ol>
        <KeyPanel status={status} onStatus={onStatus} />
        <div className="onboarding-foot">
          {ready ? (
            <button type="button" className="button primary" onClick={onDone}>
              Continue to the queue <Icon name="chevron" size={14} />
            </button>
          ) : (
            <button type="button" className="link-button" onClick={onDone}>
              Set it up later
            </button>
          )}
        </div>
      </div>
    </section>
  );
}
