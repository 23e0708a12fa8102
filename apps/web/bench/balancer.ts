import { accessSync, chmodSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startProcess, stopProcess, waitForHttp } from "../test/support/processes";
import type { BenchServer } from "./servers";

/**
 * A round-robin loopback balancer for the two-instance scenarios: Debian's nginx with a
 * generated configuration in a temporary folder, started in the foreground (ended by `timeout`
 * like every bench server) and stopped at the end. Two listeners: `pairUrl` spreads requests
 * over all `backends` (round robin), `oneUrl` sends them to the first only, so "two instances"
 * and "one instance" both pay the same extra hop. Each answer says which instance served it
 * (`X-Bench-Instance`).
 */
export interface Balancer extends BenchServer {
  pairUrl: string;
  oneUrl: string;
}

/** nginx (NGINX=<path>, else on PATH or /usr/sbin), or undefined when it is not installed. */
export function nginxProgram(): string | undefined {
  const candidates = process.env.NGINX
    ? [process.env.NGINX]
    : [...(process.env.PATH ?? "").split(path.delimiter), "/usr/sbin"].map((dir) =>
        path.join(dir, "nginx"),
      );
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Two free loopback ports for the balancer, known before the instances start (NEXTAUTH_URL). */
export async function balancerPorts(): Promise<{ pair: number; one: number }> {
  return { pair: await freePort(), one: await freePort() };
}

function nginxConfig(dir: string, ports: { pair: number; one: number }, backends: string[]) {
  const upstream = (name: string, hosts: string[]) =>
    `  upstream ${name} {\n${hosts.map((host) => `    server ${host};\n`).join("")}    keepalive 64;\n  }`;
  const server = (port: number, name: string) => `  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://${name};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_buffer_size 16k;
      proxy_buffers 16 16k;
      proxy_max_temp_file_size 0;
      add_header X-Bench-Instance $upstream_addr always;
    }
  }`;
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${upstream("bench_pair", backends)}
${upstream("bench_one", backends.slice(0, 1))}
${server(ports.pair, "bench_pair")}
${server(ports.one, "bench_one")}
}
`;
}

export async function startBalancer(options: {
  program: string;
  ports: { pair: number; one: number };
  /** `host:port` of each instance. */
  backends: string[];
  maxSeconds: number;
}): Promise<Balancer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "web-bench-nginx-"));
  // nginx's workers drop root; they must reach the folder.
  chmodSync(dir, 0o755);
  const file = path.join(dir, "nginx.conf");
  writeFileSync(file, nginxConfig(dir, options.ports, options.backends));
  const proc = startProcess(
    options.program,
    ["-p", dir, "-c", file, "-e", path.join(dir, "error.log")],
    { cwd: dir, env: process.env, maxSeconds: options.maxSeconds },
  );
  const pairUrl = `http://127.0.0.1:${options.ports.pair}`;
  await waitForHttp(`${pairUrl}/login`, 10_000, proc.output);
  const pid = proc.child.pid;
  if (pid === undefined) throw new Error("nginx has no pid");
  return {
    url: pairUrl,
    pairUrl,
    oneUrl: `http://127.0.0.1:${options.ports.one}`,
    pid,
    output: proc.output,
    async stop() {
      await stopProcess(proc.child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
