// Display names of constructs: the preset constructs are translated, user-named ones shown as typed.
import { isMessageKey, t } from '../../i18n/index.svelte';

export function constructLabel(name: string): string {
  const key = `survey.c.${name}`;
  return isMessageKey(key) ? t(key) : name;
}
