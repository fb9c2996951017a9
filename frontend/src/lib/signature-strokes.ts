/**
 * The customer's signature (客户签字) as the server keeps it: strokes of points `[x, y, tMs]`
 * in compact JSON, within its limits (backend/baton/domain/signatures.py: at most 2,000 points
 * and 64 KB). Pure, so the pad and the tests share it.
 */

export const POINTS_MAX = 2000;
export const STROKES_MAX_BYTES = 64 * 1024;
/** A finger jitters; points closer than this (CSS px) to the previous one add nothing. */
export const MIN_DISTANCE = 2;

export type Point = [x: number, y: number, t: number];
export type Stroke = Point[];

const round1 = (value: number) => Math.round(value * 10) / 10;

export class StrokeRecorder {
  readonly maxPoints: number;
  readonly minDistance: number;
  private strokes: Stroke[] = [];
  private origin: number | null = null;
  private drawing = false;
  private limitHit = false;

  constructor(options: { maxPoints?: number; minDistance?: number } = {}) {
    this.maxPoints = options.maxPoints ?? POINTS_MAX;
    this.minDistance = options.minDistance ?? MIN_DISTANCE;
  }

  get pointCount(): number {
    return this.strokes.reduce((sum, stroke) => sum + stroke.length, 0);
  }

  get isEmpty(): boolean {
    return this.strokes.length === 0;
  }

  /** The pad refused points because the signature reached the server's limit. */
  get isFull(): boolean {
    return this.limitHit;
  }

  get strokeList(): readonly Stroke[] {
    return this.strokes;
  }

  /** A finger or pen touched down; false when no more points fit. */
  begin(x: number, y: number, timeStamp: number): boolean {
    if (this.pointCount >= this.maxPoints) {
      this.limitHit = true;
      this.drawing = false;
      return false;
    }
    this.origin ??= timeStamp;
    this.strokes.push([this.point(x, y, timeStamp)]);
    this.drawing = true;
    return true;
  }

  /** The finger moved; false when the point was dropped (too close, not drawing, or full). */
  extend(x: number, y: number, timeStamp: number): boolean {
    const stroke = this.strokes[this.strokes.length - 1];
    if (!this.drawing || !stroke) return false;
    const last = stroke[stroke.length - 1] as Point;
    const point = this.point(x, y, timeStamp);
    if (Math.hypot(point[0] - last[0], point[1] - last[1]) < this.minDistance) return false;
    if (this.pointCount >= this.maxPoints) {
      this.limitHit = true;
      return false;
    }
    stroke.push(point);
    return true;
  }

  end(): void {
    this.drawing = false;
  }

  /** Remove the last stroke (one finger-down to finger-up). */
  undo(): void {
    this.strokes.pop();
    this.drawing = false;
    this.limitHit = false;
    if (this.strokes.length === 0) this.origin = null;
  }

  clear(): void {
    this.strokes = [];
    this.origin = null;
    this.drawing = false;
    this.limitHit = false;
  }

  /** Compact JSON `[[[x,y,t],...],...]` as SignChecklistInput.strokes expects. */
  toJSON(): string {
    return serializeStrokes(this.strokes);
  }

  private point(x: number, y: number, timeStamp: number): Point {
    const t = Math.max(0, Math.round(timeStamp - (this.origin ?? timeStamp)));
    return [round1(x), round1(y), t];
  }
}

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
