import { useState } from 'react';
import { useUi } from './use-ui';

/** Copies a text (a command line, a code) to the clipboard. */
export function CopyButton({ text }: { text: string }) {
  const { t } = useUi();
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="copy-button"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setDone(true), () => undefined);
      }}
    >
      {done ? t('copied') : t('copy')}
    </button>
  );
}
