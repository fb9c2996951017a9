/**
 * Evidence photos: the camera's picture, scaled down on the phone (a weak network in the
 * handover bay), posted as the raw body to POST /uploads; the answer's id goes into photoIds.
 */
import { NetworkError } from './graphql';

const MAX_EDGE = 1600;
const QUALITY = 0.82;
const ACCEPTED = new Set(['image/jpeg', 'image/png', 'image/webp']);

export class UploadRefused extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'UploadRefused';
    this.status = status;
  }
}

export function photoUrl(id: string): string {
  return `/uploads/${encodeURIComponent(id)}`;
}

/** A JPEG no larger than MAX_EDGE on its long side; the original when it cannot be decoded. */
export async function shrinkPhoto(file: Blob): Promise<Blob> {
  if (typeof createImageBitmap !== 'function' || typeof document === 'undefined') return file;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.type === 'image/jpeg' && file.size < 1024 * 1024) {
      bitmap.close();
      return file;
    }
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY));
    return blob ?? file;
  } catch {
    return file;
  }
}

export async function uploadPhoto(file: Blob, fetchImpl: typeof fetch = fetch): Promise<string> {
  const body = await shrinkPhoto(file);
  const type = ACCEPTED.has(body.type) ? body.type : 'image/jpeg';
  let response: Response;
  try {
    response = await fetchImpl('/uploads', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': type },
      body,
    });
  } catch (error) {
    throw new NetworkError(error instanceof Error ? error.message : String(error));
  }
  const answer = (await response.json().catch(() => null)) as { id?: string; error?: string } | null;
  if (response.status === 201 && answer?.id) return answer.id;
  throw new UploadRefused(answer?.error ?? `HTTP ${response.status}`, response.status);
}
