// How many files are being dragged over the window, from the drag's own item list (readable while
// it hovers, before the drop): what the drop overlay prices. 0 until the first dragover says.
import { useEffect, useState } from 'react';

export function useDragCount(): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    const over = (event: DragEvent): void => {
      const items = [...(event.dataTransfer?.items ?? [])];
      setCount(items.filter((item) => item.kind === 'file').length);
    };
    window.addEventListener('dragover', over);
    return () => window.removeEventListener('dragover', over);
  }, []);
  return count;
}
