// Short names for the brand kit's schemas in the contract.
import type { components } from "../../api/schema.gen";

type Schemas = components["schemas"];

export type BrandKit = Schemas["BrandKitRead"];
export type BrandKitUpdate = Schemas["BrandKitUpdate"];
export type BrandKitVersion = Schemas["BrandKitVersionRead"];
export type BrandKitAuthor = Schemas["BrandKitAuthor"];
export type BannedTerm = Schemas["BannedTerm"];
export type RequiredDisclaimer = Schemas["RequiredDisclaimer"];
export type ApprovedClaim = Schemas["ApprovedClaim"];
export type Competitor = Schemas["Competitor"];
export type ChannelOverride = Schemas["ChannelOverride"];
/** What a kit holds, whether the current one or a saved version. */
export type BrandKitContent = Pick<BrandKit, "voice" | "rules" | "channel_overrides">;
