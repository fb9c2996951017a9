/** Settings (我的): push on this phone, my devices, quiet hours, language, sign out. */

import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { useSession, useSignedInUser } from '../../app/session';
import { useCachedQuery } from '../../app/useCachedQuery';
import { can } from '../../lib/abilities';
import { formatDate, formatDateTime } from '../../lib/format';
import { client, type ResultOfOp } from '../../lib/graphql';
import { type MessageKey, t } from '../../lib/i18n';
import {
  currentSubscription,
  deviceLabel,
  permission,
  pushSupport,
  saveDevice,
  savedDevice,
  subscribeThisBrowser,
} from '../../lib/push';
import { refusalText } from '../../lib/refusal';
import { CalendarFeed } from './CalendarFeed';
import { ChangePassword, MyLogins } from './Logins';
import { SettingsQuery, SubscribePushMutation, UnsubscribePushMutation } from './operations';
import { QuietHours } from './QuietHours';
import './settings.css';

type Data = ResultOfOp<typeof SettingsQuery>;
type Device = Data['myDevices'][number];
type Note = { text: string; error: boolean } | null;

export function Settings() {
  const settings = useCachedQuery('settings', SettingsQuery);
  const [endpoint, setEndpoint] = useState<string | null>(null);
  const [note, setNote] = useState<Note>(null);

  useEffect(() => {
    currentSubscription()
      .then((subscription) => setEndpoint(subscription?.endpoint ?? null))
      .catch(() => setEndpoint(null));
  }, []);

  const data = settings.status === 'ready' ? settings.data : null;
  const saved = savedDevice();
  const thisDeviceId =
    data && saved && saved.endpoint === endpoint && data.myDevices.some((device) => device.id === saved.id)
      ? saved.id
      : null;

  async function removeDevice(device: Device) {
    setNote(null);
    try {
      const result = await client.request(UnsubscribePushMutation, { input: { id: device.id } });
      if (result.unsubscribePush.__typename !== 'UnsubscribePushSuccess') throw new Error();
      if (device.id === thisDeviceId) {
        await (await currentSubscription())?.unsubscribe().catch(() => false);
        saveDevice(null);
        setEndpoint(null);
      }
      setNote({
        text: t('settings.deviceRemoved', { device: device.userAgent || device.pushService }),
        error: false,
      });
      settings.refetch();
    } catch {
      setNote({ text: t('settings.deviceRemoveFailed'), error: true });
    }
  }

  return (
    <section class="screen settings" aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <p class={note?.error ? 'form-error' : 'status-line'} role={note?.error ? 'alert' : 'status'}>
        {note?.text ?? ''}
      </p>
      <PushOptIn
        publicKey={data ? data.pushPublicKey : undefined}
        subscribed={thisDeviceId !== null}
        onChanged={(next) => {
          setEndpoint(next);
          settings.refetch();
        }}
        onNote={setNote}
        onTurnOff={() => {
          const device = data?.myDevices.find((d) => d.id === thisDeviceId);
          if (device) void removeDevice(device);
        }}
      />
      <section class="settings-card" aria-labelledby="devices-title">
        <h2 id="devices-title">{t('settings.devices')}</h2>
        {settings.status === 'loading' && <p class="muted">{t('app.loading')}</p>}
        {settings.status === 'error' && <p class="muted">{t('settings.unavailable')}</p>}
        {data && data.myDevices.length === 0 && <p class="muted">{t('settings.noDevices')}</p>}
        {data && data.myDevices.length > 0 && (
          <ul class="device-list">
            {data.myDevices.map((device) => (
              <DeviceItem
                key={device.id}
                device={device}
                isThis={device.id === thisDeviceId}
                onRemove={removeDevice}
              />
            ))}
          </ul>
        )}
      </section>
      {data && (
        <QuietHours
          start={data.alertPreferences.quietHoursStart}
          end={data.alertPreferences.quietHoursEnd}
          onSaved={settings.refetch}
        />
      )}
      <MyLogins />
      <ChangePassword />
      <CalendarFeed />
      <Account onBeforeSignOut={thisDeviceId ? () => forgetThisDevice(thisDeviceId) : undefined} />
    </section>
  );
}

