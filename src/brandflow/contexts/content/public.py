"""What other contexts may import from content."""

from brandflow.contexts.content.bodies import ChannelBody, parse_body
from brandflow.contexts.content.domain import ContentCreated, VersionCreated
from brandflow.contexts.content.schemas import ContentCreate, VersionCreate
from brandflow.contexts.content.service import ContentService
from brandflow.contexts.content.service import etag as content_etag

__all__ = [
    "ChannelBody",
    "ContentCreate",
    "ContentCreated",
    "ContentService",
    "VersionCreate",
    "VersionCreated",
    "content_etag",
    "parse_body",
]
