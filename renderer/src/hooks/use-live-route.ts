// One engine route's answer kept live: asked when the input changes and again as the queue moves
// (`queue.stats`), at most once per `everyMs`. Null until the engine has answered, or while the
// input is null; a call that failed leaves the last answer. The estimate and the Spend view use it.
import { useEffect, useState } from 'react';
import type { RouteInput, RouteName, RouteOutput } from '../../../main/contract/routes.ts';
import type { EngineClient } from '../engine-client.ts';

export function useLiveRoute<K extends RouteName>(
  client: EngineClient,
  route: K,
  input: RouteInput<K> | null,
  everyMs: number,
): RouteOutput<K> | null {
  const [answer, setAnswer] = useState<RouteOutput<K> | null>(null);
  const key = JSON.stringify(input);
  useEffect(() => {
    if (key === 'null') return;
    const asked = JSON.parse(key) as RouteInput<K>;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const ask = (): void => {
      last = Date.now();
      timer = undefined;
      client.call(route, asked).then(
        (next) => live && setAnswer(next),
        () => {},
      );
    };
    const off = client.on('queue.stats', () => {
      timer ??= setTimeout(ask, Math.max(0, last + everyMs - Date.now()));
    });
    ask();
    return () => {
      live = false;
      off();
      if (timer) clearTimeout(timer);
    };
  }, [client, route, key, everyMs]);
  return key === 'null' ? null : answer;
}
