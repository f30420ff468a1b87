/**
 * @module Options of the router's downstream SDK clients: they declare sampling, elicitation and
 * roots so downstream servers can ask the upstream client through the router.
 */

/** Client options for every downstream connection. */
export const DOWNSTREAM_CLIENT_OPTIONS = {
  capabilities: {
    sampling: {},
    elicitation: { form: {} },
    roots: { listChanged: true },
  },
};
