import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { answer, api, type Schemas } from '../api/client';
import type { Caller } from '../caller';
import { ProblemNotice } from '../components/problem';
import { feedChanges } from '../events';
import { useT } from '../i18n';
import { hrefOf } from '../router';
import { useStore } from '../store';
import { readDue } from './due-board';

type Metrics = Schemas['SopMetrics'];

/** The scope's overdue steps (they lead the due list), page by page, at most 2,000. */
async function overdueSteps(caller: Caller, districtCode: string | null) {
  const steps: Schemas['DueStep'][] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10; page += 1) {
    const due = await readDue(caller, { limit: 200, ...(cursor ? { cursor } : {}) }, districtCode);
    steps.push(...due.data.filter((step) => step.overdue));
    cursor = due.pagination.nextCursor ?? undefined;
    if (!cursor || due.data.some((step) => !step.overdue)) break;
  }
  return steps;
}

const monthStart = (date: Date, back = 0) => new Date(date.getFullYear(), date.getMonth() - back, 1);

/**
 * The district's or unit's view: overdue steps by station, the SOP metrics as charts (time to the
 * first platform request per station, share of steps on time, turnaround per platform) and the
 * month at a glance against the month before.
 */
export function SupervisorPage({ caller }: { caller: Caller }) {
  const { t } = useT();
  const changes = useStore(feedChanges);
  const [overdue, setOverdue] = useState<Map<string, { overdue: number; escalated: number }> | null>(null);
  const [month, setMonth] = useState<Metrics | null>(null);
  const [previous, setPrevious] = useState<Metrics | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [districts, setDistricts] = useState<Schemas['District'][]>([]);
  // A unit's supervisor looks at the whole unit or one district; a district supervisor at their own.
  const [chosenDistrict, setChosenDistrict] = useState('');
  const districtCode = caller.districtCode ?? (chosenDistrict || null);

  useEffect(() => {
    if (caller.level !== 'unit' || !caller.unitCode) return;
    answer(api.GET('/v1/units/{unitCode}/districts', { params: { path: { unitCode: caller.unitCode } } })).then((page) => setDistricts(page.data), setError);
  }, [caller.subject]);

  useEffect(() => {
    overdueSteps(caller, districtCode).then((steps) => {
      const byStation = new Map<string, { overdue: number; escalated: number }>();
      for (const step of steps) {
        if (!step.overdue) continue;
        const row = byStation.get(step.stationCode) ?? { overdue: 0, escalated: 0 };
        row.overdue += 1;
        if (step.escalationLevel > 0) row.escalated += 1;
        byStation.set(step.stationCode, row);
      }
      setOverdue(byStation);
    }, setError);
  }, [caller.subject, districtCode, changes]);

  useEffect(() => {
    if (!caller.unitCode) return;
    const now = new Date();
    const metrics = (from: Date, to: Date) =>
      answer(
        api.GET('/v1/units/{unitCode}/metrics/sop', {
          params: { path: { unitCode: caller.unitCode! }, query: { from: from.toISOString(), to: to.toISOString(), ...(districtCode ? { district: districtCode } : {}) } },
        }),
      );
    Promise.all([metrics(monthStart(now), now), metrics(monthStart(now, 1), monthStart(now))]).then(([current, before]) => {
      setMonth(current);
      setPrevious(before);
    }, setError);
  }, [caller.subject, districtCode]);

  const stations = overdue ? [...overdue.entries()].sort((a, b) => b[1].overdue - a[1].overdue) : [];
  return (
    <section class="supervisor">
      <h1>{t('supervisor.title', { scope: districtCode ?? caller.unitCode })}</h1>
      {districts.length > 0 && (
        <label>
          {t('supervisor.district')}{' '}
          <select value={chosenDistrict} onChange={(event) => setChosenDistrict((event.target as HTMLSelectElement).value)}>
            <option value="">{t('supervisor.wholeUnit')}</option>
            {districts.map((district) => (
              <option key={district.code} value={district.code}>
                {district.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <ProblemNotice error={error} />
      <section class="card" aria-labelledby="overdue-title">
        <h2 id="overdue-title">{t('supervisor.overdueByStation')}</h2>
        {overdue === null && <p role="status">{t('common.loading')}</p>}
        {overdue && stations.length === 0 && <p class="muted">{t('supervisor.noneOverdue')}</p>}
        {stations.length > 0 && (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('case.station')}</th>
                <th scope="col">{t('supervisor.overdue')}</th>
                <th scope="col">{t('supervisor.escalated')}</th>
              </tr>
            </thead>
            <tbody>
              {stations.map(([station, row]) => (
                <tr key={station}>
                  <td>{station}</td>
                  <td>{row.overdue}</td>
                  <td>{row.escalated}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p>
          <a href={hrefOf.due}>{t('supervisor.openDue')}</a>
        </p>
      </section>
      {month && previous && <MonthAtAGlance month={month} previous={previous} />}
      {month && (
        <section class="card charts" aria-labelledby="charts-title">
          <h2 id="charts-title">{t('supervisor.metrics')}</h2>
          <BarChart
            id="chart-first-request"
            title={t('supervisor.minutesToFirstRequest')}
            labels={month.stations.map((station) => station.stationCode)}
            values={month.stations.map((station) => station.medianMinutesToFirstRequestSent)}
            unit={t('supervisor.minutes')}
          />
          <BarChart
            id="chart-on-time"
            title={t('supervisor.onTimeShare')}
            labels={month.stations.map((station) => station.stationCode)}
            values={month.stations.map((station) => (station.steps.onTimeShare === null ? null : Math.round(station.steps.onTimeShare * 100)))}
            unit="%"
          />
          <BarChart
            id="chart-turnaround"
            title={t('supervisor.turnaroundPerPlatform')}
            labels={month.platforms.map((platform) => platform.name ?? platform.platformKey)}
            values={month.platforms.map((platform) => platform.medianTurnaroundMinutes)}
            unit={t('supervisor.minutes')}
          />
        </section>
      )}
    </section>
  );
}

function MonthAtAGlance({ month, previous }: { month: Metrics; previous: Metrics }) {
  const { t } = useT();
  const share = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);
  const minutes = (value: number | null) => (value === null ? '—' : `${Math.round(value)} ${t('supervisor.minutes')}`);
  const tiles = [
    { label: t('supervisor.tiles.cases'), now: String(month.total.cases), before: String(previous.total.cases) },
    { label: t('supervisor.tiles.onTime'), now: share(month.total.steps.onTimeShare), before: share(previous.total.steps.onTimeShare) },
    { label: t('supervisor.tiles.openOverdue'), now: String(month.total.steps.openOverdue), before: String(previous.total.steps.openOverdue) },
    { label: t('supervisor.tiles.firstRequest'), now: minutes(month.total.medianMinutesToFirstRequestSent), before: minutes(previous.total.medianMinutesToFirstRequestSent) },
    { label: t('supervisor.tiles.withRequest'), now: String(month.total.casesWithRequestSent), before: String(previous.total.casesWithRequestSent) },
    { label: t('supervisor.tiles.fir'), now: share(month.total.firShare), before: share(previous.total.firShare) },
  ];
  return (
    <section class="card" aria-labelledby="month-title">
      <h2 id="month-title">{t('supervisor.month')}</h2>
      <ul class="tiles">
        {tiles.map((tile) => (
          <li key={tile.label}>
            <span class="tile-label">{tile.label}</span>
            <strong class="tile-value">{tile.now}</strong>
            <small>{t('supervisor.lastMonth', { value: tile.before })}</small>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A bar per label (uPlot), with the same figures as a table for screen readers and print. */
function BarChart({ id, title, labels, values, unit }: { id: string; title: string; labels: string[]; values: (number | null)[]; unit: string }) {
  const { t } = useT();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current || labels.length === 0) return;
    const width = Math.min(box.current.clientWidth || 600, 900);
    const plot = new uPlot(
      {
        width,
        height: 220,
        title,
        legend: { show: false },
        scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(1, max ?? 1) * 1.1] } },
        axes: [
          { values: (_u, splits) => splits.map((split) => (Number.isInteger(split) ? (labels[split] ?? '').replace(/^[A-Z]+-[A-Z]+-/, '') : '')), rotate: -30, size: 70, gap: 4 } as uPlot.Axis,
          { label: unit },
        ],
        series: [{}, { label: title, fill: 'rgba(31, 94, 168, 0.75)', stroke: '#1f5ea8', paths: uPlot.paths.bars!({ size: [0.6, 60] }), points: { show: false } }],
      },
      [labels.map((_, index) => index), values.map((value) => value ?? null)] as uPlot.AlignedData,
      box.current,
    );
    return () => plot.destroy();
  }, [labels.join(), values.join(), title]);
  return (
    <figure class="chart" id={id}>
      <div ref={box} role="img" aria-label={title} />
      <figcaption>
        <details>
          <summary>{t('supervisor.asTable', { title })}</summary>
          <table class="table">
            <tbody>
              {labels.map((label, index) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td>{values[index] === null ? '—' : `${values[index]} ${unit}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}
