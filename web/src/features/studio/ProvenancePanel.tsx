import { Badge, Group, NativeSelect, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, type Ref, useId } from "react";

import { QueryState } from "../../components/QueryState";
import { AnchorLink } from "../../components/links";
import { formatDateTime } from "../../lib/format";
import type { ContentScope } from "../content/queries";
import { formatUsd } from "../costs/format";
import { OPERATION_LABELS } from "./labels";
import { provenanceQuery } from "./queries";
import type { ChunkRef, Provenance } from "./types";

export interface ProvenancePanelProps {
  scope: ContentScope;
  contentId: string;
  currentVersion: number;
  /** The version shown. */
  version: number;
  onVersionChange: (version: number) => void;
  /** The panel, so "Provenance" on a draft can move focus to it. */
  regionRef?: Ref<HTMLElement>;
}

/** How a version came to be: for a generated one, everything that shaped it; a person's is "human-written". */
export function ProvenancePanel({ scope, contentId, currentVersion, version, onVersionChange, regionRef }: ProvenancePanelProps) {
  const headingId = useId();
  const query = useQuery(provenanceQuery(scope, contentId, version));
  const options = Array.from({ length: currentVersion }, (_, index) => {
    const number = currentVersion - index;
    return { value: String(number), label: number === currentVersion ? `Version ${number} (current)` : `Version ${number}` };
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId} ref={regionRef} tabIndex={-1}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <Title order={2} size="h4" id={headingId}>
            Provenance of version {version}
          </Title>
          <NativeSelect
            label="Version"
            data={options}
            value={String(version)}
            onChange={(event) => onVersionChange(Number(event.currentTarget.value))}
            w={{ base: "100%", xs: 220 }}
          />
        </Group>
        <QueryState query={query} loadingLabel="Loading the provenance" errorTitle="The provenance could not be loaded">
          {(provenance) =>
            provenance === null ? (
              <Group gap="xs">
                <Badge variant="light" color="gray" tt="none">
                  Human-written
                </Badge>
                <Text size="sm">Version {version} was written by a person: no model, prompt or sources were involved.</Text>
              </Group>
            ) : (
              <ProvenanceDetails workspaceId={scope.workspaceId} provenance={provenance} />
            )
          }
        </QueryState>
      </Stack>
    </Paper>
  );
}

const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });
const count = new Intl.NumberFormat();

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w="30%" style={{ verticalAlign: "top" }}>
        {label}
      </Table.Th>
      <Table.Td style={{ overflowWrap: "anywhere" }}>{children}</Table.Td>
    </Table.Tr>
  );
}

const valueText = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

