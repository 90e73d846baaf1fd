import { useEffect, useState } from 'preact/hooks';
import { listSignInOptions } from '../api/client';
import { beginSignIn, type SignInOption } from '../auth/session';
import { useT } from '../i18n';

function hostOf(issuer: string): string {
  try {
    return new URL(issuer).host;
  } catch {
    return issuer;
  }
}

/** Sign in with the unit's own identity provider (authorization code + PKCE); the API keeps no passwords. */
export function SignInPage({ failure }: { failure: string | null }) {
  const { t } = useT();
  const [options, setOptions] = useState<SignInOption[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shown = error ?? failure;
  useEffect(() => {
    listSignInOptions().then(setOptions, (cause: Error) => setError(cause.message));
  }, []);
  return (
    <section class="sign-in">
      <h1>{t('signIn.title')}</h1>
      <p>{t('signIn.intro')}</p>
      {shown && (
        <div class="notice error" role="alert">
          {t('signIn.failed', { reason: shown })}
        </div>
      )}
      {options === null && !shown && <p role="status">{t('common.loading')}</p>}
      {options?.length === 0 && <p>{t('signIn.none')}</p>}
      <ul class="choices">
        {options?.map((option) => (
          <li key={`${option.unitCode} ${option.issuer}`}>
            <button type="button" class="primary" onClick={() => beginSignIn(option).catch((cause: Error) => setError(cause.message))}>
              {t('signIn.with', { unit: option.unitName })}
            </button>
            <small>{hostOf(option.issuer)}</small>
          </li>
        ))}
      </ul>
    </section>
  );
}
