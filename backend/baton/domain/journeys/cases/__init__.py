"""The journeys of touchpoint cases (domain/cases/): `raising` (a case raised from the record,
a complaint or check-in; collaborators brought in) and `escalation` (the clock that moves an
open case to level 2 and 3, once per level across replicas). Neither imports the other."""