export function ProvenanceDetails({ workspaceId, provenance }: { workspaceId: string; provenance: Provenance }) {
  const { template, model, guardrails, check } = provenance;
  const redacted = Object.entries(guardrails.pii_redacted).filter(([, times]) => times > 0);
  const parameters = Object.entries(provenance.parameters).filter(([, value]) => value !== null && value !== undefined);
  return (
    <Stack gap="md">
      <Group gap="xs" wrap="wrap">
        <Badge variant="light" color="grape" tt="none">
          AI-generated
        </Badge>
        <Badge variant="outline" color="gray.7" tt="none">
          Model: {model?.label ?? "none (fixes applied without a model)"}
        </Badge>
        <Badge variant="outline" color="gray.7" tt="none">
          {OPERATION_LABELS[provenance.operation]} · draft {provenance.variant_index}
        </Badge>
      </Group>
      <Table withTableBorder verticalSpacing={6} layout="fixed" captionSide="top">
        <Table.Caption>How version {provenance.version_number} was written</Table.Caption>
        <Table.Tbody>
          <Row label="Model">
            {model ? `${model.label} (${model.provider} · ${model.model})` : "None"}
            {model?.route_note ? ` — ${model.route_note}` : ""}
          </Row>
          <Row label="Prompt template">
            {template.builtin ? `Built-in ${template.task} template` : `${template.task} template, version ${template.version}`}
            {template.id ? ` (${template.id})` : ""} · sha256 {template.sha256.slice(0, 12)}
          </Row>
          <Row label="Parameters">
            {parameters.length === 0
              ? "None"
              : parameters.map(([name, value]) => (
                  <div key={name}>
                    <Text span size="sm" fw={600}>
                      {name}
                    </Text>
                    : {valueText(value)}
                  </div>
                ))}
          </Row>
          <Row label="Personal data redacted">
            {redacted.length === 0 ? "None found" : redacted.map(([kind, times]) => `${kind}: ${times}`).join(", ")}
            {guardrails.placeholders_missing.length > 0 && ` · missing from the answer: ${guardrails.placeholders_missing.join(", ")}`}
            {guardrails.placeholders_unknown.length > 0 && ` · unknown in the answer: ${guardrails.placeholders_unknown.join(", ")}`}
          </Row>
          <Row label="Injection flags">
            {guardrails.injection_flags.length === 0
              ? "None"
              : guardrails.injection_flags.map((flag, at) => (
                  <div key={at}>
                    {flag.citation_id}: {flag.kind} — {flag.reason} (<q>{flag.text}</q>)
                  </div>
                ))}
          </Row>
          <Row label="Check">
            {check ? `Score ${check.score} of 100 (minimum ${check.min_score}) · ${check.passed ? "passes" : "below the minimum"}` : "Not checked"}
          </Row>
          <Row label="Tokens">
            {count.format(provenance.input_tokens)} in · {count.format(provenance.output_tokens)} out ·{" "}
            {count.format(provenance.cached_tokens)} cached{provenance.cache_hit ? " · answered from the cache" : ""}
          </Row>
          <Row label="Cost">{provenance.cost === null ? "Not shown to your role" : formatUsd(provenance.cost)}</Row>
          <Row label="Latency">{count.format(provenance.latency_ms)} ms</Row>
          <Row label="Attempts">
            {provenance.attempts.length === 0
              ? "None"
              : provenance.attempts.map((attempt, at) => (
                  <div key={at}>
                    {attempt.provider} · {attempt.model} #{attempt.number}: {attempt.outcome} ({decimal.format(attempt.latency_ms)} ms)
                    {attempt.status_code ? `, HTTP ${attempt.status_code}` : ""}
                  </div>
                ))}
          </Row>
          <Row label="Trace id">{provenance.trace_id ?? "None"}</Row>
          <Row label="Generation">
            {provenance.generation_id} · {formatDateTime(provenance.created_at)}
          </Row>
        </Table.Tbody>
      </Table>
      <Sources workspaceId={workspaceId} chunks={provenance.chunks} />
    </Stack>
  );
}

const location = (chunk: ChunkRef) =>
  chunk.page !== null ? `p. ${chunk.page}` : `chars ${count.format(chunk.start_offset)}–${count.format(chunk.end_offset)}`;

/** The knowledge passages the prompt quoted, with their retrieval scores. */
function Sources({ workspaceId, chunks }: { workspaceId: string; chunks: readonly ChunkRef[] }) {
  if (chunks.length === 0) {
    return <Text size="sm">No knowledge passages were used.</Text>;
  }
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table withTableBorder verticalSpacing={6} captionSide="top">
        <Table.Caption>Knowledge passages used ({chunks.length})</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Cited as</Table.Th>
            <Table.Th scope="col">Document</Table.Th>
            <Table.Th scope="col">Where</Table.Th>
            <Table.Th scope="col">Score</Table.Th>
            <Table.Th scope="col">Ranks (keywords, meaning)</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {chunks.map((chunk) => (
            <Table.Tr key={chunk.chunk_id}>
              <Table.Td>{chunk.citation_id}</Table.Td>
              <Table.Td>
                <AnchorLink to="/w/$workspaceId/knowledge/$documentId" params={{ workspaceId, documentId: chunk.document_id }}>
                  {chunk.title}
                </AnchorLink>
              </Table.Td>
              <Table.Td>{location(chunk)}</Table.Td>
              <Table.Td>{decimal.format(chunk.score)}</Table.Td>
              <Table.Td>
                {chunk.lexical_rank ?? "—"}, {chunk.vector_rank ?? "—"}
                {chunk.vector_similarity !== null ? ` (${decimal.format(chunk.vector_similarity)})` : ""}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
