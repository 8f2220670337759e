// The "Create API key" form: its values, validation and the permissions a key may hold.
import * as z from "zod";

import { codePointLength } from "../../api/field-specs";
import { permissionValues } from "../../api/schema.gen";
import type { Permission } from "../../api/types";

/** ApiKeyCreate.name in openapi/v1.json (no generated limit table covers this schema). */
export const NAME_RULES = { minLength: 1, maxLength: 120 } as const;

/** The server never lets a key manage members or keys (API_KEY_GRANTABLE in contexts/identity/permissions.py). */
export const NEVER_ON_KEYS: ReadonlySet<Permission> = new Set<Permission>(["members:manage", "api_keys:manage"]);

/**
 * What the person may put on a new key: grantable to keys at all, and held by the person
 * (the server refuses a key with more than its creator holds).
 */
export function grantablePermissions(held: (permission: Permission) => boolean): Permission[] {
  return permissionValues.filter((permission) => !NEVER_ON_KEYS.has(permission) && held(permission));
}

export const apiKeyFormSchema = z.object({
  name: z
    .string()
    .refine((name) => name.trim().length > 0, "Give the key a name, e.g. the system that will use it.")
    .refine((name) => codePointLength(name.trim()) <= NAME_RULES.maxLength, `Use at most ${NAME_RULES.maxLength} characters.`),
  permissions: z.array(z.enum(permissionValues)).min(1, "Choose at least one permission."),
});

export type ApiKeyFormValues = z.infer<typeof apiKeyFormSchema>;

export const API_KEY_DEFAULTS: ApiKeyFormValues = { name: "", permissions: [] };
