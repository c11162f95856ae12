import { Box, rem, Table, type TableProps, type TableTdProps } from '@mantine/core';
import { Fragment, type ReactNode } from 'react';
import './data-table.css';

/**
 * Where a column's cell goes when a row is drawn as a card, on a screen narrower than `sm` (a phone):
 *
 * ```
 * [select] title ........................ status
 *          date (labelled) ...... amount (labelled)
 *          field label   value
 *          field label   value
 *          actions
 * ```
 *
 * - `title`: what the row is (a name, an order number, usually the link); unlabelled.
 * - `status`: the status badge, beside the title (under it when the two do not fit); unlabelled.
 * - `date` and `amount`: the row's time and its key figure, labelled above the value (in a row without
 *   a status, the figure stands beside the title).
 * - `field` (the default): anything else, its column's name beside the value.
 * - `actions`: buttons, across the card's foot; unlabelled.
 * - `select`: a row's checkbox, before the title.
 */
export type PhoneSlot = 'title' | 'status' | 'date' | 'amount' | 'field' | 'actions' | 'select';

/** Props for a cell: Mantine's, plus `data-*` attributes (a test id). */
export type DataCellProps = TableTdProps & { [attribute: `data-${string}`]: string | undefined };

export interface DataColumn<T> {
  /** Unique among the table's columns. */
  key: string;
  /** The column's heading on a wide screen; on a phone, the label its cells carry. */
  header: string;
  /** Drawn in the heading instead of `header` (a select-all checkbox); `header` still names the column. */
  headerContent?: ReactNode;
  cell: (row: T) => ReactNode;
  /** Numbers and money read from the right. */
  align?: 'right';
  /** The heading's width, for a narrow column (a checkbox, codes). */
  width?: number;
  /** Kept on one line in the table (a date, a figure, a badge that would squeeze to "…"); a card wraps it. */
  nowrap?: boolean;
  phone?: PhoneSlot;
  /** Whether the cell carries its column's name on a phone; by default `date`, `amount` and `field` do. */
  phoneLabel?: boolean;
  /** Props for the column's cells: the same for every row, or chosen by the row (a colour, a test id). */
  cellProps?: DataCellProps | ((row: T) => DataCellProps);
}

export interface DataTableProps<T>
  extends Omit<TableProps, 'children' | 'data' | 'aria-label' | 'className'> {
  /** Names the table for assistive technology and tests (`getByRole('table', { name })`). */
  label: string;
  columns: readonly DataColumn<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string | number;
  /** Attributes for a row's `<tr>`: a test id, the data tests find it by. */
  rowProps?: (row: T) => Record<`data-${string}`, string | undefined>;
  /** What unfolds under a row (its history), across the whole row; nothing when it answers null. */
  expanded?: (row: T) => ReactNode;
  /** Below this width (px) on a wide screen the table scrolls sideways rather than squeeze its columns. */
  minWidth?: number;
}

const LABELLED: ReadonlySet<PhoneSlot> = new Set(['date', 'amount', 'field']);

/**
 * An admin list that reads on a phone. From `sm` up it is a table (Mantine's, with the props given),
 * scrolling sideways below `minWidth`; on a phone each row is a card, its cells placed by their
 * column's `phone` slot, so nothing scrolls sideways. Both are the same `<table>`: rows stay rows and
 * cells stay cells, in the columns' order, for assistive technology and tests alike.
 */
export function DataTable<T>({
  label,
  columns,
  rows,
  rowKey,
  rowProps,
  expanded,
  minWidth,
  ...tableProps
}: DataTableProps<T>) {
  const selectable = columns.some((column) => column.phone === 'select');
  return (
    <Box
      className="data-table-scroll"
      style={minWidth ? { '--data-table-min-width': rem(minWidth) } : undefined}
    >
      <Table
        {...tableProps}
        className="data-table"
        data-selectable={selectable || undefined}
        aria-label={label}
      >
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th
                key={column.key}
                ta={column.align}
                w={column.width}
                data-slot={column.phone ?? 'field'}
                data-label={column.header}
              >
                {column.headerContent ?? column.header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => {
            const more = expanded?.(row);
            return (
              <Fragment key={rowKey(row)}>
                <Table.Tr {...rowProps?.(row)}>
                  {columns.map((column) => {
                    const slot = column.phone ?? 'field';
                    const props =
                      typeof column.cellProps === 'function' ? column.cellProps(row) : column.cellProps;
                    return (
                      <Table.Td
                        key={column.key}
                        ta={column.align}
                        {...props}
                        data-slot={slot}
                        data-nowrap={column.nowrap || undefined}
                        data-label={(column.phoneLabel ?? LABELLED.has(slot)) ? column.header : undefined}
                      >
                        <div className="data-table-cell">{column.cell(row)}</div>
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
                {more != null && more !== false && (
                  // Under the row's content: past its checkbox, where it has one.
                  <Table.Tr data-expanded>
                    {columns[0]?.phone === 'select' && <Table.Td data-slot="select" />}
                    <Table.Td
                      colSpan={columns.length - (columns[0]?.phone === 'select' ? 1 : 0)}
                      data-slot="expanded"
                    >
                      {more}
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
