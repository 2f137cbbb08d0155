import { CandleChart } from '../components/CandleChart.tsx';
import { EquityChart } from '../components/EquityChart.tsx';
import { RunSelector } from '../components/RunSelector.tsx';
import { StatsPanel } from '../components/StatsPanel.tsx';
import { OrdersTable } from '../components/Tables.tsx';

export function DashboardView() {
  return (
    <div className="dashboard">
      <div className="col-main">
        <CandleChart />
        <div className="tables">
          <OrdersTable />
        </div>
      </div>
      <div className="col-side">
        <div className="toolbar">
          <RunSelector />
        </div>
        <StatsPanel />
        <EquityChart />
      </div>
    </div>
  );
}
