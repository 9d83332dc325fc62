// A span of time as a person says it in a sentence ("2 seconds", "1 minute", "60 minutes"), for
// the messages that tell how long GenQueue waited before it gave up.

export function spoken(ms: number): string {
  const [n, unit] =
    ms < 60_000 ? [Math.round(ms / 1000), 'second'] : [Math.round(ms / 60_000), 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
