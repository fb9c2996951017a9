"""Journeys of the shared car calendar (试驾车共享): booking a car (`booking`), preempting
one inside the priority window (`preemption`), a loaner for a service visit (`loaners`), and
using a car: check-out, return, wash and inspection (`use`). The nouns they change are in
`baton.domain.cars`."""
