// One timer for every running task: jobs are kept in a min-heap by their next poll time and a
// single setTimeout wakes for the earliest, so 10,000 running tasks cost one timer, not 10,000.
export interface PollWheel {
  schedule(jobId: string, at: number): void;
  cancel(jobId: string): void;
  has(jobId: string): boolean;
  readonly size: number;
  close(): void;
}

export function createPollWheel(onDue: (jobIds: string[]) => void): PollWheel {
  const due = new Map<string, number>();
  const heap: { id: string; at: number }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;
  let closed = false;

  function push(entry: { id: string; at: number }): void {
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.at <= heap[i]!.at) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  function pop(): { id: string; at: number } | undefined {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l]!.at < heap[m]!.at) m = l;
        if (r < heap.length && heap[r]!.at < heap[m]!.at) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    }
    return top;
  }

  function arm(): void {
    // Drop stale heap entries (cancelled or rescheduled) from the top.
    while (heap.length > 0 && due.get(heap[0]!.id) !== heap[0]!.at) pop();
    const next = heap[0]?.at ?? Infinity;
    if (next === timerAt) return;
    if (timer) clearTimeout(timer);
    timer = undefined;
    timerAt = next;
    if (next === Infinity) return;
    timer = setTimeout(fire, Math.max(0, next - Date.now()));
  }

  function fire(): void {
    timer = undefined;
    timerAt = Infinity;
    const now = Date.now();
    const ready: string[] = [];
    while (heap.length > 0 && heap[0]!.at <= now) {
      const entry = pop()!;
      if (due.get(entry.id) === entry.at) {
        due.delete(entry.id);
        ready.push(entry.id);
      }
    }
    arm();
    if (ready.length > 0) onDue(ready);
  }

  return {
    schedule(jobId, at) {
      if (closed) return;
      due.set(jobId, at);
      push({ id: jobId, at });
      arm();
    },
    cancel(jobId) {
      due.delete(jobId);
    },
    has(jobId) {
      return due.has(jobId);
    },
    get size() {
      return due.size;
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      due.clear();
      heap.length = 0;
    },
  };
}
