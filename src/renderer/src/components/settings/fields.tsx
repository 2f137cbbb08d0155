import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';
import type { ParamField } from '../../state/params-form.ts';

/** Error text under a field; the input points at it with aria-describedby. */
export function FieldError({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <div className="field-error" id={`${id}-error`}>
      {text}
    </div>
  ) : null;
}

/** aria-invalid and aria-describedby for an input whose error is `error`. */
export function invalidProps(id: string, error: string | undefined) {
  return error ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {};
}

/** A label, the control, an optional hint and the field's error. */
export function Field(props: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint ? <p className="hint">{props.hint}</p> : null}
      <FieldError id={props.id} text={props.error} />
    </div>
  );
}

/** A strategy parameter: numbers as text, so what was typed is checked, never swapped for a default. */
export function ParamInput({
  field,
  value,
  error,
  onChange,
}: {
  field: ParamField;
  value: string | boolean;
  error: string | undefined;
  onChange: (v: string | boolean) => void;
}) {
  const { t } = useTranslation();
  const id = `param-${field.name}`;
  if (field.kind === 'boolean') {
    return (
      <input
        id={id}
        type="checkbox"
        checked={value === true}
        onChange={(e) => onChange(e.target.checked)}
      />
    );
  }
  if (field.kind === 'enum') {
    return (
      <select
        id={id}
        value={String(value)}
        onChange={(e) => onChange(e.target.value)}
        {...invalidProps(id, error)}
      >
        {field.options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    );
  }
  const numeric = field.kind === 'number' || field.kind === 'integer';
  return (
    <input
      id={id}
      type="text"
      inputMode={numeric ? (field.kind === 'integer' ? 'numeric' : 'decimal') : undefined}
      value={String(value)}
      placeholder={
        field.defaultValue === undefined
          ? ''
          : t('params.default', { value: String(field.defaultValue) })
      }
      onChange={(e) => onChange(e.target.value)}
      {...invalidProps(id, error)}
    />
  );
}

/** A labelled text input with its hint and error. */
export function TextField(props: {
  id: string;
  label: string;
  value: string;
  error: string | undefined;
  onChange: (v: string) => void;
  placeholder?: string;
  hint?: string;
  inputMode?: 'decimal' | 'numeric' | undefined;
  /** 'password': typed text is hidden and not offered by the browser's autofill. */
  type?: 'password';
}) {
  return (
    <Field id={props.id} label={props.label} error={props.error} hint={props.hint}>
      <input
        id={props.id}
        value={props.value}
        placeholder={props.placeholder}
        inputMode={props.inputMode}
        {...(props.type
          ? { type: props.type, autoComplete: 'new-password', spellCheck: false }
          : {})}
        onChange={(e) => props.onChange(e.target.value)}
        {...invalidProps(props.id, props.error)}
      />
    </Field>
  );
}
