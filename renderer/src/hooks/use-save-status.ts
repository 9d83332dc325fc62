// How a setting reports its saving: "Saved" for a moment once the engine took it, or the engine's
// refusal in words. Shared by every field in Settings, so all of them save and say it alike.
import { useCallback, useState } from 'react';

const SAVED_SHOWN_MS = 2000;

export interface SaveStatus {
  saved: boolean;
  error: string | null;
  /** Runs the save; true when the engine took it. */
  save(run: () => Promise<unknown>): Promise<boolean>;
}

export function useSaveStatus(): SaveStatus {
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = useCallback(async (run: () => Promise<unknown>) => {
    try {
      await run();
      setError(null);
      setSaved(true);
      setTimeout(() => setSaved(false), SAVED_SHOWN_MS);
      return true;
    } catch (thrown) {
      setError(thrown instanceof Error ? thrown.message : String(thrown));
      return false;
    }
  }, []);
  return { saved, error, save };
}
