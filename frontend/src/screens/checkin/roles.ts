import type { SessionUser } from '../../app/session';

/** Who may check a customer in for service (mirrors Action.CHECK_IN on the server). */
export function canCheckIn(user: SessionUser): boolean {
  return user.role === 'SERVICE_ADVISOR' || user.role === 'STORE_MANAGER' || user.role === 'ADMIN';
}
