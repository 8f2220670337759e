// Mantine components that navigate with TanStack Router: typed `to`/`params`/`search`,
// preloading the next screen's chunk on hover or focus.
import { Anchor, type AnchorProps, Button, type ButtonProps, NavLink, type NavLinkProps } from "@mantine/core";
import { type LinkComponent, createLink } from "@tanstack/react-router";
import type { AnchorHTMLAttributes, Ref } from "react";

type AnchorAttributes = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "color" | "style">;

function AnchorBase(props: AnchorProps & AnchorAttributes & { ref?: Ref<HTMLAnchorElement> }) {
  return <Anchor {...props} />;
}

function ButtonBase(props: ButtonProps & AnchorAttributes & { ref?: Ref<HTMLAnchorElement> }) {
  return <Button component="a" {...props} />;
}

function NavLinkBase(props: NavLinkProps & AnchorAttributes & { ref?: Ref<HTMLAnchorElement> }) {
  return <NavLink component="a" {...props} />;
}

const RouterAnchorLink = createLink(AnchorBase);
const RouterButtonLink = createLink(ButtonBase);
const RouterNavLinkLink = createLink(NavLinkBase);

/** A text link. */
export const AnchorLink: LinkComponent<typeof AnchorBase> = (props) => <RouterAnchorLink preload="intent" {...props} />;

/** A link that looks like a button (e.g. "Open content"). */
export const ButtonLink: LinkComponent<typeof ButtonBase> = (props) => <RouterButtonLink preload="intent" {...props} />;

/** A navigation entry; marked current (`aria-current="page"`) when its route is active. */
export const NavLinkLink: LinkComponent<typeof NavLinkBase> = (props) => <RouterNavLinkLink preload="intent" {...props} />;
