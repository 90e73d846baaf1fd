import { useEffect, useRef, useState } from 'preact/hooks';
import { answer, api, ApiProblem, type FieldErrors, type Schemas } from '../api/client';
import { can, type Caller } from '../caller';
import { Countdown } from '../components/countdown';
import { Field, ProblemNotice, SelectField, TextField } from '../components/problem';
import { feedChanges } from '../events';
import { formatDateTime, formatMoney, localized, useT } from '../i18n';
import { useStore } from '../store';

type Case = Schemas['Case'];
type Step = Schemas['CaseStep'];
type PlatformRequest = Schemas['PlatformRequest'];
type Evidence = Schemas['EvidenceItem'];

interface Loaded {
  record: Case;
  checklist: Schemas['CaseChecklist'];
  requests: PlatformRequest[];
  evidence: Evidence[];
  timeline: Schemas['CaseTimeline'];
}

async function load(caseId: string): Promise<Loaded> {
  const path = { params: { path: { caseId } } };
  const [record, checklist, requests, evidence, timeline] = await Promise.all([
    answer(api.GET('/v1/cases/{caseId}', path)),
    answer(api.GET('/v1/cases/{caseId}/sop', path)),
    answer(api.GET('/v1/cases/{caseId}/requests', path)),
    answer(api.GET('/v1/cases/{caseId}/evidence', path)),
    answer(api.GET('/v1/cases/{caseId}/timeline', { params: { path: { caseId }, query: { limit: 100 } } })),
  ]);
  return { record, checklist, requests: requests.data, evidence: evidence.data, timeline };
}

/** A change the officer asks for: its refusal shown in the section, the case read again once it is made. */
function useChange(onChanged: () => void) {
  const [error, setError] = useState<unknown>(null);
  const change = async (make: () => Promise<unknown>) => {
    setError(null);
    try {
      await make();
      onChanged();
    } catch (cause) {
      setError(cause);
    }
  };
  return { error, setError, change };
}

/** One case: the checklist with live deadlines, safety, evidence, platform requests and their letters, moves, the timeline. */
export function CasePage({ caller, caseId }: { caller: Caller; caseId: string }) {
  const { t } = useT();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const changes = useStore(feedChanges);
  const reload = () =>
    load(caseId).then((fresh) => {
      setLoaded(fresh);
      setError(null);
    }, setError);
  useEffect(() => void reload(), [caseId]);
  // Another officer, or the minute sweep, changed this case: read it again.
  useEffect(() => {
    if (changes.caseIds.has(caseId)) void reload();
  }, [changes]);

  if (!loaded) return error ? <ProblemNotice error={error} /> : <p role="status">{t('common.loading')}</p>;
  const { record } = loaded;
  return (
    <article class="case">
      <CaseHeader record={record} />
      <ProblemNotice error={error} />
      {!record.safetyScreen && can(caller, 'cases:work') && <SafetyScreenForm caseId={caseId} onSaved={reload} />}
      <Checklist caller={caller} caseId={caseId} checklist={loaded.checklist} onChanged={reload} />
      <PlatformRequests caller={caller} record={record} requests={loaded.requests} steps={loaded.checklist.now} onChanged={reload} />
      <References caller={caller} record={record} onChanged={reload} />
      <EvidenceSection caller={caller} caseId={caseId} evidence={loaded.evidence} onChanged={reload} />
      <CaseMoves caller={caller} record={record} onChanged={reload} />
      <Timeline caseId={caseId} first={loaded.timeline} />
    </article>
  );
}

