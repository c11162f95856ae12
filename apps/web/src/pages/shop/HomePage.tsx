import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useSession } from '../../auth/use-session.ts';

const UPCOMING = [
  { title: 'Catalog', text: 'Browse thousands of products across categories, with fast search.' },
  { title: 'Orders & delivery', text: 'Order in a few taps and follow every step until it arrives.' },
  { title: 'Coupons & points', text: 'Stack coupons with sagamart points earned on every purchase.' },
];

export function HomePage() {
  const { user } = useSession();
  return (
    <Stack gap="xl">
      <Card padding="xl" radius="lg" bg="teal.0" component="section" aria-labelledby="hero-title">
        <Stack gap="md" maw={560}>
          <Badge variant="white" color="teal" w="fit-content">
            Opening soon
          </Badge>
          <Title id="hero-title" order={1}>
            Everyday things, delivered tomorrow.
          </Title>
          <Text size="lg" c="dimmed">
            sagamart brings groceries, living goods and more to your door. Sign up now and start with a points
            balance ready for your first order.
          </Text>
          <Group>
            {user ? (
              <Button component={Link} to="/me/points" size="md">
                Check my points
              </Button>
            ) : (
              <Button component={Link} to="/signup" size="md">
                Create an account
              </Button>
            )}
          </Group>
        </Stack>
      </Card>

      <section aria-labelledby="catalog-coming">
        <Title id="catalog-coming" order={2} size="h3" mb="md">
          Catalog coming soon
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          {UPCOMING.map((item) => (
            <Card key={item.title} withBorder padding="lg">
              <Text fw={600} mb={4}>
                {item.title}
              </Text>
              <Text size="sm" c="dimmed">
                {item.text}
              </Text>
            </Card>
          ))}
        </SimpleGrid>
      </section>
    </Stack>
  );
}
