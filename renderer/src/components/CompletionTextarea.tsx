import { forwardRef, useId, useImperativeHandle, useLayoutEffect, useRef, useState, type KeyboardEvent, type TextareaHTMLAttributes } from 'react';
import { useCompletion } from '../hooks/useCompletion.ts';
import { caretPosition } from '../lib/caret.ts';
import { Icon } from './Icon.tsx';

type NativeProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange' | 'onKeyDown' | 'onSubmit'>;

interface Props extends NativeProps {
  value: string;
  onValueChange: (value: string) => void;
  /** Enter (without Shift) submits when true; Ctrl/Cmd+Enter always submits. */
  submitOnEnter?: boolean;
  onSubmit?: () => void;
  onEscape?: () => void;
}

/** A textarea with `#tag` / `@person` completion, driven entirely from the keyboard. */
export const CompletionTextarea = forwardRef<HTMLTextAreaElement, Props>(function CompletionTextarea(
  { value, onValueChange, submitOnEnter = false, onSubmit, onEscape, className, ...rest },
  forwarded,
) {
  const ref = useRef<HTMLTextAreaElement>(null);
  useImperativeHandle(forwarded, () => ref.current as HTMLTextAreaElement);
  const listId = useId();
  const c = useCompletion(value, onValueChange);
  const [at, setAt] = useState<{ top: number; left: number } | null>(null);

  // The suggestions open just below the word being typed.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!c.open || !el || c.start === null) {
      setAt(null);
      return;
    }
    const caret = caretPosition(el, c.start);
    const maxLeft = Math.max(0, el.clientWidth - 240);
    setAt({ top: el.offsetTop + caret.top + caret.height + 4, left: el.offsetLeft + Math.min(Math.max(0, caret.left - 8), maxLeft) });
  }, [c.open, c.start, value]);

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (c.open) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const n = c.options.length;
        c.setActive((c.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
        return;
      }
      if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
        const option = c.options[c.active];
        if (option) {
          e.preventDefault();
          c.accept(option, ref.current);
          return;
        }
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        c.close();
        return;
      }
    }
    if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
      e.preventDefault();
      onSubmit?.();
      return;
    }
    if (e.key === 'Enter' && submitOnEnter && !e.shiftKey && !e.altKey) {
      e.preventDefault();
      onSubmit?.();
      return;
    }
    if (e.key === 'Escape' && onEscape) {
      e.preventDefault();
      e.stopPropagation();
      onEscape();
    }
  };

  const activeOption = c.open ? c.options[c.active] : undefined;

  return (
    <div className="completion">
      <textarea
        {...rest}
        ref={ref}
        className={className}
        value={value}
        onChange={(e) => {
          onValueChange(e.target.value);
          c.update(e.target);
        }}
        onSelect={(e) => c.update(e.currentTarget)}
        onKeyDown={onKeyDown}
        onBlur={() => window.setTimeout(c.close, 120)}
        aria-autocomplete="list"
        aria-controls={c.open ? listId : undefined}
        aria-activedescendant={activeOption ? `${listId}-${c.active}` : undefined}
      />
      {c.open && (
        <ul
          id={listId}
          className="completion-list"
          role="listbox"
          aria-label="Suggestions"
          data-testid="completion-list"
          style={at ? { top: at.top, left: at.left } : undefined}
        >
          {c.options.map((o, i) => (
            <li
              key={o.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === c.active}
              className="completion-option"
              onMouseDown={(e) => {
                e.preventDefault();
                c.accept(o, ref.current);
              }}
              onMouseEnter={() => c.setActive(i)}
            >
              <Icon name={o.kind === 'tag' ? 'hash' : 'person'} size={14} />
              <span className="completion-label">{o.kind === 'tag' ? o.label.slice(1) : o.label}</span>
              {o.detail && <span className="completion-detail">{o.detail}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
});
