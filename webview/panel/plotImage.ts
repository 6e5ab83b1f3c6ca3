// A plot's image on the clipboard: PNG as it came, SVG drawn onto a canvas first (the clipboard takes PNG images).
import type { DisplayView } from '../../shared/transcript';
import { imageUrl } from './displayView';

/** An SVG without a size of its own is drawn this big. */
const FALLBACK_SIZE = { width: 800, height: 600 };

/** Puts the image on the clipboard; rejects with the browser's reason (e.g. no clipboard permission). */
export async function copyImage(display: DisplayView): Promise<void> {
  // The blob as a promise: the write starts within the click that allows it, and waits for the drawing.
  const png = display.mime === 'image/png' ? Promise.resolve(base64Blob(display.data, 'image/png')) : rasterize(imageUrl(display));
  await navigator.clipboard.write([new ClipboardItem({ 'image/png': png })]);
}

function base64Blob(data: string, type: string): Blob {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type });
}

async function rasterize(url: string): Promise<Blob> {
  const img = new Image();
  img.src = url;
  await img.decode();
  const scale = window.devicePixelRatio || 1;
  const width = img.naturalWidth || FALLBACK_SIZE.width;
  const height = img.naturalHeight || FALLBACK_SIZE.height;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  canvas.getContext('2d')!.drawImage(img, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the image could not be drawn'))), 'image/png'));
}
