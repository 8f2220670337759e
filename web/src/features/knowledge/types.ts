// Short names for the knowledge context's schemas in the contract.
import type { components } from "../../api/schema.gen";

type Schemas = components["schemas"];

export type KnowledgeDocument = Schemas["DocumentRead"];
export type DocumentUpdate = Schemas["DocumentUpdate"];
export type DocumentStatus = Schemas["DocumentStatus"];
export type DocumentType = Schemas["DocumentType"];
export type Chunk = Schemas["ChunkRead"];
export type SearchMode = Schemas["SearchMode"];
export type SearchRequest = Schemas["SearchRequest"];
export type SearchResponse = Schemas["SearchResponse"];
export type SearchResult = Schemas["SearchResult"];
export type Highlight = Schemas["Highlight"];
