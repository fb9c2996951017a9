import { graphql } from '../../lib/graphql';

export const UnreadAlertCountQuery = graphql(`
  query UnreadAlertCount {
    unreadAlertCount
  }
`);

export const InboxQuery = graphql(`
  query Inbox($first: Int!, $after: String) {
    unreadAlertCount
    inbox(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          kind
          url
          urgent
          createdAt
          dueAt
          readAt
          pushState
          pushError
          title
          body
          taskDueAt
          customer { id name }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const MarkAllAlertsReadMutation = graphql(`
  mutation MarkAllAlertsRead($input: MarkAllAlertsReadInput!) {
    markAllAlertsRead(input: $input) {
      __typename
      ... on MarkAllAlertsReadSuccess { unreadAlertCount }
    }
  }
`);
