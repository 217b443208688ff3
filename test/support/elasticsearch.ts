/**
 * A stand-in for the environment's Elasticsearch in tests: an IElasticsearchEndpoint that creates
 * no objects. It records the users its clients ask for and, like an Elasticsearch whose users are
 * provisioned by its operator, expects one Secret of credentials per client and a CA Secret.
 */
import { Chart } from 'cdk8s';
import { ElasticsearchClient, ElasticsearchCredentials, IElasticsearchEndpoint } from '../../lib/components/elasticsearch-endpoint';
import { expectSecret } from '../../lib/secrets';

export class TestElasticsearch implements IElasticsearchEndpoint {
  public readonly url: string;
  public readonly caSecretName = 'elasticsearch-http-ca';
  public readonly caKey = 'ca.crt';
  public readonly version = '8.17.0';
  /** Every client registered, in order. */
  public readonly clients: ElasticsearchClient[] = [];

  constructor(namespace = 'monitoring') {
    this.url = `https://elasticsearch.${namespace}.svc:9200`;
  }

  public addClient(client: ElasticsearchClient): ElasticsearchCredentials {
    if (this.clients.some((c) => c.name === client.name)) throw new Error(`client ${client.name} registered twice`);
    this.clients.push(client);
    return { secretName: `elasticsearch-user-${client.name}`, usernameKey: 'username', passwordKey: 'password' };
  }

  /** Declares the Secrets the registered clients read as expected by `chart`. */
  public declareSecrets(chart: Chart): void {
    for (const c of this.clients) {
      expectSecret(chart, {
        name: `elasticsearch-user-${c.name}`,
        keys: ['username', 'password'],
        usedBy: c.name,
        description: `Elasticsearch user of ${c.name}: ${c.indexPrivileges.join(', ')} on ${c.indices.join(', ')}`,
      });
    }
    if (this.clients.length) expectSecret(chart, { name: this.caSecretName, keys: [this.caKey], usedBy: 'elasticsearch clients', description: 'CA of the Elasticsearch HTTP layer' });
  }
}
