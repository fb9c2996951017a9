import type { SessionUser } from '../../app/session';

/** Who records teaching sessions (mirrors Action.RECORD_TEACHING): technicians, parts staff and
 * regional directors read the archive only. */
export function canTeach(user: SessionUser): boolean {
  return ['SALES_CONSULTANT', 'DELIVERY_SPECIALIST', 'SERVICE_ADVISOR', 'STORE_MANAGER', 'ADMIN'].includes(
    user.role,
  );
}
