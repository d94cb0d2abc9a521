import { describe, expect, it } from "vitest";
import { seed } from "./program";

describe("PDA seeds come from the IDL's constants", () => {
  it("reads the program's `#[constant]` seeds", () => {
    expect(seed("marketSeed").toString()).toBe("market");
    expect(seed("markRegistrySeed").toString()).toBe("marks");
    expect(seed("withdrawalRequestSeed").toString()).toBe("withdrawal");
    expect(seed("withdrawalSharesSeed").toString()).toBe("withdrawal_shares");
  });
});
