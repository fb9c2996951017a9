"""The learning archive in the API (the domain is domain/learning/): `types` (LearningTopic,
TeachingSession and a customer's archive: records, marks, progress), `queries` (a store's
topic catalogue) and `mutations` (record and amend teaching sessions; manage the catalogue)."""
