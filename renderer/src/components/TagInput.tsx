import { useId, useState, type KeyboardEvent } from 'react';
import { Icon } from './Icon.tsx';

/** A list of short values as chips: Enter or comma adds, Backspace on an empty field removes the last. */
export function TagInput({
  label,
  values,
  onChange,
  placeholder,
  prefix = '',
  normalise = (v: string) => v.trim(),
  onTyping,
}: {
  label: string;
  values: string[];
  onChange: (values: string[]) => void;
  placeholder?: string;
  prefix?: string;
  normalise?: (v: string) => string;
  /** Hears the text typed and not yet added (an editor counts it as a change not saved). */
  onTyping?: (text: string) => void;
}) {
  const [text, setTextState] = useState('');
  const setText = (next: string) => {
    setTextState(next);
    onTyping?.(next);
  };
  const id = useId();

  const commit = (raw: string) => {
    const added = raw
      .split(',')
      .map(normalise)
      .filter((v) => v && !values.includes(v));
    if (added.length) onChange([...values, ...added]);
    setText('');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if ((e.key === 'Enter' || e.key === ',') && text.trim()) {
      e.preventDefault();
      commit(text);
    } else if (e.key === 'Backspace' && !text && values.length) {
      onChange(values.slice(0, -1));
    }
  };

  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <div className="tag-input">
        {values.map((v) => (
          <span key={v} className="chip">
            {prefix}
            {v}
            <button type="button" className="chip-remove" aria-label={`Remove ${prefix}${v}`} onClick={() => onChange(values.filter((x) => x !== v))}>
              <Icon name="close" size={12} />
            </button>
          </span>
        ))}
        <input
          id={id}
          className="tag-input-field"
          value={text}
          placeholder={values.length ? '' : placeholder}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => text.trim() && commit(text)}
        />
      </div>
    </div>
  );
}