function PushOptIn({
  publicKey,
  subscribed,
  onChanged,
  onNote,
  onTurnOff,
}: {
  publicKey: string | null | undefined;
  subscribed: boolean;
  onChanged: (endpoint: string | null) => void;
  onNote: (note: Note) => void;
  onTurnOff: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [blocked, setBlocked] = useState(() => permission() === 'denied');
  const support = pushSupport();

  async function turnOn() {
    if (!publicKey) return;
    setBusy(true);
    onNote(null);
    try {
      const outcome = await subscribeThisBrowser(publicKey);
      if (outcome.status === 'denied') {
        setBlocked(true);
        return;
      }
      if (outcome.status === 'dismissed') {
        onNote({ text: t('push.dismissed'), error: false });
        return;
      }
      if (outcome.status === 'failed') {
        onNote({ text: t('push.failed', { reason: outcome.message }), error: true });
        return;
      }
      const result = await client.request(SubscribePushMutation, {
        input: { subscription: outcome.subscription, userAgent: deviceLabel(navigator.userAgent) },
      });
      const payload = result.subscribePush;
      if (payload.__typename !== 'SubscribePushSuccess') {
        const reason = refusalText(payload);
        onNote({ text: t('push.failed', { reason }), error: true });
        return;
      }
      saveDevice({ id: payload.device.id, endpoint: outcome.subscription.endpoint });
      onNote({ text: t('push.enabled'), error: false });
      onChanged(outcome.subscription.endpoint);
    } catch {
      onNote({ text: t('push.failed', { reason: t('push.offline') }), error: true });
    } finally {
      setBusy(false);
    }
  }

  let body: preact.JSX.Element;
  if (support === 'installFirst') {
    body = <p>{t('push.installFirst')}</p>;
  } else if (support === 'unsupported') {
    body = <p>{t('push.unsupported')}</p>;
  } else if (publicKey === null) {
    body = <PushNotSetUp />;
  } else if (subscribed) {
    body = (
      <>
        <p class="push-on">{t('push.on')}</p>
        <button type="button" class="button button-block" onClick={onTurnOff}>
          {t('push.turnOff')}
        </button>
      </>
    );
  } else if (blocked) {
    body = <PushBlocked onAllowed={() => setBlocked(false)} />;
  } else {
    body = (
      <>
        <p>{t('push.why')}</p>
        <p class="muted">{t('push.askNext')}</p>
        <button
          type="button"
          class="button button-primary button-block"
          onClick={turnOn}
          disabled={busy || publicKey === undefined}
        >
          {busy ? t('push.turningOn') : t('push.turnOn')}
        </button>
      </>
    );
  }
  return (
    <section class="settings-card" aria-labelledby="push-title">
      <h2 id="push-title">{t('push.title')}</h2>
      {body}
    </section>
  );
}

/** The server has no VAPID key: nothing this phone can do, so say who can and what still works. */
function PushNotSetUp() {
  return (
    <>
      <p class="notice">
        <strong>{t('push.notConfiguredTitle')}</strong> {t('push.notConfiguredInbox')}
      </p>
      <p class="muted">
        {t('push.notConfiguredAdmin')} <code>baton vapid</code>
      </p>
    </>
  );
}

/** The browser said no once and will not ask again: only its own settings can undo that. */
function PushBlocked({ onAllowed }: { onAllowed: () => void }) {
  const [stillBlocked, setStillBlocked] = useState(false);
  return (
    <>
      <p class="notice">{t('push.blocked')}</p>
      <ul class="push-steps">
        <li>{t('push.blockedAndroid')}</li>
        <li>{t('push.blockedInstalled')}</li>
        <li>{t('push.blockedIphone')}</li>
      </ul>
      <button
        type="button"
        class="button button-block"
        onClick={() => {
          if (permission() === 'denied') setStillBlocked(true);
          else onAllowed();
        }}
      >
        {t('push.checkAgain')}
      </button>
      <p class="muted" role="status">
        {stillBlocked ? t('push.stillBlocked') : ''}
      </p>
    </>
  );
}

function DeviceItem({
  device,
  isThis,
  onRemove,
}: {
  device: Device;
  isThis: boolean;
  onRemove: (device: Device) => void;
}) {
  const label = device.userAgent || device.pushService;
  return (
    <li class="device">
      <div class="device-text">
        <p class="device-name">
          {label}
          {isThis && <span class="chip">{t('settings.thisDevice')}</span>}
        </p>
        <p class="muted">{t('settings.deviceAdded', { date: formatDate(device.createdAt) })}</p>
        <p class="muted">
          {device.lastSuccessAt
            ? t('settings.deviceLastSuccess', { time: formatDateTime(device.lastSuccessAt) })
            : t('settings.deviceNoSuccess')}
        </p>
      </div>
      <button
        type="button"
        class="button"
        aria-label={t('settings.removeDevice', { device: label })}
        onClick={() => onRemove(device)}
      >
        {t('settings.remove')}
      </button>
    </li>
  );
}

/** Signing out of a shared phone stops its pushes: the next person's customers are not mine. */
async function forgetThisDevice(id: string): Promise<void> {
  try {
    await client.request(UnsubscribePushMutation, { input: { id } });
    await (await currentSubscription())?.unsubscribe();
  } catch {
    // Offline: the server moves the endpoint to whoever subscribes it next.
  }
  saveDevice(null);
}

function Account({ onBeforeSignOut }: { onBeforeSignOut: (() => Promise<void>) | undefined }) {
  const session = useSession();
  const user = useSignedInUser();
  const location = useLocation();
  const roleKey: MessageKey = `role.${user.role}`;

  async function signOut() {
    await onBeforeSignOut?.();
    if (await session.signOut()) location.route('/login', true);
  }

  return (
    <section class="settings-card" aria-labelledby="account-title">
      <h2 id="account-title">{t('settings.account')}</h2>
      <p>
        {user.displayName} · {t(roleKey)}
        {user.store && ` · ${user.store.name}`}
      </p>
      <LanguageSwitch />
      <p class="muted">{t('settings.languageNote')}</p>
      {can(user, 'MANAGE_STAFF') && (
        <a class="button button-block" href="/staff">
          {t('settings.staff')}
        </a>
      )}
      <button type="button" class="button button-block" onClick={signOut}>
        {t('session.logout')}
      </button>
    </section>
  );
}
