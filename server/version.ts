/**
 * @module The router's version string.
 */

/** Version reported by health, the OpenAPI document and the MCP server info. */
export const VERSION = "0.1.0";
