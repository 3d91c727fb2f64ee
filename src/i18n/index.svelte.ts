// Locale state and message lookup. `t` reads the reactive locale, so templates re-render
// when the language changes. The choice is remembered in localStorage.
import type { Locale } from '../core/config';
import { en, type MessageKey } from './en';
import { zhCN } from './zh-CN';

const STORAGE_KEY = 'crm-workbench.locale';
const tables: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // Storage can be disabled (privacy mode); fall back to the browser language.
  }
  const lang = globalThis.navigator?.language ?? 'en';
  return lang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

let current = $state<Locale>(initialLocale());

export const i18n = {
  get locale(): Locale {
    return current;
  },
  set locale(value: Locale) {
    current = value;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, value);
    } catch {
      // Not remembered, but still switched.
    }
    if (globalThis.document) document.documentElement.lang = value;
  },
};

export function isMessageKey(key: string): key is MessageKey {
  return key in en;
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  let text = tables[current][key] ?? en[key] ?? key;
  if (params) for (const [k, v] of Object.entries(params)) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

/** For engine messages that may be a key or already a sentence. */
export function tr(keyOrText: string, params?: Record<string, string | number>): string {
  return isMessageKey(keyOrText) ? t(keyOrText, params) : keyOrText;
}
