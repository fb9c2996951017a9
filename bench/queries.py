"""The GraphQL documents the bench sends: what the PWA asks when it opens a record or searches."""

RECORD = """
query Record($id: ID!) {
  customer(id: $id) {
    id name phone address tags version createdAt updatedAt
    store { id name timeZone }
    isHighPriority
    vehicles { id vin plate modelName version }
    orders {
      id modelName plannedDeliveryDate status createdAt version
      salesConsultant { id displayName }
    }
    deliveries {
      id scheduledAt status completedAt version
      deliverySpecialist { id displayName }
    }
    serviceVisits { id checkedInAt mileageKm complaint status version advisor { id displayName } }
    specialCircumstances { id kind note startsOn endsOn createdAt }
    timeline(first: 20) {
      edges {
        cursor
        node { id at kind department summary subjectType actor { id displayName role } }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""

SEARCH = """
query Search($search: String!) {
  customers(search: $search, first: 20) {
    edges {
      cursor
      node { id name phone tags vehicles { id vin plate modelName } }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""

TYPENAME = "{ __typename }"

LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) { __typename ... on LoginSuccess { user { id username } } }
}
"""
