import { Badge, Button, Paper, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, useRouterState } from "@tanstack/react-router";

import { CursorPager } from "../../components/CursorPager";
import { AnchorLink } from "../../components/links";
import { PageBreadcrumbs } from "../../components/PageBreadcrumbs";
import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { formatDateTime } from "../../lib/format";
import { useAuthorName } from "../content/use-author-name";
import { BrandKitView } from "./BrandKitView";
import { brandKitQuery, brandKitVersionQuery, brandKitVersionsQuery } from "./queries";
import type { BrandKitVersion } from "./types";

const route = getRouteApi("/authed/w/$workspaceId/brand-kit/versions");
const NO_TRAIL: readonly string[] = [];

/** Every saved version of the kit, newest first; choosing one shows it as it was. */
export function BrandKitVersionsPage() {
  const { workspaceId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery(brandKitVersionsQuery(workspaceId, search.cursor));
  const current = useQuery(brandKitQuery(workspaceId)).data?.data.version;
  const trail = useRouterState({ select: (state) => state.location.state.cursorTrail }) ?? NO_TRAIL;
  const authorName = useAuthorName(workspaceId);

  return (
    <>
      <PageHeader
        title="Brand kit history"
        breadcrumbs={
          <PageBreadcrumbs
            trail={[
              <AnchorLink key="kit" to="/w/$workspaceId/brand-kit" params={{ workspaceId }} size="sm">
                Brand kit
              </AnchorLink>,
            ]}
            current="History"
          />
        }
      />
      <Stack gap="lg">
        <QueryState
          query={query}
          loadingLabel="Loading versions"
          isEmpty={(page) => page.items.length === 0 && search.cursor === undefined}
          empty={{ title: "No versions yet", description: "Each save of the brand kit becomes a version here." }}
        >
          {(page) => (
            <>
              <VersionTable
                versions={page.items}
                current={current}
                selected={search.version}
                authorName={authorName}
                onShow={(version) => void navigate({ search: (previous) => ({ ...previous, version }), replace: true })}
              />
              <CursorPager
                noun="versions"
                cursor={search.cursor}
                nextCursor={page.next_cursor}
                trail={trail}
                busy={query.isPlaceholderData}
                onNavigate={(next, nextTrail) =>
                  void navigate({ search: (previous) => ({ ...previous, cursor: next }), state: { cursorTrail: nextTrail } })
                }
              />
            </>
          )}
        </QueryState>
        {search.version !== undefined && <VersionDetail workspaceId={workspaceId} number={search.version} />}
      </Stack>
    </>
  );
}

interface VersionTableProps {
  versions: readonly BrandKitVersion[];
  current: number | undefined;
  selected: number | undefined;
  authorName: ReturnType<typeof useAuthorName>;
  onShow: (number: number) => void;
}

function VersionTable({ versions, current, selected, authorName, onShow }: VersionTableProps) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="sm" highlightOnHover>
        <VisuallyHidden component="caption">Versions of the brand kit, newest first</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Version</Table.Th>
            <Table.Th scope="col">Saved</Table.Th>
            <Table.Th scope="col">By</Table.Th>
            <Table.Th scope="col">
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {versions.map((version) => (
            <Table.Tr key={version.number}>
              <Table.Th scope="row" fw={600}>
                {version.number}{" "}
                {version.number === current && (
                  <Badge size="xs" variant="light" ml={4}>
                    current
                  </Badge>
                )}
              </Table.Th>
              <Table.Td>
                <Text size="sm">{formatDateTime(version.created_at)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{authorName(version.author)}</Text>
              </Table.Td>
              <Table.Td>
                <Button
                  size="compact-sm"
                  variant={version.number === selected ? "light" : "subtle"}
                  onClick={() => onShow(version.number)}
                  aria-pressed={version.number === selected}
                >
                  Show version {version.number}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function VersionDetail({ workspaceId, number }: { workspaceId: string; number: number }) {
  const query = useQuery(brandKitVersionQuery(workspaceId, number));
  return (
    <Paper component="section" aria-labelledby="brand-kit-version-heading" p={0}>
      <Title order={2} size="h3" id="brand-kit-version-heading" mb="sm">
        Version {number}
      </Title>
      <QueryState query={query} loadingLabel={`Loading version ${number}`}>
        {(version) => <BrandKitView kit={version} headingLevel={3} />}
      </QueryState>
    </Paper>
  );
}
