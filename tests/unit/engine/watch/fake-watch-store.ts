// An in-memory stand-in for the watch store's file and ledger parts, for unit tests of the tree
// scan and intake: what was seen with which stamp, the (hash, recipe) claims and their jobs, and
// what was skipped, so a test reads what a part did without SQLite.
import type { IntakeStore } from '../../../../main/engine/watch/intake.ts';
import type { Claim, FileStamp } from '../../../../main/engine/watch/watch-store.ts';

export function fakeWatchStore() {
  const seenStamps = new Map<string, FileStamp>();
  const claims = new Map<string, { claim: Claim; jobId?: string }>();
  const skipped: { path: string; reason: string }[] = [];
  const keyOf = (claim: Claim) => `${claim.sha256}|${claim.recipeKey}`;
  const store = {
    seen(_folderId: string, path: string, stamp: FileStamp): boolean {
      const seen = seenStamps.get(path);
      return seen?.size === stamp.size && seen.mtimeMs === stamp.mtimeMs;
    },
    markSeen(_folderId: string, files: readonly { path: string; stamp: FileStamp }[]): void {
      for (const { path, stamp } of files) seenStamps.set(path, stamp);
    },
    markSkipped(_folderId: string, path: string, stamp: FileStamp, reason: string): void {
      seenStamps.set(path, stamp);
      skipped.push({ path, reason });
    },
    claim(_folderId: string, wanted: readonly (Claim & { stamp: FileStamp })[]): Claim[] {
      const fresh: Claim[] = [];
      for (const { stamp, ...claim } of wanted) {
        if (!claims.has(keyOf(claim))) {
          claims.set(keyOf(claim), { claim });
          fresh.push(claim);
        }
        seenStamps.set(claim.source, stamp);
      }
      return fresh;
    },
    linkJobs(links: readonly { claim: Claim; jobId: string }[]): void {
      for (const { claim, jobId } of links) claims.get(keyOf(claim))!.jobId = jobId;
    },
    release(_folderId: string, given: readonly Claim[]): void {
      for (const claim of given) {
        claims.delete(keyOf(claim));
        seenStamps.delete(claim.source);
      }
    },
  } satisfies IntakeStore & { markSkipped: unknown };
  return {
    store,
    seenStamps,
    skipped,
    /** source → job id, for every claim linked to a job. */
    jobs: () =>
      Object.fromEntries(
        [...claims.values()].flatMap(({ claim, jobId }) => (jobId ? [[claim.source, jobId]] : [])),
      ),
    claimed: () => [...claims.values()].map(({ claim }) => claim.source).sort(),
  };
}
