export function Spinner({ label }: { label?: string }) {
  return label
    ? <span className="spinner" role="progressbar" aria-label={label} />
    : <span className="spinner" aria-hidden="true" />;
}
