/**
 * The shared car calendar (试驾车共享): the store's cars × the next 7 days, today first. Each cell
 * is one car's day from opening to closing: service's priority window shaded, bookings coloured
 * by department. Tap a cell, tap a slot, tap "Book": three taps. A booking of the other
 * department can be preempted with a reason; a booked car is checked out and returned here.
 */

import { useState } from 'preact/hooks';
import { useSignedInUser } from '../../app/session';
import { useCachedQuery } from '../../app/useCachedQuery';
import { can, viewerCan } from '../../lib/abilities';
import { formatCalendarDate, formatTime, storeDayKey } from '../../lib/format';
import { getLanguage, type MessageKey, t, tCount } from '../../lib/i18n';
import { ErrorNotice } from '../record/ErrorNotice';
import './cars.css';
import { BookingActions } from './BookingActions';
import { BookSlots } from './BookSlots';
import { placeInDay, zonedInstant } from './model';
import { type Booking, type Car, CarWeekQuery, type Day, type Week } from './operations';
import { TurnaroundForm } from './TurnaroundForm';

export function Cars() {
  const [offset, setOffset] = useState(0);
  const start = offset === 0 ? null : storeDayKey(Date.now() + offset * 7 * 86_400_000);
  const week = useCachedQuery(`carWeek:${offset}`, CarWeekQuery, { days: 7, start });
  const user = useSignedInUser();
  const [picked, setPicked] = useState<{ carId: string; date: string } | null>(null);
  const [message, setMessage] = useState<string>('');

  function done(text: string) {
    setMessage(text);
    week.refetch();
  }

  return (
    <section class="screen cars" aria-labelledby="cars-title">
      <h1 id="cars-title">{t('cars.title')}</h1>
      {can(user, 'READ_CAR_SETTLEMENT') && (
        <p>
          <a class="button" href="/cars/settlement">
            {t('cars.settlement.link')}
          </a>
        </p>
      )}
      <p class="status-line" role="status">
        {message}
      </p>
      <Legend />
      <div class="week-nav">
        <button
          type="button"
          class="button"
          disabled={offset === 0}
          onClick={() => {
            setPicked(null);
            setOffset(offset - 1);
          }}
        >
          {t('cars.previousWeek')}
        </button>
        <button
          type="button"
          class="button"
          onClick={() => {
            setPicked(null);
            setOffset(offset + 1);
          }}
        >
          {t('cars.nextWeek')}
        </button>
      </div>
      {week.status === 'loading' && <p class="muted">{t('app.loading')}</p>}
      {week.status === 'error' && <ErrorNotice error={week.error} onRetry={week.refetch} />}
      {week.status === 'ready' && (
        <>
          <WeekGrid week={week.data.carWeek} first={offset === 0} picked={picked} onPick={setPicked} />
          {picked && (
            <DayPanel
              key={`${picked.carId}-${picked.date}`}
              week={week.data.carWeek}
              carId={picked.carId}
              date={picked.date}
              onDone={done}
            />
          )}
        </>
      )}
    </section>
  );
}

function Legend() {
  return (
    <ul class="car-legend" aria-label={t('cars.legend')}>
      <li>
        <span class="swatch swatch-sales" aria-hidden="true" />
        {t('cars.department.SALES')}
      </li>
      <li>
        <span class="swatch swatch-service" aria-hidden="true" />
        {t('cars.department.SERVICE')}
      </li>
      <li>
        <span class="swatch swatch-window" aria-hidden="true" />
        {t('cars.serviceWindow')}
      </li>
    </ul>
  );
}

function dayBounds(week: Week, day: Day): [Date, Date] {
  const zone = week.store.timeZone;
  return [
    zonedInstant(day.date, week.policy.openingStart, zone),
    zonedInstant(day.date, week.policy.openingEnd, zone),
  ];
}

export function bookingsOf(week: Week, carId: string, day: Day): Booking[] {
  const [opens, closes] = dayBounds(week, day);
  const dayStart = zonedInstant(day.date, '00:00', week.store.timeZone);
  const dayEnd = new Date(dayStart.getTime() + 24 * 3600_000);
  return week.bookings.filter(
    (b) =>
      b.car.id === carId &&
      new Date(b.startsAt) < (closes > dayEnd ? closes : dayEnd) &&
      new Date(b.endsAt) > (opens < dayStart ? opens : dayStart),
  );
}

