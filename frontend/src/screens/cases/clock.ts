/** The escalation clock of a case, in words: which level holds it and when it rises. */
import { formatDateTime } from '../../lib/format';
import { type MessageKey, t } from '../../lib/i18n';

export type ClockFacts = {
  state: string;
  level: number;
  levelDueAt?: string | null;
};

export type Clock = { tone: 'calm' | 'soon' | 'late' | 'done' | 'top'; text: string };

/** "Rises to level 2 in 5 h 20 min" — soon under 4 hours; at the last level, who decides. The
 * server says when the level ends (`levelDueAt`), and nothing at the ladder's top. */
export function escalationClock(facts: ClockFacts, now: Date = new Date()): Clock {
  if (facts.state === 'CLOSED') return { tone: 'done', text: t('cases.clock.closed') };
  if (!facts.levelDueAt) {
    return { tone: 'top', text: t('cases.clock.top') };
  }
  const left = new Date(facts.levelDueAt).getTime() - now.getTime();
  const next = facts.level + 1;
  if (left <= 0) return { tone: 'late', text: t('cases.clock.rising', { level: next }) };
  const minutes = Math.ceil(left / 60000);
  const hours = Math.floor(minutes / 60);
  const span =
    hours > 0
      ? t('cases.clock.hours', { hours, minutes: minutes % 60 })
      : t('cases.clock.minutes', { minutes });
  return {
    tone: left < 4 * 3600 * 1000 ? 'soon' : 'calm',
    text: t('cases.clock.in', { level: next, span, at: formatDateTime(facts.levelDueAt, {}, now) }),
  };
}

/** The open ones among a customer's cases, in the server's order: most urgent first. */
export function openCases<Case extends ClockFacts>(cases: readonly Case[]): Case[] {
  return cases.filter((item) => item.state !== 'CLOSED');
}

export function levelName(level: number): string {
  return t(`cases.level.${level}` as MessageKey);
}

export function departmentName(department: string): string {
  return t(`department.${department}` as MessageKey);
}
