import { useMemo, type ReactNode } from 'react';
import { Card } from './Card.tsx';

export interface Column<T> {
  head: string;
  className?: string | ((row: T) => string);
  cell: (row: T) => ReactNode;
}

/** A titled table card; `aside` sits right of the title (a count, controls). */
export function TableCard<T extends { id: string }>(props: {
  title: string;
  testId: string;
  rows: readonly T[];
  empty: string;
  columns: Column<T>[];
  aside?: ReactNode;
  footer?: ReactNode;
}) {
  const { title, testId, rows, empty, columns } = props;
  // the body follows the rows and columns only: a new count in `aside` (10 times a second
  // while a bot runs) does not render every cell again
  const body = useMemo(() => {
    const classOf = (c: Column<T>, row: T) =>
      typeof c.className === 'function' ? c.className(row) : c.className;
    return rows.length === 0 ? (
      <tr>
        <td colSpan={columns.length} className="empty">
          {empty}
        </td>
      </tr>
    ) : (
      rows.map((row) => (
        <tr key={row.id}>
          {columns.map((c) => (
            <td key={c.head} className={classOf(c, row)}>
              {c.cell(row)}
            </td>
          ))}
        </tr>
      ))
    );
  }, [rows, columns, empty]);
  return (
    <Card title={title} aside={props.aside ?? rows.length} className="table-card">
      <div className="table-scroll">
        <table data-testid={testId}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th
                  key={c.head}
                  scope="col"
                  className={typeof c.className === 'string' ? c.className : undefined}
                >
                  {c.head}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{body}</tbody>
        </table>
      </div>
      {props.footer}
    </Card>
  );
}
