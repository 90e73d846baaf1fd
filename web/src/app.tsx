import { lazy, Suspense } from 'preact/compat';
import { useEffect, useRef, useState } from 'preact/hooks';
import { completeSignIn, currentSession, endSession, signedOutEvent, signOut, type Session } from './auth/session';
import { readCaller, supervises, type Caller } from './caller';
import { escalationsToMe, feedState, followEventFeed } from './events';
import { notify, registerNotificationWorker } from './notifications';
import { languages, setLanguage, useT, type Language } from './i18n';
import { CaseList } from './pages/case-list';
import { CasePage } from './pages/case-page';
import { DueBoard } from './pages/due-board';
import { IntakePage } from './pages/intake-page';
import { SignInPage } from './pages/sign-in-page';
import { hrefOf, useRoute } from './router';
import { useStore } from './store';

/** The supervisor's view carries the chart library: loaded only when opened. */
const SupervisorPage = lazy(() => import('./pages/supervisor-page').then((module) => module.SupervisorPage));

export function App() {
  const { t } = useT();
  const [session, setSession] = useState<Session | null>(currentSession());
  const [caller, setCaller] = useState<Caller | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // The feed outlives renders: it words its notifications in the language chosen now.
  const translate = useRef(t);
  translate.current = t;

  useEffect(registerNotificationWorker, []);

  useEffect(() => {
    completeSignIn().then(
      (fresh) => fresh && setSession(fresh),
      (error: Error) => setFailure(error.message),
    );
  }, []);

  useEffect(() => {
    const ended = () => {
      setCaller(null);
      setSession(null);
    };
    addEventListener(signedOutEvent, ended);
    return () => removeEventListener(signedOutEvent, ended);
  }, []);

  useEffect(() => {
    if (!session) return;
    readCaller().then(setCaller, (error: Error) => {
      endSession();
      setFailure(error.message);
    });
  }, [session]);

  useEffect(() => {
    if (!caller) return;
    const stop = new AbortController();
    void followEventFeed(
      caller,
      (event) => {
        const data = event.data as { stepKey?: string; level?: number };
        void notify(translate.current('alerts.escalatedTitle'), translate.current('alerts.escalatedBody', { step: data.stepKey, level: data.level }), event.id);
      },
      stop.signal,
    );
    return () => stop.abort();
  }, [caller]);

  if (!session || !caller) {
    return (
      <Shell caller={null} onSignOut={() => undefined}>
        {session && !failure ? <p role="status">{t('signIn.loading')}</p> : <SignInPage failure={failure} />}
      </Shell>
    );
  }
  return (
    <Shell
      caller={caller}
      name={session.name}
      onSignOut={() => void signOut()}
    >
      <Page caller={caller} />
    </Shell>
  );
}

function Page({ caller }: { caller: Caller }) {
  const route = useRoute();
  const { t } = useT();
  switch (route.page) {
    case 'intake':
      return <IntakePage caller={caller} />;
    case 'case':
      return <CasePage caller={caller} caseId={route.caseId} />;
    case 'cases':
      return <CaseList caller={caller} />;
    case 'supervisor':
      return (
        <Suspense fallback={<p role="status">{t('common.loading')}</p>}>
          <SupervisorPage caller={caller} />
        </Suspense>
      );
    case 'due':
      return <DueBoard caller={caller} />;
    default:
      return supervises(caller) ? (
        <Suspense fallback={<p role="status">{t('common.loading')}</p>}>
          <SupervisorPage caller={caller} />
        </Suspense>
      ) : (
        <DueBoard caller={caller} />
      );
  }
}

function Shell({ caller, name, onSignOut, children }: { caller: Caller | null; name?: string | null; onSignOut: () => void; children: preact.ComponentChildren }) {
  const { t, language } = useT();
  const escalations = useStore(escalationsToMe);
  const feed = useStore(feedState);
  const route = useRoute();
  const current = (page: string) => (route.page === page ? { 'aria-current': 'page' as const } : {});
  return (
    <>
      <a
        class="skip"
        href="#main"
        onClick={(event) => {
          // The hash is the router's: move the focus instead of the address.
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('nav.skip')}
      </a>
      <header class="top">
        <div class="brand">
          <strong>{t('app.name')}</strong>
          {caller && (
            <span class="who">
              {name ?? caller.subject} · {caller.roles.map((role) => t(`roles.${role}`)).join(', ')} · {caller.stationCode ?? caller.districtCode ?? caller.unitCode}
            </span>
          )}
        </div>
        {caller && (
          <nav aria-label={t('nav.label')}>
            <a href={hrefOf.due} {...current('due')}>
              {t('nav.due')}
              {escalations.length > 0 && <span class="badge">{escalations.length}</span>}
            </a>
            {caller.permissions.includes('cases:report') && (
              <a href={hrefOf.intake} {...current('intake')}>
                {t('nav.intake')}
              </a>
            )}
            <a href={hrefOf.cases} {...current('cases')}>
              {t('nav.cases')}
            </a>
            {caller.permissions.includes('cases:supervise') && (
              <a href={hrefOf.supervisor} {...current('supervisor')}>
                {t('nav.supervisor')}
              </a>
            )}
          </nav>
        )}
        <div class="tools">
          <label>
            <span class="visually-hidden">{t('nav.language')}</span>
            <select value={language} onChange={(event) => void setLanguage((event.target as HTMLSelectElement).value as Language)}>
              {languages.map((option) => (
                <option key={option.code} value={option.code}>
                  {option.name}
                </option>
              ))}
            </select>
          </label>
          {caller && (
            <>
              <span class={`feed ${feed}`} role="status">
                {t(`feed.${feed}`)}
              </span>
              <button type="button" class="link" onClick={onSignOut}>
                {t('nav.signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

