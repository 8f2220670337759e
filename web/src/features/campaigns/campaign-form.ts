// The campaign brief form: its values, its validation (limits from the contract), and the
// conversions to and from the API's CampaignCreate / CampaignUpdate / CampaignRead.
import type { Path } from "react-hook-form";
import * as z from "zod";

import { CAMPAIGN_FIELDS } from "../../api/campaign-fields.gen";
import { codePointLength } from "../../api/field-specs";
import { CAMPAIGN_STATUS_LABELS, CHANNEL_LABELS } from "../../api/labels";
import { campaignStatusValues, channelValues, moneyInputCurrencyValues } from "../../api/schema.gen";
import type { Campaign, CampaignCreate, CampaignUpdate, Currency } from "../../api/types";
import type { CompareRow } from "../../components/CompareValues";
import { formatDate } from "../../lib/format";

export const LIMITS = {
  name: CAMPAIGN_FIELDS.name.rules,
  objective: CAMPAIGN_FIELDS.objective.rules,
  audience: CAMPAIGN_FIELDS.audience.rules,
  keyMessage: CAMPAIGN_FIELDS.key_messages.item,
  keyMessages: CAMPAIGN_FIELDS.key_messages.maxItems,
  channels: CAMPAIGN_FIELDS.channels.maxItems,
} as const;

/** At most `max` characters as the API counts them (code points). */
const upTo = (max: number) =>
  z.string().refine((text) => codePointLength(text) <= max, `Use at most ${max} characters.`);

const isoDate = z.union([z.literal(""), z.iso.date("Enter a date as YYYY-MM-DD.")]);

export const campaignFormSchema = z
  .object({
    name: upTo(LIMITS.name.maxLength).refine((name) => name.trim().length > 0, "Give the campaign a name."),
    objective: upTo(LIMITS.objective.maxLength),
    audience: upTo(LIMITS.audience.maxLength),
    key_messages: z
      .array(
        z.object({
          text: upTo(LIMITS.keyMessage.maxLength).refine((text) => text.trim().length > 0, "Write the message or remove it."),
        }),
      )
      .max(LIMITS.keyMessages, `At most ${LIMITS.keyMessages} key messages.`),
    channels: z.array(z.enum(channelValues)).max(LIMITS.channels, `At most ${LIMITS.channels} channels.`),
    start_date: isoDate,
    end_date: isoDate,
    budget_amount: z
      .string()
      .trim()
      .regex(/^(\d{1,13}(\.\d{1,4})?)?$/, "Enter an amount such as 12500 or 12500.00."),
    budget_currency: z.union([z.literal(""), z.enum(moneyInputCurrencyValues)]),
    status: z.enum(campaignStatusValues),
  })
  .superRefine((values, ctx) => {
    if (values.start_date && values.end_date && values.end_date < values.start_date) {
      ctx.addIssue({ code: "custom", path: ["end_date"], message: "The end date is before the start date." });
    }
    if (values.budget_amount && !values.budget_currency) {
      ctx.addIssue({ code: "custom", path: ["budget_currency"], message: "Choose the budget's currency." });
    }
    if (!values.budget_amount && values.budget_currency) {
      ctx.addIssue({ code: "custom", path: ["budget_amount"], message: "Enter the budget's amount." });
    }
  });

export type CampaignFormValues = z.infer<typeof campaignFormSchema>;

export const CURRENCIES: readonly Currency[] = moneyInputCurrencyValues;

export function toFormValues(campaign?: Campaign): CampaignFormValues {
  return {
    name: campaign?.name ?? "",
    objective: campaign?.objective ?? "",
    audience: campaign?.audience ?? "",
    key_messages: (campaign?.key_messages ?? []).map((text) => ({ text })),
    channels: campaign?.channels ?? [],
    start_date: campaign?.start_date ?? "",
    end_date: campaign?.end_date ?? "",
    budget_amount: campaign?.budget?.amount ?? "",
    budget_currency: campaign?.budget?.currency ?? "",
    status: campaign?.status ?? "planned",
  };
}

