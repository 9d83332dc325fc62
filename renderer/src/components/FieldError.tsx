// What is wrong with the fields above, said once and announced to screen readers; nothing when
// all is well. Every recipe form shows its recipe's problem through it.
export function FieldError({ message }: { message: string | undefined }) {
  return message ? (
    <p className="field-error" role="alert">
      {message}
    </p>
  ) : null;
}
