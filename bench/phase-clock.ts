// SPDX-License-Identifier: Apache-2.0
//
// The two phases every bench child measures: loading the libraries, then
// building the construct tree and synthesizing it (wall and CPU time: user +
// system, all threads of the process), plus the process's peak memory.
import { performance } from 'node:perf_hooks';

/**
 * What the CDK CLI passes to an app by default, so that the bench's templates
 * carry the same metadata as `cdk synth` writes.
 */
export const CLI_DEFAULT_CONTEXT = {
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
};

/** What a child reports about its phases. */
export interface PhaseTimes {
  readonly loadMs: number;
  readonly synthMs: number;
  readonly synthCpuMs: number;
  readonly maxRssKb: number;
}

/** Started when the child starts; `loaded()` when the libraries are in, `done()` after synth. */
export class PhaseClock {
  private readonly start = performance.now();
  private loadedAt = 0;
  private cpuAtLoad: NodeJS.CpuUsage = process.cpuUsage();

  public loaded(): void {
    this.loadedAt = performance.now();
    this.cpuAtLoad = process.cpuUsage();
  }

  public done(): PhaseTimes {
    const end = performance.now();
    const cpu = process.cpuUsage(this.cpuAtLoad);
    return {
      loadMs: this.loadedAt - this.start,
      synthMs: end - this.loadedAt,
      synthCpuMs: (cpu.user + cpu.system) / 1000,
      maxRssKb: process.resourceUsage().maxRSS,
    };
  }
}
