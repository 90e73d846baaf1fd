import { useEffect, useRef, useState } from 'preact/hooks';
import type { paths } from '@sextortion-sop/client';
import { answer, api, ApiProblem, type FieldErrors, type Schemas } from '../api/client';
import type { Caller } from '../caller';
import { Field, ProblemNotice, SelectField, TextField } from '../components/problem';
import { useT } from '../i18n';
import { hrefOf, navigate } from '../router';

type RiskLevel = 'low' | 'medium' | 'high';
type Minor = 'yes' | 'no' | 'unknown';
interface Safety {
  riskLevel: RiskLevel | null;
  minor: Minor | null;
  neverContactThroughFamily: boolean;
  consentToContact: boolean;
}

const commonPlatforms = ['instagram', 'facebook', 'whatsapp', 'telegram', 'snapchat', 'x', 'youtube'];
const identifierKinds = ['phone', 'upi', 'url', 'email', 'platform_handle', 'bank_account'] as const;
const paymentMethods: Schemas['PaymentInput']['method'][] = ['upi', 'bank_transfer', 'wallet', 'card', 'gift_card', 'crypto', 'cash_deposit', 'other'];

/** A <input type="datetime-local"> value for now, in the browser's own time zone. */
const localNow = () => {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
type ReportCaseBody = paths['/v1/cases']['post']['requestBody']['content']['application/json'];
type Relation = NonNullable<ReportCaseBody['complainant']['relationToVictim']>;
type PaymentMethod = Schemas['PaymentInput']['method'];
const relations: Relation[] = ['self', 'parent', 'guardian', 'sibling', 'spouse', 'relative', 'friend', 'other'];

/** A stage's heading takes the focus when the stage opens, so a screen reader announces where the officer is. */
function useFocusOnOpen<T extends HTMLElement>() {
  const heading = useRef<T>(null);
  useEffect(() => heading.current?.focus(), []);
  return heading;
}

const toIso = (local: string) => (local ? new Date(local).toISOString() : '');

interface PaymentForm {
  amount: string;
  paidAt: string;
  method: PaymentMethod;
  reference: string;
  payee: string;
}
const newPayment = (): PaymentForm => ({ amount: '', paidAt: localNow(), method: 'upi', reference: '', payee: '' });
/** A payment as the API takes it; the payee is a UPI id as written (the API normalises it). */
const paymentBody = (payment: PaymentForm) => ({
  amount: payment.amount,
  paidAt: toIso(payment.paidAt),
  method: payment.method,
  ...(payment.reference ? { reference: payment.reference } : {}),
  ...(payment.payee ? { payee: { kind: 'upi' as const, value: payment.payee } } : {}),
});
const valueOf = (event: Event) => (event.target as HTMLInputElement).value;

/**
 * The first fifteen minutes: the victim-safety screen first, then the fewest fields that start the
 * SOP's clock (who complains, how old the victim is, when it began, whether images went out, money
 * paid), then the rest while the checklist already runs. Identifiers go in as the officer writes
 * them; the API normalises them.
 */
export function IntakePage({ caller }: { caller: Caller }) {
  const { t } = useT();
  const [stage, setStage] = useState<'safety' | 'start' | 'rest'>('safety');
  const [safety, setSafety] = useState<Safety>({ riskLevel: null, minor: null, neverContactThroughFamily: false, consentToContact: false });
  const [caseId, setCaseId] = useState<string | null>(null);

  return (
    <section class="intake">
      <h1>{t('intake.title')}</h1>
      <ol class="stages" aria-label={t('intake.stagesLabel')}>
        {(['safety', 'start', 'rest'] as const).map((name, index) => (
          <li key={name} class={stage === name ? 'current' : ''} aria-current={stage === name ? 'step' : undefined}>
            {index + 1}. {t(`intake.stages.${name}`)}
          </li>
        ))}
      </ol>
      {stage === 'safety' && <SafetyStage safety={safety} onChange={setSafety} onNext={() => setStage('start')} />}
      {stage === 'start' && (
        <StartStage
          caller={caller}
          safety={safety}
          onCreated={(id) => {
            setCaseId(id);
            setStage('rest');
          }}
        />
      )}
      {stage === 'rest' && caseId && <RestStage caseId={caseId} />}
    </section>
  );
}

function SafetyStage({ safety, onChange, onNext }: { safety: Safety; onChange: (safety: Safety) => void; onNext: () => void }) {
  const { t } = useT();
  const heading = useFocusOnOpen<HTMLHeadingElement>();
  const [tried, setTried] = useState(false);
  const complete = safety.riskLevel !== null && safety.minor !== null;
  return (
    <form
      class="card"
      onSubmit={(event) => {
        event.preventDefault();
        setTried(true);
        if (complete) onNext();
      }}
    >
      <h2 ref={heading} tabIndex={-1}>
        {t('intake.safety.title')}
      </h2>
      <p>{t('intake.safety.intro')}</p>
      <fieldset>
        <legend>{t('intake.safety.risk')}</legend>
        {(['low', 'medium', 'high'] as const).map((level) => (
          <label key={level} class="choice">
            <input type="radio" name="riskLevel" value={level} checked={safety.riskLevel === level} onChange={() => onChange({ ...safety, riskLevel: level })} />
            <span>
              <strong>{t(`intake.safety.levels.${level}`)}</strong> <small>{t(`intake.safety.levelHints.${level}`)}</small>
            </span>
          </label>
        ))}
        {tried && safety.riskLevel === null && <small class="field-error">{t('intake.safety.chooseRisk')}</small>}
      </fieldset>
      {safety.riskLevel === 'high' && (
        <div class="notice urgent" role="alert">
          <strong>{t('intake.safety.handOverTitle')}</strong>
          <p>{t('intake.safety.handOver')}</p>
          <p class="helplines">
            <a href="tel:14416">Tele-MANAS 14416</a> · <a href="tel:112">112</a> · <a href="tel:1098">Childline 1098</a>
          </p>
        </div>
      )}
      <fieldset>
        <legend>{t('intake.safety.minor')}</legend>
        {(['yes', 'no', 'unknown'] as const).map((answer) => (
          <label key={answer} class="choice inline">
            <input type="radio" name="minor" value={answer} checked={safety.minor === answer} onChange={() => onChange({ ...safety, minor: answer })} />
            {t(`intake.safety.minorAnswers.${answer}`)}
          </label>
        ))}
        {tried && safety.minor === null && <small class="field-error">{t('intake.safety.chooseMinor')}</small>}
        {safety.minor === 'yes' && <p class="notice info">{t('intake.safety.minorNote')}</p>}
      </fieldset>
      <label class="choice">
        <input type="checkbox" checked={safety.neverContactThroughFamily} onChange={(event) => onChange({ ...safety, neverContactThroughFamily: (event.target as HTMLInputElement).checked })} />
        {t('intake.safety.neverThroughFamily')}
      </label>
      <label class="choice">
        <input type="checkbox" checked={safety.consentToContact} onChange={(event) => onChange({ ...safety, consentToContact: (event.target as HTMLInputElement).checked })} />
        {t('intake.safety.consent')}
      </label>
      <p class="notice info">{t('intake.safety.reassure')}</p>
      <button type="submit" class="primary">
        {t('intake.safety.next')}
      </button>
    </form>
  );
}

function StartStage({ caller, safety, onCreated }: { caller: Caller; safety: Safety; onCreated: (caseId: string) => void }) {
  const { t } = useT();
  const heading = useFocusOnOpen<HTMLHeadingElement>();
  const [form, setForm] = useState({
    complainantName: '',
    relationToVictim: 'self' as Relation,
    complainantPhone: '',
    victimName: '',
    victimAge: '',
    firstContactAt: localNow(),
    imagesCirculated: 'no',
    platforms: [] as string[],
    otherPlatform: '',
    paid: false,
    payment: newPayment(),
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [caseId, setCaseId] = useState<string | null>(null);
  const errors: FieldErrors = error instanceof ApiProblem ? error.fieldErrors : [];
  const set = (patch: Partial<typeof form>) => setForm({ ...form, ...patch });

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const platforms = [...form.platforms, ...form.otherPlatform.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean)];
    const age = form.victimAge.trim() === '' ? undefined : Number(form.victimAge);
    const body: ReportCaseBody = {
      complainant: { name: form.complainantName, relationToVictim: form.relationToVictim, ...(form.complainantPhone ? { phone: form.complainantPhone } : {}) },
      victim: {
        ...(form.victimName ? { name: form.victimName } : {}),
        ...(age === undefined ? {} : { age }),
        ...(safety.minor === 'unknown' ? {} : { isMinor: safety.minor === 'yes' }),
      },
      incident: { firstContactAt: toIso(form.firstContactAt), imagesCirculated: form.imagesCirculated === 'yes', platforms },
      payments: form.paid
        ? [paymentBody(form.payment)]
        : [],
    };
    try {
      // Registered once: if the safety screen fails, submitting again records only the screen.
      const id = caseId ?? (await answer(api.POST('/v1/cases', { body }))).id;
      setCaseId(id);
      await answer(
        api.POST('/v1/cases/{caseId}/safety-screen', {
          params: { path: { caseId: id } },
          body: {
            riskLevel: safety.riskLevel!,
            neverContactThroughFamily: safety.neverContactThroughFamily,
            consentToContact: safety.consentToContact,
            ...(safety.minor === 'unknown' ? {} : { victimIsMinor: safety.minor === 'yes' }),
          },
        }),
      );
      onCreated(id);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  }

  const shown = ['complainant/name', 'complainant/relationToVictim', 'complainant/phone', 'victim/name', 'victim/age', 'victim/isMinor', 'incident/firstContactAt', 'incident/platforms', 'payments/0/amount', 'payments/0/paidAt', 'payments/0/method', 'payments/0/reference', 'payments/0/payee'];
  return (
    <form class="card" onSubmit={submit} noValidate>
      <h2 ref={heading} tabIndex={-1}>
        {t('intake.start.title')}
      </h2>
      <p>{t('intake.start.intro', { station: caller.stationCode ?? '' })}</p>
      <ProblemNotice error={error} shownFields={shown} />
      <div class="grid">
        <TextField label={t('intake.start.complainantName')} field="complainant/name" errors={errors} required autoComplete="off" value={form.complainantName} onChange={(value) => set({ complainantName: value })} />
        <SelectField label={t('intake.start.relation')} field="complainant/relationToVictim" errors={errors} value={form.relationToVictim} options={relations} labels="intake.relations" onChange={(value) => set({ relationToVictim: value })} />
        <TextField label={t('intake.start.complainantPhone')} field="complainant/phone" errors={errors} hint={t('intake.start.phoneHint')} type="tel" inputMode="tel" autoComplete="off" value={form.complainantPhone} onChange={(value) => set({ complainantPhone: value })} />
        <TextField label={t('intake.start.victimName')} field="victim/name" errors={errors} hint={t('intake.start.victimNameHint')} autoComplete="off" value={form.victimName} onChange={(value) => set({ victimName: value })} />
        <TextField label={t('intake.start.victimAge')} field="victim/age" errors={errors} type="number" inputMode="numeric" min={0} max={120} value={form.victimAge} onChange={(value) => set({ victimAge: value })} />
        <TextField label={t('intake.start.firstContactAt')} field="incident/firstContactAt" errors={errors} type="datetime-local" required value={form.firstContactAt} onChange={(value) => set({ firstContactAt: value })} />
      </div>
      <fieldset>
        <legend>{t('intake.start.imagesCirculated')}</legend>
        {(['no', 'yes'] as const).map((answer) => (
          <label key={answer} class="choice inline">
            <input type="radio" name="imagesCirculated" value={answer} checked={form.imagesCirculated === answer} onChange={() => set({ imagesCirculated: answer })} />
            {t(`common.${answer}`)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('intake.start.platforms')}</legend>
        <div class="chips">
          {commonPlatforms.map((platform) => (
            <label key={platform} class="chip">
              <input
                type="checkbox"
                checked={form.platforms.includes(platform)}
                onChange={(event) => set({ platforms: (event.target as HTMLInputElement).checked ? [...form.platforms, platform] : form.platforms.filter((name) => name !== platform) })}
              />
              {platform}
            </label>
          ))}
        </div>
        <TextField label={t('intake.start.otherPlatform')} field="incident/platforms" errors={errors} value={form.otherPlatform} onChange={(value) => set({ otherPlatform: value })} />
      </fieldset>
      <fieldset>
        <legend>{t('intake.start.money')}</legend>
        <label class="choice">
          <input type="checkbox" checked={form.paid} onChange={(event) => set({ paid: (event.target as HTMLInputElement).checked })} />
          {t('intake.start.paid')}
        </label>
        {form.paid && (
          <div class="grid">
            <PaymentFields payment={form.payment} onChange={(payment) => set({ payment })} errors={errors} pointer="payments/0/" />
          </div>
        )}
      </fieldset>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t('common.saving') : t('intake.start.submit')}
      </button>
    </form>
  );
}

/** After the clock started: what the suspect used, more payments, the threat in the victim's words. */
function RestStage({ caseId }: { caseId: string }) {
  const { t } = useT();
  const started = useFocusOnOpen<HTMLDivElement>();
  const [added, setAdded] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [identifier, setIdentifier] = useState({ kind: 'phone' as (typeof identifierKinds)[number], value: '', platform: 'instagram', ifsc: '' });
  const [payment, setPayment] = useState(newPayment());
  const [threat, setThreat] = useState('');
  const errors: FieldErrors = error instanceof ApiProblem ? error.fieldErrors : [];

  async function run(label: string, call: () => Promise<unknown>) {
    setError(null);
    try {
      await call();
      setAdded([...added, label]);
      return true;
    } catch (cause) {
      setError(cause);
      return false;
    }
  }

  const identifierBody = (): Schemas['IdentifierInput'] => {
    switch (identifier.kind) {
      case 'platform_handle':
        return { kind: 'platform_handle', platform: identifier.platform, handle: identifier.value };
      case 'bank_account':
        return { kind: 'bank_account', accountNumber: identifier.value, ifsc: identifier.ifsc };
      default:
        return { kind: identifier.kind, value: identifier.value };
    }
  };

  return (
    <div class="rest">
      <div class="notice success" role="status" ref={started} tabIndex={-1}>
        {t('intake.rest.started')} <a href={hrefOf.case(caseId)}>{t('intake.rest.openCase')}</a>
      </div>
      <ProblemNotice error={error} shownFields={['value', 'handle', 'accountNumber', 'ifsc', 'amount', 'paidAt', 'payee', 'narrative']} />
      <form
        class="card"
        onSubmit={async (event) => {
          event.preventDefault();
          const body = identifierBody();
          if (await run(`${t(`intake.identifierKinds.${identifier.kind}`)}: ${identifier.value}`, () => answer(api.POST('/v1/cases/{caseId}/identifiers', { params: { path: { caseId } }, body })))) {
            setIdentifier({ ...identifier, value: '', ifsc: '' });
          }
        }}
      >
        <h2>{t('intake.rest.identifiers')}</h2>
        <p>{t('intake.rest.identifiersHint')}</p>
        <div class="grid">
          <SelectField label={t('intake.rest.kind')} field="kind" errors={errors} value={identifier.kind} options={identifierKinds} labels="intake.identifierKinds" onChange={(value) => setIdentifier({ ...identifier, kind: value })} />
          {identifier.kind === 'platform_handle' && (
            <TextField label={t('intake.rest.platform')} field="platform" errors={errors} value={identifier.platform} onChange={(value) => setIdentifier({ ...identifier, platform: value })} />
          )}
          <TextField label={t('intake.rest.value')} field={identifier.kind === 'platform_handle' ? 'handle' : identifier.kind === 'bank_account' ? 'accountNumber' : 'value'} errors={errors} hint={t(`intake.identifierHints.${identifier.kind}`)} autoComplete="off" value={identifier.value} onChange={(value) => setIdentifier({ ...identifier, value })} />
          {identifier.kind === 'bank_account' && (
            <TextField label="IFSC" field="ifsc" errors={errors} value={identifier.ifsc} onChange={(ifsc) => setIdentifier({ ...identifier, ifsc })} />
          )}
        </div>
        <button type="submit">{t('intake.rest.addIdentifier')}</button>
      </form>
      <form
        class="card"
        onSubmit={async (event) => {
          event.preventDefault();
          const body = paymentBody(payment);
          if (await run(`${t('intake.rest.payment')}: ₹${payment.amount}`, () => answer(api.POST('/v1/cases/{caseId}/payments', { params: { path: { caseId } }, body })))) {
            setPayment(newPayment());
          }
        }}
      >
        <h2>{t('intake.rest.payments')}</h2>
        <div class="grid">
          <PaymentFields payment={payment} onChange={setPayment} errors={errors} pointer="" />
        </div>
        <button type="submit">{t('intake.rest.addPayment')}</button>
      </form>
      <form
        class="card"
        onSubmit={async (event) => {
          event.preventDefault();
          // The read gives the client the case's ETag, which the update sends as If-Match.
          await run(t('intake.rest.threatSaved'), async () => {
            await answer(api.GET('/v1/cases/{caseId}', { params: { path: { caseId } } }));
            return answer(api.PATCH('/v1/cases/{caseId}', { params: { path: { caseId } }, body: { narrative: threat } }));
          });
        }}
      >
        <h2>{t('intake.rest.threat')}</h2>
        <Field label={t('intake.rest.threatLabel')} field="narrative" errors={errors}>
          {(props) => <textarea {...props} rows={4} value={threat} onInput={(event) => setThreat(valueOf(event))} />}
        </Field>
        <button type="submit">{t('common.save')}</button>
      </form>
      {added.length > 0 && (
        <section aria-live="polite">
          <h2>{t('intake.rest.added')}</h2>
          <ul>
            {added.map((line, index) => (
              <li key={index}>{line}</li>
            ))}
          </ul>
        </section>
      )}
      <button type="button" class="primary" onClick={() => navigate(hrefOf.case(caseId))}>
        {t('intake.rest.toChecklist')}
      </button>
    </div>
  );
}

/** Amount, time, method, reference and payee of one payment; `pointer` is where the API's field errors point (e.g. payments/0/). */
function PaymentFields({ payment, onChange, errors, pointer }: { payment: PaymentForm; onChange: (payment: PaymentForm) => void; errors: FieldErrors; pointer: string }) {
  const { t } = useT();
  const set = (patch: Partial<PaymentForm>) => onChange({ ...payment, ...patch });
  return (
    <>
      <TextField label={t('intake.payment.amount')} field={`${pointer}amount`} errors={errors} inputMode="decimal" value={payment.amount} onChange={(value) => set({ amount: value })} />
      <TextField label={t('intake.payment.paidAt')} field={`${pointer}paidAt`} errors={errors} type="datetime-local" value={payment.paidAt} onChange={(value) => set({ paidAt: value })} />
      <SelectField label={t('intake.payment.method')} field={`${pointer}method`} errors={errors} value={payment.method} options={paymentMethods} labels="intake.payment.methods" onChange={(method) => set({ method })} />
      <TextField label={t('intake.payment.reference')} field={`${pointer}reference`} errors={errors} autoComplete="off" value={payment.reference} onChange={(value) => set({ reference: value })} />
      <TextField label={t('intake.payment.payee')} field={`${pointer}payee`} errors={errors} hint={t('intake.payment.payeeHint')} autoComplete="off" value={payment.payee} onChange={(value) => set({ payee: value })} />
    </>
  );
}
