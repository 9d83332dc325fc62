// A job's source or result as a small engine-made thumbnail (a data URL, never the full image),
// with a quiet placeholder while it loads and an icon when there is no preview to show.
import type { JobView } from '../../../main/contract/schemas.ts';
import { useApp } from '../hooks/use-app.ts';
import { useThumbnail } from '../hooks/use-thumbnail.ts';
import { Icon } from './Icon.tsx';

interface Props {
  job: JobView;
  which?: 'source' | 'result';
  index?: number;
  alt?: string;
  className?: string;
  /** False while its card is only kept ready off screen: it waits to be seen before loading. */
  load?: boolean;
}

export function Thumb({
  job,
  which = 'source',
  index = 0,
  alt = '',
  className = 'thumb',
  load = true,
}: Props) {
  const { thumbnails } = useApp();
  const result = job.results[index];
  const revision = which === 'result' ? (result?.path ?? 'none') : job.report ? 'prepared' : 'raw';
  const url = useThumbnail(thumbnails, job.id, which, index, revision, load);
  const missing = url === null || (which === 'result' && !result);
  return (
    <div
      className={className}
      data-thumb={url && !missing ? 'ready' : missing ? 'none' : load ? 'loading' : 'deferred'}
    >
      {url && !missing ? (
        <img src={url} alt={alt} draggable={false} />
      ) : missing ? (
        <Icon name="image" size={18} />
      ) : null}
    </div>
  );
}
