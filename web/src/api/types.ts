// Short names for the contract's schemas. Import these, not `components[...]`, in app code.
import type { components } from "./schema.gen";

type Schemas = components["schemas"];

export type Problem = Schemas["Problem"];
export type FieldError = Schemas["FieldError"];
export type Channel = Schemas["Channel"];
export type CampaignStatus = Schemas["CampaignStatus"];
export type Permission = Schemas["Permission"];
export type WorkspaceRole = Schemas["WorkspaceRole"];
export type OrganizationRole = Schemas["OrganizationRole"];
export type User = Schemas["UserRead"];
export type Me = Schemas["MeRead"];
export type WorkspaceMembership = Schemas["WorkspaceMembershipRead"];
export type OrganizationMembership = Schemas["OrganizationMembershipRead"];
export type Workspace = Schemas["WorkspaceRead"];
export type Campaign = Schemas["CampaignRead"];
export type CampaignCreate = Schemas["CampaignCreate"];
export type CampaignUpdate = Schemas["CampaignUpdate"];
export type Currency = Schemas["Money-Input"]["currency"];
export type Content = Schemas["ContentRead"];
export type ContentDetail = Schemas["ContentDetail"];
export type Version = Schemas["VersionRead"];
export type VersionDiff = Schemas["VersionDiff"];
export type Member = Schemas["MemberRead"];
export type Invitation = Schemas["InvitationRead"];
export type ApiKey = Schemas["ApiKeyRead"];
export type ApiKeyCreated = Schemas["ApiKeyCreated"];
export type AuditEvent = Schemas["AuditEventRead"];

export type ContentBody = Schemas["ContentCreate"]["body"];
/** The body of one channel, e.g. `ChannelBody<"x">` is `{ channel: "x"; text: string }`. */
export type ChannelBody<C extends Channel> = Extract<ContentBody, { channel: C }>;

/** A page of a cursor-paginated list. */
export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}
