import { graphql } from '../../lib/graphql';

export const SEARCH_PAGE = 20;

export const SearchCustomersQuery = graphql(`
  query SearchCustomers($search: String!, $first: Int!, $after: String) {
    customers(search: $search, first: $first, after: $after) {
      edges {
        node {
          id
          name
          phone
          tags
          isHighPriority
          vehicles { id plate modelName vin }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);
