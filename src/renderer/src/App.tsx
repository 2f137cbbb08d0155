import { useTranslation } from 'react-i18next';
import { useSettings } from './app-context.ts';
import { KillSwitchBanner } from './components/KillSwitchBanner.tsx';
import { Header } from './components/Header.tsx';
import { Nav } from './components/Nav.tsx';
import { Notices } from './components/Notices.tsx';
import { RiskBlockBanner } from './components/RiskBlockBanner.tsx';
import { RiskNotices } from './components/RiskNotices.tsx';
import { RunViewBanner } from './components/RunViewBanner.tsx';
import { TokenForm } from './components/TokenForm.tsx';
import { useApplyLanguage } from './i18n/index.ts';
import { useRoute, type Route } from './router.ts';
import { useApplyTheme } from './theme.ts';
import { BacktestView } from './views/BacktestView.tsx';
import { DashboardView } from './views/DashboardView.tsx';
import { LogsView } from './views/LogsView.tsx';
import { PositionsView } from './views/PositionsView.tsx';
import { SettingsView } from './views/SettingsView.tsx';
import { TradesView } from './views/TradesView.tsx';

const VIEWS: Record<Route, () => React.JSX.Element> = {
  dashboard: DashboardView,
  positions: PositionsView,
  trades: TradesView,
  backtest: BacktestView,
  logs: LogsView,
  settings: SettingsView,
};

export function App() {
  const route = useRoute();
  const View = VIEWS[route];
  // the whole page re-renders in the new language when it changes
  const { t } = useTranslation();
  useApplyTheme(useSettings((s) => s.settings?.ui.theme ?? 'dark'));
  useApplyLanguage(useSettings((s) => s.settings?.ui.language ?? 'system'));
  return (
    <div className="app">
      <Header />
      <Nav route={route} />
      <TokenForm />
      <Notices />
      <RiskNotices />
      <KillSwitchBanner />
      <RiskBlockBanner />
      <RunViewBanner />
      <main className={`view view-${route}`} id="main" aria-label={t(`routes.${route}`)}>
        <View />
      </main>
    </div>
  );
}
