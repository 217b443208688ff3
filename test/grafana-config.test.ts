/** Grafana's configuration renderers, as pure functions of their inputs. */
import { dashboardMounts, dashboardVolumes, renderDatasources, renderIni, renderProviders } from '../lib/components/grafana/config';

describe("Grafana's configuration", () => {
  it('grafana.ini refuses sign-up and anonymous access, and installs no plugin at startup', () => {
    const ini = renderIni('https://grafana.example.com');
    expect(ini).toContain('[users]\nallow_sign_up = false');
    expect(ini).toContain('[auth.anonymous]\nenabled = false');
    expect(ini).toMatch(/\[plugins\][^[]*preinstall_disabled = true/);
    expect(ini).toContain('root_url = https://grafana.example.com');
    expect(renderIni(undefined)).not.toContain('root_url');
  });

  it('a datasource credential kept in a Secret is provisioned as a file reference, never as its value', () => {
    const doc = renderDatasources([
      {
        name: 'Logs',
        uid: 'logs',
        type: 'elasticsearch',
        url: 'https://elasticsearch:9200',
        basicAuthUserFromSecret: { secretName: 'es-grafana', key: 'username' },
        secureJsonFromSecret: { basicAuthPassword: { secretName: 'es-grafana', key: 'password' } },
      },
    ]) as { datasources: Array<Record<string, unknown>> };
    const [ds] = doc.datasources;
    expect(ds.basicAuth).toBe(true);
    expect(ds.basicAuthUser).toBe('$__file{/etc/grafana/secrets/datasources/es-grafana/username}');
    expect(ds.secureJsonData).toEqual({ basicAuthPassword: '$__file{/etc/grafana/secrets/datasources/es-grafana/password}' });
    expect(ds.editable).toBe(false);
    expect(ds.isDefault).toBe(false);
  });

  it('dashboards of two folders get one volume per folder, mounted where the folder title is the directory name', () => {
    const dashboards = [
      { uid: 'a', folder: 'Grekko', model: {} },
      { uid: 'b', folder: 'Monitoring stack', model: {} },
      { uid: 'c', folder: 'Grekko', model: {} },
    ];
    const volumes = dashboardVolumes(dashboards);
    expect(volumes.map((v) => v.name)).toEqual(['dashboards-grekko', 'dashboards-monitoring-stack']);
    expect(volumes[0].projected?.sources?.map((s) => s.configMap?.name)).toEqual(['grafana-dashboard-a', 'grafana-dashboard-c']);
    expect(dashboardMounts(dashboards).map((m) => m.mountPath)).toEqual(['/var/lib/grafana-dashboards/Grekko', '/var/lib/grafana-dashboards/Monitoring stack']);
  });

  it('with no dashboard the provider still reads an (empty) directory, and the provider takes folders from the files', () => {
    expect(dashboardVolumes([])).toEqual([{ name: 'dashboards', emptyDir: {} }]);
    expect(dashboardMounts([])).toEqual([{ name: 'dashboards', mountPath: '/var/lib/grafana-dashboards', readOnly: true }]);
    const provider = (renderProviders() as { providers: Array<{ options: Record<string, unknown>; allowUiUpdates: boolean }> }).providers[0];
    expect(provider.options).toEqual({ path: '/var/lib/grafana-dashboards', foldersFromFilesStructure: true });
    expect(provider.allowUiUpdates).toBe(false);
  });
});
