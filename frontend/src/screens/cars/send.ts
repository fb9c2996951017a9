/** A car mutation sent from the day panel: the server's refusal is shown in place, else done. */

import { isErrorPayload } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { type Failure, refusalText } from '../../lib/refusal';

export async function send<P extends { __typename: string }>(
  request: () => Promise<P>,
  onDone: (message: string) => void,
  setError: (error: string | null) => void,
  success: string,
): Promise<boolean> {
  try {
    const payload = await request();
    if (isErrorPayload(payload)) {
      setError(refusalText(payload as unknown as Failure));
      return false;
    }
    setError(null);
    onDone(success);
    return true;
  } catch (caught) {
    setError(t('cars.failed', { reason: caught instanceof Error ? caught.message : String(caught) }));
    return false;
  }
}
