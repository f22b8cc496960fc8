import { forwardRef, useId, type InputHTMLAttributes } from 'react';

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  hint?: string;
  invalid?: boolean;
  /** id of an element (e.g. an error banner) that describes this field too. */
  describedBy?: string;
}

export const TextField = forwardRef<HTMLInputElement, TextFieldProps>(function TextField(
  { label, hint, invalid = false, describedBy, className, ...input }, ref,
) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const described = [hintId, describedBy].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', className ?? ''].filter(Boolean).join(' ')}>
      <label className="field__label" htmlFor={id}>{label}</label>
      <input ref={ref} id={id} className="field__input" aria-invalid={invalid || undefined} aria-describedby={described} {...input} />
      {hint && <span id={hintId} className="field__hint">{hint}</span>}
    </div>
  );
});
