import { EmptyState } from "../../components/EmptyState";
import { PageHeader } from "../../components/PageHeader";

/** `/` for someone who belongs to no workspace yet. */
export function NoWorkspacePage() {
  return (
    <>
      <PageHeader title="Welcome to Brandflow" />
      <EmptyState
        title="You are not in any workspace yet"
        description="Ask a manager of your agency or brand to invite you to a workspace."
      />
    </>
  );
}
