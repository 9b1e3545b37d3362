import { describe, expect, it } from "vitest";
import { streamProgress } from "../../../framework";

function captureStream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = { isTTY, write: (chunk: string) => chunks.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join("") };
}

describe("backup progress output", () => {
  it("redraws a bar in place on a terminal", () => {
    const { stream, text } = captureStream(true);
    const progress = streamProgress(stream);
    progress.begin("ciap");
    for (const fraction of [0, 0.25, 0.5, 1]) progress.update("ciap", fraction);
    progress.end("ciap", "ok");
    const output = text();
    expect(output).toContain("\rciap");
    expect(output).toContain(`[${"#".repeat(15)}${".".repeat(15)}]  50%`);
    expect(output.endsWith("100% ok\n")).toBe(true);
  });

  it("writes plain lines (no carriage returns, no bar) elsewhere", () => {
    const { stream, text } = captureStream(false);
    const progress = streamProgress(stream);
    progress.begin("ciap");
    progress.update("ciap", 0.5);
    progress.end("ciap", "ok, 64 KiB");
    expect(text()).toBe("backup ciap: copying\nbackup ciap: ok, 64 KiB\n");
  });
});
