import { describe, expect, it } from 'vitest';
import {
  bounds,
  POINTS_MAX,
  parseStrokes,
  STROKES_MAX_BYTES,
  StrokeRecorder,
  serializeStrokes,
  strokesProblem,
} from './signature-strokes';

describe('StrokeRecorder', () => {
  it('captures strokes as compact [x, y, t] JSON with times from the first touch', () => {
    const pad = new StrokeRecorder();
    pad.begin(10.04, 20, 1000);
    pad.extend(30, 40.26, 1016.6);
    pad.end();
    pad.begin(50, 60, 1500);
    pad.end();
    expect(pad.toJSON()).toBe('[[[10,20,0],[30,40.3,17]],[[50,60,500]]]');
    expect(pad.pointCount).toBe(3);
  });

  it('drops jitter closer than the minimum distance', () => {
    const pad = new StrokeRecorder({ minDistance: 2 });
    pad.begin(0, 0, 0);
    expect(pad.extend(1, 1, 5)).toBe(false);
    expect(pad.extend(3, 0, 10)).toBe(true);
    expect(pad.pointCount).toBe(2);
  });

  it('ignores moves while no finger is down', () => {
    const pad = new StrokeRecorder();
    expect(pad.extend(10, 10, 0)).toBe(false);
    pad.begin(0, 0, 0);
    pad.end();
    expect(pad.extend(50, 50, 10)).toBe(false);
    expect(pad.pointCount).toBe(1);
  });

  it('undoes one stroke at a time and clears all', () => {
    const pad = new StrokeRecorder();
    pad.begin(0, 0, 0);
    pad.extend(10, 0, 10);
    pad.end();
    pad.begin(0, 10, 100);
    pad.end();
    pad.undo();
    expect(pad.toJSON()).toBe('[[[0,0,0],[10,0,10]]]');
    pad.clear();
    expect(pad.isEmpty).toBe(true);
    expect(pad.toJSON()).toBe('[]');
    // After a clear, time starts again from the next touch.
    pad.begin(5, 5, 9000);
    expect(pad.toJSON()).toBe('[[[5,5,0]]]');
  });

  it('stops at the server limit of points and says so; undo makes room again', () => {
    const pad = new StrokeRecorder({ maxPoints: 5, minDistance: 0 });
    pad.begin(0, 0, 0);
    for (let i = 1; i < 10; i++) pad.extend(i * 10, 0, i);
    pad.end();
    expect(pad.pointCount).toBe(5);
    expect(pad.isFull).toBe(true);
    expect(pad.begin(0, 50, 20)).toBe(false);
    pad.undo();
    expect(pad.isFull).toBe(false);
    expect(pad.begin(0, 50, 20)).toBe(true);
  });

  it('keeps a long scribble within both server limits', () => {
    const pad = new StrokeRecorder();
    let t = 0;
    for (let stroke = 0; stroke < 100; stroke++) {
      t += 7;
      pad.begin(1000.55, 700.55, t);
      for (let i = 0; i < 100; i++) {
        t += 7;
        pad.extend(1000.55 + i * 3.33, 700.55 + ((i * 7) % 300), t);
      }
      pad.end();
    }
    const json = pad.toJSON();
    expect(pad.pointCount).toBe(POINTS_MAX);
    expect(pad.isFull).toBe(true);
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
