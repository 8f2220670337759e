// Every route of the app, code-based. Each screen is a lazily loaded component, so it is its own
// chunk; only this table, the shell's providers and the session check are in the entry chunk.
//
// To add a screen: create its component in src/features/<area>/, add a `createRoute` below with
// `lazyRouteComponent(() => import(...), "ExportName")`, and list it in `routeTree`.
//
// A `loader` starts a screen's first queries (`prefetchQuery`, not awaited): the router runs it
// while it loads the screen's chunk, so data and code arrive together instead of the data waiting
// for the component to mount. Screens still read their data with `useQuery`.
import type { QueryClient } from "@tanstack/react-query";
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
  type RouterHistory,
} from "@tanstack/react-router";

import { ensureSession, safeRedirect } from "../auth/session";
import { auditSearchSchema } from "../features/audit/search";
import { signInSearchSchema } from "../features/auth/search";
import { campaignQuery, prefetchCampaigns } from "../features/campaigns/queries";
import { campaignSearchSchema } from "../features/campaigns/search";
import { brandKitVersionsSearchSchema } from "../features/brand-kit/search";
import { contentListSearchSchema, versionHistorySearchSchema } from "../features/content/search";
import { prefetchCosts } from "../features/costs/prefetch";
import { budgetsQuery } from "../features/costs/queries";
import { costsSearchSchema } from "../features/costs/search";
import { documentSearchSchema, knowledgeSearchSchema, librarySearchSchema } from "../features/knowledge/search";
import { meQuery, workspaceQuery } from "../features/workspaces/queries";
import { NotFound, RootLayout, RouteError, RoutePending } from "./root";

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: RootLayout,
  errorComponent: RouteError,
  notFoundComponent: NotFound,
});

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "sign-in",
  validateSearch: signInSearchSchema,
  // Already signed in (e.g. a bookmarked sign-in page): go straight on.
  beforeLoad: async ({ search }) => {
    const session = await ensureSession().catch(() => null);
    if (session) throw redirect({ href: safeRedirect(search.redirect) });
  },
  component: lazyRouteComponent(() => import("../features/auth/SignInPage"), "SignInPage"),
});

/** Everything below needs a session; without one, sign in and come back here. */
const authedRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "authed",
  beforeLoad: async ({ location }) => {
    const session = await ensureSession();
    if (!session) throw redirect({ to: "/sign-in", search: { redirect: location.href } });
    return { session };
  },
  // The header's workspace switcher and account menu.
  loader: ({ context }) => {
    void context.queryClient.prefetchQuery(meQuery());
  },
  component: lazyRouteComponent(() => import("../features/shell/AppLayout"), "AppLayout"),
});

/** `/` opens the first workspace the person can see. */
const homeRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "/",
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.ensureQueryData(meQuery());
    const first = me.workspaces[0];
    if (first) throw redirect({ to: "/w/$workspaceId/campaigns", params: { workspaceId: first.workspace_id } });
  },
  component: lazyRouteComponent(() => import("../features/workspaces/NoWorkspacePage"), "NoWorkspacePage"),
});

const workspaceRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: "w/$workspaceId",
  // Start loading the workspace (name, permissions) alongside the screen's own data.
  loader: ({ context, params }) => {
    void context.queryClient.prefetchQuery(workspaceQuery(params.workspaceId));
  },
});

const workspaceIndexRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: "/",
  beforeLoad: ({ params }) => {
    throw redirect({ to: "/w/$workspaceId/campaigns", params });
  },
});

const campaignsRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: "campaigns",
  validateSearch: campaignSearchSchema,
  loaderDeps: ({ search }) => search,
  loader: ({ context, params, deps }) => prefetchCampaigns(context.queryClient, params.workspaceId, deps),
  component: lazyRouteComponent(() => import("../features/campaigns/CampaignsPage"), "CampaignsPage"),
});

const campaignRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: "campaigns/$campaignId",
  loader: ({ context, params }) => {
    void context.queryClient.prefetchQuery(campaignQuery(params.workspaceId, params.campaignId));
  },
  component: lazyRouteComponent(() => import("../features/campaigns/CampaignDetailPage"), "CampaignDetailPage"),
});

const contentsRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: "campaigns/$campaignId/contents",
  validateSearch: contentListSearchSchema,
  component: lazyRouteComponent(() => import("../features/content/ContentListPage"), "ContentListPage"),
});

const contentRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: "campaigns/$campaignId/contents/$contentId",
  component: lazyRouteComponent(() => import("../features/content/ContentEditorPage"), "ContentEditorPage"),
});

const versionsRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: "campaigns/$campaignId/contents/$contentId/versions",
  validateSearch: versionHistorySearchSchema,
  component: lazyRouteComponent(() => import("../features/content/VersionHistoryPage"), "VersionHistoryPage"),
});

const membersRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: "members",
  component: lazyRouteComponent(() => import("../features/members/MembersPage"), "MembersPage"),
});

const apiKeysRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: "api-keys",
  component: lazyRouteComponent(() => import("../features/api-keys/ApiKeysPage"), "ApiKeysPage"),
});

const auditRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: "audit",
  validateSearch: auditSearchSchema,
  component: lazyRouteComponent(() => import("../features/audit/AuditLogPage"), "AuditLogPage"),
});

const knowledgeRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: "knowledge",
  validateSearch: librarySearchSchema,
  component: lazyRouteComponent(() => import("../features/knowledge/KnowledgeLibraryPage"), "KnowledgeLibraryPage"),
});

const knowledgeSearchRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: "knowledge/search",
  validateSearch: knowledgeSearchSchema,
  component: lazyRouteComponent(() => import("../features/knowledge/KnowledgeSearchPage"), "KnowledgeSearchPage"),
});

const knowledgeDocumentRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: "knowledge/$documentId",
  validateSearch: documentSearchSchema,
  component: lazyRouteComponent(() => import("../features/knowledge/DocumentPage"), "DocumentPage"),
});

const brandKitRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: "brand-kit",
  component: lazyRouteComponent(() => import("../features/brand-kit/BrandKitPage"), "BrandKitPage"),
});

const aiSettingsRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: "ai-settings",
  component: lazyRouteComponent(() => import("../features/ai-settings/AISettingsPage"), "AISettingsPage"),
});

const brandKitVersionsRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: "brand-kit/versions",
  validateSearch: brandKitVersionsSearchSchema,
  component: lazyRouteComponent(() => import("../features/brand-kit/BrandKitVersionsPage"), "BrandKitVersionsPage"),
});

const costsRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: "costs",
  validateSearch: costsSearchSchema,
  loaderDeps: ({ search }) => search,
  loader: ({ context, params, deps }) => prefetchCosts(context.queryClient, params.workspaceId, deps),
  component: lazyRouteComponent(() => import("../features/costs/CostsPage"), "CostsPage"),
});

const budgetsRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: "costs/budgets",
  loader: ({ context, params }) => {
    void context.queryClient.prefetchQuery(budgetsQuery(params.workspaceId));
  },
  component: lazyRouteComponent(() => import("../features/costs/BudgetsPage"), "BudgetsPage"),
});

export const routeTree = rootRoute.addChildren([
  signInRoute,
  authedRoute.addChildren([
    homeRoute,
    workspaceRoute.addChildren([
      workspaceIndexRoute,
      campaignsRoute,
      campaignRoute,
      contentsRoute,
      contentRoute,
      versionsRoute,
      brandKitRoute,
      brandKitVersionsRoute,
      aiSettingsRoute,
      knowledgeRoute,
      knowledgeSearchRoute,
      knowledgeDocumentRoute,
      costsRoute,
      budgetsRoute,
      membersRoute,
      apiKeysRoute,
      auditRoute,
    ]),
  ]),
]);

export function createAppRouter(queryClient: QueryClient, history?: RouterHistory) {
  return createRouter({
    routeTree,
    history,
    context: { queryClient },
    defaultPreload: "intent",
    // Fresh data is TanStack Query's job; the router only loads chunks and checks the session.
    defaultPreloadStaleTime: 0,
    defaultPendingComponent: RoutePending,
    defaultErrorComponent: RouteError,
    scrollRestoration: true,
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;

declare module "@tanstack/react-router" {
  interface Register {
    router: AppRouter;
  }
}

declare module "@tanstack/history" {
  interface HistoryState {
    /** Cursors of the pages before this one, so "Previous page" works on cursor-paginated lists. */
    cursorTrail?: string[];
  }
}
