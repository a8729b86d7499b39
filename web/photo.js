// A photo from the tablet's camera, made small enough to send with a check:
// drawn on a canvas at most MAX_SIDE_PX on its long side and encoded as a
// JPEG data URL. The page's CSP allows images only from the server, so the
// preview is a canvas too (no blob: or data: image URLs).

const MAX_SIDE_PX = 1600;
const PREVIEW_PX = 96;
const QUALITIES = [0.85, 0.7, 0.55]; // lower until it fits under the server's limit
const MAX_DATA_URL_CHARS = 2.6 * 1024 * 1024; // ≈ 2 MiB decoded, as base64

async function decode(file) {
  try {
    return await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new Error('That file isn’t a photo this browser can read. Try another one.');
  }
}

function draw(bitmap, longSide) {
  const scale = Math.min(1, longSide / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff'; // a transparent PNG becomes white, not black, as a JPEG
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return canvas;
}

// Resolves to { dataUrl, preview }: the JPEG to send and a small canvas to
// show. Rejects with a message for people when the file is no image.
export async function preparePhoto(file) {
  const bitmap = await decode(file);
  try {
    const canvas = draw(bitmap, MAX_SIDE_PX);
    let dataUrl = '';
    for (const q of QUALITIES) {
      dataUrl = canvas.toDataURL('image/jpeg', q);
      if (dataUrl.length <= MAX_DATA_URL_CHARS) break;
    }
    if (dataUrl.length > MAX_DATA_URL_CHARS) throw new Error('That photo is too large to send.');
    const preview = draw(bitmap, PREVIEW_PX);
    preview.className = 'photo-preview';
    preview.setAttribute('role', 'img');
    preview.setAttribute('aria-label', 'The photo to send');
    return { dataUrl, preview };
  } finally {
    bitmap.close();
  }
}
