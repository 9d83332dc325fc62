// The brief "Saved" beside a setting's label once the engine has taken a change.
import { Icon } from './Icon.tsx';

export function SavedNote({ saved }: { saved: boolean }) {
  if (!saved) return null;
  return (
    <span className="saved" role="status">
      <Icon name="check" size={12} /> Saved
    </span>
  );
}
