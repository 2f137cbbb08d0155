import { useState } from 'react';
import { CandleChart } from './components/CandleChart.tsx';
import { EquityChart } from './components/EquityChart.tsx';
import { Header } from './components/Header.tsx';
import { LogPanel } from './components/LogPanel.tsx';
import { Notices } from './components/Notices.tsx';
import { SettingsPanel } from './components/SettingsPanel.tsx';
import { StatsPanel } from './components/StatsPanel.tsx';
import { FillsTable, OrdersTable } from './components/Tables.tsx';

export function App() {
  const [settingsOpen, setSettingsOpen] = useState(false);
  return (
    <div className="app">
      <Header onOpenSettings={() => setSettingsOpen(true)} />
      <Notices />
      <main className="dashboard">
        <div className="col-main">
          <CandleChart />
          <div className="tables">
            <OrdersTable />
            <FillsTable />
          </div>
        </div>
        <div className="col-side">
          <StatsPanel />
          <EquityChart />
          <LogPanel />
        </div>
      </main>
      {settingsOpen ? <SettingsPanel onClose={() => setSettingsOpen(false)} /> : null}
    </div>
  );
}
