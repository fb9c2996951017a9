/**
 * The customer's signature (客户签字) as the server keeps it: strokes of points `[x, y, tMs]`
 * in compact JSON, within its limits (backend/baton/domain/signatures.py: at most 2,000 points
 * and 64 KB), made from the drawing library's own point data. Pure, so the pad and the tests
 * share it.
 */

export const POINTS_MAX = 2000;
export const STROKES_MAX_BYTES = 64 * 1024;
/** A finger jitters; points closer than this (CSS px) to the previous one add nothing. */
export const MIN_DISTANCE = 2;

export type Point = [x: number, y: number, t: number];
export type Stroke = Point[];

/** A point as signature_pad keeps it (`toData()`): CSS px from the canvas's corner, epoch ms. */
export type PadPoint = { readonly x: number; readonly y: number; readonly time: number };
/** One stroke as signature_pad keeps it, finger-down to finger-up (its pen options aside). */
export type PadGroup = { readonly points: readonly PadPoint[] };

const round1 = (value: number) => Math.round(value * 10) / 10;

export function pointCount(groups: readonly { readonly points: readonly unknown[] }[]): number {
  return groups.reduce((sum, group) => sum + group.points.length, 0);
}

/**
 * signature_pad's point groups in the server's format: `[x, y, t]` with x and y to a tenth of a
 * pixel and t in whole milliseconds since the first point kept; strokes without points dropped.
 */
export function strokesFromPad(groups: readonly PadGroup[]): Stroke[] {
  const drawn = groups.filter((group) => group.points.length > 0);
  const origin = drawn[0]?.points[0]?.time ?? 0;
  return drawn.map((group) =>
    group.points.map(
      ({ x, y, time }): Point => [round1(x), round1(y), Math.max(0, Math.round(time - origin))],
    ),
  );
}

/**
 * Keeps the pad's groups within the server's limit of points: the points past it are cut from
 * the last strokes, in place (the pad's own arrays). Returns how many were cut.
 */
export function trimToLimit(groups: readonly { readonly points: unknown[] }[], max = POINTS_MAX): number {
  let excess = pointCount(groups) - max;
  let cut = 0;
  for (let index = groups.length - 1; index >= 0 && excess > 0; index--) {
    const points = groups[index]?.points ?? [];
    const drop = Math.min(excess, points.length);
    points.length -= drop;
    excess -= drop;
    cut += drop;
  }
  return cut;
}

/** Compact JSON `[[[x,y,t],...],...]` as SignChecklistInput.strokes expects. */
export function serializeStrokes(strokes: readonly Stroke[]): string {
  return JSON.stringify(strokes);
}

export type StrokesProblem = 'no_strokes' | 'too_many_points' | 'too_large';

/** What the server would refuse, checked before sending (same rules, same order). */
export function strokesProblem(json: string): StrokesProblem | null {
  if (new TextEncoder().encode(json).length > STROKES_MAX_BYTES) return 'too_large';
  const strokes = parseStrokes(json);
  if (strokes.length === 0) return 'no_strokes';
  const points = strokes.reduce((sum, stroke) => sum + stroke.length, 0);
  return points > POINTS_MAX ? 'too_many_points' : null;
}

/** Strokes from the server (a signed version's record); anything malformed reads as none. */
export function parseStrokes(json: string): Stroke[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  const strokes: Stroke[] = [];
  for (const stroke of value) {
    if (!Array.isArray(stroke)) return [];
    const points: Stroke = [];
    for (const point of stroke) {
      if (
        !Array.isArray(point) ||
        point.length !== 3 ||
        !point.every((v) => typeof v === 'number' && Number.isFinite(v))
      ) {
        return [];
      }
      points.push([point[0], point[1], point[2]] as Point);
    }
    if (points.length > 0) strokes.push(points);
  }
  return strokes;
}

/** The smallest box around every point, for drawing a signature back at any size. */
export function bounds(strokes: readonly Stroke[]): { x: number; y: number; width: number; height: number } {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const stroke of strokes) {
    for (const [x, y] of stroke) {
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
  }
  if (!Number.isFinite(minX)) return { x: 0, y: 0, width: 1, height: 1 };
  return { x: minX, y: minY, width: Math.max(1, maxX - minX), height: Math.max(1, maxY - minY) };
}
