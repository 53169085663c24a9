import { useMessages } from '../../i18n/i18n';
import { uiMessages } from './messages';

/** The shared texts (namespace "ui"). */
export function useUi() {
  return useMessages('ui', uiMessages);
}
