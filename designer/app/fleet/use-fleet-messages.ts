import { useMessages } from '../i18n/i18n';
import { fleetMessages } from './messages';

/** The fleet's texts (namespace "fleet"). */
export function useFleetMessages() {
  return useMessages('fleet', fleetMessages);
}
