import { Button, Group } from "@mantine/core";

export interface CursorPagerProps {
  /** The cursor of the page shown; undefined on the first page. */
  cursor: string | undefined;
  /** `next_cursor` of the page shown; null or undefined on the last page. */
  nextCursor: string | null | undefined;
  /** Cursors of the pages before this one (kept in history state, see `cursorTrail`). */
  trail: readonly string[];
  /** Go to `cursor` (undefined: the first page) with the given trail. */
  onNavigate: (cursor: string | undefined, trail: string[]) => void;
  /** E.g. "campaigns", for the buttons' accessible names. */
  noun: string;
  busy?: boolean;
}

/**
 * Previous/next for cursor-paginated lists. The cursor lives in the URL; the trail of earlier
 * cursors lives in history state, so "Previous" works and a shared link still opens the page.
 * The trail is "" for the first page.
 */
export function CursorPager({ cursor, nextCursor, trail, onNavigate, noun, busy = false }: CursorPagerProps) {
  if (cursor === undefined && !nextCursor) return null;
  const previous = () => {
    const back = trail.at(-1);
    onNavigate(back ? back : undefined, trail.slice(0, -1));
  };
  return (
    <Group justify="space-between" mt="md" component="nav" aria-label={`Pages of ${noun}`}>
      <Button variant="default" onClick={previous} disabled={cursor === undefined || busy}>
        Previous page
      </Button>
      <Button
        variant="default"
        onClick={() => nextCursor && onNavigate(nextCursor, [...trail, cursor ?? ""])}
        disabled={!nextCursor || busy}
      >
        Next page
      </Button>
    </Group>
  );
}
