/**
 * @module The tool-search ranker's weights and their defaults. The defaults were set on the
 * tuning queries of the retrieval benchmark (`tests/bench/fixtures/tool_search_queries.json` and
 * `tool_search_heldout.json`), choosing values inside plateaus rather than peaks; the held-out
 * file (`tool_search_heldout2.json`) is never tuned against.
 */
import type { FieldName } from "./tool_fields.ts";

/** The ranker's weights; the defaults were set on the tuning queries of the benchmark. */
export interface RankerOptions {
  /** BM25F field weights and length normalisation (name ≫ summary > rest, parameters). */
  fields: Record<FieldName, { weight: number; b: number }>;
  /** BM25 saturation (default 1.2). */
  k1: number;
  /** Weight of a general synonym against the word itself. */
  related: number;
  /** Weight of an index word the query word begins (`mongo` → `mongodb`). */
  prefix: number;
  /** Shortest query word that matches the longer index words it begins (default 4). */
  prefixMin: number;
  /** Weight of the word for the one who does it (`watch` → watcher). */
  agent: number;
  /** Share of a tool's score kept whatever part of the query it meets (the rest scales with it). */
  coverBase: number;
  /** Share of a query word counted as met when only a tool's detail text has it. */
  weakCover: number;
  /** How much the server prior can multiply a tool's score by (1 + this, for the best server). */
  serverPrior: number;
  /** Length normalisation of the server documents. */
  serverB: number;
  /** Power the server prior's share is raised to (above 1: only servers close to the best count). */
  serverPower: number;
  /** How much a query naming a server ("in Jira", "kubectl") multiplies its tools' scores by (1 + this). */
  named: number;
  /** Score factor of a tool that only demonstrates or simulates a feature. */
  demo: number;
  /** Bonus, in idf units, for a query bigram found in a tool's name. */
  bigram: number;
  /** Score factors for a tool whose action is asked, and for a change when only a read is. */
  action: { match: number; unwantedChange: number };
}

/** The default weights. */
export const RANKER_DEFAULTS: RankerOptions = {
  fields: {
    name: { weight: 4, b: 0.3 },
    summary: { weight: 1.5, b: 0.5 },
    rest: { weight: 0.5, b: 0.75 },
    params: { weight: 0.6, b: 0.5 },
    server: { weight: 1, b: 0 },
    about: { weight: 0.3, b: 0.5 },
  },
  k1: 1.2,
  related: 0.65,
  prefix: 0.4,
  prefixMin: 4,
  agent: 0.8,
  coverBase: 0.35,
  weakCover: 0.25,
  serverPrior: 1,
  serverB: 0.75,
  serverPower: 1,
  named: 0.5,
  demo: 0.6,
  bigram: 0.5,
  action: { match: 1.25, unwantedChange: 0.7 },
};
