"""Touchpoint cases in the API (the domain is domain/cases/): `types` (Touchpoint, Case and
what a case shows: collaborators, comments, holders, time held), `queries` (my cases, a
customer's cases, the journey map, raising's starting point, the case measures) and
`mutations` (touchpoint owners, raising, working and closing a case)."""
