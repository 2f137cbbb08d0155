/** One figure of the statistics panel. */
export function Stat({
  label,
  value,
  detail,
  testId,
  tone,
}: {
  label: string;
  value: string;
  detail?: string;
  testId?: string;
  tone?: string;
}) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className={`stat-value ${tone ?? ''}`}>
        <span data-testid={testId}>{value}</span>
        {detail ? <span className="stat-detail">{detail}</span> : null}
      </div>
    </div>
  );
}
