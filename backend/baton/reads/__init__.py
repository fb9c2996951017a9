"""The read side (读取层): between the drivers (GraphQL, the worker, the CLI) and the domain.

A request's reads go through here: the DataLoaders (`loaders.py`), a customer's child
families read as JSON in one statement (`families.py`), and the facts a rule answers once
per request and every field then shares (`facts.py`: today in a store, what is still owed,
the current signature, what the viewer may do). Nothing here decides a rule; it asks the
domain once and remembers the answer for the rest of the request."""
