// How the contract's enums read to a person. `Record<Enum, string>` makes a new enum value in
// openapi/v1.json a type error here until it has a label.
import type { CampaignStatus, Channel, Permission, WorkspaceRole } from "./types";

export const CHANNEL_LABELS: Record<Channel, string> = {
  email: "Email",
  linkedin: "LinkedIn",
  x: "X",
  instagram: "Instagram",
  search_ad: "Search ad",
  display_ad: "Display ad",
  blog_post: "Blog post",
  landing_page: "Landing page",
};

export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = {
  planned: "Planned",
  active: "Active",
  completed: "Completed",
  archived: "Archived",
};

export const CAMPAIGN_STATUS_COLORS: Record<CampaignStatus, string> = {
  // Dark shades: readable (4.5:1 or more) as text on white.
  planned: "blue.8",
  active: "teal.9",
  completed: "grape.8",
  archived: "gray.7",
};

export const WORKSPACE_ROLE_LABELS: Record<WorkspaceRole, string> = {
  manager: "Manager",
  editor: "Editor",
  reviewer: "Reviewer",
  client_approver: "Client approver",
  viewer: "Viewer",
};

export const PERMISSION_LABELS: Record<Permission, string> = {
  "workspace:read": "Read the workspace",
  "members:read": "See members",
  "members:manage": "Manage members",
  "api_keys:manage": "Manage API keys",
  "campaigns:read": "Read campaigns",
  "campaigns:write": "Write campaigns",
  "content:read": "Read content",
  "content:write": "Write content",
  "audit:read": "Read the audit log",
  "brand_kit:read": "Read the brand kit",
  "brand_kit:write": "Edit the brand kit",
  "knowledge:read": "Read and search knowledge",
  "knowledge:write": "Upload and manage knowledge",
  "usage:read": "See AI usage and costs",
  "budgets:manage": "Set AI budgets",
  "ai:generate": "Generate and rewrite with AI",
  "ai_settings:manage": "Manage AI settings",
};
