/** Where an order's checklist, signature and handover live (small on purpose: the record imports it). */

export function orderPath(
  customerId: string,
  orderId: string,
  screen: 'checklist' | 'handover' | 'sign',
): string {
  return `/customers/${encodeURIComponent(customerId)}/orders/${encodeURIComponent(orderId)}/${screen}`;
}
