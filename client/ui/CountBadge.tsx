/** A small unread/missed count; hidden at zero. The label is for screen readers ("3 unread"). */
export function CountBadge({ count, label, testId }: { count: number; label: string; testId?: string }) {
  if (count <= 0) return null;
  return (
    <span className="count-badge" data-testid={testId}>
      <span aria-hidden="true">{count > 99 ? '99+' : count}</span>
      <span className="visually-hidden">{count} {label}</span>
    </span>
  );
}
