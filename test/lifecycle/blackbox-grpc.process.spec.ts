import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { using } from '../support/http-app.js';
import { describeIf, needsProgram } from '../support/requirements.js';
import { closedPort } from '../support/services.js';
import { shutDownCleanly, startProbeApp } from '../support/spawn-node.js';
import { tempDir } from '../support/temp-dir.js';
import { until } from '../support/until.js';

// An independent gRPC health client: Debian's blackbox_exporter (`prober: grpc`) probing
// watchman's grpc.health.v1 service in a real app process, through a failure and a SIGTERM.

const BLACKBOX = '/usr/bin/prometheus-blackbox-exporter';
const describeBlackbox = describeIf(needsProgram(BLACKBOX, 'prometheus-blackbox-exporter'));

const grpcModule = (service: string) => ({
  prober: 'grpc',
  timeout: '2s',
  grpc: { service, preferred_ip_protocol: 'ip4', ip_protocol_fallback: false },
});

async function startBlackbox(): Promise<{ url: string; child: ChildProcess }> {
  const dir = tempDir('watchman-blackbox-');
  const port = await closedPort();
  writeFileSync(
    join(dir, 'blackbox.yml'),
    stringify({ modules: { grpc_ready: grpcModule('readiness'), grpc_live: grpcModule('liveness') } }),
  );
  const child = spawn(
    BLACKBOX,
    [`--config.file=${join(dir, 'blackbox.yml')}`, `--web.listen-address=127.0.0.1:${port}`],
    {
      stdio: 'ignore',
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await until(
    async () => (await fetch(`${url}/-/healthy`)).status,
    (status) => status === 200,
  );
  return { url, child };
}

describeBlackbox('blackbox_exporter’s gRPC prober against watchman’s gRPC health', () => {
  it('reads SERVING, NOT_SERVING while a dependency fails, SERVING again, and NOT_SERVING on SIGTERM but liveness', async () => {
    const flag = join(tempDir(), 'down');
    const grpcPort = await closedPort();
    const app = await startProbeApp({
      WATCHMAN_CHECKS: 'flag,storage',
      FLAG_FILE: flag,
      WATCHMAN_GRPC_PORT: String(grpcPort),
      WATCHMAN_GRPC_HOST: '127.0.0.1',
      WATCHMAN_OPEN_ROUTE_TTL_MS: '0',
      WATCHMAN_SHUTDOWN_DELAY_MS: '3000',
    });
    // blackbox_exporter is told to stop first, then the app (SIGKILL, a no-op once it exited by itself).
    await using({ close: () => app.stop('SIGKILL') }, async () => {
      const blackbox = await startBlackbox();
      const probe = async (module: string) => {
        const text = await (await fetch(`${blackbox.url}/probe?module=${module}&target=127.0.0.1:${grpcPort}`)).text();
        return {
          success: /^probe_success (\d)/m.exec(text)?.[1],
          status: /probe_grpc_healthcheck_response\{serving_status="(\w+)"\} 1/.exec(text)?.[1],
        };
      };
      await using({ close: async () => void blackbox.child.kill('SIGTERM') }, async () => {
        expect(await probe('grpc_ready')).toEqual({ success: '1', status: 'SERVING' });
        writeFileSync(flag, '');
        expect(await probe('grpc_ready')).toEqual({ success: '0', status: 'NOT_SERVING' });
        expect(await probe('grpc_live')).toEqual({ success: '1', status: 'SERVING' });
        rmSync(flag);
        expect(await probe('grpc_ready')).toEqual({ success: '1', status: 'SERVING' });

        const stopping = app.stop('SIGTERM', 20_000);
        const during = await until(
          () => probe('grpc_ready'),
          (result) => result.status === 'NOT_SERVING',
          { limitMs: 2500, everyMs: 100 },
        );
        expect(during).toEqual({ success: '0', status: 'NOT_SERVING' });
        expect(await probe('grpc_live')).toEqual({ success: '1', status: 'SERVING' });
        expect(shutDownCleanly(await stopping)).toBe(true);
      });
    });
  }, 60_000);
});
