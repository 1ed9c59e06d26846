/** One headline figure. */
export function StatTile({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div class="tile">
      <div class="tile-label">{label}</div>
      <div class="tile-value">{value}</div>
      {hint ? <div class="tile-hint">{hint}</div> : null}
    </div>
  );
}
