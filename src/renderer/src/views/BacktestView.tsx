/** The backtest page; its contract (`backtest:*`) arrives with the backtester (branch `backtest`). */
export function BacktestView() {
  return (
    <div className="page">
      <section className="card">
        <h2>Backtest</h2>
        <p className="muted">Backtests are not available in this build yet.</p>
      </section>
    </div>
  );
}
