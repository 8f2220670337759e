import { Stack, Text } from "@mantine/core";

import type { Channel, ContentBody } from "../../api/types";
import { bodyTexts } from "./body-texts";

/** A version's body as text (never HTML): each field's label, then its text. */
export function BodyView({ channel, body }: { channel: Channel; body: ContentBody }) {
  const texts = bodyTexts(channel, body);
  if (texts.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        (empty)
      </Text>
    );
  }
  return (
    <Stack component="dl" gap={6} m={0}>
      {texts.map(({ path, label, text }) => (
        <div key={path}>
          <Text component="dt" size="xs" fw={600} c="dimmed">
            {label}
          </Text>
          <Text component="dd" size="sm" m={0} style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
            {text}
          </Text>
        </div>
      ))}
    </Stack>
  );
}
