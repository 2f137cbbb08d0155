import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { AppContext } from './app-context.ts';
import { connect } from './connection.ts';
import { createAppStores, createCommands } from './state/controller.ts';
import './i18n/index.ts';
import './styles.css';
import './views.css';
import './themes.css';
import './overlay.css';

const stores = createAppStores();
const connection = connect(stores, {
  // a trades page on screen follows new fills
  onFills: () => {
    if (stores.trades.getState().result !== null) void commands.loadTrades();
  },
});
const commands = createCommands(() => connection.api(), stores);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppContext.Provider value={{ stores, commands, enterToken: (t) => connection.enterToken(t) }}>
      <App />
    </AppContext.Provider>
  </StrictMode>,
);
