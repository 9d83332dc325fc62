// One full-size image for the compare: the engine's bounded data URL once it has arrived, until
// then undefined (the pane shows the thumbnail meanwhile), null when the engine cannot make one.
import { useEffect, useState } from 'react';
import type { FullImage } from '../../../main/contract/results.ts';
import { fullImages, type FullImageRequest } from '../lib/full-images.ts';
import { useApp } from './use-app.ts';

export function useFullImage(request: FullImageRequest): FullImage | null | undefined {
  const images = fullImages(useApp().client);
  const { id, which, index } = request;
  const key = `${id}:${which}:${index}`;
  const [state, setState] = useState<{ key: string; image: FullImage | null }>();
  useEffect(() => {
    let live = true;
    images.load({ id, which, index }).then(
      (image) => live && setState({ key, image }),
      () => live && setState({ key, image: null }),
    );
    return () => {
      live = false;
    };
  }, [images, key, id, which, index]);
  return state?.key === key ? state.image : images.peek(request);
}
