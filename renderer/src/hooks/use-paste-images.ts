// An image pasted anywhere in the window (a screenshot, an image copied in a browser) is handed
// to `onImage` as base64 with its type; text pasted into a field is left alone.
import { useEffect, useEffectEvent } from 'react';
import {
  UPLOAD_CONTENT_TYPES,
  type UploadContentType,
} from '../../../main/contract/image-files.ts';

function isPasteType(type: string): type is UploadContentType {
  return (UPLOAD_CONTENT_TYPES as readonly string[]).includes(type);
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The pasted image could not be read.'));
    reader.readAsDataURL(file);
  });
}

export function usePasteImages(
  onImage: (dataBase64: string, mime: UploadContentType) => void,
  onError: (message: string) => void,
): void {
  const pasted = useEffectEvent(onImage);
  const failed = useEffectEvent(onError);
  useEffect(() => {
    const paste = (event: ClipboardEvent): void => {
      const items = [...(event.clipboardData?.items ?? [])];
      const images = items.filter((item) => item.kind === 'file' && isPasteType(item.type));
      if (images.length === 0) return;
      event.preventDefault();
      for (const item of images) {
        const file = item.getAsFile();
        if (!file) continue;
        readBase64(file).then(
          (data) => pasted(data, item.type as UploadContentType),
          (error: unknown) => failed(error instanceof Error ? error.message : String(error)),
        );
      }
    };
    window.addEventListener('paste', paste);
    return () => window.removeEventListener('paste', paste);
  }, []);
}
