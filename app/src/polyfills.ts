import { Buffer } from "buffer";

// web3.js and the Anchor client serialise with Node's Buffer.
(globalThis as unknown as { Buffer: typeof Buffer }).Buffer ??= Buffer;
