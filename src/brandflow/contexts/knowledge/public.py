"""What other contexts (and the composition root) may import from knowledge."""

from brandflow.contexts.knowledge.embedder import Embedder, EmbeddingError
from brandflow.contexts.knowledge.embeddings import embedder_from_settings
from brandflow.contexts.knowledge.handlers import KnowledgeRuntime, knowledge_consumers
from brandflow.contexts.knowledge.query_vectors import QueryVectors
from brandflow.contexts.knowledge.reembed import reembed_periodically
from brandflow.contexts.knowledge.schemas import (
    SearchMode,
    SearchRequest,
    SearchResponse,
    SearchResult,
)
from brandflow.contexts.knowledge.search import CONNECTION_SETTINGS as SEARCH_CONNECTION_SETTINGS
from brandflow.contexts.knowledge.service import KnowledgeService, search_knowledge

# Paths whose request bodies may be as large as an upload (the body limit middleware).
UPLOAD_PATH_PATTERN = r"/api/v1/workspaces/[^/]+/knowledge/documents"

__all__ = [
    "SEARCH_CONNECTION_SETTINGS",
    "UPLOAD_PATH_PATTERN",
    "Embedder",
    "EmbeddingError",
    "KnowledgeRuntime",
    "KnowledgeService",
    "QueryVectors",
    "SearchMode",
    "SearchRequest",
    "SearchResponse",
    "SearchResult",
    "embedder_from_settings",
    "knowledge_consumers",
    "reembed_periodically",
    "search_knowledge",
]
