/** `npm run review` as a reviewer runs it: the CLI in a scratch git repository, against its HEAD. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPOSITORY_ROOT } from '../../alerts';

/** The Operations dashboard panel whose threshold follows HighErrorRate's. */
const ERRORS_PANEL = 'Share of requests failing (5xx) per service';

describe('npm run review, end to end', () => {
  it('against HEAD of a scratch repository with HighErrorRate moved to 3% in the working copy, leaving dist/ and the repository as they were', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-e2e-'));
    try {
      const tar = execFileSync('git', ['archive', '--format=tar', 'HEAD'], { cwd: REPOSITORY_ROOT, maxBuffer: 1024 * 1024 * 1024 });
      execFileSync('tar', ['-x', '-C', dir], { input: tar });
      fs.rmSync(path.join(dir, 'node_modules'), { force: true, recursive: true });
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=review', '-c', 'user.email=review@example.invalid', ...args], { cwd: dir, encoding: 'utf8' });
      git('init', '-q');
      git('add', '-A');
      git('commit', '-qm', 'base');
      fs.symlinkSync(path.join(REPOSITORY_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      const edit = (file: string, from: string, to: string) => {
        const p = path.join(dir, file);
        const text = fs.readFileSync(p, 'utf8');
        expect(text).toContain(from);
        fs.writeFileSync(p, text.replace(from, to));
      };
      // One named value: the alert, its description and every panel drawing it follow.
      edit('alerts/thresholds.ts', 'export const ERROR_RATE = 0.05;', 'export const ERROR_RATE = 0.03;');
      fs.mkdirSync(path.join(dir, 'dist', 'production'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'dist', 'production', 'keep.yaml'), 'kept: true\n');
      const status = git('status', '--porcelain');
      const md = execFileSync(
        path.join(REPOSITORY_ROOT, 'node_modules', '.bin', 'tsx'),
        [path.join(REPOSITORY_ROOT, 'scripts', 'review.ts'), 'HEAD', '--repo', dir, '--env', 'production'],
        {
          cwd: dir,
          encoding: 'utf8',
        },
      );
      expect(md).toContain('- expression: service:http_request_errors:ratio_rate5m > ~~0.05~~**0.03**');
      expect(md).toContain('- description: More than ~~5%~~**3%** of the HTTP requests');
      expect(md).toContain(`- panel **${ERRORS_PANEL}**, thresholds: \`green, 0.01 orange, 0.05 red\` → \`green, 0.006 orange, 0.03 red\``);
      // Every alert and panel that reads ERROR_RATE moves with it, and nothing else.
      expect(md).toContain(
        'alerts: 6 changed alerts (HighErrorRate, ThanosBucketOperationsFailing, ThanosQueryStoreApiErrors, OrderFailureRateHigh, MetaMaskTransactionFailures, AgentEventProcessingErrors)',
      );
      expect(md).toContain('dashboards: 5 changed dashboards (grekko-development, grekko-operations, grekko-trading, platform-kafka, thanos)');
      expect(md).toContain('Kubernetes objects: production 7 changed.');
      expect(fs.readdirSync(path.join(dir, 'dist'))).toEqual(['production']);
      expect(fs.readdirSync(path.join(dir, 'dist', 'production'))).toEqual(['keep.yaml']);
      expect(git('status', '--porcelain')).toBe(status);
      expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // Two synths of one environment: about 7 s of CPU, longer on a loaded machine.
  }, 120_000);
});
