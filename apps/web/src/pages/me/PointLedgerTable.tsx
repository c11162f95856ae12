import { Badge, Table, Text } from '@mantine/core';
import { formatDateTime, formatSignedWon, formatWon } from '../../lib/format.ts';
import type { PointLedgerEntry } from '../../points/points-api.ts';

const TYPE_COLORS: Record<string, string> = {
  CHARGE: 'teal',
  EARN: 'teal',
  RETURN: 'blue',
  REFUND: 'blue',
  USE: 'orange',
  EXPIRE: 'gray',
};

export function PointLedgerTable({ entries }: { entries: PointLedgerEntry[] }) {
  if (entries.length === 0) {
    return <Text c="dimmed">No point activity yet. Charge points to get started.</Text>;
  }
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped highlightOnHover aria-label="Point history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Date</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Reason</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th ta="right">Balance</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr key={entry.id}>
              <Table.Td>{formatDateTime(entry.createdAt)}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={TYPE_COLORS[entry.type] ?? 'gray'}>
                  {entry.type}
                </Badge>
              </Table.Td>
              <Table.Td>{entry.reason ?? '—'}</Table.Td>
              <Table.Td ta="right" c={entry.amount < 0 ? 'red.7' : 'teal.7'} fw={600}>
                {formatSignedWon(entry.amount)}
              </Table.Td>
              <Table.Td ta="right">{formatWon(entry.balanceAfter)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