type Brief = Required<Omit<CampaignCreate, "status">>;

function toBrief(values: CampaignFormValues): Brief {
  return {
    name: values.name.trim(),
    objective: values.objective.trim(),
    audience: values.audience.trim(),
    key_messages: values.key_messages.map((message) => message.text.trim()),
    channels: values.channels,
    start_date: values.start_date || null,
    end_date: values.end_date || null,
    budget:
      values.budget_amount && values.budget_currency
        ? { amount: values.budget_amount, currency: values.budget_currency }
        : null,
  };
}

export function toCampaignCreate(values: CampaignFormValues): CampaignCreate {
  // A new campaign can only start planned or active.
  const status = values.status === "active" ? "active" : "planned";
  return { ...toBrief(values), status };
}

/** Only the fields that differ from `saved`: PATCH changes what it is sent, nothing else. */
export function toCampaignUpdate(values: CampaignFormValues, saved: Campaign): CampaignUpdate {
  const next: Brief & { status: Campaign["status"] } = { ...toBrief(values), status: values.status };
  const before: Brief & { status: Campaign["status"] } = { ...toBrief(toFormValues(saved)), status: saved.status };
  const changed = (key: keyof typeof next) => JSON.stringify(next[key]) !== JSON.stringify(before[key]);
  const update: CampaignUpdate = {};
  if (changed("name")) update.name = next.name;
  if (changed("objective")) update.objective = next.objective;
  if (changed("audience")) update.audience = next.audience;
  if (changed("key_messages")) update.key_messages = next.key_messages;
  if (changed("channels")) update.channels = next.channels;
  if (changed("start_date")) update.start_date = next.start_date;
  if (changed("end_date")) update.end_date = next.end_date;
  if (changed("budget")) update.budget = next.budget;
  if (changed("status")) update.status = next.status;
  return update;
}

/** Where an API field error belongs in this form (`budget.amount` → `budget_amount`, …). */
export function campaignErrorField(path: string): Path<CampaignFormValues> | null {
  const [head, second] = path.split(".");
  switch (head) {
    case "name":
    case "objective":
    case "audience":
    case "start_date":
    case "end_date":
    case "status":
      return head;
    case "channels":
      return "channels";
    case "key_messages":
      return second !== undefined && /^\d+$/.test(second) ? `key_messages.${Number(second)}.text` : "key_messages";
    case "budget":
      return second === "currency" ? "budget_currency" : "budget_amount";
    default:
      return null;
  }
}

/** The person's values next to the saved campaign, for the 412 "Compare" view. */
export function compareRows(values: CampaignFormValues, saved: Campaign): CompareRow[] {
  const mine = toBrief(values);
  const theirs = toBrief(toFormValues(saved));
  const channels = (list: Brief["channels"]) => list.map((channel) => CHANNEL_LABELS[channel]).join(", ");
  const budget = (money: Brief["budget"]) => (money ? `${money.amount} ${money.currency}` : "");
  return [
    { label: "Name", mine: mine.name, saved: theirs.name },
    { label: "Status", mine: CAMPAIGN_STATUS_LABELS[values.status], saved: CAMPAIGN_STATUS_LABELS[saved.status] },
    { label: "Objective", mine: mine.objective, saved: theirs.objective },
    { label: "Audience", mine: mine.audience, saved: theirs.audience },
    { label: "Key messages", mine: mine.key_messages.join("\n"), saved: theirs.key_messages.join("\n") },
    { label: "Channels", mine: channels(mine.channels), saved: channels(theirs.channels) },
    { label: "Start date", mine: formatDate(mine.start_date), saved: formatDate(theirs.start_date) },
    { label: "End date", mine: formatDate(mine.end_date), saved: formatDate(theirs.end_date) },
    { label: "Budget", mine: budget(mine.budget), saved: budget(theirs.budget) },
  ];
}
