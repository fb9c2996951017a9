"""GraphQL object types, one module per type family; roots are the ORM objects themselves."""
