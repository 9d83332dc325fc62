// The queue-wide pause: why GenQueue sends no new work (the person, offline, a refused key, no
// balance, a disk it cannot write), and an epoch counting resumes and key changes, so a refusal
// to a request sent before the latest of them is old news and cannot pause the queue again.
import type { EngineError, PauseReason } from '../../contract/errors.ts';

export interface Pause {
  reason: PauseReason;
  message: string;
}

export type PauseState = ReturnType<typeof createPauseState>;

/** `changed(resumed)` is told of every change; `resumed` when the queue may go on. */
export function createPauseState(changed: (resumed: boolean) => void) {
  let pause: Pause | null = null;
  let epoch = 0;

  function set(next: Pause | null): void {
    if (pause?.reason === next?.reason && pause?.message === next?.message) return;
    if (pause && !next) epoch += 1;
    pause = next;
    changed(!next);
  }

  return {
    get current(): Pause | null {
      return pause;
    },
    /** Read when a request is sent; handed back to pauseFor() with the request's refusal. */
    get epoch(): number {
      return epoch;
    },
    set,
    /** Another key: refusals of requests sent with the old one are old news; an auth pause ends. */
    keyChanged(): void {
      epoch += 1;
      if (pause?.reason === 'auth') set(null);
    },
    /**
     * Pauses the queue when the error says so (auth, balance, disk), unless the request it answers
     * was sent before the latest resume (`sentAt` is the epoch then). A network failure never
     * pauses here: the net monitor decides offline. True when the error is one that pauses.
     */
    pauseFor(error: EngineError, sentAt: number): boolean {
      if (!error.pause || error.pause === 'offline') return false;
      if (sentAt === epoch) set({ reason: error.pause, message: error.message });
      return true;
    },
  };
}
