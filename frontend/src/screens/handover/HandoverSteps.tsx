/**
 * The handover's steps as dots, and a promise's state as the customer reads it: each state has
 * its colour and its glyph and label, so pending never passes for done (nor rests on colour).
 */
import { type MessageKey, t } from '../../lib/i18n';
import {
  type ChecklistPromise,
  HANDOVER_STATE_GLYPH,
  type HandoverState,
  handoverState,
  orderPath,
} from '../checklist/model';

export function StepDots({
  items,
  blocking,
  step,
  customerId,
  orderId,
}: {
  items: readonly ChecklistPromise[];
  blocking: ReadonlySet<string>;
  step: number;
  customerId: string;
  orderId: string;
}) {
  const href = (index: number) => `${orderPath(customerId, orderId, 'handover')}?step=${index}`;
  return (
    <nav class="steps" aria-label={t('handover.steps')}>
      <ol>
        {items.map((p, index) => {
          const state = handoverState(p, blocking);
          return (
            <li key={p.id}>
              <a
                href={href(index)}
                class={`step-dot step-${state}`}
                data-state={state}
                aria-current={index === step ? 'step' : undefined}
                aria-label={t('handover.stepLabel', {
                  n: index + 1,
                  description: p.description,
                  state: stateLabel(state),
                })}
              >
                {index + 1}
                <span class="step-glyph" aria-hidden="true">
                  {HANDOVER_STATE_GLYPH[state]}
                </span>
              </a>
            </li>
          );
        })}
        <li>
          <a
            href={href(items.length)}
            class="step-dot step-finish"
            aria-current={step === items.length ? 'step' : undefined}
          >
            <span aria-hidden="true">⚑</span>
            <span class="cl-sr-only">{t('handover.finishStep')}</span>
          </a>
        </li>
      </ol>
    </nav>
  );
}

export function stateLabel(state: HandoverState): string {
  return t(`handover.state.${state}` as MessageKey);
}

/** The state with its glyph, for the list the customer reads at the end. */
export function StateBadge({ state }: { state: HandoverState }) {
  return (
    <span class={`state-badge state-${state}`} data-state={state}>
      <span aria-hidden="true">{HANDOVER_STATE_GLYPH[state]}</span> {stateLabel(state)}
    </span>
  );
}
