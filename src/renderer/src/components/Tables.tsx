import { useSelect } from '../app-context.ts';
import { formatAmount, formatPrice, formatTime } from '../format.ts';

const Empty = ({ cols, text }: { cols: number; text: string }) => (
  <tr>
    <td colSpan={cols} className="empty">
      {text}
    </td>
  </tr>
);

export function OrdersTable() {
  const orders = useSelect(
    (s) => s.journal,
    (s) => s.orders,
  );
  return (
    <section className="card table-card">
      <header className="card-head">
        <h2>Orders</h2>
        <span className="muted">{orders.length}</span>
      </header>
      <div className="table-scroll">
        <table data-testid="orders-table">
          <thead>
            <tr>
              <th>Time</th>
              <th>Symbol</th>
              <th>Side</th>
              <th className="num">Amount</th>
              <th className="num">Price</th>
              <th>Status</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {orders.length === 0 ? (
              <Empty cols={7} text="No orders yet" />
            ) : (
              orders.map((o) => (
                <tr key={o.id}>
                  <td>{formatTime(o.ts)}</td>
                  <td>{o.symbol}</td>
                  <td className={o.side}>{o.side.toUpperCase()}</td>
                  <td className="num">{formatAmount(o.amount)}</td>
                  <td className="num">{o.price === null ? 'market' : formatPrice(o.price)}</td>
                  <td>
                    <span className={`pill ${o.status}`}>{o.status}</span>
                  </td>
                  <td className="muted ellipsis" title={o.reason}>
                    {o.reason}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function FillsTable() {
  const fills = useSelect(
    (s) => s.journal,
    (s) => s.fills,
  );
  return (
    <section className="card table-card">
      <header className="card-head">
        <h2>Fills</h2>
        <span className="muted">{fills.length}</span>
      </header>
      <div className="table-scroll">
        <table data-testid="fills-table">
          <thead>
            <tr>
              <th>Time</th>
              <th>Symbol</th>
              <th>Side</th>
              <th className="num">Amount</th>
              <th className="num">Price</th>
              <th className="num">Fee</th>
            </tr>
          </thead>
          <tbody>
            {fills.length === 0 ? (
              <Empty cols={6} text="No fills yet" />
            ) : (
              fills.map((f) => (
                <tr key={f.id}>
                  <td>{formatTime(f.ts)}</td>
                  <td>{f.symbol}</td>
                  <td className={f.side}>{f.side.toUpperCase()}</td>
                  <td className="num">{formatAmount(f.amount)}</td>
                  <td className="num">{formatPrice(f.price)}</td>
                  <td className="num muted">
                    {formatAmount(f.fee)} {f.feeCurrency}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
