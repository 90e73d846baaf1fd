import { useEffect, useState } from 'preact/hooks';
import { answer, api, type Schemas } from '../api/client';
import type { Caller } from '../caller';
import { ProblemNotice } from '../components/problem';
import { formatDateTime, formatMoney, useT } from '../i18n';
import { hrefOf } from '../router';

const statuses: Schemas['Case']['status'][] = ['reported', 'triaged', 'under_investigation', 'fir_registered', 'transferred', 'closed'];

/** The newest cases the caller may see (their station's, district's or unit's). */
export function CaseList({ caller }: { caller: Caller }) {
  const { t, language } = useT();
  const [cases, setCases] = useState<Schemas['CaseSummary'][] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<Schemas['Case']['status'] | ''>('');
  useEffect(() => {
    answer(api.GET('/v1/cases', { params: { query: { limit: 50, ...(status ? { status } : {}) } } })).then((page) => setCases(page.data), setError);
  }, [status, caller.subject]);
  return (
    <section>
      <h1>{t('cases.title')}</h1>
      <label>
        {t('cases.status')}{' '}
        <select value={status} onChange={(event) => setStatus((event.target as HTMLSelectElement).value as Schemas['Case']['status'] | '')}>
          <option value="">{t('cases.anyStatus')}</option>
          {statuses.map((option) => (
            <option key={option} value={option}>
              {t(`case.statuses.${option}`)}
            </option>
          ))}
        </select>
      </label>
      <ProblemNotice error={error} />
      {cases === null && !error && <p role="status">{t('common.loading')}</p>}
      {cases?.length === 0 && <p>{t('cases.none')}</p>}
      {cases && cases.length > 0 && (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('case.reportedAt')}</th>
              <th scope="col">{t('case.station')}</th>
              <th scope="col">{t('cases.status')}</th>
              <th scope="col">{t('case.platforms')}</th>
              <th scope="col">{t('case.amountPaid')}</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((row) => (
              <tr key={row.id}>
                <td>
                  <a href={hrefOf.case(row.id)}>{formatDateTime(row.reportedAt, language)}</a> {row.victimIsMinor && <span class="tag minor">{t('case.minor')}</span>}
                </td>
                <td>{row.station.code}</td>
                <td>{t(`case.statuses.${row.status}`)}</td>
                <td>{row.platforms.join(', ')}</td>
                <td>{formatMoney(row.amountPaid, row.currency, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
