import { describe, expect, it } from 'vitest';
import {
  bounds,
  POINTS_MAX,
  parseStrokes,
  pointCount,
  STROKES_MAX_BYTES,
  serializeStrokes,
  strokesFromPad,
  strokesProblem,
  trimToLimit,
} from './signature-strokes';

/** Groups as signature_pad's `toData()` gives them: points with x, y (CSS px) and time (epoch ms). */
const group = (...points: [number, number, number][]) => ({
  points: points.map(([x, y, time]) => ({ x, y, time, pressure: 0.5 })),
});

describe('strokesFromPad', () => {
  it('turns signature_pad point groups into compact [x, y, t] JSON with times from the first touch', () => {
    const strokes = strokesFromPad([
      group([10.04, 20, 1_700_000_001_000], [30, 40.26, 1_700_000_001_016.6]),
      group([50, 60, 1_700_000_001_500]),
    ]);
    expect(serializeStrokes(strokes)).toBe('[[[10,20,0],[30,40.3,17]],[[50,60,500]]]');
    expect(pointCount(strokes.map((points) => ({ points })))).toBe(3);
  });

  it('counts time from the first stroke kept, and drops strokes without points', () => {
    // The first stroke was undone: the next one is where time starts.
    const strokes = strokesFromPad([group(), group([0, 0, 9000], [10, 0, 9010]), group([0, 10, 9100])]);
    expect(serializeStrokes(strokes)).toBe('[[[0,0,0],[10,0,10]],[[0,10,100]]]');
    expect(strokesFromPad([])).toEqual([]);
    expect(strokesProblem(serializeStrokes(strokesFromPad([group()])))).toBe('no_strokes');
  });

  it('cuts the points past the server limit from the last strokes, in place', () => {
    const groups = [group([0, 0, 0], [10, 0, 1], [20, 0, 2]), group([0, 50, 20], [10, 50, 21], [20, 50, 22])];
    expect(trimToLimit(groups, 5)).toBe(1);
    expect(pointCount(groups)).toBe(5);
    expect(groups[1]?.points).toHaveLength(2);
    expect(trimToLimit(groups, 5)).toBe(0);
    expect(trimToLimit(groups, 2)).toBe(3);
    expect(groups.map((g) => g.points.length)).toEqual([2, 0]);
  });

  it('keeps a long scribble within both server limits', () => {
    const groups = [];
    let t = 1_700_000_000_000;
    for (let stroke = 0; stroke < 100; stroke++) {
      const points: [number, number, number][] = [];
      for (let i = 0; i <= 100; i++) {
        t += 7;
        points.push([1000.55 + i * 3.33, 700.55 + ((i * 7) % 300), t]);
      }
      groups.push(group(...points));
    }
    expect(trimToLimit(groups)).toBe(100 * 101 - POINTS_MAX);
    const json = serializeStrokes(strokesFromPad(groups));
    expect(pointCount(groups)).toBe(POINTS_MAX);
    expect(new TextEncoder().encode(json).length).toBeLessThanOrEqual(STROKES_MAX_BYTES);
    expect(strokesProblem(json)).toBeNull();
  });
});

describe('strokesProblem', () => {
  it('refuses what the server refuses', () => {
    expect(strokesProblem('[]')).toBe('no_strokes');
    expect(strokesProblem('not json')).toBe('no_strokes');
    const many = serializeStrokes([Array.from({ length: POINTS_MAX + 1 }, (_, i) => [i % 9, 1, i])]);
    expect(strokesProblem(many)).toBe('too_many_points');
    expect(strokesProblem(`[[[1,2,3]]]${' '.repeat(STROKES_MAX_BYTES)}`)).toBe('too_large');
    expect(strokesProblem('[[[1,2,3]]]')).toBeNull();
  });
});

describe('parseStrokes and bounds', () => {
  it('reads the server copy back and frames it', () => {
    const strokes = parseStrokes('[[[12,40,0],[30,22,40]],[[80,30,300],[96,34,340]]]');
    expect(strokes).toHaveLength(2);
    expect(bounds(strokes)).toEqual({ x: 12, y: 22, width: 84, height: 18 });
  });

  it('reads malformed input as no strokes', () => {
    expect(parseStrokes('{"a":1}')).toEqual([]);
    expect(parseStrokes('[[[1,2]]]')).toEqual([]);
    expect(parseStrokes('[[[1,"2",3]]]')).toEqual([]);
    expect(bounds([])).toEqual({ x: 0, y: 0, width: 1, height: 1 });
  });
});
