"""Business rules, one module per capability. No GraphQL or HTTP imports here."""
