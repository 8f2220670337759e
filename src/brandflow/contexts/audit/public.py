"""What other contexts may import from the audit log."""

from brandflow.contexts.audit.schemas import AuditEventRead

__all__ = ["AuditEventRead"]
