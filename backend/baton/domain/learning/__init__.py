"""The customer learning archive (客户学习档案): what each customer has been taught about their
EV, from a store's catalogue of topics, by the sessions staff hold with them.

Where each rule lives, from the bottom up (each module imports only those listed before it;
the order is a contract in pyproject.toml):

- `topics`: a store's catalogue (the default EV topics, or named as typed), its order, stages
  and departments; store managers add, rename, move and retire topics.
- `archive`: what the sessions add up to, worked out when read (`build_archive`; one
  customer's, `customer_archive`): each topic's highest and latest level, refreshers (levels
  never go down: `is_refresher`), the skip still to be checked, teach-next and progress, and
  the customer's stage.
- `sessions`: recording a teaching session (offline too) and its author amending it within a
  day; who may (`teaching_subject`).
"""
