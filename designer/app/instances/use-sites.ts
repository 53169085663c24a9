import { api } from '../api';
import type { FleetPage } from '../fleet/fleet-types';
import { useApi } from '../library/ui/use-api';

/** The sites the user may see (the first 200 of the fleet, by name), to bind or pick from. */
export function useSites() {
  return useApi((signal) => api.get<FleetPage>('/api/fleet', { signal, query: { pageSize: 200 } }), []);
}
