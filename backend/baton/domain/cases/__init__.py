"""Touchpoint cases (关键接触点责任人制度): a customer problem raised at a touchpoint stays with
the step's owner department, and rises level 1 → 2 → 3 by the clock until it is closed.

Where each rule lives, from the bottom up (each module imports only those listed before it;
the order is a contract in pyproject.toml):

- `touchpoints`: each store's 33-step journey, who owns each step, the journey map, the step a
  customer's stage suggests, and the department's people on duty.
- `ladder`: the three levels, each lasting one store-local day; who holds the case at each
  level; the spells that say who held it, and for how long.
- `lifecycle`: opening a case with its owner, reading one (and how the access rules see it:
  `case_subject`), comments, closing with the customer's confirmation, reopening within 7 days.
- `ownership`: the owner department keeps the case: handing it on is refused and counted
  (踢皮球); collaborators are brought in instead.
- `queries`: my cases.

The steps that announce what happened are journeys: `journeys/cases/raising.py` (raise a case,
bring in a collaborator) and `journeys/cases/escalation.py` (the sweep that moves a case up).
"""