function CaseHeader({ record }: { record: Case }) {
  const { t, language } = useT();
  const victim = record.victim as { name?: string; age?: number; isMinor?: boolean };
  const complainant = record.complainant as { name?: string; phone?: string };
  return (
    <header class="card case-header">
      <h1>
        {t('case.title')} <span class={`status ${record.status}`}>{t(`case.statuses.${record.status}`)}</span>
      </h1>
      <dl class="facts">
        <dt>{t('case.station')}</dt>
        <dd>{record.station.code}</dd>
        <dt>{t('case.reportedAt')}</dt>
        <dd>{formatDateTime(record.reportedAt, language)}</dd>
        <dt>{t('case.complainant')}</dt>
        <dd>
          {complainant.name} {complainant.phone && <span>({complainant.phone})</span>}
        </dd>
        <dt>{t('case.victim')}</dt>
        <dd>
          {victim.name ?? '—'} {victim.age !== undefined && t('case.age', { age: victim.age })} {victim.isMinor && <span class="tag minor">{t('case.minor')}</span>}
        </dd>
        <dt>{t('case.amountPaid')}</dt>
        <dd>{formatMoney(record.amountPaid, record.currency, language)}</dd>
        <dt>{t('case.safety')}</dt>
        <dd>{record.safetyScreen ? t(`intake.safety.levels.${record.safetyScreen.riskLevel}`) : <span class="tag warn">{t('case.safetyMissing')}</span>}</dd>
        <dt>{t('case.identifiers')}</dt>
        <dd>{record.identifiers.map((identifier) => `${identifier.kind}: ${identifier.value}`).join(' · ') || '—'}</dd>
      </dl>
    </header>
  );
}

function SafetyScreenForm({ caseId, onSaved }: { caseId: string; onSaved: () => void }) {
  const { t } = useT();
  const [riskLevel, setRiskLevel] = useState<'low' | 'medium' | 'high'>('low');
  const [neverContactThroughFamily, setNever] = useState(false);
  const [consentToContact, setConsent] = useState(false);
  const { error, change } = useChange(onSaved);
  return (
    <form
      class="card urgent-card"
      onSubmit={async (event) => {
        event.preventDefault();
        await change(async () => {
          await answer(api.POST('/v1/cases/{caseId}/safety-screen', { params: { path: { caseId } }, body: { riskLevel, neverContactThroughFamily, consentToContact } }));
        });
      }}
    >
      <h2>{t('intake.safety.title')}</h2>
      <ProblemNotice error={error} />
      <fieldset>
        <legend>{t('intake.safety.risk')}</legend>
        {(['low', 'medium', 'high'] as const).map((level) => (
          <label key={level} class="choice inline">
            <input type="radio" name="case-risk" checked={riskLevel === level} onChange={() => setRiskLevel(level)} />
            {t(`intake.safety.levels.${level}`)}
          </label>
        ))}
      </fieldset>
      <label class="choice">
        <input type="checkbox" checked={neverContactThroughFamily} onChange={(event) => setNever((event.target as HTMLInputElement).checked)} />
        {t('intake.safety.neverThroughFamily')}
      </label>
      <label class="choice">
        <input type="checkbox" checked={consentToContact} onChange={(event) => setConsent((event.target as HTMLInputElement).checked)} />
        {t('intake.safety.consent')}
      </label>
      <button type="submit" class="primary">
        {t('case.recordSafety')}
      </button>
    </form>
  );
}

