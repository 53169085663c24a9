import type { Step } from './wizard-state';
import { STEPS } from './wizard-state';
import { useInstancesMessages } from './use-instances-messages';

/** The wizard's steps as a numbered bar: where you are, and how many problems each step has. */
export function WizardSteps({ current, local, remote, locked, onGo }: {
  current: Step;
  /** Problems the browser finds, per step. */
  local: Readonly<Record<Step, number>>;
  /** Problems the studio answered, per step. */
  remote: Readonly<Record<Step, number>>;
  /** After the copy is saved only the last step is left. */
  locked: boolean;
  onGo: (step: Step) => void;
}) {
  const { t } = useInstancesMessages();
  return (
    <ol className="wizard-steps" aria-label={t('wizard.stepNav')}>
      {STEPS.map((step, i) => {
        const problems = local[step] + remote[step];
        return (
          <li key={step} className={`${step === current ? 'current' : ''}${remote[step] > 0 ? ' has-errors' : problems > 0 ? ' has-warnings' : ''}`}>
            <button type="button" data-step={step} aria-current={step === current ? 'step' : undefined} disabled={locked && step !== 'deploy'} onClick={() => onGo(step)}>
              <span className="step-number">{i + 1}</span> {t(`steps.${step}`)}
              {problems > 0 ? <span className={`badge ${remote[step] > 0 ? 'bad' : 'warn'}`}>{t('wizard.problems', { count: problems })}</span> : null}
            </button>
          </li>
        );
      })}
    </ol>
  );
}
