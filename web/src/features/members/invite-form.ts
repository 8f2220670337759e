// The "Invite member" form: its values and validation, before the API's own (InvitationCreate).
import * as z from "zod";

import { workspaceRoleValues } from "../../api/schema.gen";
import type { Invitation } from "../../api/types";

export const inviteFormSchema = z.object({
  email: z.string().trim().pipe(z.email("Enter an email address such as name@example.com.")),
  role: z.enum(workspaceRoleValues),
});

export type InviteFormValues = z.infer<typeof inviteFormSchema>;

/** The least a new member can do; the person inviting chooses more on purpose. */
export const INVITE_DEFAULTS: InviteFormValues = { email: "", role: "viewer" };

/** Still usable by the invitee: neither accepted nor revoked, and not expired. */
export function isPending(invitation: Invitation, now: Date = new Date()): boolean {
  return invitation.accepted_at === null && invitation.revoked_at === null && new Date(invitation.expires_at) > now;
}
