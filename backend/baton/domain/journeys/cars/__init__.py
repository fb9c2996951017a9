"""Journeys of the shared car calendar (试驾车共享): booking a car (`booking`) and using it:
check-out, return, wash and inspection (`use`). The nouns they change are in
`baton.domain.cars`."""
