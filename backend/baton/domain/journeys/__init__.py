"""Journeys: steps across nouns that say what happened (submission, handover, check-in, ...).

Each journey function is a use case over a session and the acting user; it changes nouns and
announces events through `who_is_told.tell`, the one table of who hears of what."""
