/**
 * @module Zod schemas for the libpod v4 replies the client reads (only the fields it uses).
 */
import { z } from "zod";

/** One id-mapping line of `/libpod/info`. */
const IdMapSchema = z.object({
  container_id: z.number().int().nonnegative(),
  host_id: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
});

/** `GET /libpod/info` (subset). */
export const InfoReplySchema = z.object({
  host: z.object({
    cgroupVersion: z.string().default("unknown"),
    cgroupControllers: z.array(z.string()).nullish().transform((v) => v ?? []),
    cgroupManager: z.string().optional(),
    security: z.object({ rootless: z.boolean().default(false) }).partial().default({}),
    networkBackend: z.string().optional(),
    /** The rootless user namespace's mappings (absent or empty when rootful). */
    idMappings: z.object({
      uidmap: z.array(IdMapSchema).nullish().transform((v) => v ?? []),
      gidmap: z.array(IdMapSchema).nullish().transform((v) => v ?? []),
    }).nullish().transform((v) => v ?? { uidmap: [], gidmap: [] }),
    slirp4netns: z.object({ executable: z.string().optional() }).partial().nullish(),
  }),
  store: z.object({ graphDriverName: z.string().optional() }).partial().default({}),
  version: z.object({ Version: z.string(), APIVersion: z.string().optional() }),
});
/** Parsed `/libpod/info`. */
export type InfoReply = z.infer<typeof InfoReplySchema>;

/** `POST /libpod/containers/create`. */
export const CreateReplySchema = z.object({
  Id: z.string(),
  Warnings: z.array(z.string()).nullish(),
});

/** `POST /libpod/images/import`. */
export const ImportReplySchema = z.object({ Id: z.string() });

/** One port binding in inspect output. */
const InspectPortSchema = z.object({ HostIp: z.string().optional(), HostPort: z.string() });

/** `GET /libpod/containers/{id}/json` (subset). */
export const InspectReplySchema = z.object({
  Id: z.string(),
  Name: z.string().optional(),
  State: z.object({
    Status: z.string().optional(),
    Running: z.boolean(),
    /** Host pid of the container's init (0 when not running). */
    Pid: z.number().int().optional(),
    ExitCode: z.number().int().optional(),
    FinishedAt: z.string().optional(),
  }),
  Config: z.object({ Labels: z.record(z.string(), z.string()).nullish() }).partial().default({}),
  NetworkSettings: z.object({
    Ports: z.record(z.string(), z.array(InspectPortSchema).nullish()).nullish(),
  }).partial().nullish(),
});
/** Parsed inspect reply. */
export type InspectReply = z.infer<typeof InspectReplySchema>;

/** One entry of `GET /libpod/containers/json`. */
export const ListEntrySchema = z.object({
  Id: z.string(),
  Names: z.array(z.string()).nullish(),
  State: z.string(),
  ExitCode: z.number().int().optional(),
  Exited: z.boolean().optional(),
  Labels: z.record(z.string(), z.string()).nullish(),
  Ports: z.array(z.object({
    host_ip: z.string().optional(),
    container_port: z.number().int(),
    host_port: z.number().int(),
    range: z.number().int().optional(),
    protocol: z.string().optional(),
  })).nullish(),
});
/** Parsed list entry. */
export type ListEntry = z.infer<typeof ListEntrySchema>;

/** `GET /libpod/containers/json`. */
export const ListReplySchema = z.array(ListEntrySchema).nullable().transform((v) => v ?? []);

/** One JSON line of `POST /libpod/build` progress. */
export const BuildLineSchema = z.object({
  stream: z.string().optional(),
  error: z.string().optional(),
  errorDetail: z.object({ message: z.string().optional() }).partial().optional(),
  aux: z.object({ ID: z.string().optional() }).partial().optional(),
}).passthrough();
