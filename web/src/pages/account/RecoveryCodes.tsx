import { useState } from 'react';
import { saveFile } from '../../lib/download';

export interface RecoveryCodesProps {
  codes: string[];
  onDone: () => void;
}

/** The recovery codes, shown once, right after two-factor authentication is turned on. */
export function RecoveryCodes({ codes, onDone }: RecoveryCodesProps) {
  const [status, setStatus] = useState('');
  const text = `Practica recovery codes (each works once):\n\n${codes.join('\n')}\n`;

  async function copy() {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      setStatus('The codes are copied.');
    } catch {
      setStatus('The codes could not be copied: select them, or download them.');
    }
  }

  function download() {
    saveFile(new Blob([text], { type: 'text/plain' }), 'practica-recovery-codes.txt');
    setStatus('The codes are saved as practica-recovery-codes.txt.');
  }

  return (
    <div className="recovery">
      <h3>Save your recovery codes</h3>
      <p>
        Two-factor authentication is on. If you lose your authenticator app, each of these codes
        lets you log in once. Keep them somewhere safe: <strong>they are shown only now</strong>.
      </p>
      <ul className="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <p className="form-actions">
        <button type="button" className="button" onClick={copy}>
          Copy codes
        </button>
        <button type="button" className="button" onClick={download}>
          Download codes
        </button>
        <button type="button" className="button button-primary" onClick={onDone}>
          I have saved them
        </button>
      </p>
      <p role="status" className="form-status">
        {status}
      </p>
    </div>
  );
}
