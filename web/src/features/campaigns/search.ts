// The campaigns list's URL: `?status=&channel=&q=&view=&cursor=`. zod/mini keeps this out of
// the entry chunk's weight; a malformed value is dropped rather than failing the page.
import * as z from "zod/mini";

import { campaignStatusValues, channelValues } from "../../api/schema.gen";

const optional = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);

export const CAMPAIGN_VIEWS = ["list", "board"] as const;
export type CampaignView = (typeof CAMPAIGN_VIEWS)[number];

export const campaignSearchSchema = z.object({
  status: optional(z.enum(campaignStatusValues)),
  channel: optional(z.enum(channelValues)),
  q: optional(z.string().check(z.maxLength(200))),
  view: optional(z.enum(CAMPAIGN_VIEWS)),
  cursor: optional(z.string().check(z.maxLength(200))),
});

export type CampaignSearch = z.output<typeof campaignSearchSchema>;
