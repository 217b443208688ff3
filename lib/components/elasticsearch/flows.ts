/** Where Elasticsearch's clients connect: the pods of its HTTP layer, as a flow end. */
import { StackContext } from '../../core/k8s';
import { PodGroup, group } from '../network-policies/flows';
import { Elasticsearch } from './elasticsearch';

/** The pods of Elasticsearch's HTTP layer, which every client reaches. */
export function elasticsearchPods(ctx: StackContext): PodGroup {
  return group(ctx, Elasticsearch.identity);
}
