import { useEffect, useRef } from 'react';
import { useJournal } from '../app-context.ts';
import { formatTime } from '../format.ts';
import { Card } from './Card.tsx';

export function LogPanel() {
  const logs = useJournal((s) => s.logs);
  const box = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  // Follow new lines unless the user scrolled up to read.
  useEffect(() => {
    const el = box.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [logs]);

  return (
    <Card title="Log" aside={`${logs.length} lines`} className="log-card">
      <div
        className="log"
        ref={box}
        data-testid="log-panel"
        onScroll={(e) => {
          const el = e.currentTarget;
          pinned.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
        }}
      >
        {logs.length === 0 ? <div className="empty">No log lines yet</div> : null}
        {logs.map((l, i) => (
          <div key={`${l.ts}-${i}`} className={`log-line ${l.level}`}>
            <span className="log-time">{formatTime(l.ts)}</span>
            <span className="log-level">{l.level}</span>
            <span className="log-scope">{l.scope}</span>
            <span className="log-msg">{l.message}</span>
          </div>
        ))}
      </div>
    </Card>
  );
}
