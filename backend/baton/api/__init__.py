"""GraphQL API: translates input to domain calls and domain results to payloads; no rules here."""
