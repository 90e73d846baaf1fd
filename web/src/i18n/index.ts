import i18next from 'i18next';
import { createStore, useStore } from '../store';
import { en } from './en';
import { hi } from './hi';
import { mr } from './mr';

export const languages = [
  { code: 'en', name: 'English' },
  { code: 'mr', name: 'मराठी' },
  { code: 'hi', name: 'हिन्दी' },
] as const;
export type Language = (typeof languages)[number]['code'];

const languageKey = 'sop.language';
const saved = localStorage.getItem(languageKey);
const initial: Language = languages.some((language) => language.code === saved) ? (saved as Language) : 'en';

void i18next.init({
  lng: initial,
  initAsync: false,
  fallbackLng: 'en',
  resources: { en: { translation: en }, mr: { translation: mr }, hi: { translation: hi } },
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = initial;

const language = createStore<Language>(initial);

export async function setLanguage(code: Language): Promise<void> {
  await i18next.changeLanguage(code);
  localStorage.setItem(languageKey, code);
  document.documentElement.lang = code;
  language.set(code);
}

export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The interface's words in the officer's language; re-renders when the language changes. */
export function useT(): { t: Translate; language: Language } {
  const current = useStore(language);
  return { t: (key, options) => i18next.t(key, options ?? {}) as string, language: current };
}

/** An SOP step's text in the officer's language (SOP texts carry their own language maps), English when it has none. */
export function localized(texts: Record<string, string> | undefined | null, current: Language): string {
  if (!texts) return '';
  return texts[current] ?? texts.en ?? Object.values(texts)[0] ?? '';
}

export const formatDateTime = (iso: string | null | undefined, current: Language) =>
  iso ? new Intl.DateTimeFormat(`${current}-IN`, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '';
export const formatMoney = (amount: string, currency: string, current: Language) =>
  new Intl.NumberFormat(`${current}-IN`, { style: 'currency', currency, maximumFractionDigits: 0 }).format(Number(amount));
