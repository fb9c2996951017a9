/** A signed version's strokes drawn back as SVG, framed to their own bounds. */
import { bounds, parseStrokes } from '../../lib/signature-strokes';

export function SignatureImage({ strokes, label }: { strokes: string; label: string }) {
  const parsed = parseStrokes(strokes);
  const box = bounds(parsed);
  const pad = 8;
  return (
    <svg
      class="signature-image"
      role="img"
      aria-label={label}
      viewBox={`${box.x - pad} ${box.y - pad} ${box.width + 2 * pad} ${box.height + 2 * pad}`}
      preserveAspectRatio="xMidYMid meet"
    >
      {parsed.map((stroke, index) =>
        stroke.length === 1 ? (
          <circle key={index} cx={stroke[0]?.[0]} cy={stroke[0]?.[1]} r={1.5} />
        ) : (
          <polyline
            key={index}
            points={stroke.map(([x, y]) => `${x},${y}`).join(' ')}
            fill="none"
            stroke="currentColor"
            stroke-width={2.5}
            stroke-linecap="round"
            stroke-linejoin="round"
          />
        ),
      )}
    </svg>
  );
}
