import { Badge, Group, List, Paper, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import type { ReactNode } from "react";

import { CHANNEL_LABELS } from "../../api/labels";
import { channelValues } from "../../api/schema.gen";
import type { BannedTerm, BrandKitContent } from "./types";

/** A kit as a person reads it: the current one for roles that cannot edit it, or a saved version. */
export function BrandKitView({ kit, headingLevel = 2 }: { kit: BrandKitContent; headingLevel?: 2 | 3 }) {
  const voice = kit.voice;
  const rules = kit.rules;
  const overrides = channelValues.flatMap((channel) => {
    const override = kit.channel_overrides?.[channel];
    return override ? [{ channel, override }] : [];
  });
  const sub = (headingLevel + 1) as 3 | 4;
  return (
    <Stack gap="lg" maw={960}>
      <Section title="Voice" order={headingLevel}>
        <Entry title="Summary" order={sub}>
          <Paragraph text={voice?.summary} />
        </Entry>
        <Entry title="Tone" order={sub}>
          <Terms terms={voice?.tone ?? []} />
        </Entry>
        <Entry title="Audience" order={sub}>
          <Paragraph text={voice?.audience} />
        </Entry>
        <Entry title="Do examples" order={sub}>
          <Lines lines={voice?.do_examples ?? []} />
        </Entry>
        <Entry title="Don’t examples" order={sub}>
          <Lines lines={voice?.dont_examples ?? []} />
        </Entry>
      </Section>
      <Section title="Rules" order={headingLevel}>
        <Entry title="Banned terms" order={sub}>
          <BannedTermsTable terms={rules?.banned_terms ?? []} caption="Banned terms" hideCaption />
        </Entry>
        <Entry title="Required disclaimers" order={sub}>
          {(rules?.disclaimers ?? []).length === 0 ? (
            <None />
          ) : (
            <Stack gap="sm">
              {(rules?.disclaimers ?? []).map((disclaimer) => (
                <Paper key={disclaimer.key} withBorder p="sm">
                  <Text size="sm" fw={600}>
                    {disclaimer.key}
                  </Text>
                  <Text size="sm">{disclaimer.text}</Text>
                  <Text size="xs" c="dimmed" mt={4}>
                    {disclaimer.channels?.length ? disclaimer.channels.map((channel) => CHANNEL_LABELS[channel]).join(", ") : "Every channel"}
                    {" · "}
                    {disclaimer.triggers?.length ? `when a draft mentions ${disclaimer.triggers.join(", ")}` : "always required"}
                  </Text>
                </Paper>
              ))}
            </Stack>
          )}
        </Entry>
        <Entry title="Approved claims" order={sub}>
          {(rules?.approved_claims ?? []).length === 0 ? (
            <None />
          ) : (
            <List size="sm" spacing={4}>
              {(rules?.approved_claims ?? []).map((claim) => (
                <List.Item key={claim.claim}>
                  {claim.claim}
                  {claim.source && (
                    <Text span size="xs" c="dimmed">
                      {" "}
                      (source: {claim.source})
                    </Text>
                  )}
                </List.Item>
              ))}
            </List>
          )}
        </Entry>
        <Entry title="Competitors" order={sub}>
          {(rules?.competitors ?? []).length === 0 ? (
            <None />
          ) : (
            <List size="sm" spacing={4}>
              {(rules?.competitors ?? []).map((competitor) => (
                <List.Item key={competitor.name}>
                  {competitor.name}
                  {competitor.aliases?.length ? (
                    <Text span size="xs" c="dimmed">
                      {" "}
                      (also {competitor.aliases.join(", ")})
                    </Text>
                  ) : null}
                </List.Item>
              ))}
            </List>
          )}
        </Entry>
      </Section>
      <Section title="Channel overrides" order={headingLevel}>
        {overrides.length === 0 ? (
          <Text size="sm" c="dimmed">
            Every channel follows the kit.
          </Text>
        ) : (
          overrides.map(({ channel, override }) => (
            <Entry key={channel} title={CHANNEL_LABELS[channel]} order={sub}>
              <Stack gap={6}>
                <Group gap="xs">
                  <Text size="sm" fw={500}>
                    Tone:
                  </Text>
                  {override.tone ? <Terms terms={override.tone} /> : <Text size="sm">the kit's</Text>}
                </Group>
                {(override.extra_banned_terms ?? []).length > 0 && (
                  <BannedTermsTable terms={override.extra_banned_terms ?? []} caption={`Also banned on ${CHANNEL_LABELS[channel]}`} />
                )}
                {override.notes && <Paragraph text={override.notes} />}
              </Stack>
            </Entry>
          ))
        )}
      </Section>
    </Stack>
  );
}

function Section({ title, order, children }: { title: string; order: 2 | 3; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" component="section">
      <Title order={order} size="h3" mb="sm">
        {title}
      </Title>
      <Stack gap="md">{children}</Stack>
    </Paper>
  );
}

function Entry({ title, order, children }: { title: string; order: 3 | 4; children: ReactNode }) {
  return (
    <div>
      <Title order={order} size="h5" mb={4}>
        {title}
      </Title>
      {children}
    </div>
  );
}

const None = () => (
  <Text size="sm" c="dimmed">
    None
  </Text>
);

function Paragraph({ text }: { text: string | undefined }) {
  return text ? (
    <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
      {text}
    </Text>
  ) : (
    <None />
  );
}

function Terms({ terms }: { terms: readonly string[] }) {
  if (terms.length === 0) return <None />;
  return (
    <Group gap={4} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
      {terms.map((term) => (
        <li key={term}>
          <Badge variant="light" color="gray" tt="none">
            {term}
          </Badge>
        </li>
      ))}
    </Group>
  );
}

function Lines({ lines }: { lines: readonly string[] }) {
  if (lines.length === 0) return <None />;
  return (
    <List size="sm" spacing={4}>
      {lines.map((line) => (
        <List.Item key={line}>{line}</List.Item>
      ))}
    </List>
  );
}

/** `hideCaption`: the heading above already says it; screen readers still get the table's name. */
function BannedTermsTable({ terms, caption, hideCaption = false }: { terms: readonly BannedTerm[]; caption: string; hideCaption?: boolean }) {
  if (terms.length === 0) return <None />;
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table withTableBorder verticalSpacing={4} captionSide="top">
        {hideCaption ? (
          <VisuallyHidden component="caption">{caption}</VisuallyHidden>
        ) : (
          <Table.Caption style={{ textAlign: "left" }}>{caption}</Table.Caption>
        )}
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Term</Table.Th>
            <Table.Th scope="col">Write instead</Table.Th>
            <Table.Th scope="col">Why</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {terms.map((term) => (
            <Table.Tr key={term.term}>
              <Table.Td>{term.term}</Table.Td>
              <Table.Td>{term.replacement ?? "—"}</Table.Td>
              <Table.Td>{term.reason ?? "—"}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
