import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './spawn-node.js';

/** The README's fenced blocks of a language, dedented, with the line each starts on. */
export function readmeBlocks(language: string): Array<{ line: number; code: string }> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks: Array<{ line: number; code: string }> = [];
  // Blocks may be indented (inside a list item): the closing fence has the same indent.
  const pattern = new RegExp('^( *)```' + language + '\\n([\\s\\S]*?)^\\1```$', 'gm');
  for (const match of readme.matchAll(pattern)) {
    const indent = match[1].length;
    const code = match[2]
      .split('\n')
      .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
      .join('\n');
    blocks.push({ line: readme.slice(0, match.index).split('\n').length, code });
  }
  return blocks;
}

/** The README block of that language whose first line (a comment) contains `title`. */
export function readmeBlock(language: string, title: string): string {
  const block = readmeBlocks(language).find((candidate) => candidate.code.split('\n')[0].includes(title));
  if (!block) throw new Error(`README has no \`\`\`${language} block titled "${title}"`);
  return block.code;
}

/** A YAML block of the README, parsed. */
export function readmeYaml<T>(title: string): T {
  return parse(readmeBlock('yaml', title)) as T;
}

/** The probe block of the README's Kubernetes section, as the tests use it. */
export interface KubeProbe {
  httpGet: { path: string; port: number };
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

export interface KubeDeployment {
  spec: {
    template: {
      spec: {
        terminationGracePeriodSeconds: number;
        containers: Array<{
          env: Array<{ name: string; value: string }>;
          startupProbe: KubeProbe;
          readinessProbe: KubeProbe;
          livenessProbe: KubeProbe;
        }>;
      };
    };
  };
}

/** The README's Deployment: its pod spec, container, environment and probes. */
export function readmeDeployment() {
  const deployment = readmeYaml<KubeDeployment>('Deployment');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const env = Object.fromEntries(container.env.map(({ name, value }) => [name, value]));
  return { pod, container, env };
}