function WeekGrid({
  week,
  first,
  picked,
  onPick,
}: {
  week: Week;
  first: boolean;
  picked: { carId: string; date: string } | null;
  onPick: (cell: { carId: string; date: string }) => void;
}) {
  return (
    <div class="car-grid-wrap">
      <table class="car-grid">
        <caption class="visually-hidden">{t('cars.caption', { store: week.store.name })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('cars.car')}</th>
            {week.days.map((day, index) => (
              <th scope="col" key={day.date} class={first && index === 0 ? 'today' : undefined}>
                {first && index === 0 ? t('cars.today') : weekdayOf(day.date)}
                <span class="day-number">{day.date.slice(8)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {week.cars.map((car) => (
            <tr key={car.id}>
              <th scope="row">
                <span class="plate">{car.plate}</span>
                <span class={`car-status status-${car.status.toLowerCase()}`}>
                  {t(`cars.status.${car.status}` as MessageKey)}
                </span>
              </th>
              {week.days.map((day) => (
                <DayCell
                  key={day.date}
                  week={week}
                  car={car}
                  day={day}
                  selected={picked?.carId === car.id && picked.date === day.date}
                  onPick={() => onPick({ carId: car.id, date: day.date })}
                />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DayCell({
  week,
  car,
  day,
  selected,
  onPick,
}: {
  week: Week;
  car: Car;
  day: Day;
  selected: boolean;
  onPick: () => void;
}) {
  const [opens, closes] = dayBounds(week, day);
  const found = bookingsOf(week, car.id, day);
  const window = day.serviceWindow ? placeInDay(day.serviceWindow, opens, closes) : null;
  const label = tCount('cars.cellLabel', found.length, {
    car: car.plate,
    day: formatCalendarDate(day.date),
  });
  return (
    <td>
      <button type="button" class="day-cell" aria-pressed={selected} aria-label={label} onClick={onPick}>
        {window && <span class="window" style={{ top: `${window.top}%`, height: `${window.height}%` }} />}
        {found.map((booking) => {
          const place = placeInDay(booking, opens, closes);
          if (!place) return null;
          return (
            <span
              key={booking.id}
              class={`block block-${booking.department.toLowerCase()}${booking.status === 'NEEDS_CAR' ? ' block-needs' : ''}`}
              style={{ top: `${place.top}%`, height: `${Math.max(place.height, 6)}%` }}
            />
          );
        })}
      </button>
    </td>
  );
}

function DayPanel({
  week,
  carId,
  date,
  onDone,
}: {
  week: Week;
  carId: string;
  date: string;
  onDone: (message: string) => void;
}) {
  const car = week.cars.find((c) => c.id === carId);
  const day = week.days.find((d) => d.date === date);
  if (!car || !day) return null;
  const found = bookingsOf(week, carId, day);
  return (
    <section class="day-panel card" aria-labelledby="day-panel-title">
      <h2 id="day-panel-title">
        {car.plate} · {formatCalendarDate(date)}
      </h2>
      <p class="muted">
        {car.model} · {t(`cars.pool.${car.pool}` as MessageKey)} · {car.odometerKm} km · {car.chargePercent}%
      </p>
      <p class="muted">
        {day.serviceWindow
          ? t('cars.windowToday', {
              from: formatTime(day.serviceWindow.startsAt),
              to: formatTime(day.serviceWindow.endsAt),
            })
          : t('cars.salesAllDay')}
      </p>
      {found.length === 0 && <p>{t('cars.free')}</p>}
      <ul class="booking-list">
        {found.map((booking) => (
          <li key={booking.id} class={`booking booking-${booking.department.toLowerCase()}`}>
            <span class="card-title">
              {formatTime(booking.startsAt)}–{formatTime(booking.endsAt)} ·{' '}
              {t(`cars.department.${booking.department}` as MessageKey)}
            </span>
            <span class="card-line">
              {booking.bookedBy.displayName}
              {booking.customer ? ` · ${booking.customer.name}` : ''}
              {booking.purpose ? ` · ${booking.purpose}` : ''} ·{' '}
              {t(`cars.bookingStatus.${booking.status}` as MessageKey)}
            </span>
            {booking.notes.map((note) => (
              <span class="card-line note" key={`${note.kind}-${note.reason}`}>
                {t(`cars.note.${note.kind}` as MessageKey, {
                  reason: note.reason,
                  to: note.toPlate ?? '',
                  from: note.fromPlate ?? '',
                })}
              </span>
            ))}
            <BookingActions week={week} car={car} booking={booking} onDone={onDone} />
          </li>
        ))}
      </ul>
      {car.status === 'CLEANING_INSPECTION' ? (
        viewerCan(car, 'TURN_CAR_AROUND') && <TurnaroundForm car={car} onDone={onDone} />
      ) : (
        <BookSlots week={week} car={car} day={day} taken={found} onDone={onDone} />
      )}
    </section>
  );
}

/** "Sat" / "周六" of a calendar date. */
function weekdayOf(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(getLanguage(), { weekday: 'short', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d, 12)),
  );
}
