import { useMessages } from '../i18n/i18n';
import { instancesMessages } from './messages';

/** The instance pages' texts (namespace "instances"). */
export function useInstancesMessages() {
  return useMessages('instances', instancesMessages);
}