function Checklist({ caller, caseId, checklist, onChanged }: { caller: Caller; caseId: string; checklist: Schemas['CaseChecklist']; onChanged: () => void }) {
  const { t, language } = useT();
  const { error, change } = useChange(onChanged);
  const [reasonFor, setReasonFor] = useState<{ key: string; outcome: 'skipped' | 'not_applicable' } | null>(null);
  const [reason, setReason] = useState('');
  const works = can(caller, 'cases:work');

  async function record(step: Step, outcome: 'done' | 'skipped' | 'not_applicable', why?: string) {
    await change(async () => {
      await answer(api.POST('/v1/cases/{caseId}/sop/steps/{stepKey}', { params: { path: { caseId, stepKey: step.key } }, body: { outcome, ...(why ? { reason: why } : {}) } }));
      setReasonFor(null);
      setReason('');
    });
  }

  return (
    <section class="card checklist" aria-labelledby="checklist-title">
      <h2 id="checklist-title">{t('checklist.title')}</h2>
      <p class="muted">{t('checklist.summary', { count: checklist.now.length, overdue: checklist.now.filter((step) => step.overdue).length })}</p>
      <ProblemNotice error={error} />
      <ol class="steps">
        {checklist.now.map((step) => (
          <li key={step.key} class={`step ${step.overdue ? 'overdue' : ''} ${step.blockedBy.length > 0 ? 'blocked' : ''}`} data-step={step.key}>
            <div class="step-head">
              <strong>{localized(step.title as Record<string, string>, language)}</strong>
              <span class={`tag ${step.kind}`}>{t(`checklist.kinds.${step.kind}`)}</span>
              <Countdown dueAt={step.dueAt} />
            </div>
            <p class="step-meta">
              {t('checklist.owner', { role: t(`roles.${step.ownerRole}`) })}
              {step.escalatedRole && <span class="tag escalated"> {t('checklist.escalated', { role: t(`roles.${step.escalatedRole}`), level: step.escalationLevel })}</span>}
              {step.blockedBy.length > 0 && <span> · {t('checklist.blockedBy', { steps: step.blockedBy.join(', ') })}</span>}
              {step.legalRefs.length > 0 && <span class="muted"> · {step.legalRefs.join(', ')}</span>}
            </p>
            <details>
              <summary>{t('checklist.instructions')}</summary>
              <p>{localized(step.instructions as Record<string, string>, language)}</p>
            </details>
            {works && step.status === 'pending' && (
              <div class="actions">
                <button type="button" class="primary" onClick={() => void record(step, 'done')}>
                  {t('checklist.done')}
                </button>
                <button type="button" onClick={() => setReasonFor({ key: step.key, outcome: 'skipped' })}>
                  {t('checklist.skip')}
                </button>
                <button type="button" onClick={() => setReasonFor({ key: step.key, outcome: 'not_applicable' })}>
                  {t('checklist.notApplicable')}
                </button>
              </div>
            )}
            {reasonFor?.key === step.key && (
              <form
                class="reason"
                onSubmit={(event) => {
                  event.preventDefault();
                  void record(step, reasonFor.outcome, reason);
                }}
              >
                <label>
                  {t('checklist.why')}
                  <input value={reason} required onInput={(event) => setReason((event.target as HTMLInputElement).value)} />
                </label>
                <button type="submit">{t(reasonFor.outcome === 'skipped' ? 'checklist.skip' : 'checklist.notApplicable')}</button>
              </form>
            )}
          </li>
        ))}
      </ol>
      {checklist.closed.length > 0 && (
        <details>
          <summary>{t('checklist.closed', { count: checklist.closed.length })}</summary>
          <ul class="closed-steps">
            {checklist.closed.map((step) => (
              <li key={step.key}>
                {localized(step.title as Record<string, string>, language)} — {t(`checklist.outcomes.${step.status}`)} {step.closedAt && formatDateTime(step.closedAt, language)}
                {step.reason && <span class="muted"> ({step.reason})</span>}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/**
 * What the API allows this caller: approving anything but a preservation (or its extension) is a police order, for
 * the station house officer or a supervisor (cases:supervise); every other move needs cases:work.
 */
function mayMove(caller: Caller, request: PlatformRequest, to: PlatformRequest['allowedTransitions'][number]): boolean {
  if (to === 'approved' && request.kind !== 'preservation' && request.kind !== 'preservation_extension') return can(caller, 'cases:supervise');
  return can(caller, 'cases:work') || (to === 'approved' && can(caller, 'cases:supervise'));
}

const requestKinds = ['takedown', 'preservation', 'data_disclosure', 'emergency_disclosure', 'payment_hold', 'sim_imei_block'] as const;

function PlatformRequests({ caller, record, requests, steps, onChanged }: { caller: Caller; record: Case; requests: PlatformRequest[]; steps: Step[]; onChanged: () => void }) {
  const { t, language } = useT();
  const platforms = (record.incident as { platforms?: string[] }).platforms ?? [];
  const [platformKey, setPlatformKey] = useState(platforms[0] ?? '');
  const [kind, setKind] = useState<(typeof requestKinds)[number]>('takedown');
  const { error, change } = useChange(onChanged);
  const [open, setOpen] = useState<string | null>(null);
  const errors: FieldErrors = error instanceof ApiProblem ? error.fieldErrors : [];
  const suggested = steps.filter((step) => step.requestKind && step.platformKey);

  async function move(request: PlatformRequest, to: PlatformRequest['allowedTransitions'][number]) {
    await change(async () => {
      await answer(api.POST('/v1/cases/{caseId}/requests/{requestId}/transitions', { params: { path: { caseId: record.id, requestId: request.id } }, body: { to } }));
    });
  }

  return (
    <section class="card requests" aria-labelledby="requests-title">
      <h2 id="requests-title">{t('requests.title')}</h2>
      <ProblemNotice error={error} shownFields={['platformKey', 'kind']} />
      {can(caller, 'cases:work') && (
        <form
          class="inline-form"
          onSubmit={async (event) => {
            event.preventDefault();
            await change(async () => {
              const created = await answer(api.POST('/v1/cases/{caseId}/requests', { params: { path: { caseId: record.id } }, body: { platformKey, kind } }));
              setOpen(created.id);
            });
          }}
        >
          <Field label={t('requests.platform')} field="platformKey" errors={errors}>
            {(props) => (
              <>
                <input {...props} list="case-platforms" value={platformKey} onInput={(event) => setPlatformKey((event.target as HTMLInputElement).value)} />
                <datalist id="case-platforms">
                  {platforms.map((platform) => (
                    <option key={platform} value={platform} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <SelectField label={t('requests.kind')} field="kind" errors={errors} value={kind} options={requestKinds} labels="requests.kinds" onChange={setKind} />
          <button type="submit" class="primary">
            {t('requests.draft')}
          </button>
        </form>
      )}
      {suggested.length > 0 && (
        <p class="muted">
          {t('requests.suggested')} {suggested.map((step) => `${step.platformKey} (${t(`requests.kinds.${step.requestKind}`)})`).join(', ')}
        </p>
      )}
      <ul class="request-list">
        {requests.map((request) => (
          <li key={request.id} data-request={request.id}>
            <div class="step-head">
              <strong>
                {request.platformKey}: {t(`requests.kinds.${request.kind}`)}
              </strong>
              <span class={`status ${request.status}`}>{t(`requests.statuses.${request.status}`)}</span>
              {request.respondBy && <Countdown dueAt={request.respondBy} />}
            </div>
            <p class="muted">
              {t('requests.drafted', { when: formatDateTime(request.createdAt, language), by: request.createdBy })}
              {request.approvedBy && ` · ${t('requests.approvedBy', { by: request.approvedBy })}`}
            </p>
            <div class="actions">
              {request.allowedTransitions.filter((to) => mayMove(caller, request, to)).map((to) => (
                <button type="button" key={to} class={to === 'approved' || to === 'sent' ? 'primary' : ''} onClick={() => void move(request, to)}>
                  {t(`requests.moves.${to}`)}
                </button>
              ))}
              <button type="button" onClick={() => setOpen(open === request.id ? null : request.id)} aria-expanded={open === request.id}>
                {t('requests.letter')}
              </button>
            </div>
            {open === request.id && <Letter request={request} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The request's letter, printable on its own (the print stylesheet shows only the letter being printed). */
function Letter({ request }: { request: PlatformRequest }) {
  const { t } = useT();
  return (
    <div class="letter-box">
      <pre class="letter" aria-label={t('requests.letter')}>
        {request.letter}
      </pre>
      <button
        type="button"
        onClick={() => {
          document.body.classList.add('printing-letter');
          const box = document.querySelector(`[data-request="${request.id}"] .letter`);
          box?.classList.add('print-this');
          window.print();
          box?.classList.remove('print-this');
          document.body.classList.remove('printing-letter');
        }}
      >
        {t('requests.print')}
      </button>
    </div>
  );
}

const referenceKinds = ['helpline_ticket', 'ncrp_acknowledgement', 'fir', 'intermediary_notice', 'court_order', 'other'] as const;

/** The 1930 ticket, the portal's acknowledgement, the FIR: each completes the steps waiting for it. */
function References({ caller, record, onChanged }: { caller: Caller; record: Case; onChanged: () => void }) {
  const { t, language } = useT();
  const [kind, setKind] = useState<(typeof referenceKinds)[number]>('helpline_ticket');
  const [value, setValue] = useState('');
  const { error, change } = useChange(onChanged);
  const errors: FieldErrors = error instanceof ApiProblem ? error.fieldErrors : [];
  return (
    <section class="card references" aria-labelledby="references-title">
      <h2 id="references-title">{t('references.title')}</h2>
      <ProblemNotice error={error} shownFields={['kind', 'value']} />
      <ul>
        {record.references.map((reference) => (
          <li key={reference.id}>
            {t(`references.kinds.${reference.kind}`)}: <strong>{reference.value}</strong> <span class="muted">{formatDateTime(reference.addedAt, language)}</span>
          </li>
        ))}
      </ul>
      {can(caller, 'cases:work') && (
        <form
          class="inline-form"
          onSubmit={async (event) => {
            event.preventDefault();
            await change(async () => {
              await answer(api.POST('/v1/cases/{caseId}/references', { params: { path: { caseId: record.id } }, body: { kind, value } }));
              setValue('');
            });
          }}
        >
          <SelectField label={t('references.kind')} field="kind" errors={errors} value={kind} options={referenceKinds} labels="references.kinds" onChange={setKind} />
          <TextField label={t('references.value')} field="value" errors={errors} hint={t('references.hint')} value={value} onChange={setValue} />
          <button type="submit">{t('references.add')}</button>
        </form>
      )}
    </section>
  );
}

/** A <input type="datetime-local"> value, in the browser's own time zone. */
const localTime = (date: Date) => new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
const hex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
const evidenceKinds = ['screenshot', 'chat_export', 'call_log', 'video', 'audio', 'image', 'document', 'payment_receipt', 'device_image', 'other'] as const;

/** Evidence: the SHA-256 is taken here in the browser (WebCrypto); the file itself never leaves the device. */
function EvidenceSection({ caller, caseId, evidence, onChanged }: { caller: Caller; caseId: string; evidence: Evidence[]; onChanged: () => void }) {
  const { t } = useT();
  const [file, setFile] = useState<{ name: string; type: string; size: number; sha256: string } | null>(null);
  const [kind, setKind] = useState<(typeof evidenceKinds)[number]>('screenshot');
  const [description, setDescription] = useState('');
  const { error, setError, change } = useChange(onChanged);
  const [hashing, setHashing] = useState(false);
  const [capturedAt, setCapturedAt] = useState('');
  const [handOver, setHandOver] = useState<{ evidenceId: string; name: string; designation: string } | null>(null);
  const errors: FieldErrors = error instanceof ApiProblem ? error.fieldErrors : [];

  const picks = useRef(0);
  async function pick(event: Event) {
    const chosen = (event.target as HTMLInputElement).files?.[0];
    const pickNumber = (picks.current += 1);
    setFile(null);
    setError(null);
    if (!chosen) return;
    setHashing(true);
    try {
      const sha256 = hex(await crypto.subtle.digest('SHA-256', await chosen.arrayBuffer()));
      // Only the latest file chosen counts.
      if (pickNumber !== picks.current) return;
      setFile({ name: chosen.name, type: chosen.type || 'application/octet-stream', size: chosen.size, sha256 });
      setCapturedAt(localTime(new Date(Math.min(chosen.lastModified || Date.now(), Date.now()))));
    } catch (cause) {
      if (pickNumber === picks.current) setError(cause);
    } finally {
      if (pickNumber === picks.current) setHashing(false);
    }
  }

  return (
    <section class="card evidence" aria-labelledby="evidence-title">
      <h2 id="evidence-title">{t('evidence.title')}</h2>
      <ProblemNotice error={error} shownFields={['description', 'sha256', 'capturedAt']} />
      {can(caller, 'cases:work') && (
        <form
          class="inline-form"
          onSubmit={async (event) => {
            event.preventDefault();
            if (!file) return;
            await change(async () => {
              await answer(
                api.POST('/v1/cases/{caseId}/evidence', {
                  params: { path: { caseId } },
                  body: { kind, description, sha256: file.sha256, fileName: file.name, mediaType: file.type, sizeBytes: file.size, capturedAt: new Date(capturedAt).toISOString() },
                }),
              );
              setFile(null);
              setDescription('');
              (event.target as HTMLFormElement).reset();
            });
          }}
        >
          <Field label={t('evidence.file')} field="sha256" errors={errors} hint={t('evidence.fileHint')}>
            {(props) => <input {...props} type="file" onChange={pick} />}
          </Field>
          {hashing && <p role="status">{t('evidence.hashing')}</p>}
          {file && (
            <p class="hash" role="status">
              SHA-256 <code>{file.sha256}</code>
            </p>
          )}
          <SelectField label={t('evidence.kind')} field="kind" errors={errors} value={kind} options={evidenceKinds} labels="evidence.kinds" onChange={setKind} />
          <TextField label={t('evidence.capturedAt')} field="capturedAt" errors={errors} hint={t('evidence.capturedAtHint')} type="datetime-local" value={capturedAt} onChange={setCapturedAt} />
          <TextField label={t('evidence.description')} field="description" errors={errors} value={description} onChange={setDescription} />
          <button type="submit" class="primary" disabled={!file}>
            {t('evidence.record')}
          </button>
        </form>
      )}
      <ul class="evidence-list">
        {evidence.map((item) => (
          <li key={item.id}>
            <strong>{item.description}</strong> <span class="tag">{t(`evidence.kinds.${item.kind}`)}</span>{' '}
            <span class={`tag ${item.integrity}`}>{t(`evidence.integrity.${item.integrity}`)}</span>
            <p class="hash">
              SHA-256 <code>{item.sha256}</code> ({t(`evidence.origin.${item.hashOrigin}`)})
            </p>
            <p class="muted">{t('evidence.custodian', { name: item.custodian.name })}</p>
            <CustodyTrail caseId={caseId} evidenceId={item.id} version={item.version} />
            {can(caller, 'cases:work') &&
              (handOver?.evidenceId === item.id ? (
                <form
                  class="inline-form"
                  onSubmit={async (event) => {
                    event.preventDefault();
                    await change(async () => {
                      await answer(
                        api.POST('/v1/cases/{caseId}/evidence/{evidenceId}/custody', {
                          params: { path: { caseId, evidenceId: item.id } },
                          body: { kind: 'handed_over', to: { name: handOver.name, ...(handOver.designation ? { designation: handOver.designation } : {}) } },
                        }),
                      );
                      setHandOver(null);
                    });
                  }}
                >
                  <label>
                    {t('evidence.toWhom')}
                    <input required value={handOver.name} onInput={(event) => setHandOver({ ...handOver, name: (event.target as HTMLInputElement).value })} />
                  </label>
                  <label>
                    {t('evidence.designation')}
                    <input value={handOver.designation} onInput={(event) => setHandOver({ ...handOver, designation: (event.target as HTMLInputElement).value })} />
                  </label>
                  <button type="submit">{t('evidence.handOver')}</button>
                </form>
              ) : (
                <button type="button" onClick={() => setHandOver({ evidenceId: item.id, name: '', designation: '' })}>
                  {t('evidence.handOver')}
                </button>
              ))}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The custody trail of one item, read when the officer opens it (the evidence list leaves trails out). */
function CustodyTrail({ caseId, evidenceId, version }: { caseId: string; evidenceId: string; version: number }) {
  const { t, language } = useT();
  const [open, setOpen] = useState(false);
  const [trail, setTrail] = useState<Evidence['custody'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!open) return;
    answer(api.GET('/v1/cases/{caseId}/evidence/{evidenceId}', { params: { path: { caseId, evidenceId } } })).then((item) => setTrail(item.custody), setError);
  }, [open, version]);
  return (
    <details class="custody-trail" onToggle={(event) => setOpen((event.target as HTMLDetailsElement).open)}>
      <summary>{t('evidence.custody')}</summary>
      <ProblemNotice error={error} />
      {open && trail === null && !error && <p role="status">{t('common.loading')}</p>}
      <ol class="custody">
        {trail?.map((event) => (
          <li key={event.id}>
            {formatDateTime(event.occurredAt, language)}: {t(`evidence.custodyKinds.${event.kind}`)}
            {event.fromCustodian && ` ${t('evidence.from', { name: event.fromCustodian.name })}`}
            {event.toCustodian && ` ${t('evidence.to', { name: event.toCustodian.name })}`}
            {event.matches === false && <span class="tag mismatch"> {t('evidence.integrity.mismatch')}</span>}
          </li>
        ))}
      </ol>
    </details>
  );
}

type ClosureReason = NonNullable<Schemas['Case']['closure']>['reason'];
const closureReasons: ClosureReason[] = ['resolved_content_removed', 'charge_sheet_filed', 'complainant_withdrew', 'no_cognizable_offence', 'untraced', 'duplicate', 'merged_with_other_case'];

function CaseMoves({ caller, record, onChanged }: { caller: Caller; record: Case; onChanged: () => void }) {
  const { t } = useT();
  const { error, change } = useChange(onChanged);
  const [toStationCode, setToStation] = useState('');
  const [reason, setReason] = useState('');
  const [closureReason, setClosureReason] = useState<ClosureReason>('resolved_content_removed');
  const errors: FieldErrors = error instanceof ApiProblem ? error.fieldErrors : [];
  const supervises = can(caller, 'cases:supervise');
  const allowed = record.allowedTransitions;

  async function transition(to: Case['allowedTransitions'][number]) {
    await change(async () => {
      await answer(
        api.POST('/v1/cases/{caseId}/transitions', {
          params: { path: { caseId: record.id } },
          body: { to, ...(reason ? { reason } : {}), ...(to === 'closed' ? { closureReason } : {}) },
        }),
      );
    });
  }

  if (allowed.length === 0 && !supervises) return null;
  return (
    <section class="card moves" aria-labelledby="moves-title">
      <h2 id="moves-title">{t('moves.title')}</h2>
      <ProblemNotice error={error} shownFields={['toStationCode', 'reason']} />
      <TextField label={t('moves.reason')} field="reason" errors={errors} value={reason} onChange={setReason} />
      {allowed.includes('closed') && (
        <label>
          {t('moves.closureReason')}
          <select value={closureReason} onChange={(event) => setClosureReason((event.target as HTMLSelectElement).value as ClosureReason)}>
            {closureReasons.map((option) => (
              <option key={option} value={option}>
                {t(`moves.closure.${option}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      <div class="actions">
        {allowed.map((to) => (
          <button type="button" key={to} onClick={() => void transition(to)}>
            {t(`moves.to.${to}`)}
          </button>
        ))}
      </div>
      {supervises && record.status !== 'closed' && (
        <form
          class="inline-form"
          onSubmit={async (event) => {
            event.preventDefault();
            await change(async () => {
              await answer(api.POST('/v1/cases/{caseId}/transfer', { params: { path: { caseId: record.id } }, body: { toStationCode: toStationCode.trim().toUpperCase(), reason } }));
            });
          }}
        >
          <TextField label={t('moves.toStation')} field="toStationCode" errors={errors} hint={t('moves.toStationHint')} value={toStationCode} onChange={setToStation} />
          <button type="submit">{t('moves.transfer')}</button>
        </form>
      )}
    </section>
  );
}

/** The case's audited actions, oldest first, a page at a time. */
function Timeline({ caseId, first }: { caseId: string; first: Schemas['CaseTimeline'] }) {
  const { t, language } = useT();
  const [later, setLater] = useState<Schemas['TimelineEntry'][]>([]);
  const [cursor, setCursor] = useState<string | null>(first.pagination.nextCursor ?? null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setLater([]);
    setCursor(first.pagination.nextCursor ?? null);
  }, [first]);
  const entries = [...first.data, ...later];
  return (
    <section class="card timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('timeline.title')}</h2>
      <ProblemNotice error={error} />
      <ol>
        {entries.map((entry) => (
          <li key={entry.sequence}>
            <time dateTime={entry.at}>{formatDateTime(entry.at, language)}</time> <strong>{t(`timeline.actions.${entry.action}`, { defaultValue: entry.action })}</strong>{' '}
            <span class="muted">{(entry.actor as { subject?: string }).subject}</span>
            {entry.note && <span> — {entry.note}</span>}
          </li>
        ))}
      </ol>
      {cursor && (
        <button
          type="button"
          onClick={async () => {
            try {
              const page = await answer(api.GET('/v1/cases/{caseId}/timeline', { params: { path: { caseId }, query: { cursor, limit: 100 } } }));
              setLater([...later, ...page.data]);
              setCursor(page.pagination.nextCursor ?? null);
              setError(null);
            } catch (cause) {
              setError(cause);
            }
          }}
        >
          {t('timeline.more')}
        </button>
      )}
    </section>
  );
}
