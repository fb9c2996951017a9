import { graphql } from '../../lib/graphql';

/** "Theirs": the object a refused queued change was about, as the server has it now. */
export const QueuedSubjectQuery = graphql(`
  query QueuedSubject($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Promise { description status deferredTo evidenceNote version updatedAt }
      ... on Task { subject kind state outcome note completedAt version assignee { id displayName } }
    }
  }
`);
