import type { Drift, Health } from './fleet-types';
import { useFleetMessages } from './use-fleet-messages';

const HEALTH_CLASS: Record<Health, string> = { ok: 'ok', degraded: 'warn', down: 'bad', unauthorized: 'bad', unknown: '' };
const DRIFT_CLASS: Record<Drift, string> = { 'in-sync': 'ok', 'instance-changed': 'warn', 'site-changed': 'bad', 'not-deployed': '', 'no-instance': '' };

/** A site's health as a coloured badge. */
export function HealthBadge({ health }: { health: Health }) {
  const { t } = useFleetMessages();
  return <span className={`badge ${HEALTH_CLASS[health]}`} data-health={health}>{t(`health.${health}`)}</span>;
}

/** How what a site runs compares with its instance, as a badge. */
export function DriftBadge({ drift }: { drift: Drift }) {
  const { t } = useFleetMessages();
  return <span className={`badge ${DRIFT_CLASS[drift]}`} data-drift={drift}>{t(`drift.${drift}`)}</span>;
}
