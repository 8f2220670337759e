import { NativeSelect, type NativeSelectProps } from "@mantine/core";
import type { Ref } from "react";

import { ROLE_OPTIONS } from "./roles";

/** The workspace roles as a native select, for forms (react-hook-form's `register` fits it). */
export function RoleSelect(props: Omit<NativeSelectProps, "data"> & { ref?: Ref<HTMLSelectElement> }) {
  return <NativeSelect data={ROLE_OPTIONS} {...props} />;
}
