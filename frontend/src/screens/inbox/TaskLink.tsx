/** /tasks/<id> (a task alert's link): tasks live on Today, so open it there. */
import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { t } from '../../lib/i18n';

export function TaskLink() {
  const location = useLocation();
  useEffect(() => location.route('/', true), [location]);
  return <p class="muted">{t('app.loading')}</p>;
}
