import type { ComponentChildren, JSX } from 'preact';
import { useId } from 'preact/hooks';
import { ApiProblem, type FieldErrors } from '../api/client';
import { useT } from '../i18n';

/** The field errors of a refusal whose JSON pointer names this body field (e.g. "victim/age" for /body/victim/age). */
export function errorFor(errors: FieldErrors, field: string): string | undefined {
  return errors.find((error) => error.pointer === `/body/${field}` || error.pointer.startsWith(`/body/${field}/`))?.detail;
}

/** What went wrong, in words: the problem's title and detail, and the field errors no field on screen shows. */
export function ProblemNotice({ error, shownFields = [] }: { error: unknown; shownFields?: string[] }) {
  const { t } = useT();
  if (!error) return null;
  if (!(error instanceof ApiProblem)) {
    return (
      <div class="notice error" role="alert">
        {t('problem.network')} ({String((error as Error)?.message ?? error)})
      </div>
    );
  }
  const { problem } = error;
  const unshown = error.fieldErrors.filter((fieldError) => !shownFields.some((field) => errorFor([fieldError], field)));
  return (
    <div class="notice error" role="alert">
      <strong>{t(`problem.codes.${problem.code}`, { defaultValue: problem.title })}</strong>
      {problem.detail && <p>{problem.detail}</p>}
      {error.fieldErrors.length > unshown.length && <p>{t('problem.seeFields')}</p>}
      {unshown.length > 0 && (
        <ul>
          {unshown.map((fieldError) => (
            <li key={fieldError.pointer}>
              <code>{fieldError.pointer}</code>: {fieldError.detail}
            </li>
          ))}
        </ul>
      )}
      {problem.allowedTransitions && <p>{t('problem.allowedTransitions', { list: problem.allowedTransitions.join(', ') })}</p>}
    </div>
  );
}

/** A labelled form field whose API error (by JSON pointer) shows under it and is announced. */
export function Field({ label, field, errors, hint, children }: { label: string; field: string; errors: FieldErrors; hint?: string; children: (props: { id: string; 'aria-invalid'?: 'true'; 'aria-describedby'?: string }) => ComponentChildren }) {
  const id = `f${useId().replace(/[^a-z0-9]/gi, '')}`;
  const message = errorFor(errors, field);
  const describedBy = [hint ? `${id}-hint` : '', message ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={message ? 'field invalid' : 'field'}>
      <label for={id}>{label}</label>
      {hint && (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      )}
      {children({ id, ...(message ? { 'aria-invalid': 'true' as const } : {}), ...(describedBy ? { 'aria-describedby': describedBy } : {}) })}
      {message && (
        <small id={`${id}-error`} class="field-error">
          {message}
        </small>
      )}
    </div>
  );
}

/** A labelled choice among fixed values, each shown as `t(<labels>.<value>)`. */
export function SelectField<T extends string>({ label, field, errors, hint, value, options, labels, onChange }: { label: string; field: string; errors: FieldErrors; hint?: string; value: T; options: readonly T[]; labels: string; onChange: (value: T) => void }) {
  const { t } = useT();
  return (
    <Field label={label} field={field} errors={errors} hint={hint}>
      {(props) => (
        <select {...props} value={value} onChange={(event) => onChange((event.target as HTMLSelectElement).value as T)}>
          {options.map((option) => (
            <option key={option} value={option}>
              {t(`${labels}.${option}`)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

type InputAttributes = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'value' | 'onInput' | 'onChange' | 'id' | 'label'>;

/** A labelled text input (or date, number, tel): the value and what to do when the officer changes it. */
export function TextField({ label, field, errors, hint, value, onChange, ...input }: { label: string; field: string; errors: FieldErrors; hint?: string; value: string; onChange: (value: string) => void } & InputAttributes) {
  return (
    <Field label={label} field={field} errors={errors} hint={hint}>
      {(props) => <input {...input} {...props} value={value} onInput={(event) => onChange((event.target as HTMLInputElement).value)} />}
    </Field>
  );
}
