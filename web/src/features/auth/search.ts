import * as z from "zod/mini";

/** `/sign-in?redirect=/w/…`: where to return after signing in (checked by `safeRedirect`). */
export const signInSearchSchema = z.object({
  redirect: z.catch(z.optional(z.string().check(z.maxLength(2000))), undefined),
});
