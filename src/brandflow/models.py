"""Imports every context's tables so metadata (Alembic, tests) sees the whole schema."""

from brandflow.contexts.audit import orm as _audit_orm  # noqa: F401
from brandflow.contexts.brand_kit import orm as _brand_kit_orm  # noqa: F401
from brandflow.contexts.campaigns import orm as _campaigns_orm  # noqa: F401
from brandflow.contexts.content import orm as _content_orm  # noqa: F401
from brandflow.contexts.finops import orm as _finops_orm  # noqa: F401
from brandflow.contexts.identity import orm as _identity_orm  # noqa: F401
from brandflow.contexts.knowledge import orm as _knowledge_orm  # noqa: F401
from brandflow.contexts.studio import orm as _studio_orm  # noqa: F401
from brandflow.contexts.studio.checking import orm as _studio_checking_orm  # noqa: F401
from brandflow.contexts.studio.settings import orm as _studio_settings_orm  # noqa: F401
from brandflow.kernel import idempotency as _idempotency  # noqa: F401
from brandflow.kernel import outbox as _outbox  # noqa: F401
from brandflow.kernel.db import Base
from brandflow.kernel.messaging import consumers as _consumers  # noqa: F401
from brandflow.kernel.messaging import retries as _retries  # noqa: F401

metadata = Base.metadata
