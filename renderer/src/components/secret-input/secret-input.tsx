import { useState, type ChangeEvent } from 'react';
import './secret-input.css';

export interface SecretInputProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  describedBy?: string;
  invalid?: boolean;
  /**
   * `new-password` on the end user's page, so a password manager may offer a strong one; else
   * `off` (the help desk types other people's secrets, which no browser should keep).
   */
  autoComplete?: 'off' | 'new-password';
}

/**
 * A password-style input with show/hide. What is typed or pasted is kept exactly: nothing is
 * trimmed, and no autocorrect or spellcheck touches it.
 */
export function SecretInput({
  id,
  value,
  onChange,
  placeholder,
  describedBy,
  invalid,
  autoComplete = 'off',
}: SecretInputProps) {
  const [shown, setShown] = useState(false);
  return (
    <div className="secret-input">
      <input
        id={id}
        className="secret-input__field"
        type={shown ? 'text' : 'password'}
        value={value}
        placeholder={placeholder}
        autoComplete={autoComplete}
        autoCorrect="off"
        autoCapitalize="off"
        spellCheck={false}
        aria-describedby={describedBy}
        aria-invalid={invalid === true ? true : undefined}
        onChange={(event: ChangeEvent<HTMLInputElement>) => onChange(event.target.value)}
      />
      <button
        type="button"
        className="secret-input__toggle"
        aria-pressed={shown}
        aria-controls={id}
        onClick={() => setShown((s) => !s)}
      >
        {shown ? 'Hide' : 'Show'}
      </button>
    </div>
  );
}
