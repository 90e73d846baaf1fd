import { useEffect, useState } from 'preact/hooks';
import { answer, api, type Schemas } from '../api/client';
import type { Caller } from '../caller';
import { Countdown } from '../components/countdown';
import { ProblemNotice } from '../components/problem';
import { escalationsToMe, feedChanges } from '../events';
import { notificationsAllowed } from '../notifications';
import { localized, useT } from '../i18n';
import { hrefOf } from '../router';
import { useStore } from '../store';

type DuePage = Schemas['DuePage'];
type DueStep = Schemas['DueStep'];
type DueQuery = { window?: 'all'; withinMinutes?: number; escalatedToMe?: 'true' | 'false'; limit?: number; cursor?: string };

/** The caller's own scope's due list (their station's, district's or unit's), or a district's of their unit. */
export function readDue(caller: Caller, query: DueQuery, districtCode = caller.districtCode): Promise<DuePage> {
  if (districtCode) return answer(api.GET('/v1/districts/{districtCode}/due', { params: { path: { districtCode }, query } }));
  if (caller.stationCode) return answer(api.GET('/v1/stations/{stationCode}/due', { params: { path: { stationCode: caller.stationCode }, query } }));
  return answer(api.GET('/v1/units/{unitCode}/due', { params: { path: { unitCode: caller.unitCode! }, query } }));
}

/**
 * "Due now" (overdue, or due within the hour) and "escalated to me", read again whenever the
 * event feed brings a change; a step escalated to the viewer's role also raises a notification.
 */
export function DueBoard({ caller }: { caller: Caller }) {
  const { t } = useT();
  const changes = useStore(feedChanges);
  const live = useStore(escalationsToMe);
  const [dueNow, setDueNow] = useState<DuePage | null>(null);
  const [mine, setMine] = useState<DuePage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [permission, setPermission] = useState('Notification' in window ? Notification.permission : 'unsupported');

  useEffect(() => {
    Promise.all([readDue(caller, { limit: 100 }), readDue(caller, { escalatedToMe: 'true', window: 'all', limit: 100 })]).then(([now, escalated]) => {
      setDueNow(now);
      setMine(escalated);
      setError(null);
    }, setError);
  }, [caller.subject, changes]);

  return (
    <section class="due">
      <h1>{t('due.title', { scope: caller.stationCode ?? caller.districtCode ?? caller.unitCode })}</h1>
      {permission === 'default' && (
        <p class="notice info">
          {t('due.notificationsAsk')}{' '}
          <button type="button" onClick={() => void Notification.requestPermission().then(setPermission)}>
            {t('due.notificationsOn')}
          </button>
        </p>
      )}
      {permission === 'granted' && notificationsAllowed() && <p class="muted">{t('due.notificationsAreOn')}</p>}
      <ProblemNotice error={error} />
      {dueNow && (
        <p class="counts" role="status">
          {t('due.counts', { overdue: dueNow.counts.overdue, dueSoon: dueNow.counts.dueSoon, escalated: dueNow.counts.escalated })}
        </p>
      )}
      <div class="columns">
        <DueList id="escalated-to-me" title={t('due.escalatedToMe')} empty={t('due.noneEscalated')} steps={mine?.data ?? null} highlight={new Set(live.map((event) => `${event.caseId} ${(event.data as { stepKey?: string }).stepKey}`))} />
        <DueList id="due-now" title={t('due.dueNow')} empty={t('due.noneDue')} steps={dueNow?.data ?? null} highlight={new Set()} />
      </div>
    </section>
  );
}

function DueList({ id, title, empty, steps, highlight }: { id: string; title: string; empty: string; steps: DueStep[] | null; highlight: Set<string> }) {
  const { t, language } = useT();
  return (
    <section class="card" aria-labelledby={`${id}-title`} id={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      {steps === null && <p role="status">{t('common.loading')}</p>}
      {steps?.length === 0 && <p class="muted">{empty}</p>}
      <ul class="due-list">
        {steps?.map((step) => (
          <li key={`${step.caseId} ${step.key}`} class={`${step.state} ${highlight.has(`${step.caseId} ${step.key}`) ? 'fresh' : ''}`} data-step={step.key}>
            <a href={hrefOf.case(step.caseId)}>{localized(step.title as Record<string, string>, language)}</a>
            <Countdown dueAt={step.dueAt} />
            <p class="step-meta">
              {step.stationCode} · {t('checklist.owner', { role: t(`roles.${step.ownerRole}`) })}
              {step.escalatedRole && <span class="tag escalated">{t('checklist.escalated', { role: t(`roles.${step.escalatedRole}`), level: step.escalationLevel })}</span>}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
