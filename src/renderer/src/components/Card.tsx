import type { ReactNode } from 'react';

/** A titled dashboard panel; `aside` sits at the right of the title (a count, a hint). */
export function Card(props: {
  title: string;
  aside?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  return (
    <section className={props.className ? `card ${props.className}` : 'card'}>
      <header className="card-head">
        <h2>{props.title}</h2>
        {props.aside !== undefined ? <span className="muted">{props.aside}</span> : null}
      </header>
      {props.children}
    </section>
  );
}
