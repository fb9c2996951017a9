/** Where an order's checklist, signature and handover live, and who may open which (small on purpose: the record imports it). */
import type { SessionUser } from '../../app/session';

export function orderPath(
  customerId: string,
  orderId: string,
  screen: 'checklist' | 'handover' | 'sign',
): string {
  return `/customers/${encodeURIComponent(customerId)}/orders/${encodeURIComponent(orderId)}/${screen}`;
}

// Mirrors Action.* in backend/baton/domain/access.py; the server checks again.
export function canCompleteHandover(user: SessionUser): boolean {
  return ['DELIVERY_SPECIALIST', 'STORE_MANAGER', 'ADMIN'].includes(user.role);
}
