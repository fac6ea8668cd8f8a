// dynalite 4 ships JavaScript only; this is the part of its API the local factory uses.
declare module "dynalite" {
  import type { Server } from "node:http";
  function dynalite(options?: { createTableMs?: number; path?: string }): Server;
  export = dynalite;
}
