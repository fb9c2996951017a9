/**
 * The customer signs the checklist (客户签字) on the phone, full screen: a finger draws strokes
 * (pointer events, touch-action none), undo per stroke, clear; the list version being signed is
 * on screen and is what the server checks, so a list changed meanwhile is never signed blind.
 */

import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import SignatureDrawing, { type PointGroup } from 'signature_pad';
import { client, GraphQLRequestError, isErrorPayload, NetworkError } from '../../lib/graphql';
import { type MessageKey, t, tCount } from '../../lib/i18n';
import { maxLength } from '../../lib/limits';
import { newClientMutationId } from '../../lib/offline-queue';
import {
  MIN_DISTANCE,
  POINTS_MAX,
  pointCount,
  serializeStrokes,
  strokesFromPad,
  strokesProblem,
  trimToLimit,
} from '../../lib/signature-strokes';
import '../checklist/checklist.css';
import { dueText, failureText, listed, orderPath, useOrderChecklist } from '../checklist/model';
import { SignChecklistMutation } from '../checklist/operations';
import { ErrorNotice } from '../record/ErrorNotice';

type Problem = { kind: 'conflict'; current: number | null } | { kind: 'error'; text: string };

export function SignaturePad() {
  const { params } = useRoute();
  const location = useLocation();
  const customerId = params.id ?? '';
  const orderId = params.orderId ?? '';
  const from = location.query.from === 'handover' ? 'handover' : 'checklist';
  const back = orderPath(customerId, orderId, from);
  const { query, order, customer } = useOrderChecklist(customerId, orderId);
  // The strokes so far, as the drawing library keeps them (its `toData()`), after each stroke.
  const [ink, setInk] = useState<PointGroup[]>([]);
  const [signer, setSigner] = useState<string | null>(null);
  const [confirmEmpty, setConfirmEmpty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const mutationKey = useRef(newClientMutationId());

  if (query.status === 'loading') return <p class="muted">{t('app.loading')}</p>;
  if (query.status === 'error') return <ErrorNotice error={query.error} onRetry={query.refetch} />;
  if (!order || !customer) return <p class="notice">{t('checklist.notFound')}</p>;

  const shownVersion = Number(location.query.v) || order.checklistVersion;
  const items = listed(order);
  const empty = items.length === 0;
  const signerName = signer ?? customer.name;
  const isEmpty = ink.length === 0;
  const isFull = pointCount(ink) >= POINTS_MAX;
  const stale = shownVersion !== order.checklistVersion;
  const alreadySigned = order.currentSignature?.checklistVersion === shownVersion;

  async function submit(event: Event) {
    event.preventDefault();
    if (busy || !order) return;
    const strokes = serializeStrokes(strokesFromPad(ink));
    const tooMuch = strokesProblem(strokes);
    if (tooMuch) {
      setProblem({ kind: 'error', text: t(`signature.problem.${tooMuch}` as MessageKey) });
      return;
    }
    if (!signerName.trim()) {
      setProblem({ kind: 'error', text: t('signature.needSigner') });
      return;
    }
    if (empty && !confirmEmpty) {
      setProblem({ kind: 'error', text: t('signature.needConfirmEmpty') });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const { signChecklist: payload } = await client.request(SignChecklistMutation, {
        input: {
          orderId: order.id,
          checklistVersion: shownVersion,
          signerName: signerName.trim(),
          strokes,
          confirmNoPromises: empty,
          clientMutationId: mutationKey.current,
        },
      });
      if (isErrorPayload(payload)) {
        mutationKey.current = newClientMutationId();
        if (payload.__typename === 'ConflictError') {
          setProblem({ kind: 'conflict', current: payload.currentVersion ?? null });
          query.refetch();
        } else {
          setProblem({ kind: 'error', text: failureText(payload) });
        }
        return;
      }
      location.route(`${back}?signed=${payload.signature.checklistVersion}`, true);
    } catch (error) {
      setProblem({
        kind: 'error',
        text:
          error instanceof NetworkError
            ? t('signature.offline')
            : error instanceof GraphQLRequestError
              ? t('app.error', { message: error.message })
              : String(error),
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="sign-screen" onSubmit={submit} aria-labelledby="sign-title">
      <header class="sign-header">
        <div class="sign-title-row">
          <h1 id="sign-title">{t('signature.title')}</h1>
          <a class="button" href={back}>
            {t('checklist.cancel')}
          </a>
        </div>
        <p class="sign-version" data-testid="sign-version">
          {t('signature.signing', { version: shownVersion, model: order.modelName })}
          {empty && ` · ${t('signature.noPromises')}`}
        </p>
      </header>
      {!empty && (
        <section class="sign-content" aria-labelledby="sign-list-title" data-testid="sign-content">
          <h2 id="sign-list-title">{tCount('signature.listTitle', items.length)}</h2>
          {/* Focusable so a keyboard can scroll it; the customer reads every promise before signing. */}
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable */}
          <ol tabIndex={0} aria-labelledby="sign-list-title">
            {items.map((p) => (
              <li key={p.id}>
                {p.status === 'WAIVED' ? <s>{p.description}</s> : p.description}
                <span class="sign-due">
                  {dueText(p)}
                  {p.status === 'WAIVED' && ` · ${t('promise.status.WAIVED')}`}
                </span>
              </li>
            ))}
          </ol>
        </section>
      )}
      {(stale || problem?.kind === 'conflict') && (
        <div class="blocking-banner" role="alert">
          <p>
            {t('signature.conflict', {
              shown: shownVersion,
              current:
                problem?.kind === 'conflict' && problem.current ? problem.current : order.checklistVersion,
            })}
          </p>
          <a class="button" href={back}>
            {t('signature.reviewNew')}
          </a>
        </div>
      )}
      {alreadySigned && !stale && (
        <div class="success" role="status">
          <p>{t('signature.alreadySigned', { version: shownVersion })}</p>
          <a class="button" href={back}>
            {t('signature.back')}
          </a>
        </div>
      )}
      {empty && (
        <label class="confirm-empty">
          <input
            type="checkbox"
            checked={confirmEmpty}
            onChange={(e) => setConfirmEmpty(e.currentTarget.checked)}
          />
          <span>{t('signature.confirmEmpty')}</span>
        </label>
      )}
      <div class="field sign-signer">
        <label for="signer-name">{t('signature.signer')}</label>
        <input
          id="signer-name"
          autocomplete="off"
          maxLength={maxLength('journeys.signing.SIGNER_MAX')}
          required
          value={signerName}
          onInput={(e) => setSigner(e.currentTarget.value)}
        />
      </div>
      <Pad ink={ink} onStroke={setInk} full={isFull} />
      {isFull && (
        <p class="cl-hint" role="status">
          {t('signature.full')}
        </p>
      )}
      {problem?.kind === 'error' && (
        <p class="form-error" role="alert">
          {problem.text}
        </p>
      )}
      <div class="sign-actions">
        <button type="button" class="button" disabled={isEmpty} onClick={() => setInk(ink.slice(0, -1))}>
          <span aria-hidden="true">↶</span> {t('signature.undo')}
        </button>
        <button type="button" class="button" disabled={isEmpty} onClick={() => setInk([])}>
          {t('signature.clear')}
        </button>
        <button type="submit" class="button button-primary sign-submit" disabled={busy || isEmpty || stale}>
          {busy ? t('checklist.saving') : t('signature.submit')}
        </button>
      </div>
    </form>
  );
}

const INK = '#111827';

const PEN = {
  penColor: INK,
  dotSize: 2,
  minWidth: 1.4,
  maxWidth: 3.6,
  velocityFilterWeight: 0.7,
  compositeOperation: 'source-over' as const,
};

/**
 * The drawing surface: signature_pad draws the ink (Bézier curves whose width follows the
 * finger's speed), handles the pointer and keeps the points; what the server is sent is made
 * from those (lib/signature-strokes.ts). A stroke that runs into the server's limit of points
 * keeps the points that fit and is redrawn so when the finger lifts; a full pad takes no more.
 */
function Pad({
  ink,
  onStroke,
  full,
}: {
  ink: PointGroup[];
  onStroke: (ink: PointGroup[]) => void;
  full: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef<SignatureDrawing | null>(null);
  const latest = useRef({ ink, onStroke });
  const fromPad = useRef<PointGroup[] | null>(null);
  latest.current = { ink, onStroke };

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    // No throttle and the server format's jitter distance: every point kept is a point drawn.
    const pad = new SignatureDrawing(element, { ...PEN, minDistance: MIN_DISTANCE, throttle: 0 });
    drawing.current = pad;
    let trimmed = false;
    const onUpdate = () => {
      if (trimToLimit(pad.toData()) > 0) trimmed = true;
    };
    const onEnd = () => {
      if (trimmed) pad.fromData(pad.toData());
      trimmed = false;
      const ink = [...pad.toData()];
      // Kept at once, not at the next render: a resize before it (the observer's first call
      // comes late on a busy phone) redraws from `ink` and would otherwise wipe this stroke.
      latest.current.ink = ink;
      fromPad.current = ink;
      latest.current.onStroke(ink);
    };
    pad.addEventListener('afterUpdateStroke', onUpdate);
    pad.addEventListener('endStroke', onEnd);
    const fitToBox = () => {
      const ratio = window.devicePixelRatio || 1;
      element.width = Math.round(element.clientWidth * ratio);
      element.height = Math.round(element.clientHeight * ratio);
      element.getContext('2d')?.scale(ratio, ratio);
      pad.fromData(latest.current.ink);
    };
    fitToBox();
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(fitToBox) : null;
    observer?.observe(element);
    return () => {
      observer?.disconnect();
      pad.off();
      drawing.current = null;
    };
  }, []);

  // Undo and clear change the strokes kept: the ink follows them. Ink that came from the pad
  // itself is already drawn, and redrawing it could wipe the next stroke in progress (a finger
  // quicker than the render).
  useEffect(() => {
    const pad = drawing.current;
    if (pad && ink !== fromPad.current) pad.fromData(ink);
  }, [ink]);

  // A full pad stops listening (so no stroke starts that could not be kept); undo opens it again.
  useEffect(() => {
    const pad = drawing.current;
    if (!pad) return;
    if (full) pad.off();
    else pad.on();
  }, [full]);

  return (
    <div class="pad-frame">
      <canvas
        ref={canvas}
        class="pad"
        role="img"
        aria-label={tCount('signature.padLabel', ink.length)}
        data-testid="signature-pad"
      />
      {ink.length === 0 && (
        <p class="pad-placeholder" aria-hidden="true">
          {t('signature.placeholder')}
        </p>
      )}
      <span class="pad-baseline" aria-hidden="true" />
    </div>
  );
}
