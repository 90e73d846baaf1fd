import { formatDateTime, useT, type Translate } from '../i18n';
import { useNow } from '../store';

function span(milliseconds: number, t: Translate): string {
  const minutes = Math.floor(Math.abs(milliseconds) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const seconds = Math.floor((Math.abs(milliseconds) % 60_000) / 1000);
  if (days > 0) return t('countdown.days', { days, hours });
  if (hours > 0) return t('countdown.hours', { hours, minutes: String(rest).padStart(2, '0') });
  return t('countdown.minutes', { minutes: rest, seconds: String(seconds).padStart(2, '0') });
}

/** Time left to a deadline, live; past it, how long overdue. */
export function Countdown({ dueAt }: { dueAt: string }) {
  const { t, language } = useT();
  const now = useNow();
  const left = new Date(dueAt).getTime() - now;
  const state = left < 0 ? 'overdue' : left < 15 * 60_000 ? 'soon' : 'later';
  return (
    <time class={`countdown ${state}`} dateTime={dueAt} title={formatDateTime(dueAt, language)}>
      {left < 0 ? t('countdown.overdue', { span: span(left, t) }) : t('countdown.left', { span: span(left, t) })}
    </time>
  );
}
